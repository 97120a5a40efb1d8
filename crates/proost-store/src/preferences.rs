//! Communication preferences, used one-click unsubscribe links, privacy notice versions and
//! their acknowledgements. What a preference means is decided by the caller.

use sqlx::Row;

use crate::{Result, Store, now};

/// A user's communication preferences (no stored row: every one on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreferencesRecord {
    pub product_notices: bool,
    pub subscriptions: bool,
    pub mentions: bool,
    pub usage_analytics: bool,
}

impl Default for PreferencesRecord {
    fn default() -> Self {
        PreferencesRecord {
            product_notices: true,
            subscriptions: true,
            mentions: true,
            usage_analytics: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NoticeRecord {
    pub version: i64,
    pub markdown: String,
    pub material: bool,
    pub summary: Option<String>,
    pub published_by: Option<String>,
    pub published_at: String,
}

fn notice_from(r: &sqlx::sqlite::SqliteRow) -> NoticeRecord {
    NoticeRecord {
        version: r.get("version"),
        markdown: r.get("markdown"),
        material: r.get::<i64, _>("material") != 0,
        summary: r.get("summary"),
        published_by: r.get("published_by"),
        published_at: r.get("published_at"),
    }
}

impl Store {
    pub async fn preferences(&self, user_id: &str) -> Result<PreferencesRecord> {
        let row = sqlx::query(
            "SELECT product_notices, subscriptions, mentions, usage_analytics \
             FROM user_preferences WHERE user_id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map_or_else(PreferencesRecord::default, |r| PreferencesRecord {
                product_notices: r.get::<i64, _>("product_notices") != 0,
                subscriptions: r.get::<i64, _>("subscriptions") != 0,
                mentions: r.get::<i64, _>("mentions") != 0,
                usage_analytics: r.get::<i64, _>("usage_analytics") != 0,
            }),
        )
    }

    pub async fn put_preferences(&self, user_id: &str, p: &PreferencesRecord) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_preferences \
             (user_id, product_notices, subscriptions, mentions, usage_analytics, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET \
             product_notices = excluded.product_notices, subscriptions = excluded.subscriptions, \
             mentions = excluded.mentions, usage_analytics = excluded.usage_analytics, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(p.product_notices)
        .bind(p.subscriptions)
        .bind(p.mentions)
        .bind(p.usage_analytics)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Users who turned usage analytics off.
    pub async fn usage_opted_out(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT user_id FROM user_preferences WHERE usage_analytics = 0")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("user_id")).collect())
    }

    /// Records an unsubscribe link as used: `false` when it already was. Uses older than
    /// `prune_before` (RFC 3339; no link that old is still valid) are forgotten.
    pub async fn use_unsubscribe(
        &self,
        token_hash: &str,
        user_id: &str,
        category: &str,
        prune_before: &str,
    ) -> Result<bool> {
        sqlx::query("DELETE FROM unsubscribe_uses WHERE used_at < ?")
            .bind(prune_before)
            .execute(&self.pool)
            .await?;
        let done = sqlx::query(
            "INSERT INTO unsubscribe_uses (token_hash, user_id, category, used_at) \
             VALUES (?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(category)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Publishes a new notice version; returns it.
    pub async fn publish_notice(
        &self,
        markdown: &str,
        material: bool,
        summary: Option<&str>,
        by: Option<&str>,
    ) -> Result<NoticeRecord> {
        let mut tx = self.write_tx().await?;
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM privacy_notices")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO privacy_notices (version, markdown, material, summary, published_by, published_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(version)
        .bind(markdown)
        .bind(material)
        .bind(summary)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.notice(Some(version))
            .await?
            .ok_or(crate::StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// A notice version (`None`: the current one).
    pub async fn notice(&self, version: Option<i64>) -> Result<Option<NoticeRecord>> {
        let row = match version {
            Some(v) => {
                sqlx::query("SELECT * FROM privacy_notices WHERE version = ?")
                    .bind(v)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM privacy_notices ORDER BY version DESC LIMIT 1")
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        Ok(row.as_ref().map(notice_from))
    }

    /// Every version, newest first.
    pub async fn notices(&self) -> Result<Vec<NoticeRecord>> {
        let rows = sqlx::query("SELECT * FROM privacy_notices ORDER BY version DESC")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(notice_from).collect())
    }

    /// The newest material version this user has not acknowledged (acknowledging a later
    /// version covers earlier ones).
    pub async fn notice_pending(&self, user_id: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(version) FROM privacy_notices WHERE material = 1 AND version > \
             COALESCE((SELECT MAX(version) FROM notice_acknowledgements WHERE user_id = ?), 0)",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn acknowledge_notice(&self, user_id: &str, version: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO notice_acknowledgements (user_id, version, at) VALUES (?, ?, ?) \
             ON CONFLICT (user_id, version) DO NOTHING",
        )
        .bind(user_id)
        .bind(version)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many users acknowledged each version: (version, count).
    pub async fn notice_acknowledgement_counts(&self) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT version, COUNT(*) AS n FROM notice_acknowledgements GROUP BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("version"), r.get("n")))
            .collect())
    }
}
