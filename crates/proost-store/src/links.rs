//! Instance settings and public links. Whether a link may be used is decided by the
//! caller; this module stores rows (a link's token only as its hash).

use sqlx::Row;

use crate::{Result, Store, now};

#[derive(Debug, Clone)]
pub struct PublicLinkRecord {
    pub id: String,
    pub content_id: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

fn link_from(r: &sqlx::sqlite::SqliteRow) -> PublicLinkRecord {
    PublicLinkRecord {
        id: r.get("id"),
        content_id: r.get("content_id"),
        created_by: r.get("created_by"),
        created_at: r.get("created_at"),
        expires_at: r.get("expires_at"),
        revoked_at: r.get("revoked_at"),
        last_used_at: r.get("last_used_at"),
    }
}

impl Store {
    /// A setting's JSON text, if it was ever set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get("value")))
    }

    pub async fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn create_public_link(
        &self,
        content_id: &str,
        token_hash: &str,
        by: &str,
        expires_at: &str,
    ) -> Result<PublicLinkRecord> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO public_links (id, content_id, token_hash, created_by, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(content_id)
        .bind(token_hash)
        .bind(by)
        .bind(now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        self.public_link(&id)
            .await?
            .ok_or(crate::StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn public_link(&self, id: &str) -> Result<Option<PublicLinkRecord>> {
        let row = sqlx::query("SELECT * FROM public_links WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(link_from))
    }

    pub async fn public_link_by_token(&self, token_hash: &str) -> Result<Option<PublicLinkRecord>> {
        let row = sqlx::query("SELECT * FROM public_links WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(link_from))
    }

    /// Every link, newest first (revoked and expired ones too: they are the trail).
    pub async fn public_links(&self) -> Result<Vec<PublicLinkRecord>> {
        let rows = sqlx::query("SELECT * FROM public_links ORDER BY created_at DESC")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(link_from).collect())
    }

    /// Marks a live link revoked; false when it was already revoked or is unknown.
    pub async fn revoke_public_link(&self, id: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE public_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn touch_public_link(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE public_links SET last_used_at = ? WHERE id = ?")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
