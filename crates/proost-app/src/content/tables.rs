//! Tables of a question's rows: sorted and paged on the server (a page of a large answer
//! reaches the browser, not all of it), column formats and conditional colours checked
//! where they are saved. Paging works on the answer, which comes from the result cache when
//! warm: turning pages runs nothing again.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::{Error, Result};

/// The largest page.
pub const MAX_PAGE: usize = 5000;

/// `"table": {…}` of a run request: which page of the rows, in which order.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TablePage {
    /// Rows to skip.
    #[serde(default)]
    pub offset: usize,
    /// Rows on the page (default 100, at most 5000).
    pub size: Option<usize>,
    /// Columns to order by, first first.
    #[serde(default)]
    pub sort: Vec<SortKey>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SortKey {
    pub column: String,
    #[serde(default)]
    pub desc: bool,
}

/// Orders and cuts the `rows` of an answer body; `page` says where the page is and
/// `row_count` stays the whole answer's.
pub fn page(body: &mut Value, p: &TablePage) -> Result<()> {
    let size = p.size.unwrap_or(100);
    if size == 0 || size > MAX_PAGE {
        return Err(Error::bad_request(
            "table_page_invalid",
            format!("`table.size` is 1 to {MAX_PAGE}"),
        ));
    }
    let names: Vec<String> = body["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["name"].as_str().unwrap_or("").to_string())
        .collect();
    let mut keys = Vec::new();
    for (i, k) in p.sort.iter().enumerate() {
        let at = names.iter().position(|n| *n == k.column).ok_or_else(|| {
            Error::bad_request(
                "table_page_invalid",
                format!("at `table.sort[{i}].column`: no column `{}`", k.column),
            )
        })?;
        keys.push((at, k.desc));
    }
    let mut rows = match body.get_mut("rows").map(Value::take) {
        Some(Value::Array(rows)) => rows,
        _ => Vec::new(),
    };
    let total = rows.len();
    if !keys.is_empty() {
        rows.sort_by(|a, b| {
            for &(j, desc) in &keys {
                let o = compare(&a[j], &b[j]);
                // Empty values last, whichever way.
                let o = match (a[j].is_null(), b[j].is_null()) {
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    _ if desc => o.reverse(),
                    _ => o,
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
    let page: Vec<Value> = rows.into_iter().skip(p.offset).take(size).collect();
    body["rows"] = Value::Array(page);
    body["page"] = json!({"offset": p.offset, "size": size, "total_rows": total, "sort": p.sort});
    Ok(())
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

const FORMATS: &[&str] = &["plain", "number", "currency", "percent", "date"];
const TONES: &[&str] = &["green", "red", "amber", "blue"];

/// Checks a table's `"columns": {name: {"format", "decimals", "currency", "prefix",
/// "suffix"}}` and `"conditional": [{"column", "op", "value", "color"}]` (colours from a
/// fixed, colour-blind-safe set, so nothing a user types reaches a style).
pub fn check(viz: &Value, code: &'static str) -> Result<()> {
    let bad = |at: String, what: &str| Error::bad_request(code, format!("at `{at}`: {what}"));
    if let Some(cols) = viz.get("columns") {
        let m = cols
            .as_object()
            .ok_or_else(|| bad("visualization.columns".into(), "an object of column names"))?;
        for (name, f) in m {
            let at = format!("visualization.columns.{name}");
            let f = f.as_object().ok_or_else(|| bad(at.clone(), "an object"))?;
            for (k, v) in f {
                let ok = match k.as_str() {
                    "format" => v.as_str().is_some_and(|s| FORMATS.contains(&s)),
                    "decimals" => v.as_u64().is_some_and(|d| d <= 10),
                    "currency" => v
                        .as_str()
                        .is_some_and(|c| c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase())),
                    "prefix" | "suffix" => v.as_str().is_some_and(|s| s.chars().count() <= 10),
                    _ => false,
                };
                if !ok {
                    return Err(bad(
                        format!("{at}.{k}"),
                        "format is plain, number, currency, percent or date; decimals 0–10; currency a code like EUR; prefix and suffix up to 10 characters",
                    ));
                }
            }
        }
    }
    if let Some(rules) = viz.get("conditional") {
        let rules = rules.as_array().filter(|r| r.len() <= 20).ok_or_else(|| {
            bad(
                "visualization.conditional".into(),
                "a list of up to 20 rules",
            )
        })?;
        for (i, r) in rules.iter().enumerate() {
            let ok = r["column"].is_string()
                && r["op"]
                    .as_str()
                    .is_some_and(|o| ["eq", "ne", "gt", "ge", "lt", "le"].contains(&o))
                && (r["value"].is_number() || r["value"].is_string())
                && r["color"].as_str().is_some_and(|c| TONES.contains(&c))
                && r.as_object().is_some_and(|o| o.len() == 4);
            if !ok {
                return Err(bad(
                    format!("visualization.conditional[{i}]"),
                    "{\"column\", \"op\": eq|ne|gt|ge|lt|le, \"value\", \"color\": green|red|amber|blue}",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_sorted_on_the_server_nulls_last() {
        let mut body = json!({"columns": [{"name": "n"}, {"name": "s"}],
            "rows": [[3, "c"], [null, "z"], [1, "a"], [2, "b"], [10, "d"]], "row_count": 5});
        let p = TablePage {
            offset: 1,
            size: Some(2),
            sort: vec![SortKey {
                column: "n".into(),
                desc: true,
            }],
        };
        page(&mut body, &p).expect("page");
        assert_eq!(body["rows"], json!([[3, "c"], [2, "b"]]));
        assert_eq!(body["page"]["total_rows"], 5);
        let mut body = json!({"columns": [{"name": "n"}], "rows": [[null], [2], [1]]});
        page(
            &mut body,
            &TablePage {
                offset: 0,
                size: None,
                sort: vec![SortKey {
                    column: "n".into(),
                    desc: false,
                }],
            },
        )
        .expect("page");
        assert_eq!(body["rows"], json!([[1], [2], [null]]));
        let err = page(
            &mut body,
            &TablePage {
                offset: 0,
                size: None,
                sort: vec![SortKey {
                    column: "x".into(),
                    desc: false,
                }],
            },
        );
        assert_eq!(err.map_err(|e| e.code), Err("table_page_invalid"));
    }

    #[test]
    fn formats_and_colours_come_from_fixed_sets() {
        let ok = json!({"columns": {"spend": {"format": "currency", "currency": "EUR", "decimals": 2}},
            "conditional": [{"column": "spend", "op": "gt", "value": 100, "color": "green"}]});
        assert!(check(&ok, "question_invalid").is_ok());
        for bad in [
            json!({"conditional": [{"column": "spend", "op": "gt", "value": 1, "color": "url(javascript:x)"}]}),
            json!({"columns": {"spend": {"format": "html"}}}),
            json!({"columns": {"spend": {"style": "x"}}}),
        ] {
            assert!(check(&bad, "question_invalid").is_err(), "{bad}");
        }
    }
}
