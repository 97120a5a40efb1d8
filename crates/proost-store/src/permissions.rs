//! Grants, row policies and column classifications: the facts the governed catalog is
//! built from. Deciding what they mean for a caller is the server's job.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{Result, Store, now};

/// How much of an object a grant opens, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// See that it exists (schema browser), not its rows.
    Metadata,
    /// Read rows; personal-data columns come masked.
    Query,
    /// Read rows with personal-data columns unmasked.
    Pii,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Metadata => "metadata",
            Level::Query => "query",
            Level::Pii => "pii",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "metadata" => Some(Level::Metadata),
            "query" => Some(Level::Query),
            "pii" => Some(Level::Pii),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Principal {
    User(String),
    Group(String),
}

#[derive(Debug, Clone)]
pub struct NewGrant {
    pub principal: Principal,
    pub connection_id: String,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub level: Level,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantRecord {
    pub id: String,
    pub principal: Principal,
    pub connection_id: String,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub level: Level,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowPolicyRecord {
    pub id: String,
    pub group_id: String,
    pub connection_id: String,
    pub schema: String,
    pub table: String,
    pub filter: String,
    pub created_at: String,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassificationRecord {
    pub connection_id: String,
    pub schema: String,
    pub table: String,
    pub column: String,
    /// `[{"category","confidence","evidence"}]`
    pub categories: serde_json::Value,
    pub status: String,
    pub mask: Option<String>,
    /// A key-value table's value column: `{"key", "attributes": {name: findings}}`.
    pub attributes: Option<serde_json::Value>,
    pub updated_at: String,
}

fn grant_from(r: &sqlx::sqlite::SqliteRow) -> GrantRecord {
    let principal = match r.get::<Option<String>, _>("user_id") {
        Some(u) => Principal::User(u),
        None => Principal::Group(r.get("group_id")),
    };
    GrantRecord {
        id: r.get("id"),
        principal,
        connection_id: r.get("connection_id"),
        schema: r.get("schema_name"),
        table: r.get("table_name"),
        column: r.get("column_name"),
        level: Level::parse(&r.get::<String, _>("level")).unwrap_or(Level::Metadata),
        created_at: r.get("created_at"),
        created_by: r.get("created_by"),
    }
}

fn policy_from(r: &sqlx::sqlite::SqliteRow) -> RowPolicyRecord {
    RowPolicyRecord {
        id: r.get("id"),
        group_id: r.get("group_id"),
        connection_id: r.get("connection_id"),
        schema: r.get("schema_name"),
        table: r.get("table_name"),
        filter: r.get("filter"),
        created_at: r.get("created_at"),
        created_by: r.get("created_by"),
    }
}

impl Store {
    pub async fn create_grant(&self, g: &NewGrant) -> Result<GrantRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        let (user, group) = match &g.principal {
            Principal::User(u) => (Some(u.as_str()), None),
            Principal::Group(gr) => (None, Some(gr.as_str())),
        };
        let at = now();
        sqlx::query(
            "INSERT INTO grants (id, user_id, group_id, connection_id, schema_name, table_name, column_name, level, created_at, created_by) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(user)
        .bind(group)
        .bind(&g.connection_id)
        .bind(&g.schema)
        .bind(&g.table)
        .bind(&g.column)
        .bind(g.level.as_str())
        .bind(&at)
        .bind(&g.created_by)
        .execute(&self.pool)
        .await?;
        Ok(GrantRecord {
            id,
            principal: g.principal.clone(),
            connection_id: g.connection_id.clone(),
            schema: g.schema.clone(),
            table: g.table.clone(),
            column: g.column.clone(),
            level: g.level,
            created_at: at,
            created_by: g.created_by.clone(),
        })
    }

    pub async fn grants(&self) -> Result<Vec<GrantRecord>> {
        let rows = sqlx::query("SELECT * FROM grants ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(grant_from).collect())
    }

    pub async fn grant(&self, id: &str) -> Result<Option<GrantRecord>> {
        let row = sqlx::query("SELECT * FROM grants WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(grant_from))
    }

    /// Grants that reach a user: their own and their groups'.
    pub async fn grants_for_user(&self, user_id: &str) -> Result<Vec<GrantRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM grants WHERE user_id = ?1 \
             OR group_id IN (SELECT group_id FROM group_members WHERE user_id = ?1) \
             ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(grant_from).collect())
    }

    pub async fn delete_grant(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM grants WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn create_row_policy(
        &self,
        group_id: &str,
        connection_id: &str,
        schema: &str,
        table: &str,
        filter: &str,
        created_by: Option<&str>,
    ) -> Result<RowPolicyRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        sqlx::query(
            "INSERT INTO row_policies (id, group_id, connection_id, schema_name, table_name, filter, created_at, created_by) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(group_id)
        .bind(connection_id)
        .bind(schema)
        .bind(table)
        .bind(filter)
        .bind(&at)
        .bind(created_by)
        .execute(&self.pool)
        .await?;
        Ok(RowPolicyRecord {
            id,
            group_id: group_id.into(),
            connection_id: connection_id.into(),
            schema: schema.into(),
            table: table.into(),
            filter: filter.into(),
            created_at: at,
            created_by: created_by.map(str::to_string),
        })
    }

    pub async fn row_policies(&self) -> Result<Vec<RowPolicyRecord>> {
        let rows = sqlx::query("SELECT * FROM row_policies ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(policy_from).collect())
    }

    /// Row policies of the groups a user is in.
    pub async fn row_policies_for_user(&self, user_id: &str) -> Result<Vec<RowPolicyRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM row_policies WHERE group_id IN \
             (SELECT group_id FROM group_members WHERE user_id = ?) ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(policy_from).collect())
    }

    pub async fn delete_row_policy(&self, id: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM row_policies WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Sets what is known about a column. `status` and `mask` set by an admin survive a
    /// rescan: a rescan passes `None` for them and only refreshes the categories.
    #[allow(clippy::too_many_arguments)]
    pub async fn upsert_classification(
        &self,
        connection_id: &str,
        schema: &str,
        table: &str,
        column: &str,
        categories: Option<&serde_json::Value>,
        status: Option<&str>,
        mask: Option<Option<&str>>,
        by: Option<&str>,
    ) -> Result<()> {
        let at = now();
        let cats = categories.map(|c| c.to_string());
        sqlx::query(
            "INSERT INTO classifications (connection_id, schema_name, table_name, column_name, categories, status, mask, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, COALESCE(?5, '[]'), COALESCE(?6, 'suggested'), ?7, ?8, ?9) \
             ON CONFLICT (connection_id, schema_name, table_name, column_name) DO UPDATE SET \
               categories = COALESCE(?5, categories), status = COALESCE(?6, status), \
               mask = CASE WHEN ?10 THEN ?7 ELSE mask END, updated_at = ?8, updated_by = ?9",
        )
        .bind(connection_id)
        .bind(schema)
        .bind(table)
        .bind(column)
        .bind(cats)
        .bind(status)
        .bind(mask.flatten())
        .bind(&at)
        .bind(by)
        .bind(mask.is_some())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What is known about the columns of one connection, or of all of them.
    pub async fn classifications(
        &self,
        connection_id: Option<&str>,
    ) -> Result<Vec<ClassificationRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM classifications WHERE (?1 IS NULL OR connection_id = ?1) \
             ORDER BY connection_id, schema_name, table_name, column_name",
        )
        .bind(connection_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ClassificationRecord {
                connection_id: r.get("connection_id"),
                schema: r.get("schema_name"),
                table: r.get("table_name"),
                column: r.get("column_name"),
                categories: serde_json::from_str(&r.get::<String, _>("categories"))
                    .unwrap_or(serde_json::Value::Array(vec![])),
                status: r.get("status"),
                mask: r.get("mask"),
                attributes: r
                    .get::<Option<String>, _>("attributes")
                    .and_then(|a| serde_json::from_str(&a).ok()),
                updated_at: r.get("updated_at"),
            })
            .collect())
    }
}
