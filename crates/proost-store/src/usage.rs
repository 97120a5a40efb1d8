//! Usage events: pages visited, queries run (timing, rows, where they were answered from),
//! connections added. The store keeps what it is given; the server decides what is
//! recorded (nothing when the browser sends `DNT: 1` or `Sec-GPC: 1`) and replaces every
//! literal of a statement before it gets here.
//!
//! Retention: events older than the retention period are folded into `usage_daily`
//! (counts per day, user and kind) and deleted; addresses older than a few days are cut to
//! their network. Both in one transaction, so a crash never loses or double-counts events.

use std::net::IpAddr;

use chrono::{Duration, SecondsFormat, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store};

/// One recorded use. `id` is ignored on insert; `at` is an RFC 3339 UTC timestamp.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UsageEvent {
    pub id: i64,
    pub at: String,
    pub user_id: Option<String>,
    pub kind: String,
    pub path: Option<String>,
    /// The statement with every literal replaced by `?` (never a value).
    pub statement: Option<String>,
    pub statement_hash: Option<String>,
    pub elapsed_ms: Option<f64>,
    pub rows: Option<i64>,
    pub served_from: Vec<String>,
    pub connection_kinds: Vec<String>,
    pub cache: Option<String>,
    pub target: Option<String>,
    pub ip: Option<String>,
}

/// Which events to read. `from` is inclusive, `to` exclusive (both RFC 3339 timestamps).
#[derive(Debug, Clone, Default)]
pub struct UsageFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub user_id: Option<String>,
    pub kind: Option<String>,
    pub limit: i64,
}

/// A statement fingerprint and how it was used.
#[derive(Debug, Clone, Serialize)]
pub struct StatementUsage {
    pub statement: Option<String>,
    pub statement_hash: String,
    pub runs: i64,
    pub users: i64,
    pub avg_ms: Option<f64>,
    pub max_ms: Option<f64>,
    pub last_at: String,
}

/// A user's activity in a window.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveUser {
    pub user_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub events: i64,
    pub queries: i64,
    pub last_at: String,
}

/// Distinct active users on one day (raw events and folded days alike).
#[derive(Debug, Clone, Serialize)]
pub struct ActiveDay {
    pub day: String,
    pub users: i64,
    pub events: i64,
}

/// What a retention sweep did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct UsageSweep {
    /// Events folded into `usage_daily` and deleted.
    pub events_deleted: u64,
    /// (day, user, kind) rows of `usage_daily` created or added to.
    pub days_folded: u64,
    pub ips_truncated: u64,
}

impl UsageSweep {
    pub fn is_empty(&self) -> bool {
        *self == UsageSweep::default()
    }
}

/// The event's person is not on legal hold (`legal_holds`, migration 0013).
macro_rules! not_held {
    () => {
        "NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.kind = 'user' \
         AND h.released_at IS NULL AND h.target_id = usage_events.user_id)"
    };
}

fn ts(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Cuts an address to its network: IPv4 to the /24, IPv6 to the /48. Anything else
/// (`unknown`, garbage) is dropped.
pub fn truncate_ip(ip: &str) -> Option<String> {
    match ip.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(format!("{a}.{b}.{c}.0"))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            Some(std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0).to_string())
        }
    }
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn event_from(r: &sqlx::sqlite::SqliteRow) -> UsageEvent {
    let list = |col: &str| -> Vec<String> {
        r.get::<Option<String>, _>(col)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    };
    UsageEvent {
        id: r.get("id"),
        at: r.get("at"),
        user_id: r.get("user_id"),
        kind: r.get("kind"),
        path: r.get("path"),
        statement: r.get("statement"),
        statement_hash: r.get("statement_hash"),
        elapsed_ms: r.get("elapsed_ms"),
        rows: r.get("rows"),
        served_from: list("served_from"),
        connection_kinds: list("connection_kinds"),
        cache: r.get("cache"),
        target: r.get("target"),
        ip: r.get("ip"),
    }
}

/// The filter's conditions on `usage_events`, binding ?1 from, ?2 to, ?3 user, ?4 kind (a
/// macro, so the statements stay `&'static str`).
macro_rules! window {
    () => {
        "(?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
         AND (?3 IS NULL OR user_id = ?3) AND (?4 IS NULL OR kind = ?4)"
    };
}

impl Store {
    /// Writes a batch of events in one transaction.
    pub async fn insert_usage(&self, events: &[UsageEvent]) -> Result<()> {
        let mut tx = self.write_tx().await?;
        for e in events {
            sqlx::query(
                "INSERT INTO usage_events (at, user_id, kind, path, statement, statement_hash, \
                 elapsed_ms, rows, served_from, connection_kinds, cache, target, ip) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&e.at)
            .bind(&e.user_id)
            .bind(&e.kind)
            .bind(&e.path)
            .bind(&e.statement)
            .bind(&e.statement_hash)
            .bind(e.elapsed_ms)
            .bind(e.rows)
            .bind(json_list(&e.served_from))
            .bind(json_list(&e.connection_kinds))
            .bind(&e.cache)
            .bind(&e.target)
            .bind(&e.ip)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Events matching the filter, newest first.
    pub async fn usage_events(&self, f: &UsageFilter) -> Result<Vec<UsageEvent>> {
        let rows = filtered(
            sqlx::query(concat!(
                "SELECT * FROM usage_events WHERE ",
                window!(),
                " ORDER BY at DESC, id DESC LIMIT ?5"
            )),
            f,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(event_from).collect())
    }

    /// The statements run most often (by fingerprint) in the filter's window.
    pub async fn usage_top_statements(&self, f: &UsageFilter) -> Result<Vec<StatementUsage>> {
        let rows = filtered(
            sqlx::query(concat!(
                "SELECT statement_hash, MIN(statement) AS statement, COUNT(*) AS runs, \
             COUNT(DISTINCT user_id) AS users, AVG(elapsed_ms) AS avg_ms, \
             MAX(elapsed_ms) AS max_ms, MAX(at) AS last_at FROM usage_events WHERE ",
                window!(),
                " AND kind = 'query' AND statement_hash IS NOT NULL \
             GROUP BY statement_hash ORDER BY runs DESC, last_at DESC LIMIT ?5"
            )),
            f,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| StatementUsage {
                statement: r.get("statement"),
                statement_hash: r.get("statement_hash"),
                runs: r.get("runs"),
                users: r.get("users"),
                avg_ms: r.get("avg_ms"),
                max_ms: r.get("max_ms"),
                last_at: r.get("last_at"),
            })
            .collect())
    }

    /// The slowest query events in the filter's window.
    pub async fn usage_slowest(&self, f: &UsageFilter) -> Result<Vec<UsageEvent>> {
        let rows = filtered(
            sqlx::query(concat!(
                "SELECT * FROM usage_events WHERE ",
                window!(),
                " AND kind = 'query' AND elapsed_ms IS NOT NULL ORDER BY elapsed_ms DESC LIMIT ?5"
            )),
            f,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(event_from).collect())
    }

    /// Who was active in the filter's window, most active first.
    pub async fn usage_active_users(&self, f: &UsageFilter) -> Result<Vec<ActiveUser>> {
        let rows = filtered(sqlx::query(
            "SELECT e.user_id, u.name, u.email, COUNT(*) AS events, \
             SUM(e.kind = 'query') AS queries, MAX(e.at) AS last_at \
             FROM usage_events e LEFT JOIN users u ON u.id = e.user_id \
             WHERE e.user_id IS NOT NULL AND (?1 IS NULL OR e.at >= ?1) AND (?2 IS NULL OR e.at < ?2) \
             AND (?3 IS NULL OR e.user_id = ?3) AND (?4 IS NULL OR e.kind = ?4) \
             GROUP BY e.user_id ORDER BY events DESC LIMIT ?5",
        ), f)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ActiveUser {
                user_id: r.get("user_id"),
                name: r.get("name"),
                email: r.get("email"),
                events: r.get("events"),
                queries: r.get("queries"),
                last_at: r.get("last_at"),
            })
            .collect())
    }

    /// Distinct active users per day, newest first, from raw events and folded days.
    pub async fn usage_active_days(&self, f: &UsageFilter) -> Result<Vec<ActiveDay>> {
        let rows = sqlx::query(
            "SELECT day, COUNT(DISTINCT user_id) AS users, SUM(n) AS events FROM ( \
               SELECT substr(at, 1, 10) AS day, user_id, 1 AS n FROM usage_events \
               WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) \
               AND (?3 IS NULL OR kind = ?3) \
               UNION ALL \
               SELECT day, user_id, count AS n FROM usage_daily \
               WHERE (?1 IS NULL OR day >= substr(?1, 1, 10)) AND (?2 IS NULL OR day < substr(?2, 1, 10)) \
               AND (?3 IS NULL OR kind = ?3) \
             ) GROUP BY day ORDER BY day DESC LIMIT ?4",
        )
        .bind(&f.from)
        .bind(&f.to)
        .bind(&f.kind)
        .bind(f.limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ActiveDay {
                day: r.get("day"),
                users: r.get("users"),
                events: r.get("events"),
            })
            .collect())
    }

    /// Folds events older than `retention_days` into `usage_daily` and deletes them, and
    /// cuts addresses older than `ip_days` to their network: one transaction. A person on
    /// legal hold keeps theirs.
    pub async fn usage_sweep(&self, retention_days: u32, ip_days: u32) -> Result<UsageSweep> {
        let now = Utc::now();
        let before = |days: u32| {
            ts(now
                .checked_sub_signed(Duration::days(i64::from(days)))
                .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC))
        };
        let (cutoff, ip_cutoff) = (before(retention_days), before(ip_days));
        let mut out = UsageSweep::default();
        let mut tx = self.write_tx().await?;
        let groups = sqlx::query(concat!(
            "SELECT substr(at, 1, 10) AS day, user_id, kind, COUNT(*) AS n, \
             COALESCE(SUM(elapsed_ms), 0.0) AS ms FROM usage_events WHERE at < ? AND ",
            not_held!(),
            " GROUP BY 1, 2, 3"
        ))
        .bind(&cutoff)
        .fetch_all(&mut *tx)
        .await?;
        for g in &groups {
            let day: String = g.get("day");
            let user: Option<String> = g.get("user_id");
            let kind: String = g.get("kind");
            let n: i64 = g.get("n");
            let ms: f64 = g.get("ms");
            let updated = sqlx::query(
                "UPDATE usage_daily SET count = count + ?, total_ms = total_ms + ? \
                 WHERE day = ? AND user_id IS ? AND kind = ?",
            )
            .bind(n)
            .bind(ms)
            .bind(&day)
            .bind(&user)
            .bind(&kind)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                sqlx::query(
                    "INSERT INTO usage_daily (day, user_id, kind, count, total_ms) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(&day)
                .bind(&user)
                .bind(&kind)
                .bind(n)
                .bind(ms)
                .execute(&mut *tx)
                .await?;
            }
            out.days_folded += 1;
        }
        out.events_deleted = sqlx::query(concat!(
            "DELETE FROM usage_events WHERE at < ? AND ",
            not_held!()
        ))
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let addresses = sqlx::query(
            concat!(
                "SELECT id, ip FROM usage_events WHERE at < ? AND ip_truncated = 0 AND ip IS NOT NULL AND ",
                not_held!()
            ),
        )
        .bind(&ip_cutoff)
        .fetch_all(&mut *tx)
        .await?;
        for a in &addresses {
            let id: i64 = a.get("id");
            let ip: String = a.get("ip");
            sqlx::query("UPDATE usage_events SET ip = ?, ip_truncated = 1 WHERE id = ?")
                .bind(truncate_ip(&ip))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            out.ips_truncated += 1;
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// Binds a usage filter to a usage query's `?1`..`?4` (from, to, user, kind: see `window!()`)
/// and its `LIMIT ?5`.
fn filtered<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    f: &'q UsageFilter,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    q.bind(&f.from)
        .bind(&f.to)
        .bind(&f.user_id)
        .bind(&f.kind)
        .bind(f.limit)
}

#[cfg(test)]
mod tests {
    use super::truncate_ip;

    #[test]
    fn addresses_are_cut_to_their_network() {
        assert_eq!(truncate_ip("203.0.113.77").as_deref(), Some("203.0.113.0"));
        assert_eq!(
            truncate_ip("2001:db8:abcd:12:1:2:3:4").as_deref(),
            Some("2001:db8:abcd::")
        );
        assert_eq!(truncate_ip("unknown"), None);
    }
}
