//! Computed fields: `[Net] / [Qty]` parsed (by DataFusion's SQL expression parser) into an
//! expression tree over the frame's columns, then checked against an allow-list: operators,
//! `CASE`, casts and the functions below; no aggregates, windows, subqueries or anything
//! that reads beyond the row.

use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::Expr;
use datafusion::prelude::DataFrame;

use super::invalid;
use crate::QueryError;

/// Functions a computed field may call (DataFusion's names).
pub const FUNCTIONS: &[&str] = &[
    "abs",
    "ceil",
    "floor",
    "round",
    "trunc",
    "sqrt",
    "power",
    "exp",
    "ln",
    "log10",
    "log2",
    "signum",
    "greatest",
    "least",
    "lower",
    "upper",
    "trim",
    "btrim",
    "ltrim",
    "rtrim",
    "character_length",
    "substr",
    "left",
    "right",
    "replace",
    "concat",
    "concat_ws",
    "strpos",
    "starts_with",
    "ends_with",
    "lpad",
    "rpad",
    "coalesce",
    "nullif",
    "nvl",
    "date_trunc",
    "date_part",
    "make_date",
    "to_date",
];

/// `[name]` → `"name"` (quotes doubled), the rest as written. Same length when no name holds
/// a quote, so positions reported by the parser are positions in the text as written.
fn to_sql(text: &str, path: &str) -> Result<String, QueryError> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '[' if !in_string => {
                let mut name = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed || name.trim().is_empty() {
                    return Err(invalid(
                        path,
                        format!(
                            "at position {}: a `[` opens a column name that is not closed with `]`",
                            i + 1
                        ),
                    ));
                }
                out.push('"');
                out.push_str(&name.replace('"', "\"\""));
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Where `needle` first appears in `text` (1-based), for error messages.
fn position(text: &str, needle: &str) -> Option<usize> {
    text.to_lowercase()
        .find(&needle.to_lowercase())
        .map(|i| text[..i].chars().count() + 1)
}

/// Parses and checks one computed field's expression over `frame`'s columns.
pub fn parse(frame: &DataFrame, text: &str, path: &str) -> Result<Expr, QueryError> {
    if text.len() > 4000 {
        return Err(invalid(
            path,
            "an expression is at most 4000 characters".into(),
        ));
    }
    let sql = to_sql(text, path)?;
    let expr = frame.parse_sql_expr(&sql).map_err(|e| {
        let root = e.find_root().to_string();
        // The parser says "Line: 1, Column: N"; a missing column or function is named.
        let at = root
            .split("Column: ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<usize>().ok())
            .or_else(|| {
                root.split(['\'', '"'])
                    .nth(1)
                    .and_then(|name| position(text, name))
            });
        let why = root
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("Schema error: ")
            .trim_start_matches("Error during planning: ")
            .trim_start_matches("SQL error: ");
        match at {
            Some(p) => invalid(path, format!("at position {p}: {why}")),
            None => invalid(path, why.to_string()),
        }
    })?;
    let mut refused: Option<String> = None;
    let _ = expr.apply(|e| {
        let bad = match e {
            Expr::ScalarFunction(f) if !FUNCTIONS.contains(&f.name()) => Some(format!(
                "the function `{}` is not allowed in a computed field",
                f.name()
            )),
            Expr::AggregateFunction(f) => Some(format!(
                "`{}` summarizes many rows; use an aggregation of the question instead",
                f.func.name()
            )),
            Expr::WindowFunction(_) => Some("window functions are not allowed here".into()),
            Expr::ScalarSubquery(_) | Expr::Exists(_) | Expr::InSubquery(_) => {
                Some("subqueries are not allowed in a computed field".into())
            }
            Expr::Placeholder(_) | Expr::ScalarVariable(..) | Expr::OuterReferenceColumn(..) => {
                Some("parameters and variables are not allowed in a computed field".into())
            }
            #[allow(deprecated)]
            Expr::Wildcard { .. } => Some("`*` is not a value".into()),
            _ => None,
        };
        match bad {
            Some(why) => {
                refused = Some(why);
                Ok(TreeNodeRecursion::Stop)
            }
            None => Ok(TreeNodeRecursion::Continue),
        }
    });
    if let Some(why) = refused {
        let at = why
            .split('`')
            .nth(1)
            .and_then(|name| position(text, name))
            .map(|p| format!("at position {p}: "))
            .unwrap_or_default();
        return Err(invalid(path, format!("{at}{why}")));
    }
    Ok(expr)
}
