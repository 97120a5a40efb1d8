//! Licence and limits: an instance shows its counts of users, roles and connections, and an
//! optional licence file, signed with the vendor's Ed25519 key, can cap them.
//!
//! The file is JSON: `{"payload": base64(JSON limits), "signature": base64(Ed25519 over the
//! payload bytes)}`. The payload is `{"licensee", "max_users"?, "max_connections"?,
//! "max_roles"?, "expires"? ("YYYY-MM-DD", valid through that day, UTC)}`; unknown fields
//! are refused, so a limit this build does not know is never silently ignored.
//!
//! A licence file that is named but unreadable, badly signed or expired stops the start:
//! the admin asked for it, and running without limits instead would hide the mistake.
//! Without a licence file there are no limits.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{NaiveDate, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::{Actor, App, Error, Kind, Result};

/// The vendor's public key. Its private half never enters this repository.
const VENDOR_KEY: [u8; 32] = [
    0x67, 0x79, 0xa3, 0x8d, 0xe5, 0x49, 0xaa, 0x99, 0x21, 0x54, 0xce, 0x7a, 0x82, 0xae, 0x43, 0xd0,
    0xf9, 0x2f, 0x31, 0x07, 0x73, 0x92, 0x49, 0xd6, 0xb9, 0x3d, 0x2a, 0x54, 0x40, 0x59, 0xe1, 0x86,
];

/// Debug builds (tests) may swap the verifying key, so a test can sign its own licences
/// without the vendor's private key. Release builds ignore it: otherwise whoever sets the
/// environment could mint a licence of their own.
#[cfg(debug_assertions)]
const TEST_KEY_ENV: &str = "PROOST_LICENCE_VERIFYING_KEY";

/// A verified licence.
#[derive(Debug, Clone)]
pub struct Licence {
    pub licensee: String,
    pub max_users: Option<i64>,
    pub max_connections: Option<i64>,
    pub max_roles: Option<i64>,
    pub expires: Option<NaiveDate>,
}

/// The signed payload as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Terms {
    licensee: String,
    #[serde(default)]
    max_users: Option<i64>,
    #[serde(default)]
    max_connections: Option<i64>,
    #[serde(default)]
    max_roles: Option<i64>,
    #[serde(default)]
    expires: Option<String>,
}

impl Licence {
    pub fn expired(&self) -> bool {
        self.expires.is_some_and(|d| Utc::now().date_naive() > d)
    }
}

#[derive(Deserialize)]
struct SignedFile {
    payload: String,
    signature: String,
}

fn verifying_key() -> Result<VerifyingKey, String> {
    #[cfg(debug_assertions)]
    if let Ok(k) = std::env::var(TEST_KEY_ENV) {
        let bytes: [u8; 32] = STANDARD
            .decode(k.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("{TEST_KEY_ENV} must be base64 of a 32-byte Ed25519 key"))?;
        return VerifyingKey::from_bytes(&bytes).map_err(|e| format!("{TEST_KEY_ENV}: {e}"));
    }
    VerifyingKey::from_bytes(&VENDOR_KEY).map_err(|e| format!("the vendor key: {e}"))
}

/// Reads and checks a licence file: signature by the vendor key, known fields, not expired.
pub fn load(path: &Path) -> Result<Licence, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the licence file {shown}: {e}"))?;
    let file: SignedFile = serde_json::from_str(&text).map_err(|e| {
        format!("{shown} is not a Proost licence file (expected JSON with `payload` and `signature`): {e}")
    })?;
    let payload = STANDARD
        .decode(file.payload.trim())
        .map_err(|_| format!("the licence file {shown}: `payload` is not base64"))?;
    let signature: [u8; 64] = STANDARD
        .decode(file.signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            format!("the licence file {shown}: `signature` is not base64 of 64 bytes")
        })?;
    verifying_key()?
        .verify_strict(&payload, &Signature::from_bytes(&signature))
        .map_err(|_| {
            format!(
                "the licence file {shown} does not carry a valid signature from the Proost vendor key \
                 (it was edited or is not a Proost licence); restore the file as issued, or remove \
                 --licence-file to run without a licence"
            )
        })?;
    let terms: Terms = serde_json::from_slice(&payload)
        .map_err(|e| format!("the licence in {shown} cannot be read by this version: {e}"))?;
    let expires = match &terms.expires {
        Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            format!("the licence in {shown}: `expires` must be a date like 2027-12-31")
        })?),
        None => None,
    };
    let licence = Licence {
        licensee: terms.licensee,
        max_users: terms.max_users,
        max_connections: terms.max_connections,
        max_roles: terms.max_roles,
        expires,
    };
    if let Some(d) = licence.expires
        && licence.expired()
    {
        return Err(format!(
            "the licence for {} in {shown} expired on {d}; install a renewed licence file",
            licence.licensee
        ));
    }
    Ok(licence)
}

/// What a licence can cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicensedThing {
    User,
    Role,
    Connection,
}

impl LicensedThing {
    fn plural(self) -> &'static str {
        match self {
            LicensedThing::User => "users",
            LicensedThing::Role => "roles",
            LicensedThing::Connection => "connections",
        }
    }
}

/// Refuses to add one more `what` when the licence caps it and the cap is reached (403,
/// `licence_limit_exceeded`), or when the licence has expired (403, `licence_expired`).
/// Call it before creating a user, a role or a connection.
pub async fn check_can_add(app: &App, what: LicensedThing) -> Result<()> {
    let Some(l) = &app.licence else {
        return Ok(());
    };
    if l.expired() {
        return Err(Error::new(
            Kind::Forbidden,
            "licence_expired",
            format!(
                "the licence for {} expired on {}; nothing can be added until a renewed licence is installed",
                l.licensee,
                l.expires.map(|d| d.to_string()).unwrap_or_default()
            ),
        ));
    }
    let (max, count) = match what {
        LicensedThing::User => (l.max_users, app.store.user_count().await?),
        LicensedThing::Role => (l.max_roles, app.store.role_count().await?),
        LicensedThing::Connection => (l.max_connections, app.store.connection_count().await?),
    };
    if let Some(max) = max
        && count >= max
    {
        return Err(Error::new(
            Kind::Forbidden,
            "licence_limit_exceeded",
            format!(
                "the licence for {} allows at most {max} {} (max_{}) and this instance has {count}; \
                 remove one first or install a licence with a higher limit",
                l.licensee,
                what.plural(),
                what.plural()
            ),
        ));
    }
    Ok(())
}

/// The instance's counts and its licence's limits (`null` without one).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstanceInfo {
    pub users: i64,
    pub roles: i64,
    pub connections: i64,
    pub licence: Option<LicenceView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LicenceView {
    pub licensee: String,
    pub max_users: Option<i64>,
    pub max_connections: Option<i64>,
    pub max_roles: Option<i64>,
    pub expires: Option<String>,
    pub expired: bool,
}

/// Counts and limits, for admins.
pub async fn instance(app: &App, actor: &Actor) -> Result<InstanceInfo> {
    actor.require_admin()?;
    instance_info(app).await
}

pub async fn instance_info(app: &App) -> Result<InstanceInfo> {
    let c = app.store.instance_counts().await?;
    Ok(InstanceInfo {
        users: c.users,
        roles: c.roles,
        connections: c.connections,
        licence: app.licence.as_ref().map(|l| LicenceView {
            licensee: l.licensee.clone(),
            max_users: l.max_users,
            max_connections: l.max_connections,
            max_roles: l.max_roles,
            expires: l.expires.map(|d| d.to_string()),
            expired: l.expired(),
        }),
    })
}
