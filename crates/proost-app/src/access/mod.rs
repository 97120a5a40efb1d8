//! What a caller may do and see: role capabilities, and the grants, row policies and
//! column protections the governed catalog is built from. Computed once per user and
//! remembered until anything it depends on changes (`memo`).

mod memo;
mod row_policy;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use proost_connect::TableInfo;
use proost_query::{ColumnRule, MaskKind, RowFilter, TablePolicy};
use proost_store::{GrantRecord, Level, Role};

pub use memo::AccessMemo;
pub use row_policy::{bind_attributes, validate_filter};

use crate::{Error, Result};

/// What a role lets its holder do besides reading data they were granted.
/// `privacy_requests`: work the data-subject request queue (the built-in `privacy_officer`).
pub const CAPABILITIES: &[&str] = &[
    "sql",
    "native_sql",
    "read_audit",
    "read_usage",
    "privacy_requests",
];

/// Built-in roles; `privacy_officer` is kept as a role record (with `privacy_requests` on
/// a viewer's floor) that nobody can change or delete.
pub const BUILT_IN_ROLES: &[&str] = &["admin", "analyst", "viewer", "privacy_officer"];

/// Personal columns: (schema, table, column) → how they are masked, per connection id.
pub(crate) type Protected = HashMap<String, HashMap<(String, String, String), Protection>>;

/// How a personal column is masked for callers without `pii` on it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Protection {
    /// The mask of the column (of a key-value table's value column: of the attributes not
    /// known to be harmless).
    pub mask: MaskKind,
    /// A key-value table's value column, masked attribute by attribute.
    pub by_key: Option<Arc<ByKey>>,
}

#[derive(Debug, PartialEq)]
pub(crate) struct ByKey {
    pub key: String,
    pub masked: Vec<(String, MaskKind)>,
    pub shown: Vec<String>,
}

/// One caller's access, as the governed catalog needs it.
#[derive(Debug)]
pub struct Access {
    pub admin: bool,
    pub(crate) capabilities: BTreeSet<String>,
    pub(crate) grants: Vec<GrantRecord>,
    /// Row policies of the caller's groups (connection, schema, table, policy), user
    /// attributes bound.
    pub(crate) filters: Vec<(String, String, String, RowFilter)>,
    pub(crate) protected: Arc<Protected>,
    pub(crate) fingerprint: String,
}

impl Access {
    /// What an access request's search of connected sources reads with: every table, no
    /// masks (the values go into the requester's encrypted bundle), no row policy — for the
    /// approving officer, whose own grants may reach nothing. Its fingerprint is its own, so
    /// no cached result is shared with anyone.
    pub(crate) fn for_privacy_search(&self, request_id: &str) -> Access {
        Access {
            admin: true,
            capabilities: BTreeSet::new(),
            grants: Vec::new(),
            filters: Vec::new(),
            protected: self.protected.clone(),
            fingerprint: format!("privacy-search/v1/{request_id}"),
        }
    }

    pub fn can(&self, capability: &str) -> bool {
        self.admin || self.capabilities.contains(capability)
    }

    pub fn require(&self, capability: &str, what: &str) -> Result<()> {
        if self.can(capability) {
            Ok(())
        } else {
            Err(Error::forbidden(format!("your role does not allow {what}"))
                .with_code("role_forbidden"))
        }
    }

    /// Results computed for one fingerprint are never served to another: equal strings
    /// mean equal access (whoever the users are).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The caller may know the connection exists.
    pub fn sees_connection(&self, id: &str) -> bool {
        self.admin || self.grants.iter().any(|g| g.connection_id == id)
    }

    /// The caller may read everything of the connection unmasked and unfiltered: the only
    /// callers native SQL is for.
    pub fn unrestricted_on(&self, id: &str) -> bool {
        self.admin
            || (self
                .grants
                .iter()
                .any(|g| g.connection_id == id && g.schema.is_none() && g.level == Level::Pii)
                && !self.filters.iter().any(|f| f.0 == id))
    }

    fn level(&self, conn: &str, schema: &str, table: &str, column: Option<&str>) -> Option<Level> {
        self.grants
            .iter()
            .filter(|g| {
                g.connection_id == conn
                    && g.schema.as_deref().is_none_or(|s| s == schema)
                    && g.table.as_deref().is_none_or(|t| t == table)
                    && match (column, g.column.as_deref()) {
                        (_, None) => true,
                        (Some(c), Some(gc)) => c == gc,
                        // The table's own level ignores grants on single columns.
                        (None, Some(_)) => false,
                    }
            })
            .map(|g| g.level)
            .max()
    }

    /// The caller may see the table exists (a grant reaches it or one of its columns).
    pub fn sees_table(&self, conn: &str, schema: &str, table: &str) -> bool {
        self.admin
            || self.grants.iter().any(|g| {
                g.connection_id == conn
                    && g.schema.as_deref().is_none_or(|s| s == schema)
                    && g.table.as_deref().is_none_or(|t| t == table)
            })
    }

    /// How the caller reads one table: `None` when unrestricted, else the policy. Call
    /// only for tables [`Access::sees_table`] admits.
    pub fn table_policy(&self, conn: &str, schema: &str, table: &TableInfo) -> Option<TablePolicy> {
        if self.admin {
            return None;
        }
        let protected = self.protected.get(conn);
        let mut columns = Vec::new();
        let mut restricted = false;
        for c in &table.columns {
            let level = self.level(conn, schema, &table.name, Some(&c.name));
            if level < Some(Level::Query) {
                restricted = true;
                continue;
            }
            let protection = protected
                .and_then(|p| p.get(&(schema.to_string(), table.name.clone(), c.name.clone())));
            match protection {
                Some(p) if level < Some(Level::Pii) => {
                    restricted = true;
                    let rule = match &p.by_key {
                        Some(k) => ColumnRule::MaskByKey {
                            key: k.key.clone(),
                            masked: k.masked.clone(),
                            shown: k.shown.clone(),
                            other: p.mask,
                        },
                        None => ColumnRule::Mask(p.mask),
                    };
                    columns.push((c.name.clone(), rule));
                }
                _ => columns.push((c.name.clone(), ColumnRule::Show)),
            }
        }
        let row_filters: Vec<RowFilter> = self
            .filters
            .iter()
            .filter(|f| f.0 == conn && f.1 == schema && f.2 == table.name)
            .map(|f| f.3.clone())
            .collect();
        let readable = !columns.is_empty();
        if !restricted && row_filters.is_empty() && readable {
            return None;
        }
        Some(TablePolicy {
            readable,
            columns,
            row_filters,
        })
    }

    /// The mask a column carries for callers without `pii` on it (`None`: not personal,
    /// or not confidently so).
    pub fn protection(
        &self,
        conn: &str,
        schema: &str,
        table: &str,
        column: &str,
    ) -> Option<MaskKind> {
        self.protected
            .get(conn)
            .and_then(|p| p.get(&(schema.into(), table.into(), column.into())))
            .map(|p| p.mask)
    }

    /// How one column shows for the caller in the schema browser: `None` = absent.
    pub fn column_view(
        &self,
        conn: &str,
        schema: &str,
        table: &str,
        column: &str,
    ) -> Option<Option<MaskKind>> {
        let mask = self
            .protected
            .get(conn)
            .and_then(|p| p.get(&(schema.into(), table.into(), column.into())))
            .map(|p| p.mask);
        if self.admin {
            return Some(None);
        }
        let level = self.level(conn, schema, table, Some(column))?;
        if level < Level::Query {
            // Known to exist, rows not readable: shown as metadata.
            return Some(mask);
        }
        Some(if level < Level::Pii { mask } else { None })
    }
}

/// The mask a personal column gets unless an admin chose one: free text has what it
/// mentions masked in place (and a value that mentions a special category redacted whole,
/// when the column's findings include one); special categories are redacted; contact and
/// payment identifiers keep a hint; dates of birth keep the year.
pub fn default_mask(categories: &serde_json::Value) -> MaskKind {
    let items = categories.as_array().map(Vec::as_slice).unwrap_or_default();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|c| c.get("category").and_then(|v| v.as_str()).or(c.as_str()))
        .collect();
    let special = ids
        .iter()
        .any(|c| c.starts_with("special.") || matches!(*c, "credentials" | "criminal_record"));
    let free_text = items.iter().any(|c| {
        c.pointer("/evidence/free_text")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    });
    if free_text {
        return if special {
            MaskKind::SpansStrict
        } else {
            MaskKind::Spans
        };
    }
    if special {
        return MaskKind::Redact;
    }
    if ids
        .iter()
        .any(|c| matches!(*c, "email" | "phone" | "credit_card" | "bank_account"))
    {
        return MaskKind::Partial;
    }
    if ids
        .iter()
        .any(|c| matches!(*c, "date_of_birth" | "postal_code" | "age"))
    {
        return MaskKind::Generalize;
    }
    // Identifiers people are joined on: a keyed hash keeps joins and distinct counts.
    if ids.iter().any(|c| {
        matches!(
            *c,
            "national_id"
                | "tax_id"
                | "passport_number"
                | "drivers_license"
                | "username"
                | "device_id"
                | "mac_address"
                | "vehicle_id"
        )
    }) {
        return MaskKind::Hash;
    }
    MaskKind::Redact
}

pub(crate) fn capabilities_of(role: &Role, custom: Option<&[String]>) -> BTreeSet<String> {
    let list: Vec<&str> = match (custom, role) {
        (Some(c), _) => c.iter().map(String::as_str).collect(),
        (None, Role::Admin) => CAPABILITIES.to_vec(),
        (None, Role::Analyst) => vec!["sql", "native_sql"],
        (None, Role::Viewer) => vec![],
    };
    list.into_iter()
        .filter(|c| CAPABILITIES.contains(c))
        .map(str::to_string)
        .collect()
}
