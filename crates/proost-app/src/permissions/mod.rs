//! Changing what people may see: grants, row policies and column classifications (which
//! columns are personal and how they are masked). Admin work, audited; every change makes
//! everyone's access (`crate::access`) be recomputed.

use std::collections::HashMap;

use proost_store::{ConnectionRecord, GrantRecord, Level, NewGrant, Principal, RowPolicyRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, App, Error, Result};

mod classifications;
pub use classifications::{
    ClassificationSet, ClassificationView, SetClassification, classifications, set_classification,
};

/// Who a grant is for: exactly one of the two.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrincipalRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// `POST /api/v1/grants`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrantRequest {
    pub principal: PrincipalRef,
    /// The connection's name.
    pub connection: String,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    /// `metadata`, `query` or `pii`.
    pub level: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    pub id: String,
    pub principal: PrincipalRef,
    pub connection: String,
    pub connection_id: String,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub level: &'static str,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantList {
    pub grants: Vec<GrantView>,
}

/// Which grants to list.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantFilter {
    pub user: Option<String>,
    pub group: Option<String>,
    pub connection: Option<String>,
}

/// `POST /api/v1/row-policies`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRowPolicy {
    pub group: String,
    pub connection: String,
    pub schema: String,
    pub table: String,
    /// One SQL expression over the table's columns; `{{user.<key>}}` binds an attribute.
    pub filter: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowPolicyView {
    pub id: String,
    pub group: String,
    pub connection: String,
    pub connection_id: String,
    pub schema: String,
    pub table: String,
    pub filter: String,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowPolicyList {
    pub row_policies: Vec<RowPolicyView>,
}

async fn principal(app: &App, p: &PrincipalRef) -> Result<Principal> {
    match (&p.user, &p.group) {
        (Some(u), None) => {
            app.store
                .user(u)
                .await?
                .ok_or_else(|| Error::bad_request("principal_not_found", "no user with that id"))?;
            Ok(Principal::User(u.clone()))
        }
        (None, Some(g)) => {
            app.store.group(g).await?.ok_or_else(|| {
                Error::bad_request("principal_not_found", "no group with that id")
            })?;
            Ok(Principal::Group(g.clone()))
        }
        _ => Err(Error::bad_request(
            "principal_invalid",
            r#"the principal is {"user": id} or {"group": id}"#,
        )),
    }
}

async fn connection_named(app: &App, name: &str) -> Result<ConnectionRecord> {
    app.store.connection_by_name(name).await?.ok_or_else(|| {
        Error::bad_request(
            "connection_not_found",
            format!("no connection named `{name}`"),
        )
    })
}

/// Checks a schema / table / column exists when the source can be asked; a grant on a
/// misspelt name would silently grant nothing.
pub(super) async fn check_target(
    app: &App,
    c: &ConnectionRecord,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
) -> Result<()> {
    let Some(schema) = schema else { return Ok(()) };
    let schemas = match app.connections.schemas(c).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(
                code = e.code,
                "grant target not checked: source unavailable"
            );
            return Ok(());
        }
    };
    let missing = |what: String| {
        Error::bad_request(
            "grant_target_not_found",
            format!("{what} does not exist in `{}`", c.name),
        )
    };
    let s = schemas
        .iter()
        .find(|s| s.name == schema)
        .ok_or_else(|| missing(format!("schema `{schema}`")))?;
    let Some(table) = table else { return Ok(()) };
    let t = s
        .tables
        .iter()
        .find(|t| t.name == table)
        .ok_or_else(|| missing(format!("table `{schema}.{table}`")))?;
    if let Some(column) = column
        && !t.columns.iter().any(|col| col.name == column)
    {
        return Err(missing(format!("column `{schema}.{table}.{column}`")));
    }
    Ok(())
}

/// Connection names by id, to show grants and policies by name.
async fn connection_names(app: &App) -> Result<HashMap<String, String>> {
    Ok(app
        .store
        .connections()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

fn grant_view(g: &GrantRecord, connection: &str) -> GrantView {
    let principal = match &g.principal {
        Principal::User(u) => PrincipalRef {
            user: Some(u.clone()),
            group: None,
        },
        Principal::Group(gr) => PrincipalRef {
            user: None,
            group: Some(gr.clone()),
        },
    };
    GrantView {
        id: g.id.clone(),
        principal,
        connection: connection.to_string(),
        connection_id: g.connection_id.clone(),
        schema: g.schema.clone(),
        table: g.table.clone(),
        column: g.column.clone(),
        level: g.level.as_str(),
        created_at: g.created_at.clone(),
        created_by: g.created_by.clone(),
    }
}

pub(super) fn details<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub async fn create_grant(app: &App, actor: &Actor, body: NewGrantRequest) -> Result<GrantView> {
    actor.require_admin()?;
    let level = Level::parse(&body.level)
        .ok_or_else(|| Error::bad_request("level_invalid", "a level is metadata, query or pii"))?;
    if body.table.is_some() && body.schema.is_none()
        || body.column.is_some() && body.table.is_none()
    {
        return Err(Error::bad_request(
            "grant_target_invalid",
            "a table needs its schema, a column its table",
        ));
    }
    let principal = principal(app, &body.principal).await?;
    let c = connection_named(app, &body.connection).await?;
    check_target(
        app,
        &c,
        body.schema.as_deref(),
        body.table.as_deref(),
        body.column.as_deref(),
    )
    .await?;
    let g = app
        .store
        .create_grant(&NewGrant {
            principal,
            connection_id: c.id.clone(),
            schema: body.schema,
            table: body.table,
            column: body.column,
            level,
            created_by: Some(actor.user.id.clone()),
        })
        .await?;
    app.access.changed();
    let out = grant_view(&g, &c.name);
    app.audit(
        Some(&actor.user.id),
        "grant.create",
        Some(&g.id),
        &details(&out),
    )
    .await?;
    Ok(out)
}

pub async fn list_grants(app: &App, actor: &Actor, f: GrantFilter) -> Result<GrantList> {
    actor.require_admin()?;
    let names = connection_names(app).await?;
    let grants = app
        .store
        .grants()
        .await?
        .iter()
        .filter(|g| match (&f.user, &f.group, &g.principal) {
            (Some(u), _, Principal::User(x)) => u == x,
            (Some(_), _, _) => false,
            (None, Some(gr), Principal::Group(x)) => gr == x,
            (None, Some(_), _) => false,
            _ => true,
        })
        .filter(|g| {
            f.connection
                .as_ref()
                .is_none_or(|c| names.get(&g.connection_id) == Some(c))
        })
        .map(|g| {
            let name = names
                .get(&g.connection_id)
                .map(String::as_str)
                .unwrap_or("");
            grant_view(g, name)
        })
        .collect();
    Ok(GrantList { grants })
}

pub async fn delete_grant(app: &App, actor: &Actor, id: &str) -> Result<()> {
    actor.require_admin()?;
    let g = app
        .store
        .grant(id)
        .await?
        .ok_or_else(|| Error::not_found("grant"))?;
    app.store.delete_grant(id).await?;
    app.access.changed();
    app.audit(
        Some(&actor.user.id),
        "grant.delete",
        Some(id),
        &details(&grant_view(&g, "")),
    )
    .await?;
    Ok(())
}

fn policy_view(p: &RowPolicyRecord, connection: &str) -> RowPolicyView {
    RowPolicyView {
        id: p.id.clone(),
        group: p.group_id.clone(),
        connection: connection.to_string(),
        connection_id: p.connection_id.clone(),
        schema: p.schema.clone(),
        table: p.table.clone(),
        filter: p.filter.clone(),
        created_at: p.created_at.clone(),
        created_by: p.created_by.clone(),
    }
}

pub async fn create_row_policy(
    app: &App,
    actor: &Actor,
    body: NewRowPolicy,
) -> Result<RowPolicyView> {
    actor.require_admin()?;
    app.store
        .group(&body.group)
        .await?
        .ok_or_else(|| Error::bad_request("principal_not_found", "no group with that id"))?;
    let c = connection_named(app, &body.connection).await?;
    check_target(app, &c, Some(&body.schema), Some(&body.table), None).await?;
    crate::access::validate_filter(&body.filter)?;
    let p = app
        .store
        .create_row_policy(
            &body.group,
            &c.id,
            &body.schema,
            &body.table,
            body.filter.trim(),
            Some(&actor.user.id),
        )
        .await?;
    app.access.changed();
    let out = policy_view(&p, &c.name);
    app.audit(
        Some(&actor.user.id),
        "row_policy.create",
        Some(&p.id),
        &details(&out),
    )
    .await?;
    Ok(out)
}

pub async fn list_row_policies(app: &App, actor: &Actor) -> Result<RowPolicyList> {
    actor.require_admin()?;
    let names = connection_names(app).await?;
    let row_policies = app
        .store
        .row_policies()
        .await?
        .iter()
        .map(|p| {
            policy_view(
                p,
                names
                    .get(&p.connection_id)
                    .map(String::as_str)
                    .unwrap_or(""),
            )
        })
        .collect();
    Ok(RowPolicyList { row_policies })
}

pub async fn delete_row_policy(app: &App, actor: &Actor, id: &str) -> Result<()> {
    actor.require_admin()?;
    if !app.store.delete_row_policy(id).await? {
        return Err(Error::not_found("row policy"));
    }
    app.access.changed();
    app.audit(
        Some(&actor.user.id),
        "row_policy.delete",
        Some(id),
        &json!({}),
    )
    .await?;
    Ok(())
}
