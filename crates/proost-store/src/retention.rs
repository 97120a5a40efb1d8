//! Privacy operations' records: retention policies and the sweeps' reports, legal holds,
//! the deletions a retention sweep makes (a held person's or connection's rows are kept),
//! and the breach log.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;

use crate::{Result, Store, now, truncate_ip};

/// `EXISTS` an active hold on the person in column `$col`.
macro_rules! held_user {
    ($col:literal) => {
        concat!(
            " EXISTS (SELECT 1 FROM legal_holds h WHERE h.kind = 'user' \
             AND h.released_at IS NULL AND h.target_id = ",
            $col,
            ")"
        )
    };
}

/// A scan `s` started before `?1` that is not its connection's newest.
macro_rules! old_scan {
    () => {
        "julianday(s.started_at) < julianday(?1) AND s.id <> (SELECT n.id FROM scans n \
         WHERE n.connection_id = s.connection_id ORDER BY n.started_at DESC LIMIT 1)"
    };
}

/// An active hold on the connection of scan `s`.
macro_rules! held_connection {
    () => {
        "EXISTS (SELECT 1 FROM legal_holds h WHERE h.kind = 'connection' \
         AND h.released_at IS NULL AND h.target_id = s.connection_id)"
    };
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionPolicyRecord {
    pub record_type: String,
    pub keep_days: i64,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LegalHoldRecord {
    pub id: String,
    /// `user` or `connection`.
    pub kind: String,
    pub target_id: String,
    pub reason: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub released_at: Option<String>,
    pub released_by: Option<String>,
}

/// One retention sweep's report, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRecord {
    pub at: String,
    pub actor: Option<String>,
    pub report: Value,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BreachRecord {
    pub id: String,
    pub facts: String,
    pub effects: String,
    pub remedial_action: String,
    pub discovered_at: String,
    pub occurred_at: Option<String>,
    pub reported_to_authority_at: Option<String>,
    pub subjects_affected: Option<i64>,
    pub categories: Vec<String>,
    /// `open` or `closed`.
    pub status: String,
    pub created_at: String,
    pub created_by: Option<String>,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

/// What a deletion pass removed, and what it kept because of a legal hold.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Swept {
    pub deleted: u64,
    pub held: u64,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn hold_from(r: &sqlx::sqlite::SqliteRow) -> LegalHoldRecord {
    LegalHoldRecord {
        id: r.get("id"),
        kind: r.get("kind"),
        target_id: r.get("target_id"),
        reason: r.get("reason"),
        created_by: r.get("created_by"),
        created_at: r.get("created_at"),
        released_at: r.get("released_at"),
        released_by: r.get("released_by"),
    }
}

fn breach_from(r: &sqlx::sqlite::SqliteRow) -> BreachRecord {
    let categories: String = r.get("categories");
    BreachRecord {
        id: r.get("id"),
        facts: r.get("facts"),
        effects: r.get("effects"),
        remedial_action: r.get("remedial_action"),
        discovered_at: r.get("discovered_at"),
        occurred_at: r.get("occurred_at"),
        reported_to_authority_at: r.get("reported_to_authority_at"),
        subjects_affected: r.get("subjects_affected"),
        categories: serde_json::from_str(&categories).unwrap_or_default(),
        status: r.get("status"),
        created_at: r.get("created_at"),
        created_by: r.get("created_by"),
        updated_at: r.get("updated_at"),
        updated_by: r.get("updated_by"),
    }
}

impl Store {
    pub async fn retention_policies(&self) -> Result<Vec<RetentionPolicyRecord>> {
        let rows = sqlx::query("SELECT * FROM retention_policies ORDER BY record_type")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| RetentionPolicyRecord {
                record_type: r.get("record_type"),
                keep_days: r.get("keep_days"),
                updated_at: r.get("updated_at"),
                updated_by: r.get("updated_by"),
            })
            .collect())
    }

    pub async fn retention_keep_days(&self, record_type: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT keep_days FROM retention_policies WHERE record_type = ?")
                .bind(record_type)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_retention_policy(
        &self,
        record_type: &str,
        keep_days: i64,
        by: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO retention_policies (record_type, keep_days, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (record_type) DO UPDATE SET \
             keep_days = ?2, updated_at = ?3, updated_by = ?4",
        )
        .bind(record_type)
        .bind(keep_days)
        .bind(now())
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Keeps a sweep's report (and the newest 100 only).
    pub async fn record_retention_sweep(&self, actor: Option<&str>, report: &Value) -> Result<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO retention_sweeps (at, actor, report) VALUES (?, ?, ?)")
            .bind(now())
            .bind(actor)
            .bind(report.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM retention_sweeps WHERE id <= (SELECT MAX(id) - 100 FROM retention_sweeps)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn last_retention_sweep(&self) -> Result<Option<SweepRecord>> {
        let row = sqlx::query("SELECT * FROM retention_sweeps ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| SweepRecord {
            at: r.get("at"),
            actor: r.get("actor"),
            report: serde_json::from_str(&r.get::<String, _>("report")).unwrap_or(Value::Null),
        }))
    }

    // ---- legal holds ----

    pub async fn create_hold(
        &self,
        kind: &str,
        target_id: &str,
        reason: &str,
        by: Option<&str>,
    ) -> Result<LegalHoldRecord> {
        let row = sqlx::query(
            "INSERT INTO legal_holds (id, kind, target_id, reason, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(kind)
        .bind(target_id)
        .bind(reason)
        .bind(by)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(hold_from(&row))
    }

    /// Every hold, active ones first, newest first.
    pub async fn holds(&self) -> Result<Vec<LegalHoldRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM legal_holds ORDER BY released_at IS NOT NULL, created_at DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(hold_from).collect())
    }

    pub async fn hold(&self, id: &str) -> Result<Option<LegalHoldRecord>> {
        let row = sqlx::query("SELECT * FROM legal_holds WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(hold_from))
    }

    /// The oldest active hold on this person or connection.
    pub async fn active_hold(
        &self,
        kind: &str,
        target_id: &str,
    ) -> Result<Option<LegalHoldRecord>> {
        let row = sqlx::query(
            "SELECT * FROM legal_holds WHERE kind = ? AND target_id = ? AND released_at IS NULL \
             ORDER BY created_at LIMIT 1",
        )
        .bind(kind)
        .bind(target_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(hold_from))
    }

    /// Releases an active hold; `None` when there is no active hold with that id.
    pub async fn release_hold(
        &self,
        id: &str,
        by: Option<&str>,
    ) -> Result<Option<LegalHoldRecord>> {
        let row = sqlx::query(
            "UPDATE legal_holds SET released_at = ?, released_by = ? \
             WHERE id = ? AND released_at IS NULL RETURNING *",
        )
        .bind(now())
        .bind(by)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(hold_from))
    }

    // ---- what the retention sweep deletes ----

    /// Usage events older than `before` kept only because their person is on hold.
    pub async fn held_usage_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM usage_events e WHERE e.at < ? AND",
            held_user!("e.user_id")
        ))
        .bind(ts(before))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Deletes sessions and API tokens that expired before `before`, except a held
    /// person's.
    pub async fn sweep_sessions(&self, before: DateTime<Utc>) -> Result<Swept> {
        let cutoff = ts(before);
        let mut tx = self.write_tx().await?;
        let held: i64 = sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM sessions s WHERE julianday(s.expires_at) < julianday(?) AND",
            held_user!("s.user_id")
        ))
        .bind(&cutoff)
        .fetch_one(&mut *tx)
        .await?;
        let deleted = sqlx::query(concat!(
            "DELETE FROM sessions WHERE julianday(expires_at) < julianday(?) AND NOT",
            held_user!("sessions.user_id")
        ))
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Swept {
            deleted,
            held: u64::try_from(held).unwrap_or(0),
        })
    }

    /// Cuts the client address of sessions created before `before` to its network, except
    /// a held person's. `deleted` counts the addresses cut.
    pub async fn sweep_session_addresses(&self, before: DateTime<Utc>) -> Result<Swept> {
        let cutoff = ts(before);
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(concat!(
            "SELECT s.id, s.client_ip, ",
            held_user!("s.user_id"),
            " AS held FROM sessions s WHERE s.client_ip IS NOT NULL \
             AND julianday(s.created_at) < julianday(?)"
        ))
        .bind(&cutoff)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Swept::default();
        for r in &rows {
            let ip: String = r.get("client_ip");
            let cut = truncate_ip(&ip);
            if cut.as_deref() == Some(ip.as_str()) {
                continue;
            }
            if r.get::<i64, _>("held") != 0 {
                out.held += 1;
                continue;
            }
            sqlx::query("UPDATE sessions SET client_ip = ? WHERE id = ?")
                .bind(cut)
                .bind(r.get::<String, _>("id"))
                .execute(&mut *tx)
                .await?;
            out.deleted += 1;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Deletes scan records started before `before`, except each connection's newest and
    /// a held connection's.
    pub async fn sweep_scans(&self, before: DateTime<Utc>) -> Result<Swept> {
        let cutoff = ts(before);
        let mut tx = self.write_tx().await?;
        let held: i64 = sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM scans s WHERE ",
            old_scan!(),
            " AND ",
            held_connection!()
        ))
        .bind(&cutoff)
        .fetch_one(&mut *tx)
        .await?;
        let deleted = sqlx::query(concat!(
            "DELETE FROM scans WHERE id IN (SELECT s.id FROM scans s WHERE ",
            old_scan!(),
            " AND NOT ",
            held_connection!(),
            ")"
        ))
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Swept {
            deleted,
            held: u64::try_from(held).unwrap_or(0),
        })
    }

    // ---- breaches ----

    pub async fn insert_breach(&self, b: &BreachRecord) -> Result<()> {
        self.write_breach(b, true).await
    }

    pub async fn update_breach(&self, b: &BreachRecord) -> Result<()> {
        self.write_breach(b, false).await
    }

    async fn write_breach(&self, b: &BreachRecord, new: bool) -> Result<()> {
        let sql = if new {
            "INSERT INTO breaches (facts, effects, remedial_action, discovered_at, occurred_at, \
             reported_to_authority_at, subjects_affected, categories, status, updated_at, \
             updated_by, created_at, created_by, id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        } else {
            "UPDATE breaches SET facts = ?1, effects = ?2, remedial_action = ?3, \
             discovered_at = ?4, occurred_at = ?5, reported_to_authority_at = ?6, \
             subjects_affected = ?7, categories = ?8, status = ?9, updated_at = ?10, \
             updated_by = ?11 WHERE id = ?14"
        };
        sqlx::query(sql)
            .bind(&b.facts)
            .bind(&b.effects)
            .bind(&b.remedial_action)
            .bind(&b.discovered_at)
            .bind(&b.occurred_at)
            .bind(&b.reported_to_authority_at)
            .bind(b.subjects_affected)
            .bind(serde_json::to_string(&b.categories).unwrap_or_else(|_| "[]".into()))
            .bind(&b.status)
            .bind(&b.updated_at)
            .bind(&b.updated_by)
            .bind(&b.created_at)
            .bind(&b.created_by)
            .bind(&b.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn breach(&self, id: &str) -> Result<Option<BreachRecord>> {
        let row = sqlx::query("SELECT * FROM breaches WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(breach_from))
    }

    /// Every breach, most recently discovered first.
    pub async fn breaches(&self) -> Result<Vec<BreachRecord>> {
        let rows =
            sqlx::query("SELECT * FROM breaches ORDER BY discovered_at DESC, created_at DESC")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(breach_from).collect())
    }
}
