//! A table's rows without SQL (the data browser): filters and an order built as an
//! expression tree over the caller's governed table through the DataFrame API. Values are
//! literals in that tree, never text, so they reach a source as bound parameters like any
//! pushed-down filter.

use datafusion::common::{Column, ScalarValue, TableReference};
use datafusion::logical_expr::{Expr, Like, SortExpr, lit};
use serde::Deserialize;

use crate::{CatalogResolver, Engine, Planned, QueryError};
use proost_connect::Limits;

/// One condition of the data browser.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub column: String,
    /// `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `contains`, `starts_with`, `is_null`, `not_null`.
    pub op: String,
    /// A string, number or boolean; compared as the column's type (a date column takes
    /// `"2024-01-31"`). Absent for `is_null` and `not_null`.
    pub value: Option<serde_json::Value>,
}

/// One sort key of the data browser.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortKey {
    pub column: String,
    #[serde(default)]
    pub desc: bool,
}

fn invalid(message: String) -> QueryError {
    QueryError::Refused(proost_readonly::Refusal {
        code: "browse_invalid",
        message,
    })
}

fn scalar(v: &serde_json::Value) -> Result<ScalarValue, QueryError> {
    Ok(match v {
        serde_json::Value::String(s) => ScalarValue::Utf8(Some(s.clone())),
        serde_json::Value::Bool(b) => ScalarValue::Boolean(Some(*b)),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => ScalarValue::Int64(Some(i)),
            (None, Some(f)) => ScalarValue::Float64(Some(f)),
            _ => return Err(invalid(format!("the number {n} is out of range"))),
        },
        _ => {
            return Err(invalid(
                "a filter value is a string, a number or a boolean".into(),
            ));
        }
    })
}

/// `%`, `_` and the escape character itself stand for themselves in a `contains` value.
pub(crate) fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn condition(c: &Condition) -> Result<Expr, QueryError> {
    let column = Expr::Column(Column::new_unqualified(&c.column));
    let value = || {
        c.value
            .as_ref()
            .ok_or_else(|| invalid(format!("the filter `{}` needs a value", c.op)))
            .and_then(scalar)
    };
    let text = || -> Result<String, QueryError> {
        match c.value.as_ref() {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(v) => Ok(v.to_string()),
            None => Err(invalid(format!("the filter `{}` needs a value", c.op))),
        }
    };
    let like = |pattern: String| {
        Expr::Like(Like::new(
            false,
            Box::new(Expr::Cast(datafusion::logical_expr::Cast::new(
                Box::new(column.clone()),
                datafusion::arrow::datatypes::DataType::Utf8,
            ))),
            Box::new(lit(pattern)),
            Some('\\'),
            true,
        ))
    };
    Ok(match c.op.as_str() {
        "eq" => column.eq(lit(value()?)),
        "ne" => column.not_eq(lit(value()?)),
        "lt" => column.lt(lit(value()?)),
        "le" => column.lt_eq(lit(value()?)),
        "gt" => column.gt(lit(value()?)),
        "ge" => column.gt_eq(lit(value()?)),
        "contains" => like(format!("%{}%", like_literal(&text()?))),
        "starts_with" => like(format!("{}%", like_literal(&text()?))),
        "is_null" => column.is_null(),
        "not_null" => column.is_not_null(),
        other => {
            return Err(invalid(format!(
                "unknown filter `{other}`; use eq, ne, lt, le, gt, ge, contains, starts_with, is_null or not_null"
            )));
        }
    })
}

impl Engine {
    /// Plans reading one table (`connection.schema.table`) as the caller may see it, with
    /// `conditions` (ANDed) and `order`.
    pub async fn plan_table(
        &self,
        name: [&str; 3],
        conditions: &[Condition],
        order: &[SortKey],
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<Planned, QueryError> {
        let [connection, schema, table_name] = name;
        if conditions.len() > 20 || order.len() > 5 {
            return Err(invalid("at most 20 filters and 5 sort keys".into()));
        }
        let planning = self.planning(limits)?;
        self.add_catalog(&planning, connection, resolver).await?;
        let ctx = &planning.ctx;
        let mut frame = ctx
            .table(TableReference::full(connection, schema, table_name))
            .await
            .map_err(|e| self.error(e))?;
        for c in conditions {
            frame = frame.filter(condition(c)?).map_err(|e| self.error(e))?;
        }
        if !order.is_empty() {
            let keys: Vec<SortExpr> = order
                .iter()
                .map(|k| Expr::Column(Column::new_unqualified(&k.column)).sort(!k.desc, false))
                .collect();
            frame = frame.sort(keys).map_err(|e| self.error(e))?;
        }
        Ok(planning.done(frame, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_values_match_themselves() {
        assert_eq!(like_literal("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn unknown_operators_and_missing_values_are_refused() {
        let c = |op: &str, value: Option<serde_json::Value>| Condition {
            column: "a".into(),
            op: op.into(),
            value,
        };
        assert!(condition(&c("drop", None)).is_err());
        assert!(condition(&c("eq", None)).is_err());
        assert!(condition(&c("is_null", None)).is_ok());
        assert!(condition(&c("eq", Some(serde_json::json!([1])))).is_err());
    }
}
