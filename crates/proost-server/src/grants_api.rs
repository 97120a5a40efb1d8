//! Permissions under `/api/v1`: grants, row policies and column classifications (which
//! columns are personal and how they are masked). Admin work, audited; every change makes
//! everyone's access be recomputed.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_store::{ConnectionRecord, Level, NewGrant, Principal};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{JsonBody, audit};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

type Shared = State<Arc<AppState>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipalBody {
    user: Option<String>,
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateGrant {
    principal: PrincipalBody,
    connection: String,
    schema: Option<String>,
    table: Option<String>,
    column: Option<String>,
    level: String,
}

async fn principal(state: &AppState, p: &PrincipalBody) -> ApiResult<Principal> {
    match (&p.user, &p.group) {
        (Some(u), None) => {
            state.store.user(u).await?.ok_or_else(|| {
                ApiError::bad_request("principal_not_found", "no user with that id")
            })?;
            Ok(Principal::User(u.clone()))
        }
        (None, Some(g)) => {
            state.store.group(g).await?.ok_or_else(|| {
                ApiError::bad_request("principal_not_found", "no group with that id")
            })?;
            Ok(Principal::Group(g.clone()))
        }
        _ => Err(ApiError::bad_request(
            "principal_invalid",
            r#"the principal is {"user": id} or {"group": id}"#,
        )),
    }
}

async fn connection_named(state: &AppState, name: &str) -> ApiResult<ConnectionRecord> {
    state.store.connection_by_name(name).await?.ok_or_else(|| {
        ApiError::bad_request(
            "connection_not_found",
            format!("no connection named `{name}`"),
        )
    })
}

/// Checks a schema / table / column exists when the source can be asked; a grant on a
/// misspelt name would silently grant nothing.
async fn check_target(
    state: &AppState,
    c: &ConnectionRecord,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
) -> ApiResult<()> {
    let Some(schema) = schema else { return Ok(()) };
    let schemas = match state.connections.schemas(c).await {
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
        ApiError::bad_request(
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
async fn connection_names(
    state: &AppState,
) -> ApiResult<std::collections::HashMap<String, String>> {
    Ok(state
        .store
        .connections()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

fn grant_json(g: &proost_store::GrantRecord, connection: &str) -> Value {
    let principal = match &g.principal {
        Principal::User(u) => json!({"user": u}),
        Principal::Group(gr) => json!({"group": gr}),
    };
    json!({
        "id": g.id, "principal": principal, "connection": connection,
        "connection_id": g.connection_id, "schema": g.schema, "table": g.table,
        "column": g.column, "level": g.level.as_str(), "created_at": g.created_at,
        "created_by": g.created_by,
    })
}

pub async fn create_grant(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateGrant>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let level = Level::parse(&body.level).ok_or_else(|| {
        ApiError::bad_request("level_invalid", "a level is metadata, query or pii")
    })?;
    if body.table.is_some() && body.schema.is_none()
        || body.column.is_some() && body.table.is_none()
    {
        return Err(ApiError::bad_request(
            "grant_target_invalid",
            "a table needs its schema, a column its table",
        ));
    }
    let principal = principal(&state, &body.principal).await?;
    let c = connection_named(&state, &body.connection).await?;
    check_target(
        &state,
        &c,
        body.schema.as_deref(),
        body.table.as_deref(),
        body.column.as_deref(),
    )
    .await?;
    let g = state
        .store
        .create_grant(&NewGrant {
            principal,
            connection_id: c.id.clone(),
            schema: body.schema,
            table: body.table,
            column: body.column,
            level,
            created_by: Some(caller.user.id.clone()),
        })
        .await?;
    state.access.changed();
    let out = grant_json(&g, &c.name);
    audit(&state, &caller, "grant.create", Some(&g.id), &out).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize)]
pub struct GrantFilter {
    user: Option<String>,
    group: Option<String>,
    connection: Option<String>,
}

pub async fn list_grants(
    State(state): Shared,
    caller: Caller,
    Query(f): Query<GrantFilter>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let names = connection_names(&state).await?;
    let grants: Vec<Value> = state
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
            grant_json(g, name)
        })
        .collect();
    Ok(Json(json!({ "grants": grants })))
}

pub async fn delete_grant(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    let g = state
        .store
        .grant(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("grant"))?;
    state.store.delete_grant(&id).await?;
    state.access.changed();
    audit(
        &state,
        &caller,
        "grant.delete",
        Some(&id),
        &grant_json(&g, ""),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRowPolicy {
    group: String,
    connection: String,
    schema: String,
    table: String,
    filter: String,
}

pub async fn create_row_policy(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateRowPolicy>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    state
        .store
        .group(&body.group)
        .await?
        .ok_or_else(|| ApiError::bad_request("principal_not_found", "no group with that id"))?;
    let c = connection_named(&state, &body.connection).await?;
    check_target(&state, &c, Some(&body.schema), Some(&body.table), None).await?;
    crate::access::validate_filter(&body.filter)?;
    let p = state
        .store
        .create_row_policy(
            &body.group,
            &c.id,
            &body.schema,
            &body.table,
            body.filter.trim(),
            Some(&caller.user.id),
        )
        .await?;
    state.access.changed();
    let out = policy_json(&p, &c.name);
    audit(&state, &caller, "row_policy.create", Some(&p.id), &out).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

fn policy_json(p: &proost_store::RowPolicyRecord, connection: &str) -> Value {
    json!({
        "id": p.id, "group": p.group_id, "connection": connection,
        "connection_id": p.connection_id, "schema": p.schema, "table": p.table,
        "filter": p.filter, "created_at": p.created_at, "created_by": p.created_by,
    })
}

pub async fn list_row_policies(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let names = connection_names(&state).await?;
    let out: Vec<Value> = state
        .store
        .row_policies()
        .await?
        .iter()
        .map(|p| {
            policy_json(
                p,
                names
                    .get(&p.connection_id)
                    .map(String::as_str)
                    .unwrap_or(""),
            )
        })
        .collect();
    Ok(Json(json!({ "row_policies": out })))
}

pub async fn delete_row_policy(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    if !state.store.delete_row_policy(&id).await? {
        return Err(ApiError::not_found("row policy"));
    }
    state.access.changed();
    audit(&state, &caller, "row_policy.delete", Some(&id), &json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What is known about the columns of a connection the caller may see (only the columns
/// they may see).
pub async fn list_classifications(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let c = crate::api::find_visible(&state, &caller, &id).await?;
    let out: Vec<Value> = state
        .store
        .classifications(Some(&c.id))
        .await?
        .into_iter()
        .filter(|r| {
            crate::visible::sees_column(&caller.access, &c.id, &r.schema, &r.table, &r.column)
        })
        .map(|r| {
            json!({"schema": r.schema, "table": r.table, "column": r.column,
                   "categories": r.categories, "status": r.status, "mask": r.mask})
        })
        .collect();
    Ok(Json(Value::Array(out)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClassification {
    schema: String,
    table: String,
    column: String,
    /// `[{"category": id, "confidence"?, "evidence"?}]` or plain ids.
    categories: Option<Value>,
    status: Option<String>,
    #[serde(default, deserialize_with = "some_mask")]
    mask: Option<Option<String>>,
}

fn some_mask<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// An admin's verdict on a column: confirm it personal (it is then masked for everyone
/// without `pii` on it), reject a suggestion, choose its mask.
pub async fn set_classification(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SetClassification>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let c = find_connection(&state, &id).await?;
    check_target(
        &state,
        &c,
        Some(&body.schema),
        Some(&body.table),
        Some(&body.column),
    )
    .await?;
    if let Some(s) = &body.status
        && !matches!(s.as_str(), "suggested" | "confirmed" | "rejected")
    {
        return Err(ApiError::bad_request(
            "status_invalid",
            "a status is suggested, confirmed or rejected",
        ));
    }
    if let Some(Some(m)) = &body.mask
        && proost_query::MaskKind::parse(m).is_none()
    {
        return Err(ApiError::bad_request(
            "mask_invalid",
            "a mask is redact, partial, hash or generalize",
        ));
    }
    let categories = match &body.categories {
        None => None,
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
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
                if !valid_category(&category) {
                    return Err(ApiError::bad_request(
                        "category_unknown",
                        format!("`{category}` is not a personal-data category id"),
                    ));
                }
                out.push(json!({
                    "category": category,
                    "confidence": rest.get("confidence").and_then(Value::as_f64).unwrap_or(1.0).clamp(0.0, 1.0),
                    "evidence": rest.get("evidence").cloned().unwrap_or_else(|| json!(["set by an admin"])),
                }));
            }
            Some(Value::Array(out))
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "categories_invalid",
                "categories is a list of category ids or {category, confidence, evidence}",
            ));
        }
    };
    state
        .store
        .upsert_classification(
            &c.id,
            &body.schema,
            &body.table,
            &body.column,
            categories.as_ref(),
            body.status.as_deref(),
            body.mask.as_ref().map(|m| m.as_deref()),
            Some(&caller.user.id),
        )
        .await?;
    state.access.changed();
    let details = json!({"connection": c.name, "schema": body.schema, "table": body.table,
                         "column": body.column, "status": body.status, "mask": body.mask,
                         "categories": categories});
    audit(&state, &caller, "classification.set", Some(&c.id), &details).await?;
    Ok(Json(details))
}

async fn find_connection(state: &AppState, id: &str) -> ApiResult<ConnectionRecord> {
    state
        .store
        .connection(id)
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))
}

/// The ids of ../shared/PII_CATEGORIES.md.
pub(crate) const CATEGORIES: &[&str] = &[
    "name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "geo_location",
    "ip_address",
    "mac_address",
    "device_id",
    "username",
    "url_personal",
    "vehicle_id",
    "date_of_birth",
    "age",
    "gender",
    "nationality",
    "marital_status",
    "job",
    "national_id",
    "passport_number",
    "drivers_license",
    "tax_id",
    "credit_card",
    "bank_account",
    "income",
    "credentials",
    "special.health",
    "special.genetic",
    "special.biometric",
    "special.ethnic_origin",
    "special.political_opinion",
    "special.religion",
    "special.trade_union",
    "special.sexual_orientation",
    "criminal_record",
];

fn valid_category(c: &str) -> bool {
    CATEGORIES.contains(&c)
}
