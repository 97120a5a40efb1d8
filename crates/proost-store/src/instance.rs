//! What an instance holds, counted: the figures a licence may cap.

use serde::Serialize;

use crate::{Result, Store};

/// The built-in roles a licence counts (admin, analyst, viewer). The privacy officer came
/// after licences were issued and does not count against `max_roles`.
pub const BUILT_IN_ROLES: i64 = 3;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct InstanceCounts {
    pub users: i64,
    pub roles: i64,
    pub connections: i64,
}

impl Store {
    pub async fn connection_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM connections")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Roles an instance has: the built-in three and the custom ones.
    pub async fn role_count(&self) -> Result<i64> {
        let custom: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM roles WHERE name <> 'privacy_officer'")
                .fetch_one(&self.pool)
                .await?;
        Ok(BUILT_IN_ROLES + custom)
    }

    pub async fn instance_counts(&self) -> Result<InstanceCounts> {
        Ok(InstanceCounts {
            users: self.user_count().await?,
            roles: self.role_count().await?,
            connections: self.connection_count().await?,
        })
    }
}
