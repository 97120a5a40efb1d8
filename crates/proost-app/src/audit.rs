//! The audit log: writing entries with their personal fields sealed per person, and reading
//! it back — which entries to show, and whether the hash chain still holds.
//!
//! Fields of an entry's details that name or locate a person (`ip`, `email`, …) are
//! sealed, before the entry is chained, with a key of the person the entry is about (its
//! target when that is a user, else its actor) for the month it was written, so the chain
//! covers the sealed form. Erasing the person destroys their keys (the entries read
//! "erased subject #N"); the retention of audit personal fields destroys the keys of older
//! months (they read "expired"). Either way the chain still verifies — crypto-shredding at
//! the granularity of a person and a month.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proost_keys::DataKey;
use proost_store::AuditEntry;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::{Actor, App, Result};

/// Keys of audit details that are personal data of the entry's subject.
const PERSONAL: &[&str] = &["ip", "email", "recipient", "old", "new"];

fn purpose(user_id: &str) -> String {
    format!("audit-personal:{user_id}")
}

/// What an audit key is wrapped for (the keyring's `audit:<user>/<month>`).
fn key_owner(user_id: &str, month: &str) -> String {
    format!("audit:{user_id}/{month}")
}

impl App {
    /// Appends an audit entry, its personal fields sealed for the person it is about.
    pub async fn audit(
        &self,
        actor: Option<&str>,
        action: &str,
        target: Option<&str>,
        details: &Value,
    ) -> Result<AuditEntry> {
        let details = self.seal_personal(actor, target, details).await?;
        Ok(self.store.audit(actor, action, target, &details).await?)
    }

    async fn seal_personal(
        &self,
        actor: Option<&str>,
        target: Option<&str>,
        details: &Value,
    ) -> Result<Value> {
        let Value::Object(fields) = details else {
            return Ok(details.clone());
        };
        let (personal, mut rest): (Map<String, Value>, Map<String, Value>) = fields
            .clone()
            .into_iter()
            .partition(|(k, v)| PERSONAL.contains(&k.as_str()) && !v.is_null());
        if personal.is_empty() {
            return Ok(details.clone());
        }
        let mut subject = None;
        for id in [target, actor].into_iter().flatten() {
            if self.store.user(id).await?.is_some() {
                subject = Some(id);
                break;
            }
        }
        let Some(subject) = subject else {
            // Nobody known to seal it for (a failed login naming no account): the fields
            // stay as they are, under the retention of audit personal fields.
            return Ok(details.clone());
        };
        let month = chrono::Utc::now().format("%Y-%m").to_string();
        let key = self.audit_key(subject, &month).await?;
        let plain = serde_json::to_vec(&Value::Object(personal)).map_err(crate::Error::internal)?;
        let sealed = key.seal(&plain, &purpose(subject))?;
        rest.insert(
            "personal".into(),
            json!({"subject": subject, "month": month, "sealed": STANDARD.encode(sealed)}),
        );
        Ok(Value::Object(rest))
    }

    /// The person's audit key for `month`, made on first use.
    async fn audit_key(&self, user_id: &str, month: &str) -> Result<DataKey> {
        let master = self.connections.master_key()?;
        let owner = key_owner(user_id, month);
        let wrapped = match self.store.audit_key(user_id, month).await? {
            Some(w) => w,
            None => {
                let fresh = master.wrap(&DataKey::generate(), &owner)?;
                self.store.put_audit_key(user_id, month, &fresh).await?
            }
        };
        Ok(master.unwrap_key(&wrapped, &owner)?)
    }
}

/// Opens the sealed personal fields of entries for reading: with the person's key while
/// they exist, else "erased subject #N".
pub(crate) async fn unseal(app: &App, entries: &mut [AuditEntry]) -> Result<()> {
    let erased = app.store.erased_subjects().await?;
    // Who still exists (an unreadable field of theirs expired), read once if needed.
    let mut known: Option<std::collections::HashSet<String>> = None;
    let mut keys: HashMap<String, Option<DataKey>> = HashMap::new();
    let master = app.connections.master_key()?;
    for e in entries.iter_mut() {
        let Some(Value::Object(p)) = e.details.get("personal") else {
            continue;
        };
        let (Some(Value::String(subject)), Some(Value::String(sealed))) =
            (p.get("subject"), p.get("sealed"))
        else {
            continue;
        };
        let subject = subject.clone();
        let month = p
            .get("month")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let slot = format!("{subject}/{month}");
        if !keys.contains_key(&slot) {
            let key = match app.store.audit_key(&subject, &month).await? {
                Some(w) => master.unwrap_key(&w, &key_owner(&subject, &month)).ok(),
                None => None,
            };
            keys.insert(slot.clone(), key);
        }
        let opened = keys[&slot].as_ref().and_then(|k| {
            let bytes = STANDARD.decode(sealed).ok()?;
            let plain = k.open(&bytes, &purpose(&subject)).ok()?;
            serde_json::from_slice::<Map<String, Value>>(&plain).ok()
        });
        let Value::Object(details) = &mut e.details else {
            continue;
        };
        details.remove("personal");
        match opened {
            Some(fields) => details.extend(fields),
            None => {
                if known.is_none() && !erased.contains_key(&subject) {
                    known = Some(app.store.users().await?.into_iter().map(|u| u.id).collect());
                }
                let label = match erased.get(&subject) {
                    Some(n) => format!("erased subject #{n}"),
                    // The person is still there: the month's key went by retention.
                    None if known.as_ref().is_some_and(|k| k.contains(&subject)) => {
                        "expired (retention of audit personal fields)".to_string()
                    }
                    None => "erased subject".to_string(),
                };
                details.insert("personal".into(), json!(label));
            }
        }
    }
    Ok(())
}

/// Which audit entries to show: the API's query parameters and the audit page's filters.
#[derive(Debug, Deserialize, Default, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// An action, or a prefix of one ending in `.` (e.g. `grant.`).
    pub action: Option<String>,
    pub actor: Option<String>,
    pub target: Option<String>,
    /// RFC 3339 times or dates (`2026-12-01`), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The newest `limit` entries.
    pub limit: Option<usize>,
}

/// The audit log, oldest first, and whether every entry still fits the hash chain.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditLog {
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<AuditEntry>,
    pub chain_intact: bool,
    /// The sequence number of the first entry that does not fit, if any.
    pub first_broken: Option<i64>,
}

impl AuditQuery {
    /// A form sends empty fields for filters left blank: they filter nothing.
    pub fn without_blanks(self) -> Self {
        let keep = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        AuditQuery {
            action: keep(self.action),
            actor: keep(self.actor),
            target: keep(self.target),
            from: keep(self.from),
            to: keep(self.to),
            limit: self.limit,
        }
    }

    /// The matching entries, oldest first.
    async fn select(&self, store: &proost_store::Store) -> Result<Vec<AuditEntry>> {
        let mut entries = store.audit_entries(self.action.as_deref()).await?;
        entries.retain(|e| self.matches(e));
        if let Some(limit) = self.limit {
            let skip = entries.len().saturating_sub(limit);
            entries.drain(..skip);
        }
        Ok(entries)
    }

    fn matches(&self, e: &AuditEntry) -> bool {
        self.actor.as_ref().is_none_or(|a| e.actor.as_deref() == Some(a.as_str()))
            && self.target.as_ref().is_none_or(|t| e.target.as_deref() == Some(t.as_str()))
            && self.from.as_ref().is_none_or(|f| e.at.as_str() >= f.as_str())
            // a bare date covers the whole day
            && self.to.as_ref().is_none_or(|t| {
                let end = if t.len() == 10 { format!("{t}T23:59:59.999Z") } else { t.clone() };
                e.at.as_str() <= end.as_str()
            })
    }
}

/// The entries `query` selects, for a caller whose role may read the audit log.
pub async fn log(app: &App, actor: &Actor, query: AuditQuery) -> Result<AuditLog> {
    actor
        .access
        .require("read_audit", "reading the audit log")?;
    let mut entries = query.without_blanks().select(&app.store).await?;
    unseal(app, &mut entries).await?;
    let broken = app.store.audit_verify().await?;
    Ok(AuditLog {
        entries,
        chain_intact: broken.is_none(),
        first_broken: broken,
    })
}

/// Everyone's id and name, so a reader of the audit log sees who acted (read_audit).
pub async fn actor_names(app: &App, actor: &Actor) -> Result<Vec<(String, String)>> {
    actor
        .access
        .require("read_audit", "reading the audit log")?;
    let mut names: Vec<(String, String)> = app
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    for (id, n) in app.store.erased_subjects().await? {
        names.push((id, format!("erased subject #{n}")));
    }
    Ok(names)
}
