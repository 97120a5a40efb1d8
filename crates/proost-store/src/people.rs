//! Users, custom roles, groups and their members, sessions and API tokens, invites.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, StoreError, User, now, parse_time, unique_violation, user_from};

/// A user an admin (or a directory) adds.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub business_address: Option<String>,
    pub business_phone: Option<String>,
    pub sso_provider: Option<String>,
    pub sso_subject: Option<String>,
    pub sso_enforced: bool,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub attributes: Option<serde_json::Map<String, serde_json::Value>>,
    pub business_address: Option<Option<String>>,
    pub business_phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub sso_enforced: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleRecord {
    pub name: String,
    pub capabilities: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupRecord {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub members: i64,
}

/// A session as its owner (or an admin) sees it: never the token or its hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub name: Option<String>,
    pub scope: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub client_ip: Option<String>,
}

/// Splits a role name into the built-in column and the custom role, if any.
fn role_columns(role: &str) -> (&'static str, Option<&str>) {
    match role {
        "admin" => ("admin", None),
        "analyst" => ("analyst", None),
        "viewer" => ("viewer", None),
        custom => ("viewer", Some(custom)),
    }
}

fn conflict_or(e: sqlx::Error, what: String) -> StoreError {
    if unique_violation(&e) {
        StoreError::Conflict(what)
    } else {
        e.into()
    }
}

impl Store {
    pub async fn create_user(&self, u: &NewUser) -> Result<User> {
        let id = uuid::Uuid::new_v4().to_string();
        let (role, custom) = role_columns(&u.role);
        let at = now();
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, role, custom_role, active, created_at, \
             business_address, business_phone, attributes, sso_provider, sso_subject, sso_enforced, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&u.email)
        .bind(&u.name)
        .bind(&u.password_hash)
        .bind(role)
        .bind(custom)
        .bind(&at)
        .bind(&u.business_address)
        .bind(&u.business_phone)
        .bind(serde_json::Value::Object(u.attributes.clone()).to_string())
        .bind(&u.sso_provider)
        .bind(&u.sso_subject)
        .bind(u.sso_enforced as i64)
        .bind(&at)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict_or(e, format!("a user with the email `{}`", u.email)))?;
        self.user(&id)
            .await?
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn user(&self, id: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(user_from))
    }

    pub async fn user_by_sso(&self, provider: &str, subject: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE sso_provider = ? AND sso_subject = ?")
            .bind(provider)
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(user_from))
    }

    /// Links an existing user to a directory identity.
    pub async fn link_sso(&self, user_id: &str, provider: &str, subject: &str) -> Result<()> {
        sqlx::query(
            "UPDATE users SET sso_provider = ?, sso_subject = ?, updated_at = ? WHERE id = ?",
        )
        .bind(provider)
        .bind(subject)
        .bind(now())
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY lower(name), email")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(user_from).collect())
    }

    /// Active users holding the admin role.
    pub async fn admin_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND custom_role IS NULL AND active = 1",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn update_user(&self, id: &str, p: &UserPatch) -> Result<Option<User>> {
        let mut tx = self.write_tx().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let at = now();
        macro_rules! set {
            ($col:literal, $val:expr) => {
                sqlx::query(concat!(
                    "UPDATE users SET ",
                    $col,
                    " = ?, updated_at = ? WHERE id = ?"
                ))
                .bind($val)
                .bind(&at)
                .bind(id)
                .execute(&mut *tx)
                .await
            };
        }
        if let Some(v) = &p.name {
            set!("name", v)?;
        }
        if let Some(v) = &p.email {
            set!("email", v).map_err(|e| conflict_or(e, format!("a user with the email `{v}`")))?;
        }
        if let Some(v) = &p.role {
            let (role, custom) = role_columns(v);
            set!("role", role)?;
            set!("custom_role", custom)?;
        }
        if let Some(v) = &p.attributes {
            set!(
                "attributes",
                serde_json::Value::Object(v.clone()).to_string()
            )?;
        }
        if let Some(v) = &p.business_address {
            set!("business_address", v)?;
        }
        if let Some(v) = &p.business_phone {
            set!("business_phone", v)?;
        }
        if let Some(v) = p.active {
            // The caller ends a deactivated user's sessions (and forgets them from
            // memory); `session()` refuses inactive users meanwhile.
            set!("active", v as i64)?;
        }
        if let Some(v) = &p.password_hash {
            set!("password_hash", v)?;
        }
        if let Some(v) = p.sso_enforced {
            set!("sso_enforced", v as i64)?;
        }
        tx.commit().await?;
        self.user(id).await
    }

    pub async fn clear_password(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = NULL, updated_at = ? WHERE id = ?")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM invites WHERE user_id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a user; their sessions, tokens, memberships and grants go with them.
    pub async fn delete_user(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM users WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    // ------------------------------------------------------------------ roles ----

    pub async fn create_role(&self, name: &str, capabilities: &[String]) -> Result<RoleRecord> {
        let at = now();
        sqlx::query("INSERT INTO roles (name, capabilities, created_at) VALUES (?, ?, ?)")
            .bind(name)
            .bind(serde_json::to_string(capabilities).unwrap_or_else(|_| "[]".into()))
            .bind(&at)
            .execute(&self.pool)
            .await
            .map_err(|e| conflict_or(e, format!("a role named `{name}`")))?;
        Ok(RoleRecord {
            name: name.to_string(),
            capabilities: capabilities.to_vec(),
            created_at: at,
        })
    }

    pub async fn roles(&self) -> Result<Vec<RoleRecord>> {
        let rows = sqlx::query("SELECT * FROM roles ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(role_from).collect())
    }

    pub async fn role(&self, name: &str) -> Result<Option<RoleRecord>> {
        let row = sqlx::query("SELECT * FROM roles WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(role_from))
    }

    /// Deletes a custom role no user holds; `Ok(false)` if it does not exist.
    pub async fn delete_role(&self, name: &str) -> Result<bool> {
        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE custom_role = ?")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        if held > 0 {
            return Err(StoreError::Conflict(format!(
                "{held} user(s) holding the role `{name}`"
            )));
        }
        let r = sqlx::query("DELETE FROM roles WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    // ----------------------------------------------------------------- groups ----

    pub async fn create_group(&self, name: &str, description: &str) -> Result<GroupRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        sqlx::query("INSERT INTO groups (id, name, description, created_at) VALUES (?, ?, ?, ?)")
            .bind(&id)
            .bind(name)
            .bind(description)
            .bind(&at)
            .execute(&self.pool)
            .await
            .map_err(|e| conflict_or(e, format!("a group named `{name}`")))?;
        Ok(GroupRecord {
            id,
            name: name.to_string(),
            description: description.to_string(),
            created_at: at,
            members: 0,
        })
    }

    pub async fn groups(&self) -> Result<Vec<GroupRecord>> {
        let rows = sqlx::query(
            "SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
             FROM groups g ORDER BY lower(g.name)",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(group_from).collect())
    }

    pub async fn group(&self, id: &str) -> Result<Option<GroupRecord>> {
        let query = sqlx::query(
            "SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
             FROM groups g WHERE g.id = ?",
        );
        let row = query.bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(group_from))
    }

    /// Names compare case-insensitively (the column is NOCASE).
    pub async fn group_by_name(&self, name: &str) -> Result<Option<GroupRecord>> {
        let query = sqlx::query(
            "SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
             FROM groups g WHERE g.name = ?",
        );
        let row = query.bind(name).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(group_from))
    }

    pub async fn delete_group(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM groups WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Adds a member; `Ok(false)` when they already were one.
    pub async fn add_member(&self, group_id: &str, user_id: &str, source: &str) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO group_members (group_id, user_id, source) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(group_id)
        .bind(user_id)
        .bind(source)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn remove_member(&self, group_id: &str, user_id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
            .bind(group_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Users in a group.
    pub async fn members(&self, group_id: &str) -> Result<Vec<User>> {
        let rows = sqlx::query(
            "SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.id \
             WHERE m.group_id = ? ORDER BY lower(u.name)",
        )
        .bind(group_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(user_from).collect())
    }

    /// The groups a user is in, with how they got there.
    pub async fn groups_of(&self, user_id: &str) -> Result<Vec<(GroupRecord, String)>> {
        let rows = sqlx::query(
            "SELECT g.*, 0 AS members, m.source FROM groups g JOIN group_members m ON m.group_id = g.id \
             WHERE m.user_id = ? ORDER BY lower(g.name)",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (group_from(r), r.get::<String, _>("source")))
            .collect())
    }

    // --------------------------------------------------------------- sessions ----

    /// Sessions and tokens of one user, or of everyone when `user_id` is `None`.
    pub async fn sessions_of(&self, user_id: Option<&str>) -> Result<Vec<SessionInfo>> {
        let rows = sqlx::query(
            "SELECT * FROM sessions WHERE (?1 IS NULL OR user_id = ?1) AND expires_at > ?2 \
             ORDER BY created_at DESC",
        )
        .bind(user_id)
        .bind(Utc::now().to_rfc3339())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SessionInfo {
                id: r.get("id"),
                user_id: r.get("user_id"),
                kind: r.get("kind"),
                name: r.get("name"),
                scope: r.get("scope"),
                created_at: r.get("created_at"),
                last_seen_at: r.get("last_seen_at"),
                expires_at: r.get("expires_at"),
                client_ip: r.get("client_ip"),
            })
            .collect())
    }

    /// Ends a session by its public id, only if it belongs to `user_id` (when given).
    /// Returns the token hash of the ended session, to forget it from memos.
    pub async fn revoke_session(&self, id: &str, user_id: Option<&str>) -> Result<Option<String>> {
        let hash: Option<String> = sqlx::query_scalar(
            "DELETE FROM sessions WHERE id = ?1 AND (?2 IS NULL OR user_id = ?2) RETURNING token_hash",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(hash)
    }

    /// Ends every session of a user but `keep` (a token hash); returns the token hashes.
    pub async fn revoke_sessions_of(
        &self,
        user_id: &str,
        keep: Option<&str>,
    ) -> Result<Vec<String>> {
        let hashes: Vec<String> = sqlx::query_scalar(
            "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2) RETURNING token_hash",
        )
        .bind(user_id)
        .bind(keep)
        .fetch_all(&self.pool)
        .await?;
        Ok(hashes)
    }

    /// Notes activity on a session (for the idle timeout).
    pub async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(at.to_rfc3339())
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---------------------------------------------------------------- invites ----

    pub async fn create_invite(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM invites WHERE user_id = ?")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO invites (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at.to_rfc3339())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Consumes an invite and sets the password in one transaction: a link works once.
    pub async fn accept_invite(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<Option<User>> {
        let mut tx = self.write_tx().await?;
        let row =
            sqlx::query("DELETE FROM invites WHERE token_hash = ? RETURNING user_id, expires_at")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else { return Ok(None) };
        if parse_time(&row.get::<String, _>("expires_at")) <= Utc::now() {
            tx.commit().await?;
            return Ok(None);
        }
        let user_id: String = row.get("user_id");
        sqlx::query(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND sso_enforced = 0",
        )
        .bind(password_hash)
        .bind(now())
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.user(&user_id).await
    }
}

fn role_from(r: &sqlx::sqlite::SqliteRow) -> RoleRecord {
    RoleRecord {
        name: r.get("name"),
        capabilities: serde_json::from_str(&r.get::<String, _>("capabilities")).unwrap_or_default(),
        created_at: r.get("created_at"),
    }
}

fn group_from(r: &sqlx::sqlite::SqliteRow) -> GroupRecord {
    GroupRecord {
        id: r.get("id"),
        name: r.get("name"),
        description: r.get("description"),
        created_at: r.get("created_at"),
        members: r.get("members"),
    }
}
