//! Where a subject's rows can live in connected sources: the columns the personal-data
//! inventory classified as one of the identifiers they gave (an email column for their
//! email, a phone column for their phone…), and columns named like a customer id.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::{App, Result};

/// One column to look for one of the subject's values in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Place {
    pub connection_id: String,
    pub connection: String,
    pub schema: String,
    pub table: String,
    pub column: String,
    /// `email`, `phone`, `national_id`, `customer_id` or `username`.
    pub identifier: String,
    #[serde(skip)]
    pub value: String,
}

/// The classifier category an identifier is found under.
fn category_of(identifier: &str) -> Option<&'static str> {
    match identifier {
        "email" => Some("email"),
        "phone" => Some("phone"),
        "national_id" => Some("national_id"),
        "username" => Some("username"),
        _ => None,
    }
}

/// A customer id is not personal data by category; its column is known by its name.
fn names_customer_id(column: &str) -> bool {
    let c: String = column
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        c.as_str(),
        "customerid" | "custid" | "clientid" | "customernumber" | "customerno" | "custno"
    )
}

/// How values compare: emails without case, phones by their digits, the rest as written.
pub(crate) fn normalize(identifier: &str, value: &str) -> String {
    match identifier {
        "email" | "username" => value.trim().to_lowercase(),
        "phone" => value.chars().filter(char::is_ascii_digit).collect(),
        _ => value.trim().to_string(),
    }
}

/// Every place to search for the given identifiers (identifier → value).
pub(crate) async fn find(app: &App, values: &BTreeMap<String, String>) -> Result<Vec<Place>> {
    let mut categories: HashMap<(String, String, String, String), Vec<String>> = HashMap::new();
    for c in app.store.classifications(None).await? {
        if c.status == "rejected" {
            continue;
        }
        let ids = c
            .categories
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("category").and_then(Value::as_str).or(f.as_str()))
            .map(str::to_string)
            .collect();
        categories.insert((c.connection_id, c.schema, c.table, c.column), ids);
    }
    let mut places = Vec::new();
    for conn in app.store.connections().await? {
        let schemas = match app.connections.schemas(&conn).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(connection = %conn.id, code = e.code, "privacy search: no schema");
                continue;
            }
        };
        for s in schemas.iter() {
            for t in &s.tables {
                for col in &t.columns {
                    let key = (
                        conn.id.clone(),
                        s.name.clone(),
                        t.name.clone(),
                        col.name.clone(),
                    );
                    let cats = categories.get(&key);
                    for (identifier, value) in values {
                        let hit = match category_of(identifier) {
                            Some(cat) => cats.is_some_and(|c| c.iter().any(|x| x == cat)),
                            None => identifier == "customer_id" && names_customer_id(&col.name),
                        };
                        if hit {
                            places.push(Place {
                                connection_id: conn.id.clone(),
                                connection: conn.name.clone(),
                                schema: s.name.clone(),
                                table: t.name.clone(),
                                column: col.name.clone(),
                                identifier: identifier.clone(),
                                value: value.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    Ok(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_id_columns_are_known_by_name_in_any_case() {
        for c in [
            "customer_id",
            "CustomerID",
            "cust_id",
            "client_id",
            "customer_no",
        ] {
            assert!(names_customer_id(c), "{c}");
        }
        for c in ["customer", "id", "customer_name", "order_id"] {
            assert!(!names_customer_id(c), "{c}");
        }
    }

    #[test]
    fn values_compare_as_people_write_them() {
        assert_eq!(normalize("email", " Ann@Example.ORG "), "ann@example.org");
        assert_eq!(normalize("phone", "+31 (20) 555-0100"), "31205550100");
        assert_eq!(normalize("customer_id", " 42 "), "42");
    }
}
