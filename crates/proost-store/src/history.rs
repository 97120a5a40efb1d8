//! People's own data keys, query history and drafts (sealed by the caller; this module
//! stores bytes).

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Result, Store, now};

/// One run in a person's history; `sealed_sql` is opened by the caller.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub id: i64,
    pub at: String,
    pub connection: Option<String>,
    pub sealed_sql: Vec<u8>,
    pub elapsed_ms: f64,
    pub rows: Option<i64>,
    pub served_from: String,
    pub error_code: Option<String>,
}

/// What is recorded of one run (owned: it is written in the background).
#[derive(Debug)]
pub struct NewHistory {
    pub user_id: String,
    pub connection: Option<String>,
    pub sealed_sql: Vec<u8>,
    pub elapsed_ms: f64,
    pub rows: Option<i64>,
    pub served_from: String,
    pub error_code: Option<String>,
}

impl Store {
    pub async fn user_key(&self, user_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT wrapped_dek FROM user_keys WHERE user_id = ?")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores a person's wrapped key unless one exists; returns the one that counts.
    pub async fn put_user_key(&self, user_id: &str, wrapped: &[u8]) -> Result<Vec<u8>> {
        sqlx::query("INSERT OR IGNORE INTO user_keys (user_id, wrapped_dek) VALUES (?, ?)")
            .bind(user_id)
            .bind(wrapped)
            .execute(&self.pool)
            .await?;
        Ok(
            sqlx::query_scalar("SELECT wrapped_dek FROM user_keys WHERE user_id = ?")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn add_history(&self, h: &NewHistory) -> Result<()> {
        sqlx::query(
            "INSERT INTO query_history (user_id, at, connection, sealed_sql, elapsed_ms, row_count, served_from, error_code) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&h.user_id)
        .bind(now())
        .bind(&h.connection)
        .bind(&h.sealed_sql)
        .bind(h.elapsed_ms)
        .bind(h.rows)
        .bind(&h.served_from)
        .bind(&h.error_code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A person's latest runs, newest first.
    pub async fn history(&self, user_id: &str, limit: i64) -> Result<Vec<HistoryRow>> {
        let rows =
            sqlx::query("SELECT * FROM query_history WHERE user_id = ? ORDER BY id DESC LIMIT ?")
                .bind(user_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| HistoryRow {
                id: r.get("id"),
                at: r.get("at"),
                connection: r.get("connection"),
                sealed_sql: r.get("sealed_sql"),
                elapsed_ms: r.get("elapsed_ms"),
                rows: r.get("row_count"),
                served_from: r.get("served_from"),
                error_code: r.get("error_code"),
            })
            .collect())
    }

    /// Forgets runs older than `before`; returns how many.
    pub async fn prune_history(&self, before: DateTime<Utc>) -> Result<u64> {
        // A person on legal hold keeps theirs.
        let r = sqlx::query(
            "DELETE FROM query_history WHERE at < ? AND NOT EXISTS (SELECT 1 FROM legal_holds h \
             WHERE h.kind = 'user' AND h.released_at IS NULL AND h.target_id = query_history.user_id)",
        )
            .bind(before.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    pub async fn draft(&self, user_id: &str, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT sealed FROM drafts WHERE user_id = ? AND name = ?")
                .bind(user_id)
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn put_draft(&self, user_id: &str, name: &str, sealed: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO drafts (user_id, name, sealed, updated_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (user_id, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(name)
        .bind(sealed)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
