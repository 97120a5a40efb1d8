//! Parameters of SQL questions: `{{region}}` in the text becomes a placeholder (`$1`) and the
//! value is bound, never interpolated. `[[ AND region = {{region}} ]]` is an optional clause,
//! left out when a parameter in it has no value. Strings, quoted names and comments are
//! skipped, so `'{{x}}'` stays text.

use datafusion::common::ScalarValue;
use serde_json::{Map, Value};

use crate::QueryError;
use crate::builder::{Param, invalid_template as invalid, typed_param};

/// A statement with placeholders and the values to bind to them, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub sql: String,
    pub values: Vec<ScalarValue>,
}

/// Rewrites `sql`'s `{{name}}`s for the declared `params`, with `given` values (or defaults).
pub fn bind(sql: &str, params: &[Param], given: &Map<String, Value>) -> Result<Bound, QueryError> {
    if let Some(name) = given.keys().find(|k| !params.iter().any(|p| &p.name == *k)) {
        return Err(invalid(format!("the question has no parameter `{name}`")));
    }
    let mut values: Vec<ScalarValue> = Vec::new();
    let mut index: Vec<String> = Vec::new();
    let value_of = |name: &str| -> Result<Option<ScalarValue>, QueryError> {
        let p = params.iter().find(|p| p.name == name).ok_or_else(|| {
            invalid(format!(
                "`{{{{{name}}}}}` is not declared; add it to the question's `params`"
            ))
        })?;
        match given
            .get(name)
            .filter(|v| !v.is_null())
            .or(p.default.as_ref())
        {
            Some(v) => typed_param(&p.kind, v, name).map(Some),
            None => Ok(None),
        }
    };
    let mut out = String::with_capacity(sql.len());
    // The optional clause being read: its text and whether every parameter in it has a value.
    let mut optional: Option<(String, bool)> = None;
    // How many placeholders were numbered when the clause opened (a left-out clause gives
    // its new numbers back).
    let mut numbered_before = 0;
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &sql[i..];
        let target = match optional.as_mut() {
            Some((text, _)) => text,
            None => &mut out,
        };
        let skip = if rest.starts_with('\'') || rest.starts_with('"') || rest.starts_with('`') {
            let q = rest.as_bytes()[0];
            // Doubled quotes escape; a string runs to the next lone quote.
            let mut j = 1;
            loop {
                match rest.as_bytes().get(j) {
                    None => break j,
                    Some(c) if *c == q && rest.as_bytes().get(j + 1) == Some(&q) => j += 2,
                    Some(c) if *c == q => break j + 1,
                    Some(_) => j += 1,
                }
            }
        } else if rest.starts_with("--") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            rest.find("*/").map(|e| e + 2).unwrap_or(rest.len())
        } else {
            0
        };
        if skip > 0 {
            target.push_str(&rest[..skip]);
            i += skip;
            continue;
        }
        if rest.starts_with("{{") {
            let end = rest
                .find("}}")
                .ok_or_else(|| invalid("a `{{` is not closed with `}}`".into()))?;
            let name = rest[2..end].trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(invalid(format!(
                    "`{}` is not a parameter name (letters, digits and _)",
                    &rest[..end + 2]
                )));
            }
            match value_of(name)? {
                Some(v) => {
                    let n = match index.iter().position(|k| k == name) {
                        Some(n) => n,
                        None => {
                            index.push(name.to_string());
                            values.push(v);
                            index.len() - 1
                        }
                    };
                    target.push_str(&format!("${}", n + 1));
                }
                None if optional.is_some() => {
                    if let Some((_, complete)) = optional.as_mut() {
                        *complete = false;
                    }
                }
                None => {
                    return Err(invalid(format!(
                        "the parameter `{name}` has no value and no default"
                    )));
                }
            }
            i += end + 2;
            continue;
        }
        if rest.starts_with("[[") {
            if optional.is_some() {
                return Err(invalid("optional clauses `[[ … ]]` do not nest".into()));
            }
            optional = Some((String::new(), true));
            numbered_before = index.len();
            i += 2;
            continue;
        }
        if rest.starts_with("]]") {
            match optional.take() {
                Some((text, true)) => out.push_str(&text),
                Some((_, false)) => {
                    index.truncate(numbered_before);
                    values.truncate(numbered_before);
                }
                None => return Err(invalid("a `]]` closes no `[[`".into())),
            }
            i += 2;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        target.push(c);
        i += c.len_utf8();
    }
    if optional.is_some() {
        return Err(invalid("a `[[` is not closed with `]]`".into()));
    }
    Ok(Bound { sql: out, values })
}
