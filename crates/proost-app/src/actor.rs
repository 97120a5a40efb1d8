//! Who acts: a signed-in user and what they may do and see. Services take an `&Actor`,
//! never a front's notion of a request.

use std::sync::Arc;

use proost_store::User;

use crate::access::Access;
use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub access: Arc<Access>,
    /// The session or API token acting, when there is one (a front's request).
    pub session: Option<SessionRef>,
}

/// The session (or API token) an actor acts through.
#[derive(Debug, Clone)]
pub struct SessionRef {
    /// Its public id.
    pub id: String,
    /// The digest of its bearer token.
    pub token_hash: String,
    /// `full` for a login; an API token's scope otherwise.
    pub scope: String,
    pub csrf_token: String,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.access.admin
    }

    /// Refuses anyone but an admin.
    pub fn require_admin(&self) -> Result<()> {
        if self.access.admin {
            Ok(())
        } else {
            Err(Error::forbidden("only an admin can do this"))
        }
    }
}
