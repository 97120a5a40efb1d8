//! Groups (and their members) and custom roles: admin work, audited; every change makes
//! everyone's access be recomputed.

use proost_store::{GroupRecord, RoleRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::accounts::validate_name;
use crate::access::{BUILT_IN_ROLES, CAPABILITIES};
use crate::licence::{LicensedThing, check_can_add};
use crate::{Actor, App, Error, Result};

/// `POST /api/v1/groups`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<GroupRecord>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDetail {
    #[serde(flatten)]
    #[schema(inline)]
    pub group: GroupRecord,
    pub members: Vec<Member>,
}

/// `POST /api/v1/groups/{id}/members`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub user: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberAdded {
    pub group: String,
    pub user: String,
    /// False when the user was a member already.
    #[serde(skip)]
    pub added: bool,
}

/// A role: built in, or made of capabilities by an admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub name: String,
    pub builtin: bool,
    pub capabilities: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub roles: Vec<RoleView>,
}

/// `POST /api/v1/roles`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    pub name: String,
    /// From `sql`, `native_sql`, `read_audit`, `read_usage`.
    #[serde(default)]
    pub capabilities: Vec<String>,
}

pub async fn create_group(app: &App, actor: &Actor, body: NewGroup) -> Result<GroupRecord> {
    actor.require_admin()?;
    validate_name(&body.name).map_err(|e| e.with_code("group_name_invalid"))?;
    if body.description.chars().count() > 1000 {
        return Err(Error::bad_request(
            "description_invalid",
            "a description is at most 1000 characters",
        ));
    }
    let g = app
        .store
        .create_group(body.name.trim(), &body.description)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "group.create",
        Some(&g.id),
        &json!({"name": g.name}),
    )
    .await?;
    Ok(g)
}

pub async fn list_groups(app: &App, actor: &Actor) -> Result<GroupList> {
    actor.require_admin()?;
    Ok(GroupList {
        groups: app.store.groups().await?,
    })
}

async fn find_group(app: &App, id: &str) -> Result<GroupRecord> {
    app.store
        .group(id)
        .await?
        .ok_or_else(|| Error::not_found("group"))
}

pub async fn get_group(app: &App, actor: &Actor, id: &str) -> Result<GroupDetail> {
    actor.require_admin()?;
    let group = find_group(app, id).await?;
    let members = app
        .store
        .members(&group.id)
        .await?
        .into_iter()
        .map(|u| Member {
            id: u.id,
            email: u.email,
            name: u.name,
        })
        .collect();
    Ok(GroupDetail { group, members })
}

pub async fn delete_group(app: &App, actor: &Actor, id: &str) -> Result<()> {
    actor.require_admin()?;
    if !app.store.delete_group(id).await? {
        return Err(Error::not_found("group"));
    }
    app.access.changed();
    app.audit(Some(&actor.user.id), "group.delete", Some(id), &json!({}))
        .await?;
    Ok(())
}

pub async fn add_member(
    app: &App,
    actor: &Actor,
    id: &str,
    body: NewMember,
) -> Result<MemberAdded> {
    actor.require_admin()?;
    let g = find_group(app, id).await?;
    let user = app
        .store
        .user(&body.user)
        .await?
        .ok_or_else(|| Error::bad_request("user_not_found", "no user with that id"))?;
    let added = app.store.add_member(&g.id, &user.id, "manual").await?;
    app.access.changed();
    if added {
        app.audit(
            Some(&actor.user.id),
            "group.member.add",
            Some(&g.id),
            &json!({"user": user.id}),
        )
        .await?;
    }
    Ok(MemberAdded {
        group: g.id,
        user: user.id,
        added,
    })
}

pub async fn remove_member(app: &App, actor: &Actor, id: &str, user: &str) -> Result<()> {
    actor.require_admin()?;
    let g = find_group(app, id).await?;
    if !app.store.remove_member(&g.id, user).await? {
        return Err(Error::not_found("member"));
    }
    app.access.changed();
    app.audit(
        Some(&actor.user.id),
        "group.member.remove",
        Some(&g.id),
        &json!({"user": user}),
    )
    .await?;
    Ok(())
}

pub async fn list_roles(app: &App, actor: &Actor) -> Result<RoleList> {
    actor.require_admin()?;
    let builtin = |name: &str, caps: &[&str]| RoleView {
        name: name.into(),
        builtin: true,
        capabilities: caps.iter().map(|c| c.to_string()).collect(),
        created_at: None,
    };
    let mut roles = vec![
        builtin("admin", CAPABILITIES),
        builtin("analyst", &["sql", "native_sql"]),
        builtin("viewer", &[]),
        builtin("privacy_officer", &["privacy_requests"]),
    ];
    for r in app.store.roles().await? {
        if BUILT_IN_ROLES.contains(&r.name.as_str()) {
            continue;
        }
        roles.push(RoleView {
            name: r.name,
            builtin: false,
            capabilities: r.capabilities,
            created_at: Some(r.created_at),
        });
    }
    Ok(RoleList { roles })
}

pub async fn create_role(app: &App, actor: &Actor, body: NewRole) -> Result<RoleRecord> {
    actor.require_admin()?;
    let name = body.name.trim();
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok || BUILT_IN_ROLES.contains(&name) {
        return Err(Error::bad_request(
            "role_name_invalid",
            "a custom role name is 1 to 63 of a-z, 0-9, _ and -, and not a built-in role",
        ));
    }
    if let Some(c) = body
        .capabilities
        .iter()
        .find(|c| !CAPABILITIES.contains(&c.as_str()))
    {
        return Err(Error::bad_request(
            "capability_unknown",
            format!(
                "unknown capability `{c}`; choose from {}",
                CAPABILITIES.join(", ")
            ),
        ));
    }
    check_can_add(app, LicensedThing::Role).await?;
    let role = app.store.create_role(name, &body.capabilities).await?;
    app.access.changed();
    app.audit(
        Some(&actor.user.id),
        "role.create",
        Some(&role.name),
        &json!({"capabilities": role.capabilities}),
    )
    .await?;
    Ok(role)
}

pub async fn delete_role(app: &App, actor: &Actor, name: &str) -> Result<()> {
    actor.require_admin()?;
    if BUILT_IN_ROLES.contains(&name) {
        return Err(Error::bad_request(
            "role_builtin",
            format!("`{name}` is a built-in role and cannot be deleted"),
        ));
    }
    if !app.store.delete_role(name).await? {
        return Err(Error::not_found("role"));
    }
    app.access.changed();
    app.audit(Some(&actor.user.id), "role.delete", Some(name), &json!({}))
        .await?;
    Ok(())
}
