//! Personal-data scans: their record, and merging a scan's suggestions into the
//! classifications without touching an admin's verdicts.

use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, now};

/// A column's suggested categories from one scan (`[{"category","confidence","evidence"}]`).
pub struct Suggestion {
    pub schema: String,
    pub table: String,
    pub column: String,
    pub categories: serde_json::Value,
    /// A key-value table's value column: `{"key", "attributes": {name: findings}}`.
    pub attributes: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    pub id: String,
    pub connection_id: String,
    pub reason: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub tables: i64,
    pub columns: i64,
    pub flagged: i64,
    pub error: Option<String>,
}

impl Store {
    pub async fn start_scan(&self, connection_id: &str, reason: &str) -> Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO scans (id, connection_id, reason, started_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(connection_id)
        .bind(reason)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    /// Replaces the suggestions for the scanned tables in one transaction: suggested rows
    /// of those tables go, the new suggestions come in; confirmed and rejected columns keep
    /// their verdict and categories (an admin's word outlives rescans).
    pub async fn finish_scan(
        &self,
        scan_id: &str,
        connection_id: &str,
        tables: &[(String, String)],
        columns: i64,
        suggestions: &[Suggestion],
        error: Option<&str>,
    ) -> Result<()> {
        let at = now();
        let mut tx = self.write_tx().await?;
        for (schema, table) in tables {
            sqlx::query(
                "DELETE FROM classifications WHERE connection_id = ? AND schema_name = ? \
                 AND table_name = ? AND status = 'suggested'",
            )
            .bind(connection_id)
            .bind(schema)
            .bind(table)
            .execute(&mut *tx)
            .await?;
        }
        for s in suggestions {
            sqlx::query(
                "INSERT INTO classifications (connection_id, schema_name, table_name, column_name, \
                 categories, status, attributes, updated_at) VALUES (?, ?, ?, ?, ?, 'suggested', ?, ?) \
                 ON CONFLICT (connection_id, schema_name, table_name, column_name) DO NOTHING",
            )
            .bind(connection_id)
            .bind(&s.schema)
            .bind(&s.table)
            .bind(&s.column)
            .bind(s.categories.to_string())
            .bind(s.attributes.as_ref().map(|a| a.to_string()))
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE scans SET finished_at = ?, tables = ?, columns = ?, flagged = ?, error = ? \
             WHERE id = ?",
        )
        .bind(&at)
        .bind(tables.len() as i64)
        .bind(columns)
        .bind(suggestions.len() as i64)
        .bind(error)
        .bind(scan_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest scans of a connection, newest first.
    pub async fn scans(&self, connection_id: &str, limit: i64) -> Result<Vec<ScanRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM scans WHERE connection_id = ? ORDER BY started_at DESC LIMIT ?",
        )
        .bind(connection_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ScanRecord {
                id: r.get("id"),
                connection_id: r.get("connection_id"),
                reason: r.get("reason"),
                started_at: r.get("started_at"),
                finished_at: r.get("finished_at"),
                tables: r.get("tables"),
                columns: r.get("columns"),
                flagged: r.get("flagged"),
                error: r.get("error"),
            })
            .collect())
    }
}
