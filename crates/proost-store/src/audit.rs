//! The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so
//! editing or removing an entry behind the store's back breaks the chain at that entry.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Result, Store, now};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub details: Value,
    pub prev_hash: String,
    pub hash: String,
}

fn entry_hash(
    prev: &str,
    at: &str,
    actor: Option<&str>,
    action: &str,
    target: Option<&str>,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries serialize to the same bytes.
    for field in [
        prev,
        at,
        actor.unwrap_or("\u{0}"),
        action,
        target.unwrap_or("\u{0}"),
        details,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Store {
    /// Appends an entry chained to the previous one.
    pub async fn audit(
        &self,
        actor: Option<&str>,
        action: &str,
        target: Option<&str>,
        details: &Value,
    ) -> Result<AuditEntry> {
        let _one_writer = self.audit_lock.lock().await;
        // One write transaction from reading the last link to adding the next: another
        // process on the same database (a CLI command beside the server) cannot fork it.
        let mut tx = self.write_tx().await?;
        let prev: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let prev = prev.unwrap_or_else(|| GENESIS.to_string());
        let at = now();
        let details_text = details.to_string();
        let hash = entry_hash(&prev, &at, actor, action, target, &details_text);
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        )
        .bind(&at)
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(&details_text)
        .bind(&prev)
        .bind(&hash)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(AuditEntry {
            seq,
            at,
            actor: actor.map(str::to_string),
            action: action.to_string(),
            target: target.map(str::to_string),
            details: details.clone(),
            prev_hash: prev,
            hash,
        })
    }

    /// Entries, oldest first, optionally only one action.
    pub async fn audit_entries(&self, action: Option<&str>) -> Result<Vec<AuditEntry>> {
        let rows =
            // `grant.` (ending in a dot) selects a family of actions.
            sqlx::query(
                "SELECT * FROM audit_log WHERE (?1 IS NULL OR action = ?1 \
                 OR (substr(?1, -1) = '.' AND substr(action, 1, length(?1)) = ?1)) ORDER BY seq",
            )
                .bind(action)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let details: String = r.get("details");
                AuditEntry {
                    seq: r.get("seq"),
                    at: r.get("at"),
                    actor: r.get("actor"),
                    action: r.get("action"),
                    target: r.get("target"),
                    details: serde_json::from_str(&details).unwrap_or(Value::String(details)),
                    prev_hash: r.get("prev_hash"),
                    hash: r.get("hash"),
                }
            })
            .collect())
    }

    /// Recomputes the chain; returns the sequence number of the first entry that does not
    /// fit, or `None` when the whole log is intact.
    pub async fn audit_verify(&self) -> Result<Option<i64>> {
        let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        let mut prev = GENESIS.to_string();
        for r in rows {
            let seq: i64 = r.get("seq");
            let stored_prev: String = r.get("prev_hash");
            let hash: String = r.get("hash");
            let actor: Option<String> = r.get("actor");
            let target: Option<String> = r.get("target");
            let at: String = r.get("at");
            let action: String = r.get("action");
            let details: String = r.get("details");
            let expected = entry_hash(
                &prev,
                &at,
                actor.as_deref(),
                &action,
                target.as_deref(),
                &details,
            );
            if stored_prev != prev || hash != expected {
                return Ok(Some(seq));
            }
            prev = hash;
        }
        Ok(None)
    }
}
