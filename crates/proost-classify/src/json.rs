//! JSON documents in a column (`payload`, `attributes`): their keys are column names too.
//!
//! A tolerant scanner, not a parser: it pulls `"key": value` pairs out of each document at
//! any depth, so a key that recurs across documents can be classified like a column of its
//! own. Values stay in memory only while the column is classified.

use std::collections::HashMap;

/// Documents looked at.
const DOCS: usize = 300;
/// Documents a key must appear in (and at least one in twenty): personal data often sits
/// under keys only some documents have (`fields.email` of a form event, an alternative
/// contact).
const MIN_DOCS: usize = 5;
/// Distinct keys followed at most.
const KEYS: usize = 24;

/// Whether the values look like JSON objects.
pub fn looks_like_json(vals: &[&str]) -> bool {
    let probe = &vals[..vals.len().min(50)];
    !probe.is_empty()
        && probe
            .iter()
            .filter(|s| s.starts_with('{') && s.ends_with('}'))
            .count()
            * 10
            >= probe.len() * 8
}

/// Keys present in half the documents, or in one in twenty and five at least, with their scalar
/// values. Keys made of digits (`{"to": {"792": "Ann <ann@x.org>"}}`: ids used as keys) are
/// one key, `*`.
pub fn columns(vals: &[&str]) -> Vec<(String, Vec<String>)> {
    let docs = &vals[..vals.len().min(DOCS)];
    let mut by_key: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for doc in docs {
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs(doc) {
            let k = if !k.is_empty() && k.bytes().all(|c| c.is_ascii_digit()) {
                "*"
            } else {
                k
            };
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            if by_key.len() >= KEYS && !by_key.contains_key(k) {
                continue;
            }
            let e = by_key.entry(k.to_string()).or_default();
            e.0 += 1;
            if let Some(v) = v {
                e.1.push(v);
            }
        }
    }
    let mut out: Vec<(String, Vec<String>)> = by_key
        .into_iter()
        // A key holding only objects or arrays (`"cc": {...}`) is a container; its keys follow.
        .filter(|(_, (_, values))| !values.is_empty())
        .filter(|(_, (docs_with_key, _))| {
            docs_with_key * 2 >= docs.len()
                || (*docs_with_key >= MIN_DOCS && docs_with_key * 20 >= docs.len())
        })
        .map(|(k, (_, v))| (k, v))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `"key": value` pairs of a document; `None` for object and array values (their own keys
/// follow).
fn pairs(doc: &str) -> Vec<(&str, Option<String>)> {
    let b = doc.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let (key, end) = match string_at(doc, i) {
            Some(x) => x,
            None => break,
        };
        let mut j = skip_ws(b, end);
        if j >= b.len() || b[j] != b':' {
            // A string value in an array; move on.
            i = end;
            continue;
        }
        j = skip_ws(b, j + 1);
        if j >= b.len() {
            break;
        }
        match b[j] {
            b'"' => match string_at(doc, j) {
                Some((v, e)) => {
                    out.push((key, Some(unescape(v))));
                    i = e;
                }
                None => break,
            },
            b'{' | b'[' => {
                out.push((key, None));
                i = j + 1;
            }
            _ => {
                let e = b[j..]
                    .iter()
                    .position(|c| matches!(c, b',' | b'}' | b']'))
                    .map_or(b.len(), |p| j + p);
                let scalar = doc[j..e].trim();
                if scalar != "null" {
                    out.push((key, Some(scalar.to_string())));
                }
                i = e;
            }
        }
    }
    out
}

/// The raw contents of the string starting at `start` (a `"`) and the index after it.
fn string_at(doc: &str, start: usize) -> Option<(&str, usize)> {
    let b = doc.as_bytes();
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some((&doc[start + 1..i], i + 1)),
            _ => i += 1,
        }
    }
    None
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_at_any_depth() {
        let p = pairs(
            r#"{"user": {"email": "a@b.de", "age": 42, "tags": ["x", "y"]}, "ok": true, "n": null}"#,
        );
        let keys: Vec<&str> = p.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["user", "email", "age", "tags", "ok"]);
        assert_eq!(p[1].1.as_deref(), Some("a@b.de"));
        assert_eq!(p[2].1.as_deref(), Some("42"));
        assert_eq!(p[0].1, None);
    }

    #[test]
    fn escapes_and_broken_documents() {
        let p = pairs(r#"{"name": "Jos\u00e9 \"Pepe\" Garc\u00eda"}"#);
        assert_eq!(p[0].1.as_deref(), Some("José \"Pepe\" García"));
        assert!(pairs(r#"{"a": "unterminated"#).is_empty());
        assert!(pairs("{").is_empty());
    }

    #[test]
    fn frequent_keys_become_columns() {
        let docs = [
            r#"{"email": "a@b.de", "rare": 1}"#,
            r#"{"email": "c@d.fr"}"#,
            r#"{"email": "e@f.nl"}"#,
        ];
        let cols = columns(&docs);
        assert_eq!(cols.len(), 1);
        assert_eq!(cols[0].0, "email");
        assert_eq!(cols[0].1.len(), 3);
    }

    #[test]
    fn minority_keys_and_numeric_keys() {
        let mut docs: Vec<String> = (0..100)
            .map(|i| format!(r#"{{"object_id": {i}, "source": ["form", 3]}}"#))
            .collect();
        for i in 0..10 {
            docs[i * 10] = format!(
                r#"{{"object_id": {i}, "fields": {{"email": "p{i}@mail.de"}}, "to": {{"{}": "Ann <ann{i}@x.org>"}}}}"#,
                700 + i
            );
        }
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let keys: Vec<String> = columns(&docs).into_iter().map(|c| c.0).collect();
        assert_eq!(keys, ["*", "email", "object_id"]);
    }
}
