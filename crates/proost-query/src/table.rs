//! A source table as DataFusion sees it: projection, filters and limit are pushed down to
//! the source as one read-only SELECT in its own dialect, every value of a filter a bound
//! parameter (see `proost_connect::Predicate`). The rows are read when the plan runs, not
//! when it is made, so planning (and `EXPLAIN`) never reads a source.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{CatalogProvider, MemoryCatalogProvider, Session};
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{DataFusionError, ScalarValue};
use datafusion::datasource::TableType;
use datafusion::execution::context::SessionContext;
use datafusion::execution::{SendableRecordBatchStream, SessionState, TaskContext};
use datafusion::logical_expr::{
    Between, BinaryExpr, Expr, Like, Operator, TableProviderFilterPushDown,
};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
};
use futures::{StreamExt, TryStreamExt};
use proost_connect::{
    BoundSql, ColumnInfo, CompareOp, ConnectionKind, Limits, Predicate, ScanSpec, Source, SqlValue,
    TableInfo,
};

use crate::govern::TablePolicy;

use crate::{ResolvedConnection, Served};

/// Builds the DataFusion catalog for one connection: each table is its replica when the
/// resolver offered a fresh one, else the live source. Which one a query touched is noted
/// in `served`.
pub(crate) fn catalog(
    views: std::sync::Weak<SessionState>,
    name: &str,
    conn: &ResolvedConnection,
    limits: &Limits,
    replica_root: &std::path::Path,
    served: Arc<Mutex<Vec<Served>>>,
) -> datafusion::common::Result<Arc<dyn CatalogProvider>> {
    let catalog = MemoryCatalogProvider::new();
    for schema in conn.schemas.iter() {
        let mut tables = HashMap::new();
        for table in &schema.tables {
            let label = format!("{name}.{}.{}", schema.name, table.name);
            let key = (schema.name.clone(), table.name.clone());
            let policy = conn.policies.get(&key).cloned();
            let row_policy = policy.as_ref().is_some_and(|p| !p.row_filters.is_empty());
            let entry = match conn.replicas.get(&key) {
                Some(snapshot) => (
                    crate::replica::table(replica_root, snapshot)?,
                    Served {
                        table: label,
                        served_from: "replica",
                        version: Some(snapshot.version),
                        connection_id: conn.id.clone(),
                        replica_id: Some(snapshot.id.replica.clone()),
                        row_policy,
                    },
                ),
                None => (
                    Arc::new(SourceTable::new(
                        conn.source.clone(),
                        conn.kind,
                        &schema.name,
                        table,
                        limits.clone(),
                    )) as Arc<dyn TableProvider>,
                    Served {
                        table: label,
                        served_from: "live",
                        version: None,
                        connection_id: conn.id.clone(),
                        replica_id: None,
                        row_policy,
                    },
                ),
            };
            tables.insert(table.name.clone(), (entry.0, entry.1, policy));
        }
        let provider = NotingSchema {
            tables,
            served: served.clone(),
            views: views.clone(),
            mask_key: conn.mask_key,
        };
        let _ = catalog.register_schema(&schema.name, Arc::new(provider));
    }
    Ok(Arc::new(catalog))
}

/// The tables of one schema; notes every table the planner looks up.
/// A table, where it is read from, and the caller's policy on it.
type Entry = (Arc<dyn TableProvider>, Served, Option<TablePolicy>);

/// Policies are applied here, on lookup, so a query pays only for the tables it names.
struct NotingSchema {
    tables: HashMap<String, Entry>,
    served: Arc<Mutex<Vec<Served>>>,
    /// Weak: the context owns this schema, so a strong reference would never be freed.
    views: std::sync::Weak<SessionState>,
    mask_key: [u8; 32],
}

impl std::fmt::Debug for NotingSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NotingSchema({} tables)", self.tables.len())
    }
}

#[async_trait::async_trait]
impl SchemaProvider for NotingSchema {
    fn table_names(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }

    async fn table(
        &self,
        name: &str,
    ) -> datafusion::common::Result<Option<Arc<dyn TableProvider>>> {
        let Some((table, served, policy)) = self.tables.get(name) else {
            return Ok(None);
        };
        if let Ok(mut noted) = self.served.lock() {
            noted.push(served.clone());
        }
        match policy {
            None => Ok(Some(table.clone())),
            Some(policy) => {
                let state = self.views.upgrade().ok_or_else(|| {
                    DataFusionError::Internal(
                        "a governed table was looked up after planning".into(),
                    )
                })?;
                Ok(Some(crate::govern::governed(
                    &SessionContext::new_with_state((*state).clone()),
                    &served.table,
                    table.clone(),
                    policy,
                    &self.mask_key,
                )?))
            }
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }
}

/// The Arrow schema a table has in the engine, live or replicated: every column nullable,
/// typed as the source is read.
pub fn table_schema(table: &TableInfo) -> SchemaRef {
    Arc::new(Schema::new(
        table
            .columns
            .iter()
            .map(|c| Field::new(&c.name, column_type(c), true))
            .collect::<Vec<_>>(),
    ))
}

pub struct SourceTable {
    source: Arc<dyn Source>,
    kind: ConnectionKind,
    schema_name: String,
    table: TableInfo,
    arrow_schema: SchemaRef,
    limits: Limits,
}

impl std::fmt::Debug for SourceTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SourceTable({} {}.{})",
            self.kind.as_str(),
            self.schema_name,
            self.table.name
        )
    }
}

impl SourceTable {
    pub fn new(
        source: Arc<dyn Source>,
        kind: ConnectionKind,
        schema_name: &str,
        table: &TableInfo,
        limits: Limits,
    ) -> Self {
        SourceTable {
            source,
            kind,
            schema_name: schema_name.to_string(),
            table: table.clone(),
            arrow_schema: table_schema(table),
            limits,
        }
    }

    /// The filter as the source evaluates it, or `None` when it cannot be pushed down.
    fn pushed(&self, filter: &Expr) -> Option<Predicate> {
        predicate(filter, &|name| {
            self.table.columns.iter().find(|c| c.name == name)
        })
    }
}

/// Translates an engine filter into a source [`Predicate`]: only comparisons of a column
/// with literals (which become bound values), `IN`, `BETWEEN`, `LIKE`, `IS NULL` and their
/// conjunctions and disjunctions, each admitted by its column. Anything else (functions,
/// casts, subqueries, parameters) stays in the engine. A conjunction with one side that
/// cannot go down pushes the other alone: the source then returns more rows than needed,
/// never fewer, and the engine filters again.
fn predicate<'c>(
    expr: &Expr,
    column: &dyn Fn(&str) -> Option<&'c ColumnInfo>,
) -> Option<Predicate> {
    let col = |e: &Expr| match e {
        Expr::Column(c) => column(&c.name),
        _ => None,
    };
    match expr {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::And => match (predicate(left, column), predicate(right, column)) {
                (Some(l), Some(r)) => Some(Predicate::And(vec![l, r])),
                (one, other) => one.or(other),
            },
            Operator::Or => Some(Predicate::Or(vec![
                predicate(left, column)?,
                predicate(right, column)?,
            ])),
            _ => {
                let op = compare_op(*op)?;
                let (c, value, op) = match (col(left), col(right)) {
                    (Some(c), None) => (c, literal(right)?, op),
                    (None, Some(c)) => (c, literal(left)?, flip(op)),
                    _ => return None,
                };
                let op = c.pushed_op(op, &value)?;
                Some(Predicate::Compare {
                    column: c.name.clone(),
                    op,
                    value,
                })
            }
        },
        Expr::Like(Like {
            negated: false,
            expr,
            pattern,
            escape_char,
            case_insensitive: false,
        }) if escape_char.is_none_or(|e| e == '\\') => {
            let c = col(expr)?;
            let Some(SqlValue::Text(pattern)) = literal(pattern) else {
                return None;
            };
            c.admits_like(&pattern).then(|| Predicate::Like {
                column: c.name.clone(),
                pattern,
            })
        }
        Expr::InList(list) if !list.list.is_empty() => {
            let c = col(&list.expr)?;
            let op = if list.negated {
                CompareOp::NotEq
            } else {
                CompareOp::Eq
            };
            let values = list
                .list
                .iter()
                .map(|e| {
                    let v = literal(e)?;
                    (c.pushed_op(op, &v)? == op).then_some(v)
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Predicate::InList {
                column: c.name.clone(),
                values,
                negated: list.negated,
            })
        }
        Expr::Between(Between {
            expr,
            negated,
            low,
            high,
        }) => {
            let c = col(expr)?;
            let (low, high) = (literal(low)?, literal(high)?);
            // NOT BETWEEN is strict on both ends, BETWEEN inclusive: either must go down
            // exactly as written.
            let (lo_op, hi_op) = if *negated {
                (CompareOp::Lt, CompareOp::Gt)
            } else {
                (CompareOp::GtEq, CompareOp::LtEq)
            };
            (c.pushed_op(lo_op, &low)? == lo_op && c.pushed_op(hi_op, &high)? == hi_op).then(|| {
                Predicate::Between {
                    column: c.name.clone(),
                    low,
                    high,
                    negated: *negated,
                }
            })
        }
        Expr::IsNull(e) | Expr::IsNotNull(e) => Some(Predicate::IsNull {
            column: col(e)?.name.clone(),
            negated: matches!(expr, Expr::IsNotNull(_)),
        }),
        _ => None,
    }
}

fn compare_op(op: Operator) -> Option<CompareOp> {
    Some(match op {
        Operator::Eq => CompareOp::Eq,
        Operator::NotEq => CompareOp::NotEq,
        Operator::Lt => CompareOp::Lt,
        Operator::LtEq => CompareOp::LtEq,
        Operator::Gt => CompareOp::Gt,
        Operator::GtEq => CompareOp::GtEq,
        _ => return None,
    })
}

/// `literal op column` as `column op' literal`.
fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::LtEq => CompareOp::GtEq,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::GtEq => CompareOp::LtEq,
        other => other,
    }
}

/// A literal as a value to bind; `None` for NULL and types no source compares alike.
fn literal(e: &Expr) -> Option<SqlValue> {
    let Expr::Literal(v, _) = e else {
        return None;
    };
    Some(match v {
        ScalarValue::Boolean(Some(b)) => SqlValue::Bool(*b),
        ScalarValue::Int8(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::Int16(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::Int32(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::Int64(Some(i)) => SqlValue::Int(*i),
        ScalarValue::UInt8(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::UInt16(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::UInt32(Some(i)) => SqlValue::Int((*i).into()),
        ScalarValue::UInt64(Some(i)) => SqlValue::UInt(*i),
        ScalarValue::Float32(Some(f)) => SqlValue::Float((*f).into()),
        ScalarValue::Float64(Some(f)) => SqlValue::Float(*f),
        ScalarValue::Decimal128(Some(v), p, s) => SqlValue::Decimal {
            value: *v,
            precision: *p,
            scale: *s,
        },
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => SqlValue::Text(s.clone()),
        ScalarValue::Date32(Some(d)) => SqlValue::Date(*d),
        ScalarValue::TimestampMicrosecond(Some(us), tz) => SqlValue::Timestamp {
            micros: *us,
            utc: tz.is_some(),
        },
        ScalarValue::TimestampMillisecond(Some(ms), tz) => SqlValue::Timestamp {
            micros: ms.checked_mul(1000)?,
            utc: tz.is_some(),
        },
        ScalarValue::TimestampSecond(Some(s), tz) => SqlValue::Timestamp {
            micros: s.checked_mul(1_000_000)?,
            utc: tz.is_some(),
        },
        ScalarValue::TimestampNanosecond(Some(ns), tz) if ns % 1000 == 0 => SqlValue::Timestamp {
            micros: ns / 1000,
            utc: tz.is_some(),
        },
        _ => return None,
    })
}

fn column_type(c: &ColumnInfo) -> DataType {
    c.arrow_type.clone().unwrap_or(DataType::Utf8)
}

#[async_trait::async_trait]
impl TableProvider for SourceTable {
    fn schema(&self) -> SchemaRef {
        self.arrow_schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::common::Result<Vec<TableProviderFilterPushDown>> {
        // Inexact: the source narrows the rows, and DataFusion still applies the filter, so
        // a source whose comparison semantics differ (collations, SQLite's loose typing)
        // can never add wrong rows.
        Ok(filters
            .iter()
            .map(|f| match self.pushed(f) {
                Some(_) => TableProviderFilterPushDown::Inexact,
                None => TableProviderFilterPushDown::Unsupported,
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let indices: Vec<usize> = match projection {
            Some(p) => p.clone(),
            None => (0..self.table.columns.len()).collect(),
        };
        let columns: Vec<&ColumnInfo> = indices
            .iter()
            .filter_map(|i| self.table.columns.get(*i))
            .collect();
        let projected = Arc::new(self.arrow_schema.project(&indices)?);
        let pushed: Vec<Predicate> = filters.iter().filter_map(|f| self.pushed(f)).collect();
        // A limit is only safe to push when no filter is left for the engine.
        let limit = if filters.is_empty() { limit } else { None };
        let spec = ScanSpec {
            schema: Some(&self.schema_name),
            table: &self.table.name,
            columns,
            filters: pushed,
            limit,
            random_order: false,
        };
        let statement = self.source.scan_sql(&spec);
        let limits = Limits {
            max_rows: usize::MAX - 1,
            ..self.limits.clone()
        };
        Ok(Arc::new(SourceExec::new(
            self.source.clone(),
            statement,
            format!("{}.{}", self.schema_name, self.table.name),
            projected,
            limits,
        )))
    }
}

/// Reads a scan's rows from the source when executed. Shown in plans by table and column
/// count only: the statement's values (the caller's literals, a row policy's) stay out of
/// `EXPLAIN`.
struct SourceExec {
    source: Arc<dyn Source>,
    statement: BoundSql,
    table: String,
    schema: SchemaRef,
    limits: Limits,
    properties: Arc<PlanProperties>,
}

impl SourceExec {
    fn new(
        source: Arc<dyn Source>,
        statement: BoundSql,
        table: String,
        schema: SchemaRef,
        limits: Limits,
    ) -> Self {
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(schema.clone()),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        SourceExec {
            source,
            statement,
            table,
            schema,
            limits,
            properties,
        }
    }
}

impl std::fmt::Debug for SourceExec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceExec({})", self.table)
    }
}

impl DisplayAs for SourceExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "SourceExec: table={} columns={}",
            self.table,
            self.schema.fields().len()
        )
    }
}

impl ExecutionPlan for SourceExec {
    fn name(&self) -> &str {
        "SourceExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> datafusion::common::Result<TreeNodeRecursion>,
    ) -> datafusion::common::Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        if children.is_empty() {
            Ok(self)
        } else {
            Err(DataFusionError::Internal("SourceExec has no inputs".into()))
        }
    }

    fn execute(
        &self,
        _partition: usize,
        _context: Arc<TaskContext>,
    ) -> datafusion::common::Result<SendableRecordBatchStream> {
        let (source, statement, schema, limits) = (
            self.source.clone(),
            self.statement.clone(),
            self.schema.clone(),
            self.limits.clone(),
        );
        let read = async move {
            source
                .query(&statement, Some(schema), &limits)
                .await
                .map_err(|e| DataFusionError::External(Box::new(e)))
        };
        let rows = futures::stream::once(read)
            .map_ok(|out| futures::stream::iter(out.batches.into_iter().map(Ok)))
            .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema.clone(),
            rows.boxed(),
        )))
    }
}
