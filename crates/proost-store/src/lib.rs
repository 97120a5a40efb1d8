#![forbid(unsafe_code)]
//! Store: Proost's own app database (SQLite by default) — users, sessions, the setup token
//! and connection records — with embedded migrations.
//!
//! The store persists what it is given. It never sees a plaintext credential: connection
//! parameters arrive sealed, passwords arrive as argon2id hashes and bearer tokens as
//! SHA-256 digests ([`secrets`] makes both). Deciding who may do what is not its job.

mod audit;
mod contents;
mod history;
mod links;
mod people;
mod permissions;
mod privacy;
mod replicas;
mod retention;
pub use retention::{BreachRecord, LegalHoldRecord, RetentionPolicyRecord, SweepRecord, Swept};
pub mod secrets;
pub use contents::{
    CommentRecord, ContentRecord, FieldRecord, NewContent, ShareRecord, SubscriptionRecord,
    VersionRecord,
};
pub use history::{HistoryRow, NewHistory};
pub use links::PublicLinkRecord;

// Usage analytics and instance counts (licence limits).
mod instance;
mod scans;
mod snapshot;
pub use snapshot::schema_version;
mod usage;
pub use instance::{BUILT_IN_ROLES, InstanceCounts};
pub use scans::{ScanRecord, Suggestion};
pub use usage::{
    ActiveDay, ActiveUser, StatementUsage, UsageEvent, UsageFilter, UsageSweep, truncate_ip,
};

pub use audit::AuditEntry;
pub use people::{GroupRecord, NewUser, RoleRecord, SessionInfo, UserPatch};
pub use permissions::{
    ClassificationRecord, GrantRecord, Level, NewGrant, Principal, RowPolicyRecord,
};
pub use privacy::{ErasedRecords, PrivacyRequestRecord};
pub use replicas::{ReplicaRecord, ReplicaVersionRecord};
mod preferences;
pub use preferences::{NoticeRecord, PreferencesRecord};

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the app database failed: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the app database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0} already exists")]
    Conflict(String),
    #[error("the setup token is not valid (it works once, and only until the first admin exists)")]
    SetupTokenInvalid,
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Database(_) | StoreError::Migrate(_) | StoreError::Invalid(_) => {
                "internal_error"
            }
            StoreError::Conflict(_) => "conflict",
            StoreError::SetupTokenInvalid => "setup_token_invalid",
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Admin,
    Analyst,
    Viewer,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }
    pub fn parse(s: &str) -> Role {
        match s {
            "admin" => Role::Admin,
            "analyst" => Role::Analyst,
            _ => Role::Viewer,
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A custom role's name; `role` is then the viewer floor.
    pub custom_role: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub business_address: Option<String>,
    pub business_phone: Option<String>,
    /// What row policies may refer to as `{{user.<key>}}`.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub sso_provider: Option<String>,
    /// Password login and reset are off for this user: they sign in through SSO only.
    pub sso_enforced: bool,
    pub has_password: bool,
}

impl User {
    /// The role name as the API shows it: a custom role's name, else the built-in one.
    pub fn role_name(&self) -> &str {
        self.custom_role.as_deref().unwrap_or(self.role.as_str())
    }

    /// Holds the built-in admin role (a custom role is never admin).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin && self.custom_role.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// `browser` (a login) or `api` (a token a user made).
    pub kind: String,
    /// `full` for logins; `read`, `query` or `admin` for API tokens.
    pub scope: String,
}

#[derive(Debug, Clone)]
pub struct ConnectionRecord {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub sealed_params: Vec<u8>,
    pub wrapped_dek: Vec<u8>,
    pub key_id: String,
    pub warnings: Vec<String>,
    pub demo: bool,
    pub created_at: String,
    pub created_by: Option<String>,
    /// Where the source lives; `None`: where this instance runs.
    pub region: Option<String>,
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Audit entries chain on the previous hash: one writer at a time.
    audit_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn user_from(row: &sqlx::sqlite::SqliteRow) -> User {
    let attributes: String = row.get("attributes");
    User {
        id: row.get("id"),
        email: row.get("email"),
        name: row.get("name"),
        role: Role::parse(row.get::<String, _>("role").as_str()),
        custom_role: row.get("custom_role"),
        active: row.get::<i64, _>("active") != 0,
        created_at: row.get("created_at"),
        business_address: row.get("business_address"),
        business_phone: row.get("business_phone"),
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        sso_provider: row.get("sso_provider"),
        sso_enforced: row.get::<i64, _>("sso_enforced") != 0,
        has_password: row.get::<Option<String>, _>("password_hash").is_some(),
    }
}

pub(crate) fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

fn connection_from(row: &sqlx::sqlite::SqliteRow) -> ConnectionRecord {
    let warnings: String = row.get("warnings");
    ConnectionRecord {
        id: row.get("id"),
        name: row.get("name"),
        kind: row.get("kind"),
        sealed_params: row.get("sealed_params"),
        wrapped_dek: row.get("wrapped_dek"),
        key_id: row.get("key_id"),
        warnings: serde_json::from_str(&warnings).unwrap_or_default(),
        demo: row.get::<i64, _>("demo") != 0,
        created_at: row.get("created_at"),
        created_by: row.get("created_by"),
        region: row.get("region"),
    }
}

pub(crate) fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store {
    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so it
    /// waits out another writer through the busy timeout. A deferred `BEGIN` that reads first
    /// and writes later fails at once with `database is locked` when another connection (a
    /// CLI command beside a running server) wrote in between.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Opens (creating if needed) the SQLite app database at `path` and migrates it. Each
    /// migration runs in a transaction, so a crash mid-way leaves the previous schema.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted rows (a shredded connection's wrapped key) are overwritten, not left
            // in free pages.
            .pragma("secure_delete", "ON")
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        snapshot::MIGRATOR.run(&pool).await?;
        Ok(Store {
            pool,
            audit_lock: Default::default(),
        })
    }

    /// Moves the write-ahead log into the database and truncates it, so deleted bytes do
    /// not linger in the WAL file. False when readers kept it from finishing (within the
    /// busy timeout): the caller tries again later.
    pub async fn checkpoint(&self) -> Result<bool> {
        let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await?;
        Ok(busy == 0)
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Replaces the setup token (only its hash is kept).
    pub async fn set_setup_token(&self, token_hash: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO setup_token (id, token_hash, created_at) VALUES (1, ?, ?) \
             ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(token_hash)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Creates the first admin if `token_hash` matches the unused setup token and no user
    /// exists yet; consumes the token in the same transaction, so it works exactly once even
    /// under concurrent requests.
    pub async fn complete_setup(
        &self,
        token_hash: &str,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> Result<User> {
        let mut tx = self.write_tx().await?;
        let deleted = sqlx::query(
            "DELETE FROM setup_token WHERE id = 1 AND token_hash = ? \
             AND NOT EXISTS (SELECT 1 FROM users)",
        )
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
        if deleted.rows_affected() != 1 {
            return Err(StoreError::SetupTokenInvalid);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let created = now();
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, role, active, created_at) \
             VALUES (?, ?, ?, ?, 'admin', 1, ?)",
        )
        .bind(&id)
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let row = sqlx::query("SELECT * FROM users WHERE id = ?")
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
        let _ = created;
        Ok(user_from(&row))
    }

    /// The user with this email and their password hash.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, Option<String>)>> {
        let row = sqlx::query("SELECT * FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (user_from(&r), r.get("password_hash"))))
    }

    /// Stores a session (a login or an API token); returns its public id.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_session(
        &self,
        user_id: &str,
        token_hash: &str,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
        kind: &str,
        name: Option<&str>,
        scope: &str,
        client_ip: Option<&str>,
    ) -> Result<String> {
        let created = now();
        let id = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, kind, name, scope, client_ip) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(&created)
        .bind(expires_at.to_rfc3339())
        .bind(&created)
        .bind(kind)
        .bind(name)
        .bind(scope)
        .bind(client_ip)
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// A live session of an active user, or `None` (expired sessions are removed).
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.last_seen_at, s.kind, s.scope, u.* \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at = parse_time(&row.get::<String, _>("expires_at"));
        let user = user_from(&row);
        if expires_at <= Utc::now() || !user.active {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        Ok(Some(Session {
            id: row.get("session_id"),
            user,
            csrf_token: row.get("csrf_token"),
            expires_at,
            last_seen_at: parse_time(&row.get::<String, _>("last_seen_at")),
            kind: row.get("kind"),
            scope: row.get("scope"),
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn insert_connection(&self, c: &ConnectionRecord) -> Result<()> {
        let result = sqlx::query(
            "INSERT INTO connections (id, name, kind, sealed_params, wrapped_dek, key_id, warnings, demo, created_at, created_by, region) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(&c.kind)
        .bind(&c.sealed_params)
        .bind(&c.wrapped_dek)
        .bind(&c.key_id)
        .bind(serde_json::to_string(&c.warnings).unwrap_or_else(|_| "[]".into()))
        .bind(c.demo as i64)
        .bind(&c.created_at)
        .bind(&c.created_by)
        .bind(&c.region)
        .execute(&self.pool)
        .await;
        match result {
            Err(e) if unique_violation(&e) => Err(StoreError::Conflict(format!(
                "a connection named `{}`",
                c.name
            ))),
            other => other.map(|_| ()).map_err(Into::into),
        }
    }

    /// Sets (or, with `None`, clears) where a connection's source lives; false when there is
    /// no such connection.
    pub async fn set_connection_region(&self, id: &str, region: Option<&str>) -> Result<bool> {
        let done = sqlx::query("UPDATE connections SET region = ? WHERE id = ?")
            .bind(region)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn connections(&self) -> Result<Vec<ConnectionRecord>> {
        let rows = sqlx::query("SELECT * FROM connections ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(connection_from).collect())
    }

    pub async fn connection(&self, id: &str) -> Result<Option<ConnectionRecord>> {
        let row = sqlx::query("SELECT * FROM connections WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(connection_from))
    }

    pub async fn connection_by_name(&self, name: &str) -> Result<Option<ConnectionRecord>> {
        let row = sqlx::query("SELECT * FROM connections WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(connection_from))
    }

    pub async fn delete_connection(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM connections WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Every wrapped data key (connections by id, people as `user:<id>`), for re-wrapping
    /// under a new master key.
    pub async fn wrapped_keys(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let rows = sqlx::query(
            "SELECT id, wrapped_dek FROM connections \
             UNION ALL SELECT 'user:' || user_id, wrapped_dek FROM user_keys \
             UNION ALL SELECT 'request:' || id, wrapped_dek FROM privacy_requests \
             WHERE wrapped_dek IS NOT NULL \
             UNION ALL SELECT 'audit:' || user_id || '/' || month, wrapped_dek FROM audit_keys \
             ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("id"), r.get("wrapped_dek")))
            .collect())
    }

    /// Replaces wrapped data keys, all or none: a crash mid-way leaves every key wrapped
    /// under the same master key as before.
    pub async fn replace_wrapped_keys(&self, keys: &[(String, Vec<u8>)]) -> Result<()> {
        let mut tx = self.write_tx().await?;
        for (id, wrapped) in keys {
            if let Some((user, month)) = id.strip_prefix("audit:").and_then(|k| k.split_once('/')) {
                sqlx::query(
                    "UPDATE audit_keys SET wrapped_dek = ? WHERE user_id = ? AND month = ?",
                )
                .bind(wrapped)
                .bind(user)
                .bind(month)
                .execute(&mut *tx)
                .await?;
                continue;
            }
            let (sql, id) = match (id.strip_prefix("user:"), id.strip_prefix("request:")) {
                (Some(user), _) => (
                    "UPDATE user_keys SET wrapped_dek = ? WHERE user_id = ?",
                    user,
                ),
                (_, Some(request)) => (
                    "UPDATE privacy_requests SET wrapped_dek = ? WHERE id = ?",
                    request,
                ),
                _ => (
                    "UPDATE connections SET wrapped_dek = ? WHERE id = ?",
                    id.as_str(),
                ),
            };
            sqlx::query(sql)
                .bind(wrapped)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_connection_warnings(&self, id: &str, warnings: &[String]) -> Result<()> {
        sqlx::query("UPDATE connections SET warnings = ? WHERE id = ?")
            .bind(serde_json::to_string(warnings).unwrap_or_else(|_| "[]".into()))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

pub fn timestamp_now() -> String {
    now()
}
