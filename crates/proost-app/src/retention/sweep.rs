//! The retention sweep: deletes what each policy says is past its time, keeps what a legal
//! hold covers, keeps its report, and writes one `retention.sweep` audit entry with the
//! counts per record type. Scheduled daily; an admin may run it now.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{RECORD_TYPES, cutoff, keep_days};
use crate::{Actor, App, Result};

/// What the sweep did to one record type.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Swept {
    pub record_type: &'static str,
    pub keep_days: Option<i64>,
    /// Records deleted (addresses cut, for `client_addresses`); `null`: not deleted by the
    /// sweep (see `note`).
    pub deleted: Option<u64>,
    /// Records past their time kept because of a legal hold.
    pub held: u64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SweepReport {
    pub at: String,
    /// Who ran it; `null`: the schedule.
    pub by: Option<String>,
    pub record_types: Vec<Swept>,
}

impl SweepReport {
    fn anything(&self) -> bool {
        self.record_types
            .iter()
            .any(|s| s.deleted.unwrap_or(0) > 0 || s.held > 0)
    }
}

fn done(record_type: &'static str, days: i64, deleted: u64, held: u64) -> Swept {
    Swept {
        record_type,
        keep_days: Some(days),
        deleted: Some(deleted),
        held,
        note: None,
    }
}

/// Runs every policy once. `actor`: the admin who asked (`None`: the schedule, which writes
/// its audit entry only when something was deleted or held).
pub async fn sweep(app: &App, actor: Option<&str>) -> Result<SweepReport> {
    app.usage.flush().await;
    let mut out = Vec::with_capacity(RECORD_TYPES.len());

    // Usage events and their addresses: the usage sweep, under these policies.
    let usage_days = keep_days(app, "usage_events").await?;
    let ip_days = keep_days(app, "client_addresses").await?;
    let held_events = app.store.held_usage_events(cutoff(usage_days)).await?;
    let usage = crate::usage::sweep(app, actor).await?;
    out.push(done(
        "usage_events",
        usage_days,
        usage.events_deleted,
        held_events,
    ));
    let addresses = app.store.sweep_session_addresses(cutoff(ip_days)).await?;
    out.push(done(
        "client_addresses",
        ip_days,
        usage.ips_truncated + addresses.deleted,
        addresses.held,
    ));

    let days = keep_days(app, "sessions").await?;
    let s = app.store.sweep_sessions(cutoff(days)).await?;
    out.push(done("sessions", days, s.deleted, s.held));

    let days = keep_days(app, "scan_results").await?;
    let s = app.store.sweep_scans(cutoff(days)).await?;
    out.push(done("scan_results", days, s.deleted, s.held));

    let days = keep_days(app, "privacy_bundles").await?;
    let purged = crate::privacy::purge_bundles(app, cutoff(days)).await?;
    out.push(done("privacy_bundles", days, purged, 0));

    let backups = match crate::backup::overview(app) {
        Ok(list) => format!(
            "{} backups kept by the backup rule ({})",
            list.backups.len(),
            super::backup_rule(app)
        ),
        Err(e) => format!("the backup list could not be read ({})", e.code),
    };
    out.push(Swept {
        record_type: "backups",
        keep_days: None,
        deleted: None,
        held: 0,
        note: Some(backups),
    });
    // Sealed per person and month: a month goes whole once all of it is past its time.
    let days = keep_days(app, "audit_personal_fields").await?;
    let month = cutoff(days).format("%Y-%m").to_string();
    let (deleted, held) = app.store.sweep_audit_keys(&month).await?;
    out.push(done("audit_personal_fields", days, deleted, held));

    let report = SweepReport {
        at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        by: actor.map(str::to_owned),
        record_types: out,
    };
    let stored = serde_json::to_value(&report).map_err(crate::Error::internal)?;
    app.store.record_retention_sweep(actor, &stored).await?;
    if actor.is_some() || report.anything() {
        let mut deleted = Map::new();
        let mut held = Map::new();
        for s in &report.record_types {
            if let Some(n) = s.deleted {
                deleted.insert(s.record_type.into(), json!(n));
            }
            if s.held > 0 {
                held.insert(s.record_type.into(), json!(s.held));
            }
        }
        app.audit(
            actor,
            "retention.sweep",
            None,
            &json!({"deleted": Value::Object(deleted), "held": Value::Object(held)}),
        )
        .await?;
    }
    if report.anything() {
        // Deleted rows must not linger in the write-ahead log.
        app.store.checkpoint().await?;
    }
    Ok(report)
}

/// Runs the sweep now (admin).
pub async fn sweep_now(app: &App, actor: &Actor) -> Result<SweepReport> {
    actor.require_admin()?;
    sweep(app, Some(&actor.user.id)).await
}

/// Checks hourly (the first at start-up) and sweeps when the last sweep is a day old.
pub fn spawn(app: &Arc<App>) {
    app.background
        .every(app, Duration::from_secs(3600), |app| async move {
            let due = match app.store.last_retention_sweep().await {
                Ok(Some(last)) => chrono::DateTime::parse_from_rfc3339(&last.at)
                    .map(|t| Utc::now() - t.with_timezone(&Utc) >= chrono::Duration::hours(24))
                    .unwrap_or(true),
                Ok(None) => true,
                Err(e) => {
                    tracing::warn!(code = e.code(), "reading the last retention sweep failed");
                    return;
                }
            };
            if !due {
                return;
            }
            match sweep(&app, None).await {
                Ok(r) => tracing::info!(
                    deleted = r
                        .record_types
                        .iter()
                        .map(|s| s.deleted.unwrap_or(0))
                        .sum::<u64>(),
                    "retention sweep"
                ),
                Err(e) => tracing::warn!(code = e.code, "retention sweep failed"),
            }
        });
}
