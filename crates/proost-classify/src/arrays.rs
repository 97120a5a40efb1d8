//! Array columns (PostgreSQL `text[]`, read as the server's array text `{a,"b c"}`): each
//! element is a value of its own, so an array of phone numbers reads as phone numbers.
//! JSON arrays of scalars are read alike.

/// The elements of every value, when (nearly) every value is an array literal; `None`
/// otherwise. NULL elements are left out; nested arrays are flattened.
pub(crate) fn elements(values: &[String]) -> Option<Vec<String>> {
    let arrays = values
        .iter()
        .filter(|v| {
            let v = v.trim();
            // `{"k": 1}` is a JSON object, not an array.
            let object = v.contains("\":") || v.contains("\" :");
            let literal = v.starts_with('{') && v.ends_with('}') && !object;
            // A JSON array of scalars (`["+4916…", "+4917…"]`) is read the same way.
            let json = v.starts_with('[') && v.ends_with(']') && !v.contains('{');
            literal || json
        })
        .count();
    if values.is_empty() || arrays * 10 < values.len() * 9 {
        return None;
    }
    let mut out = Vec::new();
    for v in values {
        split(v.trim(), &mut out);
    }
    Some(out)
}

fn split(literal: &str, out: &mut Vec<String>) {
    let mut cur = String::new();
    let mut quoted = false; // inside "..."
    let mut was_quoted = false; // the current element was written in quotes
    let mut chars = literal.chars();
    let end = |cur: &mut String, was_quoted: &mut bool, out: &mut Vec<String>| {
        let e = std::mem::take(cur);
        if *was_quoted || (!e.is_empty() && !e.eq_ignore_ascii_case("NULL")) {
            out.push(e);
        }
        *was_quoted = false;
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => cur.extend(chars.next()),
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '{' | '}' | '[' | ']' | ',' if !quoted => {
                if !cur.is_empty() || was_quoted {
                    end(&mut cur, &mut was_quoted, out);
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() || was_quoted {
        end(&mut cur, &mut was_quoted, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_are_split_into_elements() {
        let got = elements(&[
            r#"{"+31 6 22345001","+31 20 5550001"}"#.to_string(),
            "{plain,NULL,\"with \\\"quote\\\"\"}".to_string(),
            "{{1,2},{3}}".to_string(),
        ])
        .expect("arrays");
        assert_eq!(
            got,
            [
                "+31 6 22345001",
                "+31 20 5550001",
                "plain",
                "with \"quote\"",
                "1",
                "2",
                "3"
            ]
        );
        assert_eq!(elements(&[r#"{"a": 1}"#.to_string()]), None);
        assert_eq!(elements(&["plain".to_string()]), None);
    }
}
