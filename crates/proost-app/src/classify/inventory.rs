//! The personal-data inventory (GDPR Art. 30's raw material): per connection, table and
//! column, what personal data it holds, how sensitive, whether and how it is masked, who
//! reads it unmasked, and where copies of it live. (The API gives it as JSON and CSV, and
//! an admin page shows it.)

use proost_classify::{Category, Sensitivity};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Actor, App, Result};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InventoryRow {
    pub connection: String,
    pub connection_id: String,
    pub kind: String,
    pub schema: String,
    pub table: String,
    pub column: String,
    pub categories: Vec<String>,
    pub confidence: f32,
    pub sensitivity: &'static str,
    pub status: String,
    /// The mask for callers without `pii` on the column; `None` when it is not masked.
    pub mask: Option<&'static str>,
    /// Who reads it unmasked: `admins`, `user:<email>`.
    pub unmasked_for: Vec<String>,
    /// Where the values live: the source, and Proost's copies.
    pub copies: Vec<String>,
    /// Where the replica and the result cache are kept: this instance's region.
    pub region: String,
    /// Where the source lives: the connection's region, else this instance's.
    pub source_region: String,
}

#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryParams {
    pub connection: Option<String>,
    pub format: Option<String>,
    /// Include rejected columns (kept out by default: an admin said they are not personal).
    #[serde(default)]
    pub rejected: bool,
}

fn sensitivity_of(categories: &[String]) -> Sensitivity {
    categories
        .iter()
        .filter_map(|c| Category::from_id(c))
        .map(Category::sensitivity)
        .max()
        .unwrap_or(Sensitivity::Low)
}

fn sensitivity_name(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::Low => "low",
        Sensitivity::Medium => "medium",
        Sensitivity::High => "high",
        Sensitivity::Special => "special",
    }
}

/// The inventory and where this instance keeps its copies.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Inventory {
    pub region: String,
    pub columns: Vec<InventoryRow>,
}

/// The inventory (admin), from the same access rules every query goes through.
pub async fn inventory(app: &App, actor: &Actor, params: &InventoryParams) -> Result<Inventory> {
    actor.require_admin()?;
    Ok(Inventory {
        region: app.config.region.clone(),
        columns: build(app, params).await?,
    })
}

async fn build(state: &App, params: &InventoryParams) -> Result<Vec<InventoryRow>> {
    let connections = state.store.connections().await?;
    let replicas = state.store.replicas(None).await?;
    let users: Vec<_> = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active)
        .collect();
    let mut accesses = Vec::with_capacity(users.len());
    for u in &users {
        accesses.push((u, state.access.of(&state.store, u).await?));
    }
    let classifications = state.store.classifications(None).await?;
    let cache_on = state.config.cache_max_mb > 0;
    let mut rows = Vec::new();
    for c in &connections {
        if params
            .connection
            .as_deref()
            .is_some_and(|n| n != c.name && n != c.id)
        {
            continue;
        }
        for r in classifications
            .iter()
            .filter(|r| r.connection_id == c.id)
            .cloned()
        {
            if r.status == "rejected" && !params.rejected {
                continue;
            }
            let mut ids = Vec::new();
            let mut confidence = 0f32;
            for f in r.categories.as_array().into_iter().flatten() {
                let id = f
                    .get("category")
                    .and_then(Value::as_str)
                    .or(f.as_str())
                    .unwrap_or_default();
                if !id.is_empty() {
                    ids.push(id.to_owned());
                }
                let conf = f.get("confidence").and_then(Value::as_f64).unwrap_or(1.0) as f32;
                confidence = confidence.max(conf);
            }
            let mut mask = None;
            let mut unmasked_for = Vec::new();
            let mut admins = false;
            for (u, a) in &accesses {
                if mask.is_none() {
                    mask = a.protection(&c.id, &r.schema, &r.table, &r.column);
                }
                match a.column_view(&c.id, &r.schema, &r.table, &r.column) {
                    Some(None) if a.admin => admins = true,
                    Some(None) => unmasked_for.push(format!("user:{}", u.email)),
                    _ => {}
                }
            }
            if admins {
                unmasked_for.insert(0, "admins".into());
            }
            let replicated = replicas.iter().any(|x| {
                x.connection_id == c.id && x.schema_name == r.schema && x.table_name == r.table
            });
            let mut copies = vec![format!("source:{}", c.kind)];
            if replicated {
                copies.push("replica (encrypted parquet)".into());
            }
            if cache_on && (replicated || state.config.cache_live) {
                copies.push("result cache (encrypted, memory)".into());
            }
            rows.push(InventoryRow {
                connection: c.name.clone(),
                connection_id: c.id.clone(),
                kind: c.kind.clone(),
                schema: r.schema,
                table: r.table,
                column: r.column,
                sensitivity: sensitivity_name(sensitivity_of(&ids)),
                categories: ids,
                confidence: (confidence * 100.0).round() / 100.0,
                status: r.status,
                mask: mask.map(|m| m.as_str()),
                unmasked_for,
                copies,
                region: state.config.region.clone(),
                source_region: c
                    .region
                    .clone()
                    .unwrap_or_else(|| state.config.region.clone()),
            });
        }
    }
    Ok(rows)
}
