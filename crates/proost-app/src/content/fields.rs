//! Computed fields saved on a table ("fields added"): an expression over the table's
//! columns from the allow-listed functions, checked by compiling it over the caller's
//! governed table, reusable in any builder question on that table.

use std::sync::Arc;

use proost_query::builder::{Computed, SourceRef, Spec};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::Created;
use super::questions::{BuilderRequest, builder_sql};
use crate::{Actor, App, Error, Result};

/// `POST /api/v1/fields`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewField {
    /// `connection.schema.table`.
    pub table: String,
    pub name: String,
    /// `[Net] / [Qty]`.
    pub expression: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Field {
    pub id: String,
    pub table: String,
    pub name: String,
    pub expression: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldList {
    pub fields: Vec<Field>,
}

/// A spec reading `table` with one computed column, planned (never run) to check it.
fn probe(table: &str, name: &str, expression: &str) -> Spec {
    Spec {
        v: 1,
        source: SourceRef {
            table: Some(table.to_string()),
            question: None,
            alias: None,
        },
        joins: Vec::new(),
        columns: vec![Computed {
            name: name.to_string(),
            expression: expression.to_string(),
        }],
        filter: None,
        fields: vec![name.to_string()],
        breakouts: Vec::new(),
        aggregations: Vec::new(),
        order: Vec::new(),
        limit: Some(1),
        stages: Vec::new(),
        params: Vec::new(),
        time_zone: None,
    }
}

pub async fn create(app: &Arc<App>, actor: &Actor, f: &NewField) -> Result<Created> {
    actor.access.require("sql", "adding fields")?;
    let req = BuilderRequest {
        builder: probe(&f.table, f.name.trim(), &f.expression),
        params: Default::default(),
        limit: Some(1),
        visualization: None,
    };
    // Plans over the caller's own governed table: a field of a table they cannot read, or
    // of a column they cannot see, fails here as it would in a question.
    builder_sql(app, actor, &req)
        .await
        .map_err(|e| match e.code {
            "builder_invalid" => Error::bad_request(
                "field_invalid",
                e.message.replace("at `columns[0].expression`: ", ""),
            ),
            _ => e,
        })?;
    let saved = app
        .store
        .create_field(&f.table, f.name.trim(), &f.expression, &actor.user.id)
        .await?
        .ok_or_else(|| {
            Error::new(
                crate::Kind::Conflict,
                "field_exists",
                format!("`{}` already has a field `{}`", f.table, f.name.trim()),
            )
        })?;
    app.audit(
        Some(&actor.user.id),
        "field.create",
        Some(&saved.id),
        &json!({"table": f.table, "name": saved.name}),
    )
    .await?;
    Ok(Created { id: saved.id })
}

/// Fields of tables the caller may see (of one table when named).
pub async fn list(app: &App, actor: &Actor, table: Option<&str>) -> Result<FieldList> {
    let trees = crate::connections::visible_trees(app, actor).await?;
    let visible = |t: &str| {
        let mut parts = t.splitn(3, '.');
        let (Some(c), Some(s), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        trees.iter().any(|tree| {
            tree.record.name == c
                && tree
                    .schemas
                    .iter()
                    .flatten()
                    .any(|sc| sc.name == s && sc.tables.iter().any(|tb| tb.name == n))
        })
    };
    let fields = app
        .store
        .fields(table)
        .await?
        .into_iter()
        .filter(|f| visible(&f.table_name))
        .map(|f| Field {
            id: f.id,
            table: f.table_name,
            name: f.name,
            expression: f.expression,
            created_at: f.created_at,
        })
        .collect();
    Ok(FieldList { fields })
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let f = app
        .store
        .fields(None)
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| Error::not_found("field"))?;
    if f.owner_id.as_deref() != Some(actor.user.id.as_str()) && !actor.access.admin {
        return Err(
            Error::forbidden("only its author or an admin deletes a field")
                .with_code("field_forbidden"),
        );
    }
    app.store.delete_field(id).await?;
    app.audit(
        Some(&actor.user.id),
        "field.delete",
        Some(id),
        &json!({"table": f.table_name, "name": f.name}),
    )
    .await?;
    Ok(())
}
