//! Row policies: user attributes bound as values, and what a policy may say.

use proost_query::{PolicyValue, RowFilter};
use proost_store::User;

use crate::{Error, Result};

/// Binds the user's attributes into a policy: each `{{user.<key>}}` becomes a placeholder
/// (`$1`, `$2`, …) and the attribute its value (`id`, `email` and `name` are always there;
/// a missing one is NULL, which matches no row). The values never enter the SQL text, so an
/// attribute a user may set themselves (their name) cannot change what the policy says.
pub fn bind_attributes(filter: &str, user: &User) -> RowFilter {
    bind(filter, |key| match key {
        "id" => Some(serde_json::Value::String(user.id.clone())),
        "email" => Some(serde_json::Value::String(user.email.clone())),
        "name" => Some(serde_json::Value::String(user.name.clone())),
        other => user.attributes.get(other).cloned(),
    })
    .0
}

/// Replaces each `{{user.<key>}}` with a placeholder bound to `attribute(key)`; also says
/// whether one stood inside a quoted string (where it would be text, not a value).
fn bind(filter: &str, attribute: impl Fn(&str) -> Option<serde_json::Value>) -> (RowFilter, bool) {
    let mut sql = String::with_capacity(filter.len());
    let mut values = Vec::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut rest = filter;
    while let Some(start) = rest.find("{{") {
        let before = &rest[..start];
        quoted ^= before.matches('\'').count() % 2 == 1;
        sql.push_str(before);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            sql.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let key = after[..end].trim();
        let value = key.strip_prefix("user.").and_then(&attribute);
        values.push(policy_value(value.as_ref()));
        sql.push_str(&format!("${}", values.len()));
        rest = &after[end + 2..];
        in_quotes |= quoted;
    }
    sql.push_str(rest);
    (RowFilter { sql, values }, in_quotes)
}

fn policy_value(v: Option<&serde_json::Value>) -> PolicyValue {
    match v {
        Some(serde_json::Value::String(s)) => PolicyValue::Text(s.clone()),
        Some(serde_json::Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => PolicyValue::Int(i),
            (None, Some(f)) => PolicyValue::Float(f),
            _ => PolicyValue::Null,
        },
        Some(serde_json::Value::Bool(b)) => PolicyValue::Bool(*b),
        _ => PolicyValue::Null,
    }
}

/// Checks a row-policy filter is one SQL expression over the table's own columns: no
/// subquery (which could read other tables), nothing after it.
pub fn validate_filter(filter: &str) -> Result<()> {
    use sqlparser::ast::{Expr, Visit, Visitor};
    use std::ops::ControlFlow;
    let invalid = |m: String| Error::bad_request("row_policy_invalid", m);
    if filter.trim().is_empty() || filter.len() > 4000 {
        return Err(invalid(
            "a row policy is one SQL expression, e.g. region = {{user.region}}".into(),
        ));
    }
    let (probe, in_quotes) = bind(filter, |_| None);
    if in_quotes {
        return Err(invalid(
            "an attribute inside quotes would be text, not the user's value; write it outside, e.g. name LIKE {{user.name}} || '%'".into(),
        ));
    }
    let probe = probe.sql;
    let dialect = sqlparser::dialect::GenericDialect {};
    let mut parser = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(&probe)
        .map_err(|e| invalid(format!("the filter does not parse: {e}")))?;
    let expr = parser
        .parse_expr()
        .map_err(|e| invalid(format!("the filter does not parse: {e}")))?;
    if parser.peek_token().token != sqlparser::tokenizer::Token::EOF {
        return Err(invalid(
            "a row policy is one SQL expression; found more after it".into(),
        ));
    }
    struct NoSubquery(bool);
    impl Visitor for NoSubquery {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if matches!(
                e,
                Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }
            ) {
                self.0 = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }
    }
    let mut v = NoSubquery(false);
    let _ = expr.visit(&mut v);
    if v.0 {
        return Err(invalid(
            "a row policy may not use a subquery; filter on the table's own columns".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_bind_as_values_never_as_text() {
        let attrs = |k: &str| match k {
            "region" => Some(serde_json::json!("EMEA' OR 1=1 --")),
            "level" => Some(serde_json::json!(3)),
            _ => None,
        };
        let (bound, quoted) = bind(
            "region = {{user.region}} AND lvl <= {{ user.level }}",
            attrs,
        );
        assert!(!quoted);
        assert_eq!(bound.sql, "region = $1 AND lvl <= $2");
        assert_eq!(
            bound.values,
            vec![
                PolicyValue::Text("EMEA' OR 1=1 --".into()),
                PolicyValue::Int(3)
            ]
        );
        let (missing, _) = bind("r = {{user.missing}}", attrs);
        assert_eq!(missing.values, vec![PolicyValue::Null]);
        assert!(bind("name LIKE '{{user.region}}%'", attrs).1);
        assert!(validate_filter("name LIKE '{{user.name}}%'").is_err());
        assert!(validate_filter("name LIKE {{user.name}} || '%'").is_ok());
    }

    #[test]
    fn filters_are_single_expressions_without_subqueries() {
        assert!(validate_filter("region = {{user.region}}").is_ok());
        assert!(validate_filter("amount < 100 AND status IN ('a','b')").is_ok());
        assert!(validate_filter("id IN (SELECT id FROM other)").is_err());
        assert!(validate_filter("1=1; DROP TABLE x").is_err());
        assert!(validate_filter("").is_err());
    }
}
