//! Each person's query history and SQL drafts, sealed with their own data key: the literals
//! in what they ran are theirs alone (no admin endpoint reads them), deleting the person
//! shreds the key, and runs older than the usage retention are forgotten.

use proost_keys::DataKey;
use proost_store::{HistoryRow, NewHistory};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, App, Error, Result};

/// The draft of the SQL editor.
pub const SQL_DRAFT: &str = "sql";
const MAX_DRAFT: usize = 1_000_000;

fn owner(user_id: &str) -> String {
    format!("user:{user_id}")
}

/// The person's data key, made on first use.
pub async fn user_key(app: &App, user_id: &str) -> Result<DataKey> {
    let master = app.connections.master_key()?;
    let wrapped = match app.store.user_key(user_id).await? {
        Some(w) => w,
        None => {
            let fresh = master.wrap(&DataKey::generate(), &owner(user_id))?;
            app.store.put_user_key(user_id, &fresh).await?
        }
    };
    Ok(master.unwrap_key(&wrapped, &owner(user_id))?)
}

fn purpose(user_id: &str, what: &str) -> String {
    format!("{what}:{user_id}")
}

/// One run, as its author sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub id: i64,
    pub at: String,
    /// Native SQL: the connection it ran on. Absent: the engine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    pub sql: String,
    pub elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<i64>,
    /// `live`, `replica`, `cache`, `native` or a mix (`live+replica`).
    pub served_from: String,
    /// The stable code of the failure, for runs that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    pub entries: Vec<HistoryEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// Only runs whose statement contains this text (any case).
    pub q: Option<String>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<usize>,
}

/// What is recorded of a finished run.
pub struct Run<'a> {
    pub connection: Option<&'a str>,
    pub sql: &'a str,
    pub elapsed_ms: f64,
    pub rows: Option<usize>,
    pub served_from: String,
    pub error_code: Option<&'static str>,
}

/// Records a run in its author's history, sealed with their key. Awaited on the request:
/// a background writer kept the app database busy after an instance stopped (the crash
/// test's CLI then found it locked). Failures are logged, never the caller's problem.
pub async fn record(app: &App, actor: &Actor, run: Run<'_>) {
    let id = &actor.user.id;
    let sealed = async {
        let key = user_key(app, id).await?;
        Ok::<_, Error>(key.seal(run.sql.as_bytes(), &purpose(id, "history"))?)
    }
    .await;
    let sealed_sql = match sealed {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(code = e.code, "query history not recorded");
            return;
        }
    };
    let row = NewHistory {
        user_id: id.clone(),
        connection: run.connection.map(str::to_string),
        sealed_sql,
        elapsed_ms: (run.elapsed_ms * 10.0).round() / 10.0,
        rows: run.rows.and_then(|r| i64::try_from(r).ok()),
        served_from: run.served_from,
        error_code: run.error_code.map(str::to_string),
    };
    if let Err(e) = app.store.add_history(&row).await {
        tracing::warn!(error = %e, "query history not recorded");
    }
}

/// The caller's own runs, newest first.
pub async fn list(app: &App, actor: &Actor, params: &HistoryParams) -> Result<HistoryList> {
    of_user(app, &actor.user.id, params).await
}

/// One person's runs, opened with their key (their own list; an access request's bundle).
pub(crate) async fn of_user(app: &App, id: &str, params: &HistoryParams) -> Result<HistoryList> {
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    let needle = params
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    // Statements are sealed: a search opens the latest runs and looks inside.
    let rows: Vec<HistoryRow> = app.store.history(id, 2_000).await?;
    if rows.is_empty() {
        return Ok(HistoryList { entries: vec![] });
    }
    let key = user_key(app, id).await?;
    let mut entries = Vec::new();
    for r in rows {
        let Ok(plain) = key.open(&r.sealed_sql, &purpose(id, "history")) else {
            continue;
        };
        let sql = String::from_utf8_lossy(&plain).into_owned();
        if needle
            .as_ref()
            .is_some_and(|n| !sql.to_lowercase().contains(n))
        {
            continue;
        }
        entries.push(HistoryEntry {
            id: r.id,
            at: r.at,
            connection: r.connection,
            sql,
            elapsed_ms: r.elapsed_ms,
            rows: r.rows,
            served_from: r.served_from,
            error_code: r.error_code,
        });
        if entries.len() >= limit {
            break;
        }
    }
    Ok(HistoryList { entries })
}

/// `PUT /api/v1/drafts/{name}`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub text: String,
}

fn check_name(name: &str) -> Result<()> {
    if name == SQL_DRAFT {
        Ok(())
    } else {
        Err(Error::not_found(&format!("draft `{name}`")))
    }
}

/// The caller's draft; empty when they saved none.
pub async fn draft(app: &App, actor: &Actor, name: &str) -> Result<Draft> {
    check_name(name)?;
    let id = &actor.user.id;
    let Some(sealed) = app.store.draft(id, name).await? else {
        return Ok(Draft {
            text: String::new(),
        });
    };
    let plain = user_key(app, id)
        .await?
        .open(&sealed, &purpose(id, &format!("draft:{name}")))?;
    Ok(Draft {
        text: String::from_utf8_lossy(&plain).into_owned(),
    })
}

pub async fn save_draft(app: &App, actor: &Actor, name: &str, draft: &Draft) -> Result<()> {
    check_name(name)?;
    if draft.text.len() > MAX_DRAFT {
        return Err(Error::bad_request(
            "draft_too_long",
            "a draft is at most 1 MB",
        ));
    }
    let id = &actor.user.id;
    let sealed = user_key(app, id).await?.seal(
        draft.text.as_bytes(),
        &purpose(id, &format!("draft:{name}")),
    )?;
    app.store
        .put_draft(id, name, &sealed)
        .await
        .map_err(Error::from)
}
