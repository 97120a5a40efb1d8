//! Consistent copies of the app database for backups, and reading such a copy back without
//! changing it.

use std::path::Path;
use std::str::FromStr;

use sqlx::Row;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::{Result, Store, StoreError};

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest schema (migration) version this build knows.
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

impl Store {
    /// Writes a transactionally consistent copy of the app database to `path` (which must
    /// not exist) with `VACUUM INTO`: a file copy of a live WAL database could catch it
    /// between two writes. The copy has no WAL and no free pages.
    pub async fn snapshot_into(&self, path: &Path) -> Result<()> {
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Invalid("the snapshot path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Opens a copy of an app database (a backup being checked or restored) read-only and
    /// without migrating it, so checking a backup never changes it.
    pub async fn open_snapshot(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .read_only(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            audit_lock: Default::default(),
        })
    }

    /// Closes the pool, so the file can be moved or removed at once.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound database, else the problems found.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
    }

    /// The newest migration applied to this database (`None`: never migrated), and whether
    /// every recorded migration finished.
    pub async fn applied_schema_version(&self) -> Result<(Option<i64>, bool)> {
        let row = sqlx::query(
            "SELECT MAX(version) AS v, COALESCE(MIN(success), 1) AS ok FROM _sqlx_migrations",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.get("v"), row.get::<i64, _>("ok") != 0))
    }

    /// Whether the database answers and has exactly this build's migrations, all finished:
    /// what readiness checks.
    pub async fn migrations_current(&self) -> Result<bool> {
        let (version, finished) = self.applied_schema_version().await?;
        Ok(finished && version == Some(schema_version()))
    }

    /// The connection pool: (open connections, idle ones).
    pub fn pool_state(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// The tables of the database (SQLite's own excluded), by name.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Rows in every table, by table name: what a backup's manifest records and a restore
    /// checks.
    pub async fn row_counts(&self) -> Result<std::collections::BTreeMap<String, i64>> {
        let mut counts = std::collections::BTreeMap::new();
        for table in self.table_names().await? {
            let n = self.count_rows(&table).await?;
            counts.insert(table, n);
        }
        Ok(counts)
    }

    /// Rows in one table of the database (a name from [`Store::table_names`]). A backup's
    /// table names come from a file that may have been tampered with: the name must be a
    /// table here (checked with the name bound), and is formatted in only as an identifier,
    /// through the one quoting function.
    pub async fn count_rows(&self, table: &str) -> Result<i64> {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
                .bind(table)
                .fetch_optional(&self.pool)
                .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!("no table named {table:?}")));
        }
        let quoted = proost_readonly::quote_identifier(proost_readonly::Dialect::Sqlite, table);
        // Audited: only a quoted identifier is formatted in.
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {quoted}"));
        Ok(sqlx::query_scalar(sql).fetch_one(&self.pool).await?)
    }
}
