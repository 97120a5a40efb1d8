//! Access bundles: everything Proost keeps about a person, plus their rows found in
//! connected sources, as JSON and CSV in a zip encrypted with age to the requester's
//! passphrase or X25519 recipient. The bundle exists only encrypted, under the data dir,
//! until the requester downloads it or it expires; personal values never reach a log or
//! the app database.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use age::secrecy::SecretString;
use proost_store::PrivacyRequestRecord;
use proost_store::secrets;
use serde_json::{Value, json};

use super::places::{self, Place};
use super::{Sealed, parse_ts, ts};
use crate::query::csv::Csv;
use crate::query::{BrowseRequest, browse};
use crate::{Actor, App, Error, Kind, Result};

/// Rows listed per searched column at most.
const MAX_ROWS: usize = 10_000;

/// Checks the encryption an access request asks for, when it is filed.
pub(super) fn check_encryption(details: &Value) -> Result<()> {
    match (
        details.get("passphrase").and_then(Value::as_str),
        details.get("recipient").and_then(Value::as_str),
    ) {
        (Some(p), None) if p.chars().count() >= 10 && p.len() <= 1024 => Ok(()),
        (Some(_), None) => Err(Error::bad_request(
            "bundle_passphrase_weak",
            "the passphrase must be 10 to 1024 characters",
        )),
        (None, Some(r)) => r
            .trim()
            .parse::<age::x25519::Recipient>()
            .map(|_| ())
            .map_err(|_| {
                Error::bad_request(
                    "bundle_recipient_invalid",
                    "recipient must be an age X25519 public key (age1…)",
                )
            }),
        _ => Err(Error::bad_request(
            "bundle_encryption_required",
            "an access request needs details.passphrase or details.recipient (age1…) to encrypt the bundle to",
        )),
    }
}

fn bundles_dir(app: &App) -> PathBuf {
    super::bundles_dir(&app.config.data_dir)
}

/// What the bundle holds, and what the request's outcome may say about it.
pub struct Bundle {
    pub file: PathBuf,
    pub outcome: Value,
}

fn csv_of(rows: &[Value]) -> String {
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        for k in r.as_object().into_iter().flat_map(|o| o.keys()) {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let mut csv = Csv::with_header(names.iter().map(String::as_str));
    for r in rows {
        for n in &names {
            match r.get(n) {
                None | Some(Value::Null) => csv.plain(""),
                Some(Value::String(s)) => csv.text(s),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => csv.plain(&v.to_string()),
                Some(v) => csv.text(&v.to_string()),
            }
        }
        csv.end_row();
    }
    csv.take()
}

/// The subject's rows in one place.
struct Found {
    /// Where they were read from (`live`, `replica`, `cache`).
    served: String,
    csv: String,
    rows: Vec<Value>,
}

/// The subject's rows in one place, read through the governed path as the officer.
async fn search(app: &Arc<App>, officer: &Actor, p: &Place) -> Result<Found> {
    let req = BrowseRequest {
        connection: p.connection.clone(),
        schema: p.schema.clone(),
        table: p.table.clone(),
        filters: vec![proost_query::browse::Condition {
            column: p.column.clone(),
            op: "eq".into(),
            value: Some(Value::String(p.value.clone())),
        }],
        sort: vec![],
        limit: Some(MAX_ROWS),
    };
    let answer = browse(app, officer, &req).await?;
    let served = answer
        .sources
        .iter()
        .map(|s| s.served_from.to_string())
        .collect::<Vec<_>>()
        .join("+");
    let mut csv = Csv::with_header(answer.out.schema.fields().iter().map(|f| f.name().as_str()));
    for b in &answer.out.batches {
        csv.batch(b)?;
    }
    let table = crate::query::json::to_json(&answer.out, 0.0)?;
    let names: Vec<String> = answer
        .out
        .schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let rows = table["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let cells = r.as_array().cloned().unwrap_or_default();
            Value::Object(names.iter().cloned().zip(cells).collect())
        })
        .collect();
    Ok(Found {
        served,
        csv: csv.take(),
        rows,
    })
}

/// Builds and stores the bundle of an approved access request.
pub(super) async fn build(
    app: &Arc<App>,
    officer: &Actor,
    r: &PrivacyRequestRecord,
    sealed: &Sealed,
) -> Result<Bundle> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut doc = json!({
        "request": {"number": r.number, "kind": r.kind, "received_at": r.received_at,
                    "generated_at": ts(chrono::Utc::now())},
        "subject": sealed.subject,
    });
    // Proost's own records, when the subject has an account.
    let mut own = serde_json::Map::new();
    if let Some(uid) = &r.subject_user_id
        && app.store.user(uid).await?.is_some()
    {
        for (section, rows) in app.store.subject_records(uid).await? {
            files.push((format!("proost/{section}.csv"), csv_of(&rows).into_bytes()));
            own.insert(section.to_string(), Value::Array(rows));
        }
        let mut audit: Vec<_> = app
            .store
            .audit_entries(None)
            .await?
            .into_iter()
            .filter(|e| {
                e.actor.as_deref() == Some(uid.as_str())
                    || e.target.as_deref() == Some(uid.as_str())
            })
            .collect();
        crate::audit::unseal(app, &mut audit).await?;
        let audit: Vec<Value> = audit
            .into_iter()
            .map(|e| {
                json!({"seq": e.seq, "at": e.at, "action": e.action, "actor": e.actor,
                            "target": e.target, "details": e.details})
            })
            .collect();
        files.push((
            "proost/audit_entries.csv".into(),
            csv_of(&audit).into_bytes(),
        ));
        own.insert("audit_entries".into(), Value::Array(audit));
        let history = crate::query::history::of_user(
            app,
            uid,
            &crate::query::history::HistoryParams {
                q: None,
                limit: Some(500),
            },
        )
        .await?;
        let history = serde_json::to_value(&history.entries).map_err(Error::internal)?;
        own.insert("query_history".into(), history);
    }
    doc["proost"] = Value::Object(own);
    // The subject's rows in connected sources.
    let mut values: BTreeMap<String, String> = sealed.subject.identifiers.clone();
    if let Some(e) = &sealed.subject.email {
        values.insert("email".into(), e.clone());
    }
    let mut found = Vec::new();
    let mut listed = Vec::new();
    // Read-only and governed, as the officer who approved, but with pii on everything: an
    // access request is owed every row about the person, masked nowhere.
    let searcher = Actor {
        user: officer.user.clone(),
        access: Arc::new(officer.access.for_privacy_search(&r.id)),
        session: None,
    };
    for p in places::find(app, &values).await? {
        let place = json!({"connection": p.connection, "schema": p.schema, "table": p.table,
                           "column": p.column, "identifier": p.identifier});
        match search(app, &searcher, &p).await {
            Ok(f) => {
                let n = f.rows.len();
                if n > 0 {
                    files.push((
                        format!(
                            "sources/{}.{}.{}.{}.csv",
                            p.connection, p.schema, p.table, p.column
                        ),
                        f.csv.into_bytes(),
                    ));
                }
                let mut entry = place.clone();
                entry["rows"] = json!(n);
                entry["served_from"] = json!(f.served);
                listed.push(entry.clone());
                entry["values"] = Value::Array(f.rows);
                found.push(entry);
            }
            Err(e) => {
                let mut entry = place;
                entry["error"] = json!({"code": e.code, "message": e.message});
                listed.push(entry.clone());
                found.push(entry);
            }
        }
    }
    doc["sources"] = Value::Array(found);
    doc["note"] = json!(
        "Proost never changes a connected source. The sources section lists where this person's rows live; the organisation acts on them there."
    );
    let json_bytes = serde_json::to_vec_pretty(&doc).map_err(Error::internal)?;
    files.insert(0, ("bundle.json".into(), json_bytes));
    let zipped = zip_files(files)?;
    let sealed_bytes = encrypt(&zipped, &sealed.details)?;
    // Written whole or not at all (temporary name, synced, renamed) into the private
    // directory the instance made at start.
    let file = bundles_dir(app).join(format!("{}.age", r.id));
    crate::backup::replace_file(&file, &sealed_bytes)?;
    Ok(Bundle {
        file,
        outcome: json!({
            "proost_sections": doc["proost"].as_object().map(|o| o.len()).unwrap_or(0),
            "sources": listed,
            "bundle_bytes": sealed_bytes.len(),
        }),
    })
}

fn zip_files(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(name, options).map_err(Error::internal)?;
            z.write_all(&bytes).map_err(Error::internal)?;
        }
        z.finish().map_err(Error::internal)?;
    }
    Ok(out.into_inner())
}

fn encrypt(plain: &[u8], details: &Value) -> Result<Vec<u8>> {
    let encryptor = match (
        details.get("passphrase").and_then(Value::as_str),
        details.get("recipient").and_then(Value::as_str),
    ) {
        (Some(p), _) => age::Encryptor::with_user_passphrase(SecretString::from(p.to_string())),
        (None, Some(r)) => {
            let recipient: age::x25519::Recipient = r
                .trim()
                .parse()
                .map_err(|_| Error::internal("the recipient was checked when filed"))?;
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(Error::internal)?
        }
        _ => return Err(Error::internal("no bundle encryption was given")),
    };
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).map_err(Error::internal)?;
    w.write_all(plain).map_err(Error::internal)?;
    w.finish().map_err(Error::internal)?;
    Ok(out)
}

/// Records a built bundle on its request: where it is, when it goes, and the digest of
/// the requester's one download token (returned to mail them the link).
pub(super) fn attach(r: &mut PrivacyRequestRecord, b: &Bundle, keep_days: i64) -> String {
    let token = secrets::new_token();
    r.bundle_file = b.file.file_name().map(|n| n.to_string_lossy().into_owned());
    r.bundle_expires_at = Some(ts(chrono::Utc::now() + chrono::Duration::days(keep_days)));
    r.download_hash = Some(secrets::token_hash(&token));
    token
}

/// Removes a request's bundle file and forgets it.
pub(crate) fn destroy(app: &App, r: &mut PrivacyRequestRecord) -> bool {
    let Some(name) = r.bundle_file.take() else {
        return false;
    };
    let _ = std::fs::remove_file(bundles_dir(app).join(name));
    r.bundle_expires_at = None;
    r.download_hash = None;
    true
}

/// The encrypted bundle for the requester (their download token, or signed in as the
/// person who filed) or an officer. The requester's download removes it.
pub async fn download(
    app: &App,
    actor: Option<&Actor>,
    id: &str,
    token: Option<&str>,
) -> Result<(Vec<u8>, String)> {
    let gone = || Error::not_found("bundle");
    let mut r = app.store.privacy_request(id).await?.ok_or_else(gone)?;
    let by_token = token.is_some_and(|t| {
        r.download_hash.as_deref() == Some(secrets::token_hash(t.trim()).as_str())
    });
    let filer = actor.is_some_and(|a| r.filed_by.as_deref() == Some(a.user.id.as_str()));
    let officer = actor.is_some_and(|a| a.access.can("privacy_requests"));
    if !(by_token || filer || officer) {
        return Err(match actor {
            None => Error::new(
                Kind::Forbidden,
                "bundle_token_invalid",
                "this download link is not valid",
            ),
            Some(_) => gone(),
        });
    }
    let expired = r
        .bundle_expires_at
        .as_deref()
        .and_then(parse_ts)
        .is_none_or(|t| t < chrono::Utc::now());
    let Some(name) = r.bundle_file.clone() else {
        return Err(gone());
    };
    if expired {
        destroy(app, &mut r);
        app.store.update_privacy_request(&r).await?;
        return Err(gone());
    }
    let bytes = std::fs::read(bundles_dir(app).join(&name)).map_err(|_| gone())?;
    let requester = by_token || filer;
    if requester {
        destroy(app, &mut r);
        app.store.update_privacy_request(&r).await?;
    }
    app.audit(
        actor.map(|a| a.user.id.as_str()),
        "privacy.bundle.download",
        Some(&r.id),
        &json!({"number": r.number, "by": if requester { "requester" } else { "officer" },
                "removed": requester}),
    )
    .await?;
    Ok((
        bytes,
        format!("proost-privacy-request-{}.zip.age", r.number),
    ))
}

/// The retention sweep's purge of access bundles (`privacy_bundles`): those of requests
/// finished before `before`, and any past their own expiry. Returns how many went.
pub async fn purge(app: &App, before: chrono::DateTime<chrono::Utc>) -> Result<u64> {
    let mut n = 0;
    let now = chrono::Utc::now();
    for mut r in app.store.privacy_requests(None).await? {
        let finished_before = r
            .completed_at
            .as_deref()
            .and_then(parse_ts)
            .is_some_and(|t| t < before);
        let expired = r
            .bundle_expires_at
            .as_deref()
            .and_then(parse_ts)
            .is_some_and(|t| t < now);
        if (finished_before || expired) && destroy(app, &mut r) {
            app.store.update_privacy_request(&r).await?;
            n += 1;
        }
    }
    Ok(n)
}
