//! What a caller may do and see: role capabilities, and the grants, row policies and
//! column protections the governed catalog is built from. Computed once per user and
//! remembered until anything it depends on changes.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use proost_connect::TableInfo;
use proost_query::{ColumnRule, MaskKind, PolicyValue, RowFilter, TablePolicy};
use proost_store::{GrantRecord, Level, Role, RowPolicyRecord, Store, User};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// What a role lets its holder do besides reading data they were granted.
pub const CAPABILITIES: &[&str] = &["sql", "native_sql", "read_audit", "read_usage"];

/// Personal columns: (schema, table, column) → mask, per connection id.
type Protected = HashMap<String, HashMap<(String, String, String), MaskKind>>;

/// One caller's access, as the governed catalog needs it.
#[derive(Debug)]
pub struct Access {
    pub admin: bool,
    capabilities: BTreeSet<String>,
    grants: Vec<GrantRecord>,
    /// Row policies of the caller's groups (connection, schema, table, policy), user
    /// attributes bound.
    filters: Vec<(String, String, String, RowFilter)>,
    protected: Arc<Protected>,
    fingerprint: String,
}

impl Access {
    pub fn can(&self, capability: &str) -> bool {
        self.admin || self.capabilities.contains(capability)
    }

    pub fn require(&self, capability: &str, what: &str) -> ApiResult<()> {
        if self.can(capability) {
            Ok(())
        } else {
            Err(
                ApiError::forbidden(format!("your role does not allow {what}"))
                    .with_code("role_forbidden"),
            )
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
            let mask = protected
                .and_then(|p| p.get(&(schema.to_string(), table.name.clone(), c.name.clone())));
            match mask {
                Some(kind) if level < Some(Level::Pii) => {
                    restricted = true;
                    columns.push((c.name.clone(), ColumnRule::Mask(*kind)));
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
            .copied()
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
            .copied();
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

    pub async fn of(&self, store: &Store, user: &User) -> ApiResult<Arc<Access>> {
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

    async fn protected(&self, store: &Store, generation: u64) -> ApiResult<Arc<Protected>> {
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
            let mask = c
                .mask
                .as_deref()
                .and_then(MaskKind::parse)
                .unwrap_or_else(|| default_mask(&c.categories));
            out.entry(c.connection_id)
                .or_default()
                .insert((c.schema, c.table, c.column), mask);
        }
        let out = Arc::new(out);
        if let Ok(mut p) = self.protected.lock() {
            *p = Some((generation, out.clone()));
        }
        Ok(out)
    }
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

/// The mask a personal column gets unless an admin chose one: special categories are
/// redacted; contact and payment identifiers keep a hint; dates of birth keep the year.
pub fn default_mask(categories: &serde_json::Value) -> MaskKind {
    let ids: Vec<&str> = categories
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.get("category").and_then(|v| v.as_str()).or(c.as_str()))
                .collect()
        })
        .unwrap_or_default();
    if ids
        .iter()
        .any(|c| c.starts_with("special.") || matches!(*c, "credentials" | "criminal_record"))
    {
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

fn capabilities_of(role: &Role, custom: Option<&[String]>) -> BTreeSet<String> {
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

async fn load(
    store: &Store,
    user: &User,
    protected: Arc<Protected>,
    generation: u64,
) -> ApiResult<Access> {
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

/// Binds the user's attributes into a policy: each `{{user.<key>}}` becomes a placeholder
/// (`$1`, `$2`, …) and the attribute its value (`id`, `email` and `name` are always there;
/// a missing one is NULL, which matches no row). The values never enter the SQL text, so an
/// attribute a user may set themselves (their name) cannot change what the policy says.
pub fn bind_attributes(filter: &str, user: &User) -> RowFilter {
    bind(filter, |key| match key {
        "id" => Some(serde_json::Value::String(user.id.clone())),
        "email" => Some(serde_json::Value::String(user.email.clone())),
        "name" => Some(serde_json::Value::String(user.name.clone())),
        other => user.attributes.get(other).cloned(),
    })
    .0
}

/// Replaces each `{{user.<key>}}` with a placeholder bound to `attribute(key)`; also says
/// whether one stood inside a quoted string (where it would be text, not a value).
fn bind(filter: &str, attribute: impl Fn(&str) -> Option<serde_json::Value>) -> (RowFilter, bool) {
    let mut sql = String::with_capacity(filter.len());
    let mut values = Vec::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut rest = filter;
    while let Some(start) = rest.find("{{") {
        let before = &rest[..start];
        quoted ^= before.matches('\'').count() % 2 == 1;
        sql.push_str(before);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            sql.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let key = after[..end].trim();
        let value = key.strip_prefix("user.").and_then(&attribute);
        values.push(policy_value(value.as_ref()));
        sql.push_str(&format!("${}", values.len()));
        rest = &after[end + 2..];
        in_quotes |= quoted;
    }
    sql.push_str(rest);
    (RowFilter { sql, values }, in_quotes)
}

fn policy_value(v: Option<&serde_json::Value>) -> PolicyValue {
    match v {
        Some(serde_json::Value::String(s)) => PolicyValue::Text(s.clone()),
        Some(serde_json::Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => PolicyValue::Int(i),
            (None, Some(f)) => PolicyValue::Float(f),
            _ => PolicyValue::Null,
        },
        Some(serde_json::Value::Bool(b)) => PolicyValue::Bool(*b),
        _ => PolicyValue::Null,
    }
}

/// Checks a row-policy filter is one SQL expression over the table's own columns: no
/// subquery (which could read other tables), nothing after it.
pub fn validate_filter(filter: &str) -> ApiResult<()> {
    use sqlparser::ast::{Expr, Visit, Visitor};
    use std::ops::ControlFlow;
    let invalid = |m: String| ApiError::bad_request("row_policy_invalid", m);
    if filter.trim().is_empty() || filter.len() > 4000 {
        return Err(invalid(
            "a row policy is one SQL expression, e.g. region = {{user.region}}".into(),
        ));
    }
    let (probe, in_quotes) = bind(filter, |_| None);
    if in_quotes {
        return Err(invalid(
            "an attribute inside quotes would be text, not the user's value; write it outside, e.g. name LIKE {{user.name}} || '%'".into(),
        ));
    }
    let probe = probe.sql;
    let dialect = sqlparser::dialect::GenericDialect {};
    let mut parser = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(&probe)
        .map_err(|e| invalid(format!("the filter does not parse: {e}")))?;
    let expr = parser
        .parse_expr()
        .map_err(|e| invalid(format!("the filter does not parse: {e}")))?;
    if parser.peek_token().token != sqlparser::tokenizer::Token::EOF {
        return Err(invalid(
            "a row policy is one SQL expression; found more after it".into(),
        ));
    }
    struct NoSubquery(bool);
    impl Visitor for NoSubquery {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if matches!(
                e,
                Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }
            ) {
                self.0 = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }
    }
    let mut v = NoSubquery(false);
    let _ = expr.visit(&mut v);
    if v.0 {
        return Err(invalid(
            "a row policy may not use a subquery; filter on the table's own columns".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_bind_as_values_never_as_text() {
        let attrs = |k: &str| match k {
            "region" => Some(serde_json::json!("EMEA' OR 1=1 --")),
            "level" => Some(serde_json::json!(3)),
            _ => None,
        };
        let (bound, quoted) = bind(
            "region = {{user.region}} AND lvl <= {{ user.level }}",
            attrs,
        );
        assert!(!quoted);
        assert_eq!(bound.sql, "region = $1 AND lvl <= $2");
        assert_eq!(
            bound.values,
            vec![
                PolicyValue::Text("EMEA' OR 1=1 --".into()),
                PolicyValue::Int(3)
            ]
        );
        let (missing, _) = bind("r = {{user.missing}}", attrs);
        assert_eq!(missing.values, vec![PolicyValue::Null]);
        assert!(bind("name LIKE '{{user.region}}%'", attrs).1);
        assert!(validate_filter("name LIKE '{{user.name}}%'").is_err());
        assert!(validate_filter("name LIKE {{user.name}} || '%'").is_ok());
    }

    #[test]
    fn filters_are_single_expressions_without_subqueries() {
        assert!(validate_filter("region = {{user.region}}").is_ok());
        assert!(validate_filter("amount < 100 AND status IN ('a','b')").is_ok());
        assert!(validate_filter("id IN (SELECT id FROM other)").is_err());
        assert!(validate_filter("1=1; DROP TABLE x").is_err());
        assert!(validate_filter("").is_err());
    }
}
