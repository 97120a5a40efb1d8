//! Retention (privacy operations): how long each kind of record Proost keeps about people
//! is kept, set per record type by an admin and enforced by a daily sweep that reports to
//! the audit log; legal holds on a person or a connection that suspend deletion; the
//! record of processing (GDPR Art. 30) and the breach log (Art. 33(5)).
//!
//! The usage retention (`--usage-retention-days`, `--usage-ip-days`) is the default of the
//! `usage_events` and `client_addresses` policies: the usage sweep reads them from the store.

pub mod breaches;
pub mod holds;
pub mod record;
pub mod sweep;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{Actor, App, Error, Kind, Result};

pub use sweep::{SweepReport, spawn, sweep_now};

/// A kind of record Proost keeps about people, and what its retention does.
#[derive(Debug, Clone, Copy)]
pub struct RecordType {
    pub id: &'static str,
    /// What the sweep deletes (or does) once a record is older than its keep_days.
    pub deletes: &'static str,
    /// Whether an admin sets its keep_days here (else another rule governs it).
    pub configurable: bool,
}

pub const RECORD_TYPES: &[RecordType] = &[
    RecordType {
        id: "usage_events",
        deletes: "usage events (pages, queries) are folded into anonymous daily counts and deleted, with the query history",
        configurable: true,
    },
    RecordType {
        id: "client_addresses",
        deletes: "client IP addresses of usage events and sessions are cut to their network (IPv4 /24, IPv6 /48)",
        configurable: true,
    },
    RecordType {
        id: "sessions",
        deletes: "sessions and API tokens that expired this many days ago are deleted",
        configurable: true,
    },
    RecordType {
        id: "scan_results",
        deletes: "records of personal-data scans are deleted (each connection's newest is kept)",
        configurable: true,
    },
    RecordType {
        id: "privacy_bundles",
        deletes: "access-request export bundles not yet downloaded are destroyed",
        configurable: true,
    },
    RecordType {
        id: "backups",
        deletes: "reported only: backups are pruned by the backup rule (--backup-keep)",
        configurable: false,
    },
    RecordType {
        id: "audit_personal_fields",
        deletes: "the keys sealing the personal fields (addresses, emails, old and new values) of audit entries of whole months this old are destroyed: the entries stay, their chain verifies, those fields read \"expired\"",
        configurable: true,
    },
];

pub fn record_type(id: &str) -> Result<&'static RecordType> {
    RECORD_TYPES.iter().find(|t| t.id == id).ok_or_else(|| {
        Error::new(
            Kind::NotFound,
            "retention_record_type_unknown",
            format!(
                "there is no record type `{}`; the record types are {}",
                id.chars().take(60).collect::<String>(),
                RECORD_TYPES
                    .iter()
                    .map(|t| t.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// The keep_days of a record type when no admin set it.
pub fn default_days(app: &App, id: &str) -> Option<i64> {
    match id {
        "usage_events" => Some(i64::from(app.config.usage_retention_days)),
        "client_addresses" => Some(i64::from(app.config.usage_ip_days)),
        "sessions" => Some(30),
        "scan_results" => Some(365),
        "privacy_bundles" => Some(crate::privacy::BUNDLE_DAYS),
        "audit_personal_fields" => Some(730),
        _ => None,
    }
}

/// How many days records of `record_type` are kept: the admin's policy, else its default
/// (`privacy_bundles`: 7). A record type kept by another rule (`backups`) is an error.
pub async fn keep_days(app: &App, record_type_id: &str) -> Result<i64> {
    let t = record_type(record_type_id)?;
    if let Some(days) = app.store.retention_keep_days(t.id).await? {
        return Ok(days);
    }
    default_days(app, t.id).ok_or_else(|| not_configurable(t.id))
}

/// The moment before which records of this type are due (now − keep_days).
pub fn cutoff(days: i64) -> DateTime<Utc> {
    Utc::now()
        .checked_sub_signed(chrono::Duration::days(days.clamp(0, 36_500)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn not_configurable(id: &str) -> Error {
    Error::bad_request(
        "retention_not_configurable",
        format!("the retention of `{id}` is not set here: {}", {
            RECORD_TYPES
                .iter()
                .find(|t| t.id == id)
                .map_or("", |t| t.deletes)
        }),
    )
}

/// A record type's retention as admins read it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Policy {
    pub record_type: &'static str,
    /// Days records are kept (`null`: governed by another rule, see `deletes`).
    pub keep_days: Option<i64>,
    pub default_days: Option<i64>,
    pub configurable: bool,
    /// What the sweep does to records older than `keep_days`.
    pub deletes: &'static str,
    /// The backup rule, for `backups`.
    pub rule: Option<String>,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
    /// This record type's part of the last sweep's report.
    #[schema(value_type = Option<Object>)]
    pub last_sweep: Option<Value>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LastSweep {
    pub at: String,
    /// Who ran it (`null`: the schedule).
    pub by: Option<String>,
    #[schema(value_type = Object)]
    pub report: Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Retention {
    pub policies: Vec<Policy>,
    pub last_sweep: Option<LastSweep>,
    /// Legal holds in force (the sweep keeps what they cover).
    pub active_holds: usize,
}

pub(crate) fn backup_rule(app: &App) -> String {
    let k = app.config.backup.keep;
    format!("daily={}, weekly={}, last={}", k.daily, k.weekly, k.last)
}

/// Every record type's policy (built without the admin check: the record of processing
/// uses it too).
pub(crate) async fn policies(app: &App) -> Result<Vec<Policy>> {
    let set = app.store.retention_policies().await?;
    let last = app.store.last_retention_sweep().await?;
    Ok(RECORD_TYPES
        .iter()
        .map(|t| {
            let stored = set.iter().find(|p| p.record_type == t.id);
            let default_days = default_days(app, t.id);
            Policy {
                record_type: t.id,
                keep_days: stored.map(|p| p.keep_days).or(default_days),
                default_days,
                configurable: t.configurable,
                deletes: t.deletes,
                rule: (t.id == "backups").then(|| backup_rule(app)),
                updated_at: stored.map(|p| p.updated_at.clone()),
                updated_by: stored.and_then(|p| p.updated_by.clone()),
                last_sweep: last.as_ref().and_then(|l| {
                    l.report["record_types"]
                        .as_array()?
                        .iter()
                        .find(|r| r["record_type"] == t.id)
                        .cloned()
                }),
            }
        })
        .collect())
}

/// Every record type with its keep_days, default, what it deletes, and the last sweep
/// (admin).
pub async fn overview(app: &App, actor: &Actor) -> Result<Retention> {
    actor.require_admin()?;
    let last = app.store.last_retention_sweep().await?;
    Ok(Retention {
        policies: policies(app).await?,
        last_sweep: last.map(|l| LastSweep {
            at: l.at,
            by: l.actor,
            report: l.report,
        }),
        active_holds: app
            .store
            .holds()
            .await?
            .iter()
            .filter(|h| h.released_at.is_none())
            .count(),
    })
}

/// Sets a record type's keep_days (admin; audited `retention.policy`). 1 to 36500 days;
/// client addresses may be cut at once (0).
pub async fn set_policy(
    app: &App,
    actor: &Actor,
    record_type_id: &str,
    keep_days_value: i64,
) -> Result<Policy> {
    actor.require_admin()?;
    let t = record_type(record_type_id)?;
    if !t.configurable {
        return Err(not_configurable(t.id));
    }
    let min = if t.id == "client_addresses" { 0 } else { 1 };
    if !(min..=36_500).contains(&keep_days_value) {
        return Err(Error::bad_request(
            "retention_keep_days_invalid",
            format!("keep_days of `{}` must be {min} to 36500", t.id),
        ));
    }
    let before = keep_days(app, t.id).await?;
    app.store
        .set_retention_policy(t.id, keep_days_value, Some(&actor.user.id))
        .await?;
    app.audit(
        Some(&actor.user.id),
        "retention.policy",
        Some(t.id),
        &json!({"keep_days": keep_days_value, "previous_days": before}),
    )
    .await?;
    policies(app)
        .await?
        .into_iter()
        .find(|p| p.record_type == t.id)
        .ok_or_else(|| Error::internal("a record type vanished"))
}
