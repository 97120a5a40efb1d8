//! People's accounts: first-run setup, users an admin creates, invites, profiles, the
//! rules that keep an instance administrable (never without an admin). Audited here.

use proost_store::{NewUser, User, UserPatch, secrets};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::licence::{LicensedThing, check_can_add};
use crate::{Actor, App, Error, Result};

pub const MIN_PASSWORD: usize = 12;

/// A user as admins (and the user themself) see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    /// `admin`, `analyst`, `viewer` or a custom role's name.
    pub role: String,
    pub active: bool,
    pub created_at: String,
    pub business_address: Option<String>,
    pub business_phone: Option<String>,
    /// What row policies may refer to as `{{user.<key>}}`.
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
    pub sso_provider: Option<String>,
    pub sso_enforced: bool,
    pub has_password: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.clone(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role_name().to_string(),
            active: u.active,
            created_at: u.created_at.clone(),
            business_address: u.business_address.clone(),
            business_phone: u.business_phone.clone(),
            attributes: u.attributes.clone(),
            sso_provider: u.sso_provider.clone(),
            sso_enforced: u.sso_enforced,
            has_password: u.has_password,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
}

/// A group a user is in, and who put them there (`manual`, `oidc`, `ldap`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    pub id: String,
    pub name: String,
    pub source: String,
}

/// One user, with their groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDetail {
    #[serde(flatten)]
    pub user: UserView,
    pub groups: Vec<Membership>,
}

/// A user just created, and their invite when they have no password.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserView,
    #[serde(flatten)]
    pub invite: Option<super::invites::Invite>,
}

/// `POST /api/v1/setup`: the first admin, with the one-time token printed at start.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Setup {
    pub token: String,
    pub email: String,
    pub name: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupDone {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: &'static str,
}

/// `POST /api/v1/users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub email: String,
    pub name: String,
    /// Absent: the answer carries an invite link instead.
    pub password: Option<String>,
    pub role: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
    pub business_address: Option<String>,
    pub business_phone: Option<String>,
    #[serde(default)]
    pub sso_enforced: bool,
}

/// `PATCH /api/v1/users/{id}`: absent fields stay; `null` clears the optional ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>)]
    pub business_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>)]
    pub business_phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub password: Option<String>,
    /// Needed when a user changes their own password.
    pub current_password: Option<String>,
    pub sso_enforced: Option<bool>,
}

/// Tells "absent" (leave as is) from `null` (clear it).
fn some<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

pub fn validate_email(email: &str) -> Result<()> {
    let email_ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !email_ok {
        return Err(Error::bad_request(
            "email_invalid",
            "the email address does not look valid (name@example.com)",
        ));
    }
    Ok(())
}

pub fn validate_name(name: &str) -> Result<()> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Error::bad_request(
            "name_invalid",
            "the name must be 1 to 200 printable characters",
        ));
    }
    Ok(())
}

/// The password policy: long enough to resist guessing (NIST 800-63B: length over
/// composition rules), not absurdly long (argon2 work), not all one character.
pub fn validate_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD || password.len() > 1024 {
        return Err(Error::bad_request(
            "password_too_short",
            format!("the password needs at least {MIN_PASSWORD} characters"),
        ));
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(Error::bad_request(
            "password_too_weak",
            "the password repeats one character; choose a passphrase",
        ));
    }
    Ok(())
}

/// Completes first-run setup: the first admin, with the one-time token printed at start
/// (spent atomically, so it works once).
pub async fn setup(app: &App, body: Setup) -> Result<SetupDone> {
    validate_email(&body.email)?;
    validate_name(&body.name)?;
    validate_password(&body.password)?;
    let hash = secrets::hash_password(&body.password).map_err(Error::internal)?;
    let user = app
        .store
        .complete_setup(
            &secrets::token_hash(&body.token),
            body.email.trim(),
            body.name.trim(),
            &hash,
        )
        .await?;
    tracing::info!(user = %user.id, "first admin created; setup is complete");
    app.audit(Some(&user.id), "setup.complete", Some(&user.id), &json!({}))
        .await?;
    Ok(SetupDone {
        id: user.id,
        email: user.email,
        name: user.name,
        role: "admin",
    })
}

/// Whether first-run setup is done (someone has an account).
pub async fn setup_done(app: &App) -> Result<bool> {
    Ok(app.store.user_count().await? > 0)
}

/// The last active admin may not be demoted, deactivated or deleted: nobody could
/// administer the instance any more.
async fn not_the_last_admin(app: &App, user: &User) -> Result<()> {
    if user.is_admin() && user.active && app.store.admin_count().await? <= 1 {
        return Err(Error::from_code(
            "last_admin",
            "this is the only active admin; make someone else admin first".into(),
        ));
    }
    Ok(())
}

/// A built-in role, or a custom one that exists.
async fn check_role(app: &App, role: &str) -> Result<()> {
    if matches!(role, "admin" | "analyst" | "viewer") || app.store.role(role).await?.is_some() {
        Ok(())
    } else {
        Err(Error::bad_request(
            "role_unknown",
            format!(
                "no role named `{role}`: use admin, analyst, viewer, privacy_officer or a custom role"
            ),
        ))
    }
}

fn check_attributes(attrs: &Map<String, Value>) -> Result<()> {
    let bad = attrs.iter().find(|(k, v)| {
        k.is_empty()
            || k.len() > 64
            || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || !(v.is_string() || v.is_number() || v.is_boolean() || v.is_null())
    });
    match bad {
        Some((k, _)) => Err(Error::bad_request(
            "attributes_invalid",
            format!(
                "attribute `{k}`: names are letters, digits and _; values are strings, numbers or booleans"
            ),
        )),
        None => Ok(()),
    }
}

fn check_profile_text(field: &'static str, v: &Option<String>) -> Result<()> {
    if v.as_ref()
        .is_some_and(|s| s.chars().count() > 500 || s.chars().any(|c| c.is_control() && c != '\n'))
    {
        return Err(Error::bad_request(
            "profile_invalid",
            format!("`{field}` must be at most 500 printable characters"),
        ));
    }
    Ok(())
}

pub async fn create(app: &App, actor: &Actor, body: NewUserRequest) -> Result<CreatedUser> {
    actor.require_admin()?;
    let email = body.email.trim().to_string();
    validate_email(&email)?;
    validate_name(&body.name)?;
    check_role(app, &body.role).await?;
    check_attributes(&body.attributes)?;
    check_profile_text("business_address", &body.business_address)?;
    check_profile_text("business_phone", &body.business_phone)?;
    check_can_add(app, LicensedThing::User).await?;
    let password_hash = match &body.password {
        Some(_) if body.sso_enforced => {
            return Err(Error::bad_request(
                "sso_enforced",
                "a user who must sign in through SSO gets no password",
            ));
        }
        Some(p) => {
            validate_password(p)?;
            Some(secrets::hash_password(p).map_err(Error::internal)?)
        }
        None => None,
    };
    let user = app
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
    app.access.changed();
    let invite = if !user.has_password && !user.sso_enforced {
        Some(super::invites::invite(app, &user).await?)
    } else {
        None
    };
    app.audit(
        Some(&actor.user.id),
        "user.create",
        Some(&user.id),
        &json!({"role": user.role_name(), "invited": invite.is_some(),
                    "emailed": invite.as_ref().is_some_and(|i| i.invite_emailed),
                    "sso_enforced": user.sso_enforced}),
    )
    .await?;
    Ok(CreatedUser {
        user: UserView::from(&user),
        invite,
    })
}

pub async fn list(app: &App, actor: &Actor) -> Result<UserList> {
    actor.require_admin()?;
    let users = app.store.users().await?;
    Ok(UserList {
        users: users.iter().map(UserView::from).collect(),
    })
}

/// A user the caller may see: anyone for an admin, else only themselves. Others are
/// "not found", so ids cannot be probed.
async fn visible_user(app: &App, actor: &Actor, id: &str) -> Result<User> {
    if !actor.is_admin() && actor.user.id != id {
        return Err(Error::not_found("user"));
    }
    app.store
        .user(id)
        .await?
        .ok_or_else(|| Error::not_found("user"))
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<UserDetail> {
    let user = visible_user(app, actor, id).await?;
    let groups = app.store.groups_of(&user.id).await?;
    Ok(UserDetail {
        user: UserView::from(&user),
        groups: groups
            .into_iter()
            .map(|(g, source)| Membership {
                id: g.id,
                name: g.name,
                source,
            })
            .collect(),
    })
}

pub async fn update(app: &App, actor: &Actor, id: &str, body: UserUpdate) -> Result<UserView> {
    let user = visible_user(app, actor, id).await?;
    let admin_only = body.role.is_some()
        || body.attributes.is_some()
        || body.active.is_some()
        || body.sso_enforced.is_some()
        || body.email.is_some();
    if admin_only && !actor.is_admin() {
        return Err(Error::forbidden(
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
        check_role(app, r).await?;
    }
    if let Some(a) = &body.attributes {
        check_attributes(a)?;
    }
    check_profile_text("business_address", &body.business_address.clone().flatten())?;
    check_profile_text("business_phone", &body.business_phone.clone().flatten())?;
    let demotes = body.role.as_deref().is_some_and(|r| r != "admin") || body.active == Some(false);
    if demotes {
        not_the_last_admin(app, &user).await?;
    }
    let password_hash = match &body.password {
        Some(p) => {
            if user.sso_enforced || body.sso_enforced == Some(true) {
                return Err(Error::bad_request(
                    "sso_enforced",
                    "this user signs in through SSO; passwords are off for them",
                ));
            }
            if actor.user.id == user.id {
                // A stolen session alone must not be enough to take the account over.
                let ok = match (
                    &body.current_password,
                    app.store.user_for_login(&user.email).await?,
                ) {
                    (Some(current), Some((_, Some(hash)))) => {
                        secrets::verify_password(current, &hash)
                    }
                    _ => false,
                };
                if !ok {
                    return Err(Error::forbidden("the current password is wrong")
                        .with_code("current_password_invalid"));
                }
            }
            validate_password(p)?;
            Some(secrets::hash_password(p).map_err(Error::internal)?)
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
    let updated = app
        .store
        .update_user(id, &patch)
        .await?
        .ok_or_else(|| Error::not_found("user"))?;
    let updated = if body.sso_enforced == Some(true) {
        // SSO only: no password left to log in with or to reset.
        app.store.clear_password(id).await?;
        app.store.user(id).await?.unwrap_or(updated)
    } else {
        updated
    };
    if password_hash.is_some() || body.active == Some(false) || body.sso_enforced == Some(true) {
        // Whoever else held a session must sign in again; a user changing their own
        // password keeps the session they did it from.
        let keep = (actor.user.id == id)
            .then(|| actor.session.as_ref().map(|s| s.token_hash.as_str()))
            .flatten();
        super::sessions::end_all(app, id, keep).await?;
    }
    app.access.changed();
    let changed: Vec<&str> = [
        ("name", patch.name.is_some()),
        ("email", patch.email.is_some()),
        ("role", patch.role.is_some()),
        ("attributes", patch.attributes.is_some()),
        ("business_address", patch.business_address.is_some()),
        ("business_phone", patch.business_phone.is_some()),
        ("active", patch.active.is_some()),
        ("password", patch.password_hash.is_some()),
        ("sso_enforced", patch.sso_enforced.is_some()),
    ]
    .into_iter()
    .filter_map(|(field, set)| set.then_some(field))
    .collect();
    let action = match body.active {
        Some(false) => "user.deactivate",
        Some(true) if !user.active => "user.reactivate",
        _ => "user.update",
    };
    app.audit(
        Some(&actor.user.id),
        action,
        Some(id),
        &json!({"fields": changed, "role": body.role}),
    )
    .await?;
    Ok(UserView::from(&updated))
}

pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    actor.require_admin()?;
    let user = app
        .store
        .user(id)
        .await?
        .ok_or_else(|| Error::not_found("user"))?;
    not_the_last_admin(app, &user).await?;
    super::sessions::end_all(app, id, None).await?;
    app.store.delete_user(id).await?;
    app.access.changed();
    app.audit(Some(&actor.user.id), "user.delete", Some(id), &json!({}))
        .await?;
    Ok(())
}
