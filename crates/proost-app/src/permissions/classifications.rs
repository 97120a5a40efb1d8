//! Column classifications: which columns are personal and how they are masked, as each
//! caller may see them, and an admin's verdicts on them.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{check_target, details};
use crate::{Actor, App, Error, Result};

/// A column's classification as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassificationView {
    pub schema: String,
    pub table: String,
    pub column: String,
    /// `[{"category", "confidence", "evidence"}]`
    #[schema(value_type = Vec<Object>)]
    pub categories: Value,
    /// `suggested`, `confirmed` or `rejected`.
    pub status: String,
    pub mask: Option<String>,
    /// A key-value table's value column: the key column and each attribute's findings
    /// (`{"key", "attributes": {name: [findings]}}`); masks follow the attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
}

/// `PUT /api/v1/connections/{id}/classifications`: an admin's verdict on one column.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetClassification {
    pub schema: String,
    pub table: String,
    pub column: String,
    /// `[{"category": id, "confidence"?, "evidence"?}]` or plain ids.
    #[schema(value_type = Option<Vec<Object>>)]
    pub categories: Option<Value>,
    pub status: Option<String>,
    /// A mask kind, or `null` for the default mask.
    #[serde(default, deserialize_with = "some_mask")]
    #[schema(value_type = Option<String>)]
    pub mask: Option<Option<String>>,
}

/// What a classification change did (also its audit details).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassificationSet {
    pub connection: String,
    pub schema: String,
    pub table: String,
    pub column: String,
    pub status: Option<String>,
    #[schema(value_type = Option<String>)]
    pub mask: Option<Option<String>>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub categories: Option<Value>,
}

fn some_mask<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// What is known about the columns of a connection the caller may see (only the columns
/// they may see).
pub async fn classifications(
    app: &App,
    actor: &Actor,
    connection_id: &str,
) -> Result<Vec<ClassificationView>> {
    let c = crate::connections::visible_record(app, actor, connection_id).await?;
    Ok(app
        .store
        .classifications(Some(&c.id))
        .await?
        .into_iter()
        .filter(|r| {
            crate::sources::visible::sees_column(
                &actor.access,
                &c.id,
                &r.schema,
                &r.table,
                &r.column,
            )
        })
        .map(|r| {
            // Attribute names are values of the key column: only for those who read it.
            let attributes = r.attributes.filter(|a| {
                a.get("key").and_then(Value::as_str).is_some_and(|k| {
                    crate::sources::visible::sees_column(
                        &actor.access,
                        &c.id,
                        &r.schema,
                        &r.table,
                        k,
                    )
                })
            });
            ClassificationView {
                schema: r.schema,
                table: r.table,
                column: r.column,
                categories: r.categories,
                status: r.status,
                mask: r.mask,
                attributes,
            }
        })
        .collect())
}

/// An admin's verdict on a column: confirm it personal (it is then masked for everyone
/// without `pii` on it), reject a suggestion, choose its mask.
pub async fn set_classification(
    app: &App,
    actor: &Actor,
    connection_id: &str,
    body: SetClassification,
) -> Result<ClassificationSet> {
    actor.require_admin()?;
    let c = app
        .store
        .connection(connection_id)
        .await?
        .ok_or_else(|| Error::not_found("connection"))?;
    check_target(
        app,
        &c,
        Some(&body.schema),
        Some(&body.table),
        Some(&body.column),
    )
    .await?;
    if let Some(s) = &body.status
        && !matches!(s.as_str(), "suggested" | "confirmed" | "rejected")
    {
        return Err(Error::bad_request(
            "status_invalid",
            "a status is suggested, confirmed or rejected",
        ));
    }
    if let Some(Some(m)) = &body.mask
        && proost_query::MaskKind::parse(m).is_none()
    {
        return Err(Error::bad_request(
            "mask_invalid",
            "a mask is redact, partial, hash, generalize, spans or spans_strict",
        ));
    }
    let categories = match &body.categories {
        None => None,
        Some(Value::Array(items)) => Some(Value::Array(
            items.iter().map(category_entry).collect::<Result<_>>()?,
        )),
        Some(_) => {
            return Err(Error::bad_request(
                "categories_invalid",
                "categories is a list of category ids or {category, confidence, evidence}",
            ));
        }
    };
    app.store
        .upsert_classification(
            &c.id,
            &body.schema,
            &body.table,
            &body.column,
            categories.as_ref(),
            body.status.as_deref(),
            body.mask.as_ref().map(|m| m.as_deref()),
            Some(&actor.user.id),
        )
        .await?;
    app.access.changed();
    let out = ClassificationSet {
        connection: c.name.clone(),
        schema: body.schema,
        table: body.table,
        column: body.column,
        status: body.status,
        mask: body.mask,
        categories,
    };
    app.audit(
        Some(&actor.user.id),
        "classification.set",
        Some(&c.id),
        &details(&out),
    )
    .await?;
    Ok(out)
}

/// One category of an admin's classification, as stored: a known id (PII_CATEGORIES),
/// a confidence in [0, 1] and the evidence.
fn category_entry(item: &Value) -> Result<Value> {
    let (category, rest) = match item {
        Value::String(s) => (s.clone(), json!({})),
        Value::Object(o) => (
            o.get("category")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            item.clone(),
        ),
        _ => (String::new(), json!({})),
    };
    if proost_classify::Category::from_id(&category).is_none() {
        return Err(Error::bad_request(
            "category_unknown",
            format!("`{category}` is not a personal-data category id"),
        ));
    }
    Ok(json!({
        "category": category,
        "confidence": rest.get("confidence").and_then(Value::as_f64).unwrap_or(1.0).clamp(0.0, 1.0),
        "evidence": rest.get("evidence").cloned().unwrap_or_else(|| json!(["set by an admin"])),
    }))
}
