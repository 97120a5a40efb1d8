//! The record of processing activities (GDPR Art. 30), built from what the instance knows:
//! the controller (this instance), the connections and their regions, the personal-data
//! inventory (categories per connection, table and column, and who reads them unmasked),
//! the retention policies and the processors Proost hands data to (an SMTP relay, object
//! storage for backups). Processors are named by host only: never a URL with its password.

use std::collections::BTreeMap;

use chrono::{SecondsFormat, Utc};
use proost_classify::{Category, Sensitivity};
use serde::Serialize;

use super::Policy;
use crate::classify::inventory::{self, InventoryParams};
use crate::{Actor, App, Result};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Controller {
    /// The instance, by the address people reach it at.
    pub instance: String,
    /// Where this instance keeps its copies (replicas, cache, backups' staging).
    pub region: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConnectionEntry {
    pub name: String,
    pub kind: String,
    /// Where the source lives (the connection's region, else this instance's).
    pub region: String,
    pub classified_columns: usize,
    pub legal_hold: bool,
}

/// One processing activity: personal data of one category in one table of a connection.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub connection: String,
    pub connection_kind: String,
    pub source_region: String,
    pub schema: String,
    pub table: String,
    pub category: String,
    pub sensitivity: &'static str,
    pub columns: Vec<String>,
    /// Who reads it unmasked (`admins`, `user:<email>`): the recipients inside the
    /// organisation.
    pub unmasked_for: Vec<String>,
    /// Where the values live: the source, and Proost's copies.
    pub copies: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Processor {
    /// `smtp_relay` or `object_storage`.
    pub kind: &'static str,
    pub purpose: &'static str,
    /// The host only (the SMTP relay's, the bucket's).
    pub host: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecordOfProcessing {
    pub generated_at: String,
    pub controller: Controller,
    pub connections: Vec<ConnectionEntry>,
    pub activities: Vec<Activity>,
    pub retention: Vec<Policy>,
    pub processors: Vec<Processor>,
    pub legal_holds_active: usize,
    pub breaches_recorded: usize,
    pub security_measures: Vec<&'static str>,
}

const MEASURES: &[&str] = &[
    "sources are read only, through a read-only account and a statement allow-list",
    "connection credentials, replicas, cached results and backups are encrypted at rest",
    "personal columns are masked for everyone without the pii grant on them",
    "every access to personal data and every administrative change is in a hash-chained audit log",
];

fn sensitivity(id: &str) -> &'static str {
    match Category::from_id(id).map(Category::sensitivity) {
        Some(Sensitivity::Special) => "special",
        Some(Sensitivity::High) => "high",
        Some(Sensitivity::Medium) => "medium",
        _ => "low",
    }
}

/// The host of a URL; `unknown` when it has none (the rest of the URL never shows).
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn processors(app: &App) -> Vec<Processor> {
    let mut out = Vec::new();
    if let Some(mail) = &app.config.mail {
        out.push(Processor {
            kind: "smtp_relay",
            purpose: "delivers Proost's emails (invites, notifications, privacy requests)",
            host: host_of(&mail.url),
        });
    }
    if let Some(remote) = &app.config.backup.remote {
        out.push(Processor {
            kind: "object_storage",
            purpose: "keeps encrypted off-site copies of the backups",
            host: host_of(remote.url()),
        });
    }
    out
}

/// The record of processing (admin).
pub async fn build(app: &App, actor: &Actor) -> Result<RecordOfProcessing> {
    actor.require_admin()?;
    let inv = inventory::inventory(app, actor, &InventoryParams::default()).await?;
    let holds = app.store.holds().await?;
    let held = |id: &str| {
        holds
            .iter()
            .any(|h| h.released_at.is_none() && h.kind == "connection" && h.target_id == id)
    };
    let connections = app
        .store
        .connections()
        .await?
        .into_iter()
        .map(|c| ConnectionEntry {
            classified_columns: inv
                .columns
                .iter()
                .filter(|r| r.connection_id == c.id && !r.categories.is_empty())
                .count(),
            legal_hold: held(&c.id),
            region: c
                .region
                .clone()
                .unwrap_or_else(|| app.config.region.clone()),
            name: c.name,
            kind: c.kind,
        })
        .collect();
    let mut grouped: BTreeMap<(String, String, String, String), Activity> = BTreeMap::new();
    for r in &inv.columns {
        for category in &r.categories {
            let key = (
                r.connection.clone(),
                r.schema.clone(),
                r.table.clone(),
                category.clone(),
            );
            let a = grouped.entry(key).or_insert_with(|| Activity {
                connection: r.connection.clone(),
                connection_kind: r.kind.clone(),
                source_region: r.source_region.clone(),
                schema: r.schema.clone(),
                table: r.table.clone(),
                category: category.clone(),
                sensitivity: sensitivity(category),
                columns: Vec::new(),
                unmasked_for: Vec::new(),
                copies: Vec::new(),
            });
            a.columns.push(r.column.clone());
            for who in &r.unmasked_for {
                if !a.unmasked_for.contains(who) {
                    a.unmasked_for.push(who.clone());
                }
            }
            for c in &r.copies {
                if !a.copies.contains(c) {
                    a.copies.push(c.clone());
                }
            }
        }
    }
    Ok(RecordOfProcessing {
        generated_at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        controller: Controller {
            instance: app.config.public_base(),
            region: app.config.region.clone(),
        },
        connections,
        activities: grouped.into_values().collect(),
        retention: super::policies(app).await?,
        processors: processors(app),
        legal_holds_active: holds.iter().filter(|h| h.released_at.is_none()).count(),
        breaches_recorded: app.store.breaches().await?.len(),
        security_measures: MEASURES.to_vec(),
    })
}
