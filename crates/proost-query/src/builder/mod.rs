//! The query builder: a [`Spec`] compiled through the DataFrame API into a logical plan over
//! the caller's governed tables — the same catalog SQL plans over, so grants, masks and row
//! policies hold alike — and never into SQL text. Values are literals in the expression
//! tree and reach sources as bound parameters; "View SQL" is the plan unparsed.

mod expression;
mod spec;
mod values;

use std::collections::{BTreeSet, HashMap};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, JoinType, TableReference};
use datafusion::functions::expr_fn as f;
use datafusion::functions_aggregate::expr_fn as agg;
use datafusion::logical_expr::expr::WindowFunction;
use datafusion::logical_expr::{
    Cast, Expr, ExprFunctionExt, Like, SortExpr, WindowFrame, WindowFrameBound, WindowFrameUnits,
    lit, when,
};
use datafusion::prelude::DataFrame;
use serde_json::{Map, Value};

pub use datafusion::common::ScalarValue;
pub use expression::FUNCTIONS;
pub use spec::{
    Aggregation, Breakout, Computed, Filter, Join, JoinOn, Order, Param, SourceRef, Spec, Stage,
};

use crate::browse::like_literal;
use crate::{CatalogResolver, Engine, Planned, Planning, QueryError};
use proost_connect::Limits;

/// What a saved question used as a source stands for, resolved by the caller (who checks
/// the question may be opened).
#[derive(Debug, Clone)]
pub enum Base {
    Sql {
        sql: String,
        params: Vec<ScalarValue>,
    },
    Builder {
        spec: Box<Spec>,
        params: Map<String, Value>,
    },
}

/// Saved questions a spec uses as sources, by id.
pub type Bases = HashMap<String, Base>;

pub(crate) struct Bound {
    pub lower: ScalarValue,
    pub upper: ScalarValue,
}

pub(crate) fn invalid(path: &str, message: String) -> QueryError {
    QueryError::Refused(proost_readonly::Refusal {
        code: "builder_invalid",
        message: if path.is_empty() {
            message
        } else {
            format!("at `{path}`: {message}")
        },
    })
}

/// An error in a SQL question's parameters (see [`crate::template`]).
pub(crate) fn invalid_template(message: String) -> QueryError {
    QueryError::Refused(proost_readonly::Refusal {
        code: "sql_params_invalid",
        message,
    })
}

/// A parameter's value as its declared type.
pub(crate) fn typed_param(kind: &str, v: &Value, name: &str) -> Result<ScalarValue, QueryError> {
    values::typed(kind, v, &format!("params.{name}")).map_err(|e| invalid_template(e.to_string()))
}

const MAX_DEPTH: usize = 4;

impl Engine {
    /// Plans a builder spec for the caller behind `resolver`.
    pub async fn plan_builder(
        &self,
        spec: &Spec,
        params: &Map<String, Value>,
        bases: &Bases,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<Planned, QueryError> {
        let planning = self.planning(limits)?;
        let mut catalogs = BTreeSet::new();
        catalogs_of(spec, bases, 0, &mut catalogs)?;
        for name in &catalogs {
            self.add_catalog(&planning, name, resolver).await?;
        }
        let frame = self.compile(&planning, spec, params, bases, 0).await?;
        Ok(planning.done(frame, None))
    }

    /// The SQL a spec means, unparsed from its plan ("View SQL"); nothing runs.
    pub async fn builder_sql(
        &self,
        spec: &Spec,
        params: &Map<String, Value>,
        bases: &Bases,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<String, QueryError> {
        let planned = self
            .plan_builder(spec, params, bases, resolver, limits)
            .await?;
        let statement = datafusion::sql::unparser::plan_to_sql(planned.frame.logical_plan())
            .map_err(|e| {
                QueryError::Plan(format!("the plan has no SQL form: {}", e.find_root()))
            })?;
        Ok(statement.to_string())
    }

    fn compile<'a>(
        &'a self,
        p: &'a Planning,
        spec: &'a Spec,
        params: &'a Map<String, Value>,
        bases: &'a Bases,
        depth: usize,
    ) -> futures::future::BoxFuture<'a, Result<DataFrame, QueryError>> {
        Box::pin(async move {
            if spec.v != 1 {
                return Err(invalid(
                    "v",
                    format!("version {} is not known; use 1", spec.v),
                ));
            }
            let values = Values::new(spec, params)?;
            let ctx = &p.ctx;
            let err = |e| self.error(e);
            // The tables in the query so far, with their aliases: joins without `on` go
            // along a foreign key to one of them.
            let mut named: Vec<Named> = Vec::new();
            let mut frame = match (&spec.source.table, &spec.source.question) {
                (Some(t), None) => {
                    let [c, s, n] = table_name(t, "source.table")?;
                    let alias = spec.source.alias.clone().unwrap_or_else(|| n.to_string());
                    named.push(Named {
                        table: [c.to_string(), s.to_string(), n.to_string()],
                        alias: alias.clone(),
                    });
                    ctx.table(TableReference::full(c, s, n))
                        .await
                        .map_err(err)?
                        .alias(&alias)
                        .map_err(err)?
                }
                (None, Some(q)) => {
                    if depth >= MAX_DEPTH {
                        return Err(invalid(
                            "source.question",
                            format!("questions built on questions go at most {MAX_DEPTH} deep"),
                        ));
                    }
                    let base = bases.get(q).ok_or_else(|| {
                        QueryError::NotFound(format!("no question `{q}` you may open"))
                    })?;
                    let frame = match base {
                        Base::Sql { sql, params } => {
                            let statement =
                                proost_readonly::check(sql, proost_readonly::Dialect::Engine)?;
                            drop(statement);
                            ctx.sql_with_options(sql, sql_options())
                                .await
                                .map_err(err)?
                                .with_param_values(params.clone())
                                .map_err(err)?
                        }
                        Base::Builder { spec, params } => {
                            self.compile(p, spec, params, bases, depth + 1).await?
                        }
                    };
                    let alias = spec.source.alias.as_deref().unwrap_or("source");
                    frame.alias(alias).map_err(err)?
                }
                _ => {
                    return Err(invalid(
                        "source",
                        "name either a `table` (connection.schema.table) or a `question`".into(),
                    ));
                }
            };
            if spec.joins.len() > 10 {
                return Err(invalid("joins", "at most 10 joins".into()));
            }
            for (i, j) in spec.joins.iter().enumerate() {
                let path = format!("joins[{i}]");
                let [c, s, n] = table_name(&j.table, &format!("{path}.table"))?;
                let alias = j.alias.clone().unwrap_or_else(|| n.to_string());
                let right = ctx
                    .table(TableReference::full(c, s, n))
                    .await
                    .map_err(err)?
                    .alias(&alias)
                    .map_err(err)?;
                let mut on = Vec::new();
                if j.on.is_empty() {
                    let joined = Named {
                        table: [c.to_string(), s.to_string(), n.to_string()],
                        alias: alias.clone(),
                    };
                    for (l, r) in along_key(p, &named, &joined, &format!("{path}.on"))? {
                        let l = qualified(&frame, &l.0, &l.1, &format!("{path}.on"))?;
                        let r = qualified(&right, &r.0, &r.1, &format!("{path}.on"))?;
                        on.push(l.eq(r));
                    }
                    named.push(joined);
                } else {
                    for (k, pair) in j.on.iter().enumerate() {
                        let l = column(&frame, &pair.left, &format!("{path}.on[{k}].left"))?;
                        let r = column(&right, &pair.right, &format!("{path}.on[{k}].right"))?;
                        on.push(l.eq(r));
                    }
                    named.push(Named {
                        table: [c.to_string(), s.to_string(), n.to_string()],
                        alias: alias.clone(),
                    });
                }
                let kind = match j.kind.as_deref().unwrap_or("inner") {
                    "inner" => JoinType::Inner,
                    "left" => JoinType::Left,
                    "right" => JoinType::Right,
                    "full" => JoinType::Full,
                    other => {
                        return Err(invalid(
                            &format!("{path}.kind"),
                            format!("unknown join `{other}`; use inner, left, right or full"),
                        ));
                    }
                };
                frame = frame.join_on(right, kind, on).map_err(err)?;
            }
            if spec.columns.len() > 50 {
                return Err(invalid("columns", "at most 50 computed columns".into()));
            }
            for (i, c) in spec.columns.iter().enumerate() {
                let path = format!("columns[{i}]");
                check_name(&c.name, &format!("{path}.name"))?;
                let expr = expression::parse(&frame, &c.expression, &format!("{path}.expression"))?;
                frame = frame.with_column(&c.name, expr).map_err(err)?;
            }
            if spec.stages.len() > 5 {
                return Err(invalid("stages", "at most 5 further stages".into()));
            }
            frame = self.stage(frame, &spec.first_stage(), &values, "")?;
            for (i, s) in spec.stages.iter().enumerate() {
                frame = self.stage(frame, s, &values, &format!("stages[{i}]."))?;
            }
            Ok(frame)
        })
    }

    fn stage(
        &self,
        mut frame: DataFrame,
        stage: &Stage,
        values: &Values,
        at: &str,
    ) -> Result<DataFrame, QueryError> {
        let err = |e| self.error(e);
        if let Some(filter) = &stage.filter
            && let Some(expr) = values.filter(&frame, filter, &format!("{at}filter"), 0)?
        {
            frame = frame.filter(expr).map_err(err)?;
        }
        if stage.breakouts.len() > 10 || stage.aggregations.len() > 30 {
            return Err(invalid(
                at.trim_end_matches('.'),
                "at most 10 breakouts and 30 aggregations".into(),
            ));
        }
        let order = |frame: DataFrame| -> Result<DataFrame, QueryError> {
            if stage.order.is_empty() {
                return Ok(frame);
            }
            let mut keys: Vec<SortExpr> = Vec::new();
            for (i, o) in stage.order.iter().enumerate() {
                let c = column(&frame, &o.column, &format!("{at}order[{i}].column"))?;
                keys.push(c.sort(!o.desc, o.desc));
            }
            frame.sort(keys).map_err(err)
        };
        if !stage.breakouts.is_empty() || !stage.aggregations.is_empty() {
            if !stage.fields.is_empty() {
                return Err(invalid(
                    &format!("{at}fields"),
                    "`fields` picks rows' columns; a stage with breakouts or aggregations returns those".into(),
                ));
            }
            frame = order(self.aggregate(frame, stage, values, at)?)?;
        } else {
            // Rows may be ordered by a column they do not return, as in SQL.
            frame = order(frame)?;
            if !stage.fields.is_empty() {
                let mut exprs = Vec::new();
                for (i, name) in stage.fields.iter().enumerate() {
                    exprs.push(column(&frame, name, &format!("{at}fields[{i}]"))?);
                }
                frame = frame.select(exprs).map_err(err)?;
            }
        }
        if let Some(n) = stage.limit {
            frame = frame.limit(0, Some(n)).map_err(err)?;
        }
        Ok(frame)
    }

    fn aggregate(
        &self,
        frame: DataFrame,
        stage: &Stage,
        values: &Values,
        at: &str,
    ) -> Result<DataFrame, QueryError> {
        let err = |e| self.error(e);
        let mut groups = Vec::new();
        let mut outputs: Vec<String> = Vec::new();
        for (i, b) in stage.breakouts.iter().enumerate() {
            let path = format!("{at}breakouts[{i}]");
            let (expr, name) = breakout(&frame, b, &path)?;
            if outputs.contains(&name) {
                return Err(invalid(
                    &path,
                    format!("two outputs are named `{name}`; set `name`"),
                ));
            }
            groups.push(expr.alias(&name));
            outputs.push(name);
        }
        let mut aggs = Vec::new();
        // Computed over the aggregated rows: (output, window expression).
        let mut windows: Vec<(String, Expr)> = Vec::new();
        let breakout_cols: Vec<Expr> = outputs
            .iter()
            .map(|n| Expr::Column(Column::from_name(n.clone())))
            .collect();
        let over = |inner: Expr| -> Result<Expr, QueryError> {
            let Some((first, rest)) = breakout_cols.split_first() else {
                return Ok(inner);
            };
            inner
                .partition_by(rest.to_vec())
                .order_by(vec![first.clone().sort(true, false)])
                .window_frame(WindowFrame::new_bounds(
                    WindowFrameUnits::Rows,
                    WindowFrameBound::Preceding(ScalarValue::UInt64(None)),
                    WindowFrameBound::CurrentRow,
                ))
                .build()
                .map_err(err)
        };
        let mut final_names = Vec::new();
        for (i, a) in stage.aggregations.iter().enumerate() {
            let path = format!("{at}aggregations[{i}]");
            let name = a.name.clone().unwrap_or_else(|| default_name(a));
            check_name(&name, &format!("{path}.name"))?;
            if outputs.contains(&name) || final_names.contains(&name) {
                return Err(invalid(
                    &path,
                    format!("two outputs are named `{name}`; set `name`"),
                ));
            }
            let input = |req: bool| -> Result<Option<Expr>, QueryError> {
                match &a.column {
                    Some(c) => column(&frame, c, &format!("{path}.column")).map(Some),
                    None if req => Err(invalid(&path, format!("`{}` needs a `column`", a.op))),
                    None => Ok(None),
                }
            };
            let numeric = |req: bool| -> Result<Expr, QueryError> {
                let c = input(req)?.unwrap_or_else(|| lit(1));
                let t = type_of(&frame, &c);
                if !t.is_numeric() && !matches!(t, DataType::Null) {
                    return Err(invalid(
                        &format!("{path}.column"),
                        format!("`{}` needs a number; the column is {}", a.op, words(&t)),
                    ));
                }
                Ok(c)
            };
            let expr = match a.op.as_str() {
                "count" => match input(false)? {
                    Some(c) => agg::count(c),
                    None => agg::count(lit(1)),
                },
                "count_distinct" => agg::count_distinct(input(true)?.unwrap_or_else(|| lit(1))),
                "sum" => agg::sum(numeric(true)?),
                "avg" => agg::avg(numeric(true)?),
                "min" => agg::min(input(true)?.unwrap_or_else(|| lit(1))),
                "max" => agg::max(input(true)?.unwrap_or_else(|| lit(1))),
                "median" => agg::median(cast(numeric(true)?, DataType::Float64)),
                "stddev" => agg::stddev(cast(numeric(true)?, DataType::Float64)),
                "percentile" => {
                    let p = a.p.filter(|p| *p > 0.0 && *p < 1.0).ok_or_else(|| {
                        invalid(
                            &format!("{path}.p"),
                            "`percentile` needs `p` between 0 and 1".into(),
                        )
                    })?;
                    let sort = cast(numeric(true)?, DataType::Float64).sort(true, false);
                    if a.approximate {
                        agg::approx_percentile_cont(sort, lit(p), None)
                    } else {
                        agg::percentile_cont(sort, lit(p))
                    }
                }
                "share" => {
                    let filter = a.filter.as_ref().ok_or_else(|| {
                        invalid(&path, "`share` needs a `filter` (the rows counted)".into())
                    })?;
                    let cond = values
                        .filter(&frame, filter, &format!("{path}.filter"), 0)?
                        .unwrap_or_else(|| lit(true));
                    agg::avg(when(cond, lit(1.0)).otherwise(lit(0.0)).map_err(err)?)
                }
                "cumulative_sum" | "cumulative_count" => {
                    let hidden = format!("__cumulative_{i}");
                    let inner = if a.op == "cumulative_sum" {
                        agg::sum(numeric(true)?)
                    } else {
                        agg::count(lit(1))
                    };
                    aggs.push(inner.alias(&hidden));
                    let w = window_sum(Expr::Column(Column::from_name(hidden)));
                    windows.push((name.clone(), over(w)?));
                    final_names.push(name);
                    continue;
                }
                "previous" => {
                    let of = a.of.as_deref().ok_or_else(|| {
                        invalid(
                            &path,
                            "`previous` needs `of`: the name of another aggregation".into(),
                        )
                    })?;
                    let known = stage.aggregations.iter().any(|o| {
                        o.op != "previous"
                            && o.name.clone().unwrap_or_else(|| default_name(o)) == of
                    });
                    if !known || breakout_cols.is_empty() {
                        return Err(invalid(
                            &format!("{path}.of"),
                            format!(
                                "`previous` compares an aggregation of this stage (`{of}` is not one) along the first breakout"
                            ),
                        ));
                    }
                    let n = a.offset.unwrap_or(1).clamp(1, 1000);
                    let w = datafusion::functions_window::expr_fn::lag(
                        Expr::Column(Column::from_name(of.to_string())),
                        Some(n),
                        None,
                    );
                    let Some((first, rest)) = breakout_cols.split_first() else {
                        continue;
                    };
                    let w = w
                        .partition_by(rest.to_vec())
                        .order_by(vec![first.clone().sort(true, false)])
                        .build()
                        .map_err(err)?;
                    windows.push((name.clone(), w));
                    final_names.push(name);
                    continue;
                }
                other => {
                    return Err(invalid(
                        &format!("{path}.op"),
                        format!(
                            "unknown aggregation `{other}`; use count, count_distinct, sum, avg, min, max, median, percentile, stddev, share, cumulative_sum, cumulative_count or previous"
                        ),
                    ));
                }
            };
            aggs.push(expr.alias(&name));
            final_names.push(name);
        }
        let mut frame = frame.aggregate(groups, aggs).map_err(err)?;
        if !windows.is_empty() {
            let exprs: Vec<Expr> = windows.iter().map(|(_, w)| w.clone()).collect();
            let names: Vec<(String, String)> = windows
                .iter()
                .map(|(n, w)| (n.clone(), w.schema_name().to_string()))
                .collect();
            frame = frame.window(exprs).map_err(err)?;
            let mut select: Vec<Expr> = outputs
                .iter()
                .map(|n| Expr::Column(Column::from_name(n.clone())))
                .collect();
            for n in &final_names {
                match names.iter().find(|(w, _)| w == n) {
                    Some((_, inner)) => {
                        select.push(Expr::Column(Column::from_name(inner.clone())).alias(n.clone()))
                    }
                    None => select.push(Expr::Column(Column::from_name(n.clone()))),
                }
            }
            frame = frame.select(select).map_err(err)?;
        }
        Ok(frame)
    }
}

fn window_sum(e: Expr) -> Expr {
    Expr::WindowFunction(Box::new(WindowFunction::new(
        datafusion::functions_aggregate::sum::sum_udaf(),
        vec![e],
    )))
}

fn sql_options() -> datafusion::execution::context::SQLOptions {
    datafusion::execution::context::SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

fn cast(e: Expr, t: DataType) -> Expr {
    Expr::Cast(Cast::new(Box::new(e), t))
}

fn default_name(a: &Aggregation) -> String {
    let column = a
        .column
        .as_deref()
        .map(|c| c.rsplit('.').next().unwrap_or(c));
    match (a.op.as_str(), column) {
        ("count", None) => "count".into(),
        ("percentile", Some(c)) => {
            format!("p{}_{c}", (a.p.unwrap_or(0.0) * 100.0).round() as i64)
        }
        ("previous", _) => format!("previous_{}", a.of.as_deref().unwrap_or("")),
        (op, Some(c)) => format!("{op}_{c}"),
        (op, None) => op.to_string(),
    }
}

fn check_name(name: &str, path: &str) -> Result<(), QueryError> {
    if name.is_empty() || name.len() > 128 || name.starts_with("__") || name.contains('"') {
        return Err(invalid(
            path,
            "a name is 1–128 characters, without `\"` and not starting with `__`".into(),
        ));
    }
    Ok(())
}

/// A table in the query and the alias its columns are qualified with.
struct Named {
    /// Connection, schema, table.
    table: [String; 3],
    alias: String,
}

/// A column of a table in the query: (alias, column).
type AliasColumn = (String, String);

/// The column pairs of the one foreign key between `joined` and a table already in the
/// query, in either direction: `joined` references it, or it references `joined`. Keys are
/// read from the caller's catalog, which holds only keys whose tables and columns the
/// caller may see. None or several: `builder_invalid` at `path`.
fn along_key(
    p: &crate::Planning,
    named: &[Named],
    joined: &Named,
    path: &str,
) -> Result<Vec<(AliasColumn, AliasColumn)>, QueryError> {
    let schemas = p.schemas.lock().map(|m| m.clone()).unwrap_or_default();
    let keys_of = |[c, s, t]: &[String; 3]| -> Vec<proost_connect::ForeignKey> {
        schemas
            .get(c)
            .and_then(|catalog| catalog.iter().find(|x| &x.name == s))
            .and_then(|schema| schema.tables.iter().find(|x| &x.name == t))
            .map(|table| table.foreign_keys.clone())
            .unwrap_or_default()
    };
    let side = |alias: &str, cols: &[String]| match cols {
        [one] => format!("{alias}.{one}"),
        _ => format!("{alias}({})", cols.join(", ")),
    };
    let [jc, js, jt] = &joined.table;
    let mut candidates: Vec<(String, Vec<(AliasColumn, AliasColumn)>)> = Vec::new();
    let mut add = |label: String, pairs: Vec<(AliasColumn, AliasColumn)>| {
        if !candidates.iter().any(|(_, p)| *p == pairs) {
            candidates.push((label, pairs));
        }
    };
    let own_keys = keys_of(&joined.table);
    for earlier in named {
        let [ec, es, et] = &earlier.table;
        // Keys stay within one database.
        if ec != jc {
            continue;
        }
        for k in own_keys
            .iter()
            .filter(|k| &k.ref_schema == es && &k.ref_table == et)
        {
            let pairs = k
                .ref_columns
                .iter()
                .zip(&k.columns)
                .map(|(l, r)| {
                    (
                        (earlier.alias.clone(), l.clone()),
                        (joined.alias.clone(), r.clone()),
                    )
                })
                .collect();
            let label = format!(
                "{} → {}",
                side(&joined.alias, &k.columns),
                side(&earlier.alias, &k.ref_columns)
            );
            add(label, pairs);
        }
        for k in keys_of(&earlier.table)
            .iter()
            .filter(|k| &k.ref_schema == js && &k.ref_table == jt)
        {
            let pairs = k
                .columns
                .iter()
                .zip(&k.ref_columns)
                .map(|(l, r)| {
                    (
                        (earlier.alias.clone(), l.clone()),
                        (joined.alias.clone(), r.clone()),
                    )
                })
                .collect();
            let label = format!(
                "{} → {}",
                side(&earlier.alias, &k.columns),
                side(&joined.alias, &k.ref_columns)
            );
            add(label, pairs);
        }
    }
    let full = |t: &[String; 3]| format!("`{}`", t.join("."));
    match candidates.len() {
        1 => Ok(candidates.into_iter().flat_map(|(_, p)| p).collect()),
        0 => {
            let before = if named.is_empty() {
                "the question it is joined to".to_string()
            } else {
                named
                    .iter()
                    .map(|t| full(&t.table))
                    .collect::<Vec<_>>()
                    .join(" or ")
            };
            Err(invalid(
                path,
                format!(
                    "no foreign key between {} and {before}; name the columns in `on`",
                    full(&joined.table)
                ),
            ))
        }
        n => Err(invalid(
            path,
            format!(
                "{n} foreign keys link {} to the tables before it ({}); name the columns in `on`",
                full(&joined.table),
                candidates
                    .iter()
                    .map(|(label, _)| label.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
    }
}

/// Column `name` of the table aliased `alias` in `frame`.
fn qualified(frame: &DataFrame, alias: &str, name: &str, path: &str) -> Result<Expr, QueryError> {
    frame
        .schema()
        .iter()
        .find(|(q, f)| f.name() == name && q.map(|t| t.table()) == Some(alias))
        .map(|(q, f)| Expr::Column(Column::new(q.cloned(), f.name())))
        .ok_or_else(|| {
            invalid(
                path,
                format!("the foreign key's column `{alias}.{name}` is not one you may read; name the columns in `on`"),
            )
        })
}

fn table_name<'a>(name: &'a str, path: &str) -> Result<[&'a str; 3], QueryError> {
    let parts: Vec<&str> = name.splitn(3, '.').collect();
    match parts.as_slice() {
        [c, s, t] if !c.is_empty() && !s.is_empty() && !t.is_empty() => Ok([c, s, t]),
        _ => Err(invalid(
            path,
            format!("`{name}` is not a table; tables are named connection.schema.table"),
        )),
    }
}

/// A column of `frame` by name: `amount`, or `orders.amount` when two tables have one.
fn column(frame: &DataFrame, name: &str, path: &str) -> Result<Expr, QueryError> {
    let schema = frame.schema();
    let unqualified: Vec<_> = schema
        .iter()
        .filter(|(_, field)| field.name() == name)
        .collect();
    match unqualified.as_slice() {
        [(q, field)] => {
            return Ok(Expr::Column(Column::new(q.cloned(), field.name())));
        }
        [] => {}
        _ => {
            return Err(invalid(
                path,
                format!("`{name}` is in more than one table; write it as table.{name}"),
            ));
        }
    }
    if let Some((q, n)) = name.split_once('.')
        && let Some((qual, field)) = schema
            .iter()
            .find(|(qual, field)| field.name() == n && qual.map(|t| t.table()) == Some(q))
    {
        return Ok(Expr::Column(Column::new(qual.cloned(), field.name())));
    }
    let mut known: Vec<String> = schema
        .iter()
        .map(|(q, f)| match q {
            Some(q) => format!("{}.{}", q.table(), f.name()),
            None => f.name().to_string(),
        })
        .collect();
    known.truncate(40);
    Err(invalid(
        path,
        format!(
            "no column `{name}` you may read; the columns are {}",
            known.join(", ")
        ),
    ))
}

fn type_of(frame: &DataFrame, e: &Expr) -> DataType {
    use datafusion::logical_expr::ExprSchemable;
    e.get_type(frame.schema()).unwrap_or(DataType::Null)
}

fn is_time(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
    )
}

/// Dates kept as text (SQLite's `DATE` columns) are read as timestamps where a date is
/// needed; other columns as they are.
fn as_time(e: Expr, t: DataType) -> (Expr, DataType) {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let ts = DataType::Timestamp(datafusion::arrow::datatypes::TimeUnit::Microsecond, None);
            // Text that is not a date is no date: null, not a failed query.
            (
                Expr::TryCast(datafusion::logical_expr::TryCast::new(
                    Box::new(e),
                    ts.clone(),
                )),
                ts,
            )
        }
        other => (e, other),
    }
}

/// A type in the words of the API (`text`, `a number`, …), not Arrow's.
fn words(t: &DataType) -> &'static str {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "text",
        DataType::Boolean => "a boolean",
        t if t.is_numeric() => "a number",
        t if is_time(t) => "a date or time",
        _ => "not a date, number or text",
    }
}

fn breakout(frame: &DataFrame, b: &Breakout, path: &str) -> Result<(Expr, String), QueryError> {
    let c = column(frame, &b.column, &format!("{path}.column"))?;
    let base = b.column.rsplit('.').next().unwrap_or(&b.column).to_string();
    let t = type_of(frame, &c);
    let (c, t) = if b.bucket.is_some() {
        as_time(c, t)
    } else {
        (c, t)
    };
    let temporal = is_time(&t);
    let (expr, suffix) = match (&b.bucket, b.bin) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                path,
                "a breakout has a `bucket` or a `bin`, not both".into(),
            ));
        }
        (Some(bucket), None) => {
            if !temporal {
                return Err(invalid(
                    &format!("{path}.bucket"),
                    format!(
                        "date buckets apply to dates and times; `{}` is {}",
                        b.column,
                        words(&t)
                    ),
                ));
            }
            let e = match bucket.as_str() {
                "minute" | "hour" | "day" | "week" | "month" | "quarter" | "year" => {
                    f::date_trunc(lit(bucket.as_str()), c)
                }
                // ISO: Monday = 1 … Sunday = 7.
                "day_of_week" => (f::date_part(lit("dow"), c) + lit(6)) % lit(7) + lit(1),
                "hour_of_day" => f::date_part(lit("hour"), c),
                "month_of_year" => f::date_part(lit("month"), c),
                other => {
                    return Err(invalid(
                        &format!("{path}.bucket"),
                        format!(
                            "unknown bucket `{other}`; use minute, hour, day, week, month, quarter, year, day_of_week, hour_of_day or month_of_year"
                        ),
                    ));
                }
            };
            (e, Some(bucket.clone()))
        }
        (None, Some(width)) => {
            if !(width.is_finite() && width > 0.0 && t.is_numeric()) {
                return Err(invalid(
                    &format!("{path}.bin"),
                    "bins need a number column and a width above 0".into(),
                ));
            }
            let e = f::floor(cast(c, DataType::Float64) / lit(width)) * lit(width);
            (e, Some("bin".into()))
        }
        (None, None) => (c, None),
    };
    let name = b.name.clone().unwrap_or_else(|| match suffix {
        Some(s) => format!("{base}_{s}"),
        None => base,
    });
    check_name(&name, &format!("{path}.name"))?;
    Ok((expr, name))
}

/// The spec's parameters with the values a run gives (or their defaults).
struct Values {
    params: HashMap<String, Option<ScalarValue>>,
    tz: chrono_tz::Tz,
}

impl Values {
    fn new(spec: &Spec, given: &Map<String, Value>) -> Result<Values, QueryError> {
        let mut params = HashMap::new();
        for (i, p) in spec.params.iter().enumerate() {
            let path = format!("params[{i}]");
            check_name(&p.name, &format!("{path}.name"))?;
            let v = match given
                .get(&p.name)
                .filter(|v| !v.is_null())
                .or(p.default.as_ref())
            {
                Some(v) => Some(values::typed(&p.kind, v, &format!("params.{}", p.name))?),
                None => {
                    values::check_kind(&p.kind, &format!("{path}.type"))?;
                    None
                }
            };
            params.insert(p.name.clone(), v);
        }
        if let Some(name) = given.keys().find(|k| !params.contains_key(*k)) {
            return Err(invalid(
                "params",
                format!("the question has no parameter `{name}`"),
            ));
        }
        let tz = match &spec.time_zone {
            None => chrono_tz::UTC,
            Some(name) => name.parse().map_err(|_| {
                invalid(
                    "time_zone",
                    format!("`{name}` is not a time zone name (e.g. Europe/Berlin)"),
                )
            })?,
        };
        Ok(Values { params, tz })
    }

    /// A value of a condition: `Ok(None)` when it is a parameter without a value (the
    /// condition is then left out, as dashboard filters left empty are).
    fn value(
        &self,
        v: &Value,
        t: &DataType,
        path: &str,
    ) -> Result<Option<ScalarValue>, QueryError> {
        if let Value::Object(o) = v {
            let name = match (o.len(), o.get("param")) {
                (1, Some(Value::String(n))) => n,
                _ => return Err(invalid(path, "an object value is {\"param\": name}".into())),
            };
            return match self.params.get(name) {
                Some(v) => Ok(v.clone()),
                None => Err(invalid(
                    path,
                    format!("no parameter `{name}` is declared in `params`"),
                )),
            };
        }
        values::literal(v, t, path).map(Some)
    }

    fn filter(
        &self,
        frame: &DataFrame,
        node: &Filter,
        path: &str,
        depth: usize,
    ) -> Result<Option<Expr>, QueryError> {
        if depth > 10 {
            return Err(invalid(path, "filters nest at most 10 deep".into()));
        }
        let kinds = [
            node.and.is_some(),
            node.or.is_some(),
            node.not.is_some(),
            node.column.is_some(),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if kinds != 1 {
            return Err(invalid(
                path,
                "a filter is one of {\"and\":[…]}, {\"or\":[…]}, {\"not\":…} or a condition {\"column\",\"op\",\"value\"}".into(),
            ));
        }
        let list = |items: &Vec<Filter>, key: &str| -> Result<Vec<Expr>, QueryError> {
            if items.len() > 100 {
                return Err(invalid(path, "at most 100 conditions in one list".into()));
            }
            let mut out = Vec::new();
            for (i, f) in items.iter().enumerate() {
                if let Some(e) = self.filter(frame, f, &format!("{path}.{key}[{i}]"), depth + 1)? {
                    out.push(e);
                }
            }
            Ok(out)
        };
        if let Some(items) = &node.and {
            return Ok(list(items, "and")?.into_iter().reduce(Expr::and));
        }
        if let Some(items) = &node.or {
            return Ok(list(items, "or")?.into_iter().reduce(Expr::or));
        }
        if let Some(inner) = &node.not {
            return Ok(self
                .filter(frame, inner, &format!("{path}.not"), depth + 1)?
                .map(|e| !e));
        }
        self.condition(frame, node, path)
    }

    fn condition(
        &self,
        frame: &DataFrame,
        c: &Filter,
        path: &str,
    ) -> Result<Option<Expr>, QueryError> {
        let name = c.column.as_deref().unwrap_or_default();
        let col = column(frame, name, &format!("{path}.column"))?;
        let t = type_of(frame, &col);
        let op =
            c.op.as_deref()
                .ok_or_else(|| invalid(path, "a condition needs `op`".into()))?;
        let vpath = format!("{path}.value");
        let one = || -> Result<Option<ScalarValue>, QueryError> {
            let v = c
                .value
                .as_ref()
                .ok_or_else(|| invalid(&vpath, format!("`{op}` needs a value")))?;
            self.value(v, &t, &vpath)
        };
        let many = || -> Result<Option<Vec<ScalarValue>>, QueryError> {
            let Some(v) = c.value.as_ref() else {
                return Err(invalid(&vpath, format!("`{op}` needs a list of values")));
            };
            let items = match v {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            if items.is_empty() || items.len() > 1000 {
                return Err(invalid(&vpath, "a list holds 1 to 1000 values".into()));
            }
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match self.value(item, &t, &format!("{vpath}[{i}]"))? {
                    Some(s) => out.push(s),
                    None => return Ok(None),
                }
            }
            Ok(Some(out))
        };
        let text = |pattern: &dyn Fn(String) -> String| -> Result<Option<Expr>, QueryError> {
            let Some(v) = one()? else { return Ok(None) };
            let s = match v {
                ScalarValue::Utf8(Some(s)) => s,
                other => other.to_string(),
            };
            Ok(Some(Expr::Like(Like::new(
                false,
                Box::new(cast(col.clone(), DataType::Utf8)),
                Box::new(lit(pattern(like_literal(&s)))),
                Some('\\'),
                true,
            ))))
        };
        let cmp = |make: fn(Expr, Expr) -> Expr| -> Result<Option<Expr>, QueryError> {
            Ok(one()?.map(|v| make(col.clone(), lit(v))))
        };
        Ok(match op {
            "eq" => cmp(Expr::eq)?,
            "ne" => cmp(Expr::not_eq)?,
            "lt" => cmp(Expr::lt)?,
            "le" => cmp(Expr::lt_eq)?,
            "gt" => cmp(Expr::gt)?,
            "ge" => cmp(Expr::gt_eq)?,
            "between" => match many()? {
                Some(v) if v.len() == 2 => {
                    Some(col.clone().between(lit(v[0].clone()), lit(v[1].clone())))
                }
                Some(_) => return Err(invalid(&vpath, "`between` takes [low, high]".into())),
                None => None,
            },
            "in" => many()?.map(|v| col.clone().in_list(v.into_iter().map(lit).collect(), false)),
            "not_in" => {
                many()?.map(|v| col.clone().in_list(v.into_iter().map(lit).collect(), true))
            }
            "contains" => text(&|s| format!("%{s}%"))?,
            "starts_with" => text(&|s| format!("{s}%"))?,
            "ends_with" => text(&|s| format!("%{s}"))?,
            "is_null" => Some(col.clone().is_null()),
            "not_null" => Some(col.clone().is_not_null()),
            "relative" => {
                let amount = c.amount.ok_or_else(|| {
                    invalid(path, "`relative` needs `amount` (-30: the last 30)".into())
                })?;
                let unit = c.unit.as_deref().unwrap_or("day");
                let (col, t) = as_time(col.clone(), t.clone());
                let b = values::relative_bounds(amount, unit, &self.tz, &t, path)?;
                Some(col.clone().gt_eq(lit(b.lower)).and(col.lt(lit(b.upper))))
            }
            other => {
                return Err(invalid(
                    &format!("{path}.op"),
                    format!(
                        "unknown operator `{other}`; use eq, ne, lt, le, gt, ge, between, in, not_in, contains, starts_with, ends_with, is_null, not_null or relative"
                    ),
                ));
            }
        })
    }
}

/// Every connection a spec (and the questions it builds on) reads.
fn catalogs_of(
    spec: &Spec,
    bases: &Bases,
    depth: usize,
    out: &mut BTreeSet<String>,
) -> Result<(), QueryError> {
    if depth > MAX_DEPTH {
        return Err(invalid("source.question", "questions nest too deep".into()));
    }
    let tables = spec
        .source
        .table
        .iter()
        .chain(spec.joins.iter().map(|j| &j.table));
    for t in tables {
        if let Some((c, _)) = t.split_once('.') {
            out.insert(c.to_string());
        }
    }
    if let Some(q) = &spec.source.question {
        match bases.get(q) {
            Some(Base::Sql { sql, .. }) => {
                let statement = proost_readonly::check(sql, proost_readonly::Dialect::Engine)?;
                out.extend(crate::referenced_catalogs(&statement));
            }
            Some(Base::Builder { spec, .. }) => catalogs_of(spec, bases, depth + 1, out)?,
            None => {}
        }
    }
    Ok(())
}
