#![forbid(unsafe_code)]
//! Proost's services, apart from any front: the instance (data dir, keys, app database,
//! scheduler), people and sessions, access (grants, masks, row policies), connections,
//! replicas, queries (governed catalog, run, result cache), personal-data classification and
//! the inventory, usage, audit, licence and mail.
//!
//! The HTTP server (`proost-server`), the CLI (`src/main.rs`) and, later, the PostgreSQL
//! wire endpoint are fronts over this crate: it has no axum or maud in it. Services take the
//! [`App`] and, where someone acts, an [`Actor`]; they return [`Error`]s with a stable code
//! and a transport-neutral [`Kind`] each front maps once. Mutations write their audit entry
//! here, so an action is recorded whichever front asked for it.

pub mod access;
pub mod actor;
pub mod audit;
pub mod backup;
pub mod classify;
pub mod config;
pub mod connections;
pub mod content;
pub mod error;
pub mod instance;
pub mod keyring;
pub mod licence;
pub mod mail;
pub mod metrics;
pub mod notices;
pub mod people;
pub mod permissions;
pub mod privacy;
pub mod query;
pub mod replicas;
pub mod retention;
pub mod sources;
pub mod types;
pub mod usage;

use std::sync::Arc;

use proost_query::Engine;
use proost_store::Store;

pub use actor::{Actor, SessionRef};
pub use config::Config;
pub use error::{Error, Kind, Result, StartError};
pub use instance::{Instance, rotate_master_key, verify_audit_log};
pub use keyring::Rotation;

/// Everything a running instance holds: one per process, shared by every front.
pub struct App {
    pub store: Store,
    pub connections: sources::Connections,
    pub replicas: replicas::Replicas,
    pub cache: Arc<proost_cache::ResultCache>,
    /// Statement → cache key memo, so a repeated question skips planning.
    pub memo: query::Memo,
    /// Queries under way that their callers named, so they can be cancelled.
    pub running: query::running::Running,
    /// One master-key rotation at a time (shreds rotate under the running instance).
    pub rotation: tokio::sync::Mutex<()>,
    pub engine: Engine,
    pub config: Config,
    pub login_limiter: people::sessions::LoginLimiter,
    /// Privacy requests filed by email (each mails a code): per address and per client.
    pub privacy_filings: people::sessions::LoginLimiter,
    pub sessions: people::sessions::SessionMemo,
    pub access: access::AccessMemo,
    /// Single sign-on: the configured providers and the OIDC logins under way.
    pub sso: people::sso::Sso,
    /// Records usage events in the background.
    pub usage: usage::Usage,
    /// The verified licence, if one was given: its limits are enforced.
    pub licence: Option<licence::Licence>,
    /// Sends invite emails when SMTP is configured.
    pub mailer: Option<mail::Mailer>,
    /// When the background scheduler last ran (readiness checks it is alive).
    pub heartbeat: instance::Heartbeat,
    /// The instance's own work, stopped by [`App::shutdown`].
    pub(crate) background: instance::Background,
    /// Held until shutdown: one process per data dir.
    pub(crate) data_dir_lock: std::sync::Mutex<Option<std::fs::File>>,
}
