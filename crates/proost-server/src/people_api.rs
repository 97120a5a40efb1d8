//! People under `/api/v1`: users, invites, custom roles, groups and members, sessions and
//! API tokens. Changes are admin work and audited; a user manages their own profile,
//! sessions and tokens.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use proost_store::{NewUser, User, UserPatch, secrets};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{JsonBody, audit, validate_email, validate_name, validate_password};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

type Shared = State<Arc<AppState>>;

const INVITE_DAYS: i64 = 7;

pub(crate) fn user_json(u: &User) -> Value {
    json!({
        "id": u.id, "email": u.email, "name": u.name, "role": u.role_name(),
        "active": u.active, "created_at": u.created_at,
        "business_address": u.business_address, "business_phone": u.business_phone,
        "attributes": u.attributes, "sso_provider": u.sso_provider,
        "sso_enforced": u.sso_enforced, "has_password": u.has_password,
    })
}

/// Ends a user's sessions and tokens (all but `keep`, a token hash) at once, in the app
/// database and in the session memo.
async fn end_sessions(state: &AppState, user_id: &str, keep: Option<&str>) -> ApiResult<usize> {
    let hashes = state.store.revoke_sessions_of(user_id, keep).await?;
    for h in &hashes {
        state.sessions.forget(h);
    }
    Ok(hashes.len())
}

/// The last active admin may not be demoted, deactivated or deleted: nobody could
/// administer the instance any more.
async fn not_the_last_admin(state: &AppState, user: &User) -> ApiResult<()> {
    if user.is_admin() && user.active && state.store.admin_count().await? <= 1 {
        return Err(ApiError::from_code(
            "last_admin",
            "this is the only active admin; make someone else admin first".into(),
        ));
    }
    Ok(())
}

/// A built-in role, or a custom one that exists.
async fn check_role(state: &AppState, role: &str) -> ApiResult<()> {
    if matches!(role, "admin" | "analyst" | "viewer") || state.store.role(role).await?.is_some() {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "role_unknown",
            format!("no role named `{role}`: use admin, analyst, viewer or a custom role"),
        ))
    }
}

fn check_attributes(attrs: &serde_json::Map<String, Value>) -> ApiResult<()> {
    let bad = attrs.iter().find(|(k, v)| {
        k.is_empty()
            || k.len() > 64
            || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || !(v.is_string() || v.is_number() || v.is_boolean() || v.is_null())
    });
    match bad {
        Some((k, _)) => Err(ApiError::bad_request(
            "attributes_invalid",
            format!(
                "attribute `{k}`: names are letters, digits and _; values are strings, numbers or booleans"
            ),
        )),
        None => Ok(()),
    }
}

fn check_profile_text(field: &'static str, v: &Option<String>) -> ApiResult<()> {
    if v.as_ref()
        .is_some_and(|s| s.chars().count() > 500 || s.chars().any(|c| c.is_control() && c != '\n'))
    {
        return Err(ApiError::bad_request(
            "profile_invalid",
            format!("`{field}` must be at most 500 printable characters"),
        ));
    }
    Ok(())
}

/// Makes a one-time invite link for a user; only its hash is kept.
async fn invite(state: &AppState, user: &User) -> ApiResult<String> {
    let token = secrets::new_token();
    let expires = chrono::Utc::now() + chrono::Duration::days(INVITE_DAYS);
    state
        .store
        .create_invite(&user.id, &secrets::token_hash(&token), expires)
        .await?;
    // In the fragment: browsers do not send it to servers, proxies or in Referer headers.
    Ok(format!("/invite#{token}"))
}

/// Emails an invite link when SMTP is configured. A failed send loses nothing: the user
/// exists and the admin still gets the link; the answer says the mail did not go.
async fn email_invite(state: &AppState, user: &User, link: &str, out: &mut Value) {
    let Some(mailer) = &state.mailer else {
        out["invite_emailed"] = json!(false);
        return;
    };
    let url = format!("{}{link}", state.config.public_base());
    let body = format!(
        "Hello {},\n\nAn administrator invited you to Proost. Choose your password here \
         (the link works once and expires in {INVITE_DAYS} days):\n\n{url}\n\n\
         If you did not expect this, ignore this message.\n",
        user.name
    );
    match mailer
        .send(&user.email, "Your Proost invitation", body)
        .await
    {
        Ok(()) => out["invite_emailed"] = json!(true),
        Err(e) => {
            tracing::warn!(user = %user.id, "invite email failed: {e}");
            out["invite_emailed"] = json!(false);
            out["invite_email_error"] = json!({"code": "smtp_failed", "message": e});
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    email: String,
    name: String,
    password: Option<String>,
    role: String,
    #[serde(default)]
    attributes: serde_json::Map<String, Value>,
    business_address: Option<String>,
    business_phone: Option<String>,
    #[serde(default)]
    sso_enforced: bool,
}

pub async fn create_user(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateUser>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let email = body.email.trim().to_string();
    validate_email(&email)?;
    validate_name(&body.name)?;
    check_role(&state, &body.role).await?;
    check_attributes(&body.attributes)?;
    check_profile_text("business_address", &body.business_address)?;
    check_profile_text("business_phone", &body.business_phone)?;
    crate::licence::check_can_add(&state, crate::licence::LicensedThing::User).await?;
    let password_hash = match &body.password {
        Some(p) if body.sso_enforced => {
            let _ = p;
            return Err(ApiError::bad_request(
                "sso_enforced",
                "a user who must sign in through SSO gets no password",
            ));
        }
        Some(p) => {
            validate_password(p)?;
            Some(secrets::hash_password(p).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let user = state
        .store
        .create_user(&NewUser {
            email,
            name: body.name.trim().to_string(),
            password_hash,
            role: body.role.clone(),
            attributes: body.attributes,
            business_address: body.business_address,
            business_phone: body.business_phone,
            sso_enforced: body.sso_enforced,
            ..Default::default()
        })
        .await?;
    state.access.changed();
    let mut out = user_json(&user);
    if !user.has_password && !user.sso_enforced {
        let link = invite(&state, &user).await?;
        email_invite(&state, &user, &link, &mut out).await;
        out["invite_url"] = json!(link);
    }
    audit(
        &state,
        &caller,
        "user.create",
        Some(&user.id),
        &json!({"role": user.role_name(), "invited": out.get("invite_url").is_some(),
                "emailed": out.get("invite_emailed") == Some(&json!(true)),
                "sso_enforced": user.sso_enforced}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

pub async fn list_users(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let users = state.store.users().await?;
    Ok(Json(
        json!({"users": users.iter().map(user_json).collect::<Vec<_>>()}),
    ))
}

/// A user the caller may see: anyone for an admin, else only themselves. Others are
/// "not found", so ids cannot be probed.
async fn visible_user(state: &AppState, caller: &Caller, id: &str) -> ApiResult<User> {
    if !caller.is_admin() && caller.user.id != id {
        return Err(ApiError::not_found("user"));
    }
    state
        .store
        .user(id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))
}

pub async fn get_user(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = visible_user(&state, &caller, &id).await?;
    let mut out = user_json(&user);
    let groups = state.store.groups_of(&user.id).await?;
    out["groups"] = json!(
        groups
            .iter()
            .map(|(g, source)| json!({"id": g.id, "name": g.name, "source": source}))
            .collect::<Vec<_>>()
    );
    Ok(Json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    attributes: Option<serde_json::Map<String, Value>>,
    #[serde(default, deserialize_with = "some")]
    business_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    business_phone: Option<Option<String>>,
    active: Option<bool>,
    password: Option<String>,
    /// Needed when a user changes their own password.
    current_password: Option<String>,
    sso_enforced: Option<bool>,
}

/// Tells "absent" (leave as is) from `null` (clear it).
fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

pub async fn patch_user(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PatchUser>,
) -> ApiResult<Json<Value>> {
    let user = visible_user(&state, &caller, &id).await?;
    let admin = caller.is_admin();
    let admin_only = body.role.is_some()
        || body.attributes.is_some()
        || body.active.is_some()
        || body.sso_enforced.is_some()
        || body.email.is_some();
    if admin_only && !admin {
        return Err(ApiError::forbidden(
            "only an admin can change a user's email, role, attributes, status or SSO",
        ));
    }
    if let Some(n) = &body.name {
        validate_name(n)?;
    }
    if let Some(e) = &body.email {
        validate_email(e.trim())?;
    }
    if let Some(r) = &body.role {
        check_role(&state, r).await?;
    }
    if let Some(a) = &body.attributes {
        check_attributes(a)?;
    }
    check_profile_text("business_address", &body.business_address.clone().flatten())?;
    check_profile_text("business_phone", &body.business_phone.clone().flatten())?;
    let demotes = body.role.as_deref().is_some_and(|r| r != "admin") || body.active == Some(false);
    if demotes {
        not_the_last_admin(&state, &user).await?;
    }
    let password_hash = match &body.password {
        Some(p) => {
            if user.sso_enforced || body.sso_enforced == Some(true) {
                return Err(ApiError::bad_request(
                    "sso_enforced",
                    "this user signs in through SSO; passwords are off for them",
                ));
            }
            if caller.user.id == user.id {
                // A stolen session alone must not be enough to take the account over.
                let ok = match (
                    &body.current_password,
                    state.store.user_for_login(&user.email).await?,
                ) {
                    (Some(current), Some((_, Some(hash)))) => {
                        secrets::verify_password(current, &hash)
                    }
                    _ => false,
                };
                if !ok {
                    return Err(ApiError::forbidden("the current password is wrong")
                        .with_code("current_password_invalid"));
                }
            }
            validate_password(p)?;
            Some(secrets::hash_password(p).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let patch = UserPatch {
        name: body.name.map(|n| n.trim().to_string()),
        email: body.email.map(|e| e.trim().to_string()),
        role: body.role.clone(),
        attributes: body.attributes.clone(),
        business_address: body.business_address,
        business_phone: body.business_phone,
        active: body.active,
        password_hash: password_hash.clone(),
        sso_enforced: body.sso_enforced,
    };
    let updated = state
        .store
        .update_user(&id, &patch)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let updated = if body.sso_enforced == Some(true) {
        // SSO only: no password left to log in with or to reset.
        state.store.clear_password(&id).await?;
        state.store.user(&id).await?.unwrap_or(updated)
    } else {
        updated
    };
    if password_hash.is_some() || body.active == Some(false) || body.sso_enforced == Some(true) {
        // Whoever else held a session must sign in again; a user changing their own
        // password keeps the session they did it from.
        let keep = (caller.user.id == id).then_some(caller.token_hash.as_str());
        end_sessions(&state, &id, keep).await?;
    }
    state.access.changed();
    let mut changed: Vec<&str> = Vec::new();
    for (field, set) in [
        ("name", patch.name.is_some()),
        ("email", patch.email.is_some()),
        ("role", patch.role.is_some()),
        ("attributes", patch.attributes.is_some()),
        ("business_address", patch.business_address.is_some()),
        ("business_phone", patch.business_phone.is_some()),
        ("active", patch.active.is_some()),
        ("password", patch.password_hash.is_some()),
        ("sso_enforced", patch.sso_enforced.is_some()),
    ] {
        if set {
            changed.push(field);
        }
    }
    let action = match body.active {
        Some(false) => "user.deactivate",
        Some(true) if !user.active => "user.reactivate",
        _ => "user.update",
    };
    audit(
        &state,
        &caller,
        action,
        Some(&id),
        &json!({"fields": changed, "role": body.role}),
    )
    .await?;
    Ok(Json(user_json(&updated)))
}

pub async fn delete_user(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    let user = state
        .store
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    not_the_last_admin(&state, &user).await?;
    end_sessions(&state, &id, None).await?;
    state.store.delete_user(&id).await?;
    state.access.changed();
    audit(&state, &caller, "user.delete", Some(&id), &json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new invite link for a user without a password (admin).
pub async fn reinvite_user(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let user = state
        .store
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    if user.sso_enforced {
        return Err(ApiError::bad_request(
            "sso_enforced",
            "this user signs in through SSO; there is no password to set",
        ));
    }
    let url = invite(&state, &user).await?;
    let mut out = json!({"invite_url": url});
    email_invite(&state, &user, &url, &mut out).await;
    audit(
        &state,
        &caller,
        "user.invite",
        Some(&id),
        &json!({"emailed": out["invite_emailed"]}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize)]
pub struct AcceptInvite {
    token: String,
    password: String,
}

/// Sets a password from an invite link; the link works once.
pub async fn accept_invite(
    State(state): Shared,
    JsonBody(body): JsonBody<AcceptInvite>,
) -> ApiResult<Json<Value>> {
    validate_password(&body.password)?;
    let hash = secrets::hash_password(&body.password).map_err(ApiError::internal)?;
    let user = state
        .store
        .accept_invite(&secrets::token_hash(body.token.trim()), &hash)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "invite_invalid",
                "this invite link is not valid: it was used, it expired, or it was replaced",
            )
        })?;
    state
        .store
        .audit(Some(&user.id), "invite.accept", Some(&user.id), &json!({}))
        .await?;
    Ok(Json(json!({"id": user.id, "email": user.email})))
}

// ------------------------------------------------------------------------- roles ----

pub async fn list_roles(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let mut roles = vec![
        json!({"name": "admin", "builtin": true, "capabilities": crate::access::CAPABILITIES}),
        json!({"name": "analyst", "builtin": true, "capabilities": ["sql", "native_sql"]}),
        json!({"name": "viewer", "builtin": true, "capabilities": []}),
    ];
    for r in state.store.roles().await? {
        roles.push(json!({"name": r.name, "builtin": false, "capabilities": r.capabilities, "created_at": r.created_at}));
    }
    Ok(Json(json!({ "roles": roles })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    name: String,
    #[serde(default)]
    capabilities: Vec<String>,
}

pub async fn create_role(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateRole>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let name = body.name.trim();
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok || matches!(name, "admin" | "analyst" | "viewer") {
        return Err(ApiError::bad_request(
            "role_name_invalid",
            "a custom role name is 1 to 63 of a-z, 0-9, _ and -, and not a built-in role",
        ));
    }
    if let Some(c) = body
        .capabilities
        .iter()
        .find(|c| !crate::access::CAPABILITIES.contains(&c.as_str()))
    {
        return Err(ApiError::bad_request(
            "capability_unknown",
            format!(
                "unknown capability `{c}`; choose from {}",
                crate::access::CAPABILITIES.join(", ")
            ),
        ));
    }
    crate::licence::check_can_add(&state, crate::licence::LicensedThing::Role).await?;
    let role = state.store.create_role(name, &body.capabilities).await?;
    state.access.changed();
    audit(
        &state,
        &caller,
        "role.create",
        Some(&role.name),
        &json!({"capabilities": role.capabilities}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(role))).into_response())
}

pub async fn delete_role(
    State(state): Shared,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    if !state.store.delete_role(&name).await? {
        return Err(ApiError::not_found("role"));
    }
    state.access.changed();
    audit(&state, &caller, "role.delete", Some(&name), &json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------------ groups ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn create_group(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateGroup>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    validate_name(&body.name).map_err(|e| e.with_code("group_name_invalid"))?;
    if body.description.chars().count() > 1000 {
        return Err(ApiError::bad_request(
            "description_invalid",
            "a description is at most 1000 characters",
        ));
    }
    let g = state
        .store
        .create_group(body.name.trim(), &body.description)
        .await?;
    audit(
        &state,
        &caller,
        "group.create",
        Some(&g.id),
        &json!({"name": g.name}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(g))).into_response())
}

pub async fn list_groups(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    Ok(Json(json!({"groups": state.store.groups().await?})))
}

async fn find_group(state: &AppState, id: &str) -> ApiResult<proost_store::GroupRecord> {
    state
        .store
        .group(id)
        .await?
        .ok_or_else(|| ApiError::not_found("group"))
}

pub async fn get_group(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    let g = find_group(&state, &id).await?;
    let members = state.store.members(&g.id).await?;
    let mut out = json!(g);
    out["members"] = json!(
        members
            .iter()
            .map(|u| json!({"id": u.id, "email": u.email, "name": u.name}))
            .collect::<Vec<_>>()
    );
    Ok(Json(out))
}

pub async fn delete_group(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    if !state.store.delete_group(&id).await? {
        return Err(ApiError::not_found("group"));
    }
    state.access.changed();
    audit(&state, &caller, "group.delete", Some(&id), &json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    user: String,
}

pub async fn add_member(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AddMember>,
) -> ApiResult<Response> {
    caller.require_admin()?;
    let g = find_group(&state, &id).await?;
    let user = state
        .store
        .user(&body.user)
        .await?
        .ok_or_else(|| ApiError::bad_request("user_not_found", "no user with that id"))?;
    let added = state.store.add_member(&g.id, &user.id, "manual").await?;
    state.access.changed();
    if added {
        audit(
            &state,
            &caller,
            "group.member.add",
            Some(&g.id),
            &json!({"user": user.id}),
        )
        .await?;
    }
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({"group": g.id, "user": user.id}))).into_response())
}

pub async fn remove_member(
    State(state): Shared,
    caller: Caller,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    let g = find_group(&state, &id).await?;
    if !state.store.remove_member(&g.id, &user).await? {
        return Err(ApiError::not_found("member"));
    }
    state.access.changed();
    audit(
        &state,
        &caller,
        "group.member.remove",
        Some(&g.id),
        &json!({"user": user}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------ sessions & tokens ----

/// The caller's own sessions and API tokens (the current one marked).
pub async fn list_sessions(State(state): Shared, caller: Caller) -> ApiResult<Json<Value>> {
    let sessions = state.store.sessions_of(Some(&caller.user.id)).await?;
    let out: Vec<Value> = sessions
        .iter()
        .map(|s| {
            let mut v = json!(s);
            v["current"] = json!(s.id == caller.session_id);
            v
        })
        .collect();
    Ok(Json(json!({ "sessions": out })))
}

/// Ends one of the caller's sessions or tokens; an admin may end anyone's.
pub async fn revoke_session(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let owner = if caller.is_admin() {
        None
    } else {
        Some(caller.user.id.as_str())
    };
    let Some(hash) = state.store.revoke_session(&id, owner).await? else {
        return Err(ApiError::not_found("session"));
    };
    state.sessions.forget(&hash);
    audit(&state, &caller, "session.revoke", Some(&id), &json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session and token of a user (admin), e.g. after a lost laptop.
pub async fn revoke_user_sessions(
    State(state): Shared,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller.require_admin()?;
    if state.store.user(&id).await?.is_none() {
        return Err(ApiError::not_found("user"));
    }
    let revoked = end_sessions(&state, &id, None).await?;
    audit(
        &state,
        &caller,
        "session.revoke_all",
        Some(&id),
        &json!({"sessions": revoked}),
    )
    .await?;
    Ok(Json(json!({ "revoked": revoked })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    name: String,
    scope: String,
    expires_in_days: Option<i64>,
}

/// Makes an API token for the caller. The token is in this answer only; Proost keeps its
/// hash.
pub async fn create_token(
    State(state): Shared,
    caller: Caller,
    JsonBody(body): JsonBody<CreateToken>,
) -> ApiResult<Response> {
    if !matches!(body.scope.as_str(), "read" | "query" | "admin") {
        return Err(ApiError::bad_request(
            "token_scope_invalid",
            "a token's scope is read, query or admin",
        ));
    }
    // A token never holds more than the session that makes it.
    if caller.scope != "full" && caller.scope != "admin" {
        return Err(ApiError::forbidden("an API token cannot make tokens")
            .with_code("token_scope_insufficient"));
    }
    validate_name(&body.name).map_err(|e| e.with_code("token_name_invalid"))?;
    let days = body.expires_in_days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        return Err(ApiError::bad_request(
            "token_expiry_invalid",
            "a token lives 1 to 365 days",
        ));
    }
    let token = format!("pst_{}", secrets::new_token());
    let expires = chrono::Utc::now() + chrono::Duration::days(days);
    let id = state
        .store
        .create_session(
            &caller.user.id,
            &secrets::token_hash(&token),
            // Bearer tokens are not cookies: CSRF does not apply, but the column is required.
            &secrets::new_token(),
            expires,
            "api",
            Some(body.name.trim()),
            &body.scope,
            None,
        )
        .await?;
    audit(
        &state,
        &caller,
        "token.create",
        Some(&id),
        &json!({"name": body.name.trim(), "scope": body.scope, "expires_at": expires.to_rfc3339()}),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"id": id, "name": body.name.trim(), "scope": body.scope,
                    "token": token, "expires_at": expires.to_rfc3339()}),
        ),
    )
        .into_response())
}
