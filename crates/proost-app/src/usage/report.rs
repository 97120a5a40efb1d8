//! What admins read of usage, and how long it is kept: filters, the summary, the retention
//! sweep (audited when it removed anything).

use std::time::Duration;

use chrono::{NaiveDate, SecondsFormat, Utc};
use proost_store::{UsageEvent, UsageFilter, UsageSweep};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{Actor, App};

/// One retention sweep; an audit entry records any sweep that removed or cut anything.
pub async fn sweep(app: &App, actor: Option<&str>) -> crate::Result<UsageSweep> {
    // The retention policies `usage_events` and `client_addresses` (privacy records), whose
    // defaults are `--usage-retention-days` and `--usage-ip-days`.
    let cfg = &app.config;
    let policy = |set: Option<i64>, default: u32| {
        set.map_or(default, |d| {
            u32::try_from(d.clamp(0, 36_500)).unwrap_or(default)
        })
    };
    let retention_days = policy(
        app.store.retention_keep_days("usage_events").await?,
        cfg.usage_retention_days,
    )
    .max(1);
    let ip_days = policy(
        app.store.retention_keep_days("client_addresses").await?,
        cfg.usage_ip_days,
    );
    let done = app.store.usage_sweep(retention_days, ip_days).await?;
    // People's own query history is kept as long as usage events.
    let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(retention_days));
    let history_deleted = app.store.prune_history(cutoff).await?;
    if history_deleted > 0 {
        tracing::info!(history_deleted, "query history past retention forgotten");
        app.store.checkpoint().await?;
    }
    if !done.is_empty() {
        app.audit(
            actor,
            "usage.retention",
            None,
            &json!({
                "retention_days": retention_days,
                "ip_days": ip_days,
                "events_deleted": done.events_deleted,
                "days_folded": done.days_folded,
                "ips_truncated": done.ips_truncated,
            }),
        )
        .await?;
        // Deleted rows and full addresses must not linger in the write-ahead log.
        app.store.checkpoint().await?;
    }
    Ok(done)
}

/// Sweeps at start and then hourly, for as long as the server lives.
pub fn spawn_retention(app: &std::sync::Arc<App>) {
    app.background
        .every(app, Duration::from_secs(3600), |app| async move {
            match sweep(&app, None).await {
                Ok(done) if !done.is_empty() => {
                    tracing::info!(
                        events_deleted = done.events_deleted,
                        ips_truncated = done.ips_truncated,
                        "usage retention sweep"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(code = e.code, "usage retention sweep failed"),
            }
        });
}

#[derive(Debug, Deserialize, Default, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub user: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<i64>,
}

/// A date (`2026-12-01`) or an RFC 3339 time. A date as `to` includes that whole day.
fn bound(name: &str, v: Option<&str>, end: bool) -> crate::Result<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let d = if end { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(Some(format!("{d}T00:00:00.000Z")));
    }
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| {
            Some(
                t.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
            )
        })
        .map_err(|_| {
            crate::Error::bad_request(
                "invalid_parameter",
                format!("`{name}` must be a date (2026-12-01) or an RFC 3339 time"),
            )
        })
}

/// Turns query parameters into a store filter; `user` may be an id or an email address.
pub async fn filter(app: &App, p: &UsageParams) -> crate::Result<UsageFilter> {
    let user = p.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let user_id = match user {
        Some(u) if u.contains('@') => Some(
            app.store
                .user_for_login(u)
                .await?
                .map(|(user, _)| user.id)
                // Unknown email: a filter that matches nothing, not everything.
                .unwrap_or_else(|| u.to_string()),
        ),
        other => other.map(str::to_string),
    };
    let kind = p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if kind.is_some_and(|k| k.len() > 40) {
        return Err(crate::Error::bad_request(
            "invalid_parameter",
            "`kind` is at most 40 characters",
        ));
    }
    Ok(UsageFilter {
        from: bound("from", p.from.as_deref(), false)?,
        to: bound("to", p.to.as_deref(), true)?,
        user_id,
        kind: kind.map(str::to_string),
        limit: p.limit.unwrap_or(200).clamp(1, 10_000),
    })
}

/// The summary beside the events: top questions, slowest queries, active users.
pub async fn summary(app: &App, f: &UsageFilter) -> crate::Result<Value> {
    let top = UsageFilter {
        limit: 10,
        ..f.clone()
    };
    let store = &app.store;
    Ok(json!({
        "top_questions": store.usage_top_statements(&top).await?,
        "slowest": store.usage_slowest(&top).await?,
        "active_users": store.usage_active_users(&UsageFilter { limit: 50, ..f.clone() }).await?,
        "active_per_day": store.usage_active_days(&UsageFilter { limit: 31, ..f.clone() }).await?,
    }))
}

/// Usage as the admin's page and API show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UsageReport {
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<UsageEvent>,
    #[schema(value_type = Object)]
    pub summary: Value,
    /// Events dropped because the writer was behind.
    pub dropped: u64,
}

/// The events `params` select, newest first (admin). What was recorded up to now is in.
pub async fn events(
    app: &App,
    actor: &Actor,
    params: &UsageParams,
) -> crate::Result<(UsageFilter, Vec<UsageEvent>)> {
    actor.require_admin()?;
    app.usage.flush().await;
    let f = filter(app, params).await?;
    let events = app.store.usage_events(&f).await?;
    Ok((f, events))
}

/// The events and a summary (admin).
pub async fn report(app: &App, actor: &Actor, params: &UsageParams) -> crate::Result<UsageReport> {
    let (f, events) = events(app, actor, params).await?;
    Ok(UsageReport {
        events,
        summary: summary(app, &f).await?,
        dropped: app.usage.dropped(),
    })
}

/// Runs the retention sweep now (admin).
pub async fn sweep_now(app: &App, actor: &Actor) -> crate::Result<UsageSweep> {
    actor.require_admin()?;
    app.usage.flush().await;
    sweep(app, Some(&actor.user.id)).await
}

/// Everything the admin's usage page shows, through the same filters as the API.
pub struct UsageOverview {
    pub events: Vec<UsageEvent>,
    pub top_questions: Vec<proost_store::StatementUsage>,
    pub slowest: Vec<UsageEvent>,
    pub active_users: Vec<proost_store::ActiveUser>,
    pub active_per_day: Vec<proost_store::ActiveDay>,
    pub instance: crate::licence::InstanceInfo,
}

/// The usage page's data (admin): up to `events` recent events and the summaries.
pub async fn overview(
    app: &App,
    actor: &Actor,
    params: &UsageParams,
    events: i64,
) -> crate::Result<UsageOverview> {
    actor.require_admin()?;
    app.usage.flush().await;
    let f = UsageFilter {
        limit: events,
        ..filter(app, params).await?
    };
    let store = &app.store;
    let top = UsageFilter {
        limit: 10,
        ..f.clone()
    };
    Ok(UsageOverview {
        events: store.usage_events(&f).await?,
        top_questions: store.usage_top_statements(&top).await?,
        slowest: store.usage_slowest(&top).await?,
        active_users: store
            .usage_active_users(&UsageFilter {
                limit: 1000,
                ..f.clone()
            })
            .await?,
        active_per_day: store
            .usage_active_days(&UsageFilter {
                limit: 31,
                ..f.clone()
            })
            .await?,
        instance: crate::licence::instance_info(app).await?,
    })
}
