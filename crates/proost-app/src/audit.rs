//! The audit log as people read it: which entries to show, and whether the hash chain still
//! holds. (Entries are written by the services that act, through `Store::audit`.)

use proost_store::AuditEntry;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, Result};

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
    let entries = query.without_blanks().select(&app.store).await?;
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
    Ok(app
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}
