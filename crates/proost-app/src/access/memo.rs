//! Each user's [`Access`], remembered until something it depends on changes.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use proost_query::{MaskKind, RowFilter};
use proost_store::{RowPolicyRecord, Store, User};
use sha2::{Digest, Sha256};

use super::row_policy::bind_attributes;
use super::{Access, ByKey, Protected, Protection, capabilities_of, default_mask};
use crate::Result;

/// An access, the generation it was computed at, and when.
type Remembered = (u64, std::time::Instant, Arc<Access>);

/// Remembers each user's [`Access`] until a grant, policy, membership, role or
/// classification changes (`changed`), or a second passes (user attributes edited on
/// another path are picked up quickly either way).
pub struct AccessMemo {
    generation: AtomicU64,
    by_user: std::sync::Mutex<HashMap<String, Remembered>>,
    protected: std::sync::Mutex<Option<(u64, Arc<Protected>)>>,
    /// Suggested columns at or above this confidence are masked like confirmed ones.
    mask_threshold: f32,
}

impl AccessMemo {
    pub fn new(mask_threshold: f32) -> Self {
        AccessMemo {
            generation: AtomicU64::new(0),
            by_user: Default::default(),
            protected: Default::default(),
            mask_threshold,
        }
    }

    /// Something access depends on changed: everyone's access is recomputed.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub async fn of(&self, store: &Store, user: &User) -> Result<Arc<Access>> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((g, at, a)) = self
            .by_user
            .lock()
            .ok()
            .and_then(|m| m.get(&user.id).cloned())
            && g == generation
            && at.elapsed() < std::time::Duration::from_secs(1)
        {
            return Ok(a);
        }
        let protected = self.protected(store, generation).await?;
        let access = Arc::new(load(store, user, protected, generation).await?);
        if let Ok(mut m) = self.by_user.lock() {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(
                user.id.clone(),
                (generation, std::time::Instant::now(), access.clone()),
            );
        }
        Ok(access)
    }

    async fn protected(&self, store: &Store, generation: u64) -> Result<Arc<Protected>> {
        if let Some((g, p)) = self.protected.lock().ok().and_then(|p| p.clone())
            && g == generation
        {
            return Ok(p);
        }
        let mut out: Protected = HashMap::new();
        for c in store.classifications(None).await? {
            // Personal by default: an admin's confirmation, or a confident suggestion;
            // only an admin's rejection lifts a mask.
            let personal = match c.status.as_str() {
                "confirmed" => true,
                "suggested" => top_confidence(&c.categories) >= self.mask_threshold,
                _ => false,
            };
            if !personal {
                continue;
            }
            let chosen = c.mask.as_deref().and_then(MaskKind::parse);
            // An admin's mask covers the whole column; otherwise a key-value table's
            // value column is masked per attribute, and attributes never seen redacted.
            let by_key = match (&chosen, &c.attributes) {
                (None, Some(a)) => by_key(a, self.mask_threshold),
                _ => None,
            };
            let mask = match (chosen, &by_key) {
                (Some(m), _) => m,
                (None, Some(_)) => MaskKind::Redact,
                (None, None) => default_mask(&c.categories),
            };
            out.entry(c.connection_id)
                .or_default()
                .insert((c.schema, c.table, c.column), Protection { mask, by_key });
        }
        let out = Arc::new(out);
        if let Ok(mut p) = self.protected.lock() {
            *p = Some((generation, out.clone()));
        }
        Ok(out)
    }
}

/// Attribute masks of a key-value table's value column from its stored per-attribute
/// findings: confident findings get their default mask, attributes without any stay as
/// they are (weak findings are masked too: only what the scan found harmless is shown).
fn by_key(attributes: &serde_json::Value, threshold: f32) -> Option<Arc<ByKey>> {
    let key = attributes.get("key")?.as_str()?.to_string();
    let mut masked = Vec::new();
    let mut shown = Vec::new();
    for (name, findings) in attributes.get("attributes")?.as_object()? {
        let empty = findings.as_array().is_none_or(|f| f.is_empty());
        if empty {
            shown.push(name.clone());
        } else if top_confidence(findings) >= threshold {
            masked.push((name.clone(), default_mask(findings)));
        } else {
            masked.push((name.clone(), MaskKind::Redact));
        }
    }
    Some(Arc::new(ByKey { key, masked, shown }))
}

/// The highest confidence among a column's categories (0 when none is given).
fn top_confidence(categories: &serde_json::Value) -> f32 {
    categories
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("confidence").and_then(|v| v.as_f64()))
        .fold(0.0, f64::max) as f32
}

async fn load(
    store: &Store,
    user: &User,
    protected: Arc<Protected>,
    generation: u64,
) -> Result<Access> {
    let admin = user.is_admin();
    let custom = match &user.custom_role {
        Some(name) => Some(
            store
                .role(name)
                .await?
                .map(|r| r.capabilities)
                .unwrap_or_default(),
        ),
        None => None,
    };
    let capabilities = capabilities_of(&user.role, custom.as_deref());
    let (grants, policies) = if admin {
        (Vec::new(), Vec::new())
    } else {
        (
            store.grants_for_user(&user.id).await?,
            store.row_policies_for_user(&user.id).await?,
        )
    };
    let filters: Vec<(String, String, String, RowFilter)> = policies
        .iter()
        .map(|p: &RowPolicyRecord| {
            (
                p.connection_id.clone(),
                p.schema.clone(),
                p.table.clone(),
                bind_attributes(&p.filter, user),
            )
        })
        .collect();
    let fingerprint = {
        let mut h = Sha256::new();
        let mut part = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        part("access/v2");
        part(&generation.to_string());
        part(if admin { "admin" } else { "governed" });
        let mut gs: Vec<String> = grants
            .iter()
            .map(|g| {
                format!(
                    "{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}",
                    g.connection_id,
                    g.schema,
                    g.table,
                    g.column,
                    g.level.as_str()
                )
            })
            .collect();
        gs.sort();
        gs.dedup();
        for g in &gs {
            part(g);
        }
        part("filters");
        let mut fs: Vec<String> = filters
            .iter()
            .map(|f| {
                format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{:?}",
                    f.0, f.1, f.2, f.3.sql, f.3.values
                )
            })
            .collect();
        fs.sort();
        for f in &fs {
            part(f);
        }
        hex::encode(h.finalize())
    };
    Ok(Access {
        admin,
        capabilities,
        grants,
        filters,
        protected,
        fingerprint,
    })
}
