//! Erasure: Proost never writes to a source, so the subject's rows stay where the customer
//! keeps them (the outcome lists where) — but every copy Proost holds goes at once:
//!
//! 1. replicas: files holding the rows are rewritten without them and republished; older
//!    versions (which still hold them) are dropped with their files;
//! 2. the result cache is emptied (results of any table may hold the rows);
//! 3. open access bundles about the subject are destroyed;
//! 4. Proost's own records: sessions and tokens revoked, usage events pseudonymised,
//!    comments removed, questions and dashboards passed to a named admin, the user deleted —
//!    and with them their data key, which shreds the personal fields of every audit entry
//!    about them (the chain, over the sealed form, still verifies);
//! 5. the master key is rotated (older copies of the app database cannot unwrap the
//!    destroyed keys), and every backup taken before is dropped and a fresh one taken, so no
//!    backup can bring the rows or the person back;
//! 6. the keys of every request about the subject are destroyed: the requests stay, about
//!    "erased subject #N".

use std::collections::BTreeMap;
use std::sync::Arc;

use proost_replica::KeyValue;
use proost_store::PrivacyRequestRecord;
use serde_json::{Value, json};

use super::places::{self, normalize};
use super::{Sealed, open};
use crate::{Actor, App, Error, Kind, Result};

/// Who receives an erased person's questions and dashboards: the admin named, else the
/// approving admin, else the first admin.
pub(super) async fn heir(
    app: &App,
    actor: &Actor,
    named: Option<&str>,
    r: &PrivacyRequestRecord,
) -> Result<String> {
    let admins: Vec<_> = app
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active && u.role_name() == "admin")
        .filter(|u| Some(&u.id) != r.subject_user_id.as_ref())
        .collect();
    let pick = match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => admins
            .iter()
            .find(|u| u.id == n || u.email.eq_ignore_ascii_case(n))
            .ok_or_else(|| {
                Error::bad_request(
                    "transfer_to_invalid",
                    "transfer_to must name an active admin other than the subject",
                )
            })?,
        None => admins
            .iter()
            .find(|u| u.id == actor.user.id)
            .or(admins.first())
            .ok_or_else(|| {
                Error::new(
                    Kind::Conflict,
                    "no_admin_to_transfer_to",
                    "no other active admin can receive the subject's questions and dashboards",
                )
            })?,
    };
    Ok(pick.id.clone())
}

/// Deletes or pseudonymises a person's own records in Proost (step 4). Returns what went.
pub async fn erase_user_records(
    app: &App,
    user_id: &str,
    heir: &str,
    request_id: &str,
) -> Result<Value> {
    crate::people::sessions::end_all(app, user_id, None).await?;
    let number = app.store.add_erased_subject(user_id, request_id).await?;
    let erased = app.store.erase_user(user_id, heir).await?;
    app.access.changed();
    Ok(json!({"erased_subject": number, "records": erased}))
}

/// The subject's values compared as people write them, per identifier.
fn matcher(identifier: &str, value: &str) -> Arc<dyn Fn(&KeyValue) -> bool + Send + Sync> {
    let (identifier, wanted) = (identifier.to_string(), normalize(identifier, value));
    Arc::new(move |k: &KeyValue| match k {
        KeyValue::Text(t) => normalize(&identifier, t) == wanted,
        KeyValue::Int(i) => i.to_string() == wanted,
    })
}

/// Carries out an approved erasure; returns its outcome (counts and places only).
/// The request's own key is destroyed here too, before the fresh backup is taken.
pub(super) async fn run(
    app: &Arc<App>,
    r: &mut PrivacyRequestRecord,
    sealed: &Sealed,
    heir: Option<String>,
) -> Result<Value> {
    let user = match &r.subject_user_id {
        Some(u) => app.store.user(u).await?,
        None => None,
    };
    if let Some(u) = &user
        && let Some(reason) = super::held(app, "user", &u.id).await?
    {
        return Err(Error::new(
            Kind::Conflict,
            "legal_hold",
            format!("the subject is under a legal hold ({reason}): nothing was erased"),
        ));
    }
    let mut values: BTreeMap<String, String> = sealed.subject.identifiers.clone();
    if let Some(e) = &sealed.subject.email {
        values.insert("email".into(), e.clone());
    }
    // 1. Replicas.
    let places = places::find(app, &values).await?;
    let replicas = app.store.replicas(None).await?;
    let mut touched = Vec::new();
    let mut held = Vec::new();
    for p in &places {
        let Some(rep) = replicas.iter().find(|x| {
            x.connection_id == p.connection_id
                && x.schema_name == p.schema
                && x.table_name == p.table
        }) else {
            continue;
        };
        if let Some(reason) = super::held(app, "connection", &p.connection_id).await? {
            held.push(
                json!({"connection": p.connection, "table": rep.qualified(), "hold": reason}),
            );
            continue;
        }
        let Some(conn) = app.store.connection(&p.connection_id).await? else {
            continue;
        };
        let done = app
            .replicas
            .erase_rows(
                &conn,
                rep,
                &app.connections,
                &p.column,
                matcher(&p.identifier, &p.value),
            )
            .await?;
        touched.push(json!({"connection": p.connection, "column": p.column, "replica": done}));
    }
    // 2. The result cache.
    let cache_entries = app.cache.stats().entries;
    app.cache.clear();
    // 3. Open bundles about the subject.
    let email = sealed
        .subject
        .email
        .as_deref()
        .map(|e| normalize("email", e));
    let mut bundles = 0;
    let mut requests = Vec::new();
    for mut other in app.store.privacy_requests(None).await? {
        let same_user = r.subject_user_id.is_some() && other.subject_user_id == r.subject_user_id;
        let same_email = match (&email, open(app, &other)?) {
            (Some(e), Some(s)) => {
                s.subject
                    .email
                    .as_deref()
                    .map(|x| normalize("email", x))
                    .as_ref()
                    == Some(e)
            }
            _ => false,
        };
        if !(same_user || same_email) {
            continue;
        }
        if super::bundle::destroy(app, &mut other) {
            bundles += 1;
        }
        requests.push(other);
    }
    // 4. Proost's own records.
    let own = match (&user, heir) {
        (Some(u), Some(heir)) => Some(erase_user_records(app, &u.id, &heir, &r.id).await?),
        (Some(_), None) => return Err(Error::internal("an erasure was approved without an heir")),
        _ => None,
    };
    // 6. Destroy the keys of every request about the subject, this one's too.
    for mut other in requests {
        if other.id == r.id {
            continue;
        }
        other.wrapped_dek = None;
        other.sealed_subject = None;
        app.store.update_privacy_request(&other).await?;
    }
    super::bundle::destroy(app, r);
    r.wrapped_dek = None;
    r.sealed_subject = None;
    app.store.update_privacy_request(r).await?;
    // 5. Keys and backups.
    let rotation = crate::connections::shred::rotate_after_erasure(app).await?;
    let backups = crate::backup::after_erasure(
        &app.store,
        &app.connections.current_master()?,
        &app.config.backup,
    )
    .await;
    Ok(json!({
        "source_rows": places.iter().map(|p| json!({"connection": p.connection, "schema": p.schema,
            "table": p.table, "column": p.column, "identifier": p.identifier})).collect::<Vec<_>>(),
        "replicas": touched,
        "held": held,
        "cache_entries_dropped": cache_entries,
        "bundles_destroyed": bundles,
        "proost_records": own,
        "master_key": rotation,
        "backups": backups,
        "note": "Proost never writes to a source: source_rows lists where the subject's rows live for the organisation to act on.",
    }))
}
