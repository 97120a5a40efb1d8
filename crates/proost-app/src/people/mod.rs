//! People: accounts and invites, groups and roles, sessions and API tokens, single sign-on.

pub mod accounts;
pub mod groups;
pub mod invites;
pub mod preferences;
pub mod reset;
pub mod sessions;
pub mod sso;
pub mod tokens;
