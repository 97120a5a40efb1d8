//! Data-subject requests and erased subjects. The store keeps what it is given: the subject
//! arrives sealed, verification and download codes as SHA-256 digests.

use std::collections::HashMap;

use sqlx::Row;

use crate::{Result, Store, now};

/// One data-subject request as stored.
#[derive(Debug, Clone)]
pub struct PrivacyRequestRecord {
    pub id: String,
    pub number: i64,
    pub kind: String,
    pub status: String,
    pub regime: String,
    pub subject_user_id: Option<String>,
    pub filed_by: Option<String>,
    pub wrapped_dek: Option<Vec<u8>>,
    pub sealed_subject: Option<Vec<u8>>,
    pub received_at: String,
    pub due_at: String,
    pub extended_at: Option<String>,
    pub extension_reason: Option<String>,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<String>,
    pub code_attempts: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub deny_code: Option<String>,
    pub deny_note: Option<String>,
    pub completed_at: Option<String>,
    pub outcome: Option<String>,
    pub error: Option<String>,
    pub bundle_file: Option<String>,
    pub bundle_expires_at: Option<String>,
    pub download_hash: Option<String>,
}

fn request_from(r: &sqlx::sqlite::SqliteRow) -> PrivacyRequestRecord {
    PrivacyRequestRecord {
        id: r.get("id"),
        number: r.get("number"),
        kind: r.get("kind"),
        status: r.get("status"),
        regime: r.get("regime"),
        subject_user_id: r.get("subject_user_id"),
        filed_by: r.get("filed_by"),
        wrapped_dek: r.get("wrapped_dek"),
        sealed_subject: r.get("sealed_subject"),
        received_at: r.get("received_at"),
        due_at: r.get("due_at"),
        extended_at: r.get("extended_at"),
        extension_reason: r.get("extension_reason"),
        code_hash: r.get("code_hash"),
        code_expires_at: r.get("code_expires_at"),
        code_attempts: r.get("code_attempts"),
        decided_by: r.get("decided_by"),
        decided_at: r.get("decided_at"),
        deny_code: r.get("deny_code"),
        deny_note: r.get("deny_note"),
        completed_at: r.get("completed_at"),
        outcome: r.get("outcome"),
        error: r.get("error"),
        bundle_file: r.get("bundle_file"),
        bundle_expires_at: r.get("bundle_expires_at"),
        download_hash: r.get("download_hash"),
    }
}

impl Store {
    /// Files a request; its number is the next one.
    pub async fn insert_privacy_request(&self, r: &PrivacyRequestRecord) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let number: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM privacy_requests")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO privacy_requests (id, number, kind, status, regime, subject_user_id, \
             filed_by, wrapped_dek, sealed_subject, received_at, due_at, code_hash, code_expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&r.id)
        .bind(number)
        .bind(&r.kind)
        .bind(&r.status)
        .bind(&r.regime)
        .bind(&r.subject_user_id)
        .bind(&r.filed_by)
        .bind(&r.wrapped_dek)
        .bind(&r.sealed_subject)
        .bind(&r.received_at)
        .bind(&r.due_at)
        .bind(&r.code_hash)
        .bind(&r.code_expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    pub async fn privacy_request(&self, id: &str) -> Result<Option<PrivacyRequestRecord>> {
        let row = sqlx::query("SELECT * FROM privacy_requests WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(request_from))
    }

    /// Requests, optionally of one status: overdue and soonest due first.
    pub async fn privacy_requests(
        &self,
        status: Option<&str>,
    ) -> Result<Vec<PrivacyRequestRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM privacy_requests WHERE (?1 IS NULL OR status = ?1) \
             ORDER BY (status IN ('completed', 'denied', 'failed')), due_at, number",
        )
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(request_from).collect())
    }

    /// Writes every changeable field of a request back (one row, one statement).
    pub async fn update_privacy_request(&self, r: &PrivacyRequestRecord) -> Result<()> {
        sqlx::query(
            "UPDATE privacy_requests SET status = ?, subject_user_id = ?, wrapped_dek = ?, \
             sealed_subject = ?, due_at = ?, extended_at = ?, extension_reason = ?, code_hash = ?, \
             code_expires_at = ?, code_attempts = ?, decided_by = ?, decided_at = ?, deny_code = ?, \
             deny_note = ?, completed_at = ?, outcome = ?, error = ?, bundle_file = ?, \
             bundle_expires_at = ?, download_hash = ? WHERE id = ?",
        )
        .bind(&r.status)
        .bind(&r.subject_user_id)
        .bind(&r.wrapped_dek)
        .bind(&r.sealed_subject)
        .bind(&r.due_at)
        .bind(&r.extended_at)
        .bind(&r.extension_reason)
        .bind(&r.code_hash)
        .bind(&r.code_expires_at)
        .bind(r.code_attempts)
        .bind(&r.decided_by)
        .bind(&r.decided_at)
        .bind(&r.deny_code)
        .bind(&r.deny_note)
        .bind(&r.completed_at)
        .bind(&r.outcome)
        .bind(&r.error)
        .bind(&r.bundle_file)
        .bind(&r.bundle_expires_at)
        .bind(&r.download_hash)
        .bind(&r.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The wrapped key sealing a person's audit fields of one month (`YYYY-MM`).
    pub async fn audit_key(&self, user_id: &str, month: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar(
                "SELECT wrapped_dek FROM audit_keys WHERE user_id = ? AND month = ?",
            )
            .bind(user_id)
            .bind(month)
            .fetch_optional(&self.pool)
            .await?,
        )
    }

    /// Stores a person's audit key for a month unless one exists; returns the one kept.
    pub async fn put_audit_key(
        &self,
        user_id: &str,
        month: &str,
        wrapped: &[u8],
    ) -> Result<Vec<u8>> {
        sqlx::query(
            "INSERT OR IGNORE INTO audit_keys (user_id, month, wrapped_dek) VALUES (?, ?, ?)",
        )
        .bind(user_id)
        .bind(month)
        .bind(wrapped)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar(
                "SELECT wrapped_dek FROM audit_keys WHERE user_id = ? AND month = ?",
            )
            .bind(user_id)
            .bind(month)
            .fetch_one(&self.pool)
            .await?,
        )
    }

    /// Retention of audit personal fields: destroys the audit keys of months before
    /// `before_month`, except those of people on legal hold. Returns (deleted, held).
    pub async fn sweep_audit_keys(&self, before_month: &str) -> Result<(u64, u64)> {
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_keys WHERE month < ? AND user_id IN \
             (SELECT target_id FROM legal_holds WHERE kind = 'user' AND released_at IS NULL)",
        )
        .bind(before_month)
        .fetch_one(&self.pool)
        .await?;
        let deleted = sqlx::query(
            "DELETE FROM audit_keys WHERE month < ? AND user_id NOT IN \
             (SELECT target_id FROM legal_holds WHERE kind = 'user' AND released_at IS NULL)",
        )
        .bind(before_month)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((deleted, held as u64))
    }

    /// Erased people: user id → the number the audit log shows for them.
    pub async fn erased_subjects(&self) -> Result<HashMap<String, i64>> {
        let rows = sqlx::query("SELECT number, user_id FROM erased_subjects")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("user_id"), r.get("number")))
            .collect())
    }

    /// Records that a person was erased; returns their number.
    pub async fn add_erased_subject(&self, user_id: &str, request_id: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO erased_subjects (user_id, request_id, erased_at) VALUES (?, ?, ?) \
             ON CONFLICT (user_id) DO UPDATE SET request_id = excluded.request_id \
             RETURNING number",
        )
        .bind(user_id)
        .bind(request_id)
        .bind(now())
        .fetch_one(&self.pool)
        .await?)
    }

    /// Erasure of a person's own records in Proost, in one transaction: usage events keep
    /// their counts without the person or address, their comments and sessions go, what
    /// they own passes to `heir`, and the user row goes — with it (by cascade) their data
    /// key, history, drafts, memberships, grants, subscriptions and invites.
    pub async fn erase_user(&self, user_id: &str, heir: &str) -> Result<ErasedRecords> {
        let mut tx = self.write_tx().await?;
        let mut out = ErasedRecords::default();
        let run = |sql: &'static str| sqlx::query(sql).bind(user_id);
        out.usage_events = run(
            "UPDATE usage_events SET user_id = NULL, ip = NULL, ip_truncated = 1 WHERE user_id = ?",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        out.comments = run("DELETE FROM comments WHERE author_id = ?")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        out.sessions = run("DELETE FROM sessions WHERE user_id = ?")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        out.content_transferred =
            sqlx::query("UPDATE contents SET owner_id = ? WHERE owner_id = ?")
                .bind(heir)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        sqlx::query("UPDATE content_versions SET author_id = NULL WHERE author_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE computed_fields SET owner_id = ? WHERE owner_id = ?")
            .bind(heir)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM shares WHERE principal_kind = 'user' AND principal_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        out.history = run("DELETE FROM query_history WHERE user_id = ?")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        out.user = run("DELETE FROM users WHERE id = ?")
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(out)
    }
}

/// What Proost keeps about one person, section by section, as JSON objects (an access
/// request's bundle). Secrets are left out: password hashes, token digests, CSRF tokens.
const SUBJECT_SECTIONS: &[(&str, &str)] = &[
    (
        "profile",
        "SELECT id, email, name, role, custom_role, active, created_at, business_address, \
         business_phone, attributes, sso_provider, sso_subject, updated_at FROM users WHERE id = ?1",
    ),
    (
        "groups",
        "SELECT g.name AS group_name, m.source FROM group_members m JOIN groups g \
         ON g.id = m.group_id WHERE m.user_id = ?1",
    ),
    (
        "grants",
        "SELECT connection_id, schema_name, table_name, column_name, level, created_at \
         FROM grants WHERE user_id = ?1",
    ),
    (
        "sessions_and_tokens",
        "SELECT id, kind, name, scope, created_at, last_seen_at, expires_at, client_ip \
         FROM sessions WHERE user_id = ?1",
    ),
    (
        "usage_events",
        "SELECT at, kind, path, statement, elapsed_ms, rows, served_from, cache, target, ip \
         FROM usage_events WHERE user_id = ?1 ORDER BY id",
    ),
    (
        "comments",
        "SELECT id, content_id, parent_id, body, hidden_reason, created_at, edited_at \
         FROM comments WHERE author_id = ?1",
    ),
    (
        "questions_and_dashboards",
        "SELECT id, kind, name, description, version, created_at, updated_at, body \
         FROM contents WHERE owner_id = ?1",
    ),
    (
        "subscriptions",
        "SELECT id, content_id, every, hour, weekday, day, time_zone, created_at, last_sent_at \
         FROM subscriptions WHERE user_id = ?1",
    ),
    (
        "preferences",
        "SELECT * FROM user_preferences WHERE user_id = ?1",
    ),
    (
        "notice_acknowledgements",
        "SELECT * FROM notice_acknowledgements WHERE user_id = ?1",
    ),
];

/// One SQLite row as a JSON object, each value by its stored type.
fn row_json(row: &sqlx::sqlite::SqliteRow) -> serde_json::Value {
    use sqlx::{Column, TypeInfo, ValueRef};
    let mut out = serde_json::Map::new();
    for (i, c) in row.columns().iter().enumerate() {
        let v = match row.try_get_raw(i) {
            Ok(raw) if raw.is_null() => serde_json::Value::Null,
            Ok(raw) => match raw.type_info().name() {
                "INTEGER" => serde_json::json!(row.try_get::<i64, _>(i).ok()),
                "REAL" => serde_json::json!(row.try_get::<f64, _>(i).ok()),
                "BLOB" => serde_json::json!("(binary)"),
                _ => serde_json::json!(row.try_get::<String, _>(i).ok()),
            },
            Err(_) => serde_json::Value::Null,
        };
        out.insert(c.name().to_string(), v);
    }
    serde_json::Value::Object(out)
}

impl Store {
    /// Everything [`SUBJECT_SECTIONS`] names about one person.
    pub async fn subject_records(
        &self,
        user_id: &str,
    ) -> Result<Vec<(&'static str, Vec<serde_json::Value>)>> {
        let mut out = Vec::new();
        for (name, sql) in SUBJECT_SECTIONS {
            let sql: &'static str = sql;
            let rows = sqlx::query(sql).bind(user_id).fetch_all(&self.pool).await?;
            out.push((*name, rows.iter().map(row_json).collect()));
        }
        Ok(out)
    }
}

/// What [`Store::erase_user`] removed or changed.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ErasedRecords {
    pub user: bool,
    pub usage_events: u64,
    pub comments: u64,
    pub sessions: u64,
    pub history: u64,
    pub content_transferred: u64,
}
