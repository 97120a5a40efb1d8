//! Saved content (questions, dashboards, collections), its versions, shares, comments and
//! computed fields. Who may see what is decided by the caller; this module stores rows.

use sqlx::Row;

use crate::{Result, Store, StoreError, now};

#[derive(Debug, Clone)]
pub struct ContentRecord {
    pub id: String,
    /// `question`, `dashboard` or `collection`.
    pub kind: String,
    pub name: String,
    pub description: String,
    pub collection_id: Option<String>,
    pub owner_id: Option<String>,
    pub version: i64,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub version: i64,
    pub body: String,
    pub author_id: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct ShareRecord {
    pub id: String,
    pub content_id: String,
    pub principal_kind: String,
    pub principal_id: String,
    pub level: String,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct CommentRecord {
    pub id: String,
    pub content_id: String,
    pub parent_id: Option<String>,
    pub author_id: String,
    pub body: String,
    pub hidden_reason: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FieldRecord {
    pub id: String,
    pub table_name: String,
    pub name: String,
    pub expression: String,
    pub owner_id: Option<String>,
    pub created_at: String,
}

/// What is saved: the listed columns are copies of the body's, for search and placement.
#[derive(Debug, Clone)]
pub struct NewContent<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub collection_id: Option<&'a str>,
    pub body: &'a str,
}

fn content_from(r: &sqlx::sqlite::SqliteRow) -> ContentRecord {
    ContentRecord {
        id: r.get("id"),
        kind: r.get("kind"),
        name: r.get("name"),
        description: r.get("description"),
        collection_id: r.get("collection_id"),
        owner_id: r.get("owner_id"),
        version: r.get("version"),
        body: r.get("body"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn comment_from(r: &sqlx::sqlite::SqliteRow) -> CommentRecord {
    CommentRecord {
        id: r.get("id"),
        content_id: r.get("content_id"),
        parent_id: r.get("parent_id"),
        author_id: r.get("author_id"),
        body: r.get("body"),
        hidden_reason: r.get("hidden_reason"),
        created_at: r.get("created_at"),
        edited_at: r.get("edited_at"),
    }
}

impl Store {
    /// Saves new content as its version 1.
    pub async fn create_content(&self, c: &NewContent<'_>, owner: &str) -> Result<ContentRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO contents (id, kind, name, description, collection_id, owner_id, version, body, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .bind(&id)
        .bind(c.kind)
        .bind(c.name)
        .bind(c.description)
        .bind(c.collection_id)
        .bind(owner)
        .bind(c.body)
        .bind(&at)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO content_versions (content_id, version, body, author_id, created_at) VALUES (?, 1, ?, ?, ?)",
        )
        .bind(&id)
        .bind(c.body)
        .bind(owner)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.content(&id)
            .await?
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// Saves a new version; `None` when the content is gone.
    pub async fn update_content(
        &self,
        id: &str,
        c: &NewContent<'_>,
        author: &str,
    ) -> Result<Option<ContentRecord>> {
        let at = now();
        let mut tx = self.write_tx().await?;
        let Some(version): Option<i64> =
            sqlx::query_scalar("SELECT version FROM contents WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(None);
        };
        let next = version + 1;
        sqlx::query(
            "UPDATE contents SET name = ?, description = ?, collection_id = ?, version = ?, body = ?, updated_at = ? WHERE id = ?",
        )
        .bind(c.name)
        .bind(c.description)
        .bind(c.collection_id)
        .bind(next)
        .bind(c.body)
        .bind(&at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO content_versions (content_id, version, body, author_id, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(next)
        .bind(c.body)
        .bind(author)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.content(id).await
    }

    pub async fn content(&self, id: &str) -> Result<Option<ContentRecord>> {
        let row = sqlx::query("SELECT * FROM contents WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(content_from))
    }

    /// All content of a kind (or every kind), oldest first.
    pub async fn contents(&self, kind: Option<&str>) -> Result<Vec<ContentRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM contents WHERE (?1 IS NULL OR kind = ?1) ORDER BY created_at, id",
        )
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(content_from).collect())
    }

    pub async fn delete_content(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM contents WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn set_content_owner(&self, id: &str, owner: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE contents SET owner_id = ? WHERE id = ?")
            .bind(owner)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn content_versions(&self, id: &str) -> Result<Vec<VersionRecord>> {
        let rows = sqlx::query(
            "SELECT version, body, author_id, created_at FROM content_versions WHERE content_id = ? ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| VersionRecord {
                version: r.get("version"),
                body: r.get("body"),
                author_id: r.get("author_id"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// Adds or changes a share (one per content and principal).
    pub async fn put_share(
        &self,
        content_id: &str,
        principal_kind: &str,
        principal_id: &str,
        level: &str,
        by: &str,
    ) -> Result<ShareRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO shares (id, content_id, principal_kind, principal_id, level, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (content_id, principal_kind, principal_id) DO UPDATE SET level = excluded.level",
        )
        .bind(&id)
        .bind(content_id)
        .bind(principal_kind)
        .bind(principal_id)
        .bind(level)
        .bind(by)
        .bind(now())
        .execute(&self.pool)
        .await?;
        let shares = self.shares_of(content_id).await?;
        shares
            .into_iter()
            .find(|s| s.principal_kind == principal_kind && s.principal_id == principal_id)
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn shares_of(&self, content_id: &str) -> Result<Vec<ShareRecord>> {
        let rows = sqlx::query("SELECT * FROM shares WHERE content_id = ? ORDER BY created_at")
            .bind(content_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(share_from).collect())
    }

    /// Every share (access checks read them all: a handful per content).
    pub async fn all_shares(&self) -> Result<Vec<ShareRecord>> {
        let rows = sqlx::query("SELECT * FROM shares")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(share_from).collect())
    }

    pub async fn share(&self, id: &str) -> Result<Option<ShareRecord>> {
        let row = sqlx::query("SELECT * FROM shares WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(share_from))
    }

    pub async fn delete_share(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM shares WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn add_comment(
        &self,
        content_id: &str,
        parent_id: Option<&str>,
        author_id: &str,
        body: &str,
    ) -> Result<CommentRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO comments (id, content_id, parent_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(content_id)
        .bind(parent_id)
        .bind(author_id)
        .bind(body)
        .bind(now())
        .execute(&self.pool)
        .await?;
        self.comment(&id)
            .await?
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn comment(&self, id: &str) -> Result<Option<CommentRecord>> {
        let row = sqlx::query("SELECT * FROM comments WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(comment_from))
    }

    pub async fn comments_of(&self, content_id: &str) -> Result<Vec<CommentRecord>> {
        let rows =
            sqlx::query("SELECT * FROM comments WHERE content_id = ? ORDER BY created_at, id")
                .bind(content_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(comment_from).collect())
    }

    pub async fn edit_comment(&self, id: &str, body: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?")
            .bind(body)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn hide_comment(&self, id: &str, reason: Option<&str>) -> Result<bool> {
        let done = sqlx::query("UPDATE comments SET hidden_reason = ? WHERE id = ?")
            .bind(reason)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn delete_comment(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM comments WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn create_field(
        &self,
        table_name: &str,
        name: &str,
        expression: &str,
        owner: &str,
    ) -> Result<Option<FieldRecord>> {
        let id = uuid::Uuid::new_v4().to_string();
        let done = sqlx::query(
            "INSERT INTO computed_fields (id, table_name, name, expression, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(table_name)
        .bind(name)
        .bind(expression)
        .bind(owner)
        .bind(now())
        .execute(&self.pool)
        .await;
        match done {
            Err(e) if crate::unique_violation(&e) => return Ok(None),
            other => other?,
        };
        Ok(self
            .fields(Some(table_name))
            .await?
            .into_iter()
            .find(|f| f.id == id))
    }

    pub async fn fields(&self, table_name: Option<&str>) -> Result<Vec<FieldRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM computed_fields WHERE (?1 IS NULL OR table_name = ?1) ORDER BY table_name, name",
        )
        .bind(table_name)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| FieldRecord {
                id: r.get("id"),
                table_name: r.get("table_name"),
                name: r.get("name"),
                expression: r.get("expression"),
                owner_id: r.get("owner_id"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    pub async fn delete_field(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM computed_fields WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

fn share_from(r: &sqlx::sqlite::SqliteRow) -> ShareRecord {
    ShareRecord {
        id: r.get("id"),
        content_id: r.get("content_id"),
        principal_kind: r.get("principal_kind"),
        principal_id: r.get("principal_id"),
        level: r.get("level"),
        created_at: r.get("created_at"),
    }
}

#[derive(Debug, Clone)]
pub struct SubscriptionRecord {
    pub id: String,
    pub content_id: String,
    pub user_id: String,
    /// `daily`, `weekly` or `monthly`.
    pub every: String,
    pub hour: i64,
    /// Weekly: 1 = Monday … 7.
    pub weekday: Option<i64>,
    /// Monthly: 1–28.
    pub day: Option<i64>,
    pub time_zone: String,
    /// JSON `{"column", "op", "value"}`.
    pub alert: Option<String>,
    pub created_at: String,
    pub last_sent_at: Option<String>,
    pub last_error: Option<String>,
}

fn subscription_from(r: &sqlx::sqlite::SqliteRow) -> SubscriptionRecord {
    SubscriptionRecord {
        id: r.get("id"),
        content_id: r.get("content_id"),
        user_id: r.get("user_id"),
        every: r.get("every"),
        hour: r.get("hour"),
        weekday: r.get("weekday"),
        day: r.get("day"),
        time_zone: r.get("time_zone"),
        alert: r.get("alert"),
        created_at: r.get("created_at"),
        last_sent_at: r.get("last_sent_at"),
        last_error: r.get("last_error"),
    }
}

impl Store {
    /// Saves a subscription (the id and times are filled in here).
    pub async fn create_subscription(
        &self,
        s: &SubscriptionRecord,
        by: &str,
    ) -> Result<SubscriptionRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO subscriptions (id, content_id, user_id, every, hour, weekday, day, time_zone, alert, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&s.content_id)
        .bind(&s.user_id)
        .bind(&s.every)
        .bind(s.hour)
        .bind(s.weekday)
        .bind(s.day)
        .bind(&s.time_zone)
        .bind(&s.alert)
        .bind(by)
        .bind(now())
        .execute(&self.pool)
        .await?;
        self.subscription(&id)
            .await?
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn subscription(&self, id: &str) -> Result<Option<SubscriptionRecord>> {
        let row = sqlx::query("SELECT * FROM subscriptions WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(subscription_from))
    }

    /// Every subscription, or one person's.
    pub async fn subscriptions(&self, user: Option<&str>) -> Result<Vec<SubscriptionRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM subscriptions WHERE (?1 IS NULL OR user_id = ?1) ORDER BY created_at, id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(subscription_from).collect())
    }

    pub async fn delete_subscription(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM subscriptions WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a delivery round: when, and what failed (none: it was sent or skipped).
    pub async fn mark_subscription(&self, id: &str, at: &str, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE subscriptions SET last_sent_at = ?, last_error = ? WHERE id = ?")
            .bind(at)
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
