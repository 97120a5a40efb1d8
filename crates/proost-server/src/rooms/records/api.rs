//! `GET /api/v1/privacy/retention`, `PUT /api/v1/privacy/retention/{record_type}`,
//! `POST /api/v1/privacy/retention/sweep`, `GET|POST /api/v1/privacy/holds`,
//! `DELETE /api/v1/privacy/holds/{id}`, `GET /api/v1/privacy/record`,
//! `GET|POST /api/v1/privacy/breaches`, `PUT /api/v1/privacy/breaches/{id}` (admin).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use proost_app::retention::breaches::{self, Breach, BreachInput, BreachList};
use proost_app::retention::holds::{self, Hold, HoldList, NewHold};
use proost_app::retention::record::{self, RecordOfProcessing};
use proost_app::retention::{self, Policy, Retention, SweepReport};
use proost_app::{App, Error};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, JsonBody, Query};
use crate::http::respond::{Csv, accepts, csv_download};

#[derive(OpenApi)]
#[openapi(paths(
    retention_list,
    retention_set,
    retention_sweep,
    holds_list,
    holds_place,
    holds_release,
    record_export,
    breaches_list,
    breaches_record,
    breaches_update
))]
pub struct ApiDoc;

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Whether the caller asked for CSV; any format but `json` and `csv` is refused.
fn wants_csv(p: &FormatParams, headers: &HeaderMap) -> ApiResult<bool> {
    match p.format.as_deref() {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        None => Ok(accepts(headers, "text/csv")),
        Some(_) => {
            Err(Error::bad_request("format_invalid", "`format` must be `json` or `csv`").into())
        }
    }
}

/// Every record type: keep_days, its default, what the sweep deletes, the last sweep.
#[utoipa::path(get, path = "/api/v1/privacy/retention", tag = "privacy",
    responses((status = 200, body = Retention)))]
pub async fn retention_list(
    State(app): State<Arc<App>>,
    admin: Admin,
) -> ApiResult<Json<Retention>> {
    Ok(Json(retention::overview(&app, &admin).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepDays {
    /// 1 to 36500 (client addresses: 0 cuts them at once).
    keep_days: i64,
}

/// Sets how many days records of a type are kept (audited `retention.policy`).
#[utoipa::path(put, path = "/api/v1/privacy/retention/{record_type}", tag = "privacy",
    params(("record_type" = String, Path)), request_body = KeepDays,
    responses((status = 200, body = Policy)))]
pub async fn retention_set(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(record_type): Path<String>,
    JsonBody(body): JsonBody<KeepDays>,
) -> ApiResult<Json<Policy>> {
    Ok(Json(
        retention::set_policy(&app, &admin, &record_type, body.keep_days).await?,
    ))
}

/// Runs the retention sweep now; its report (also in the audit log as `retention.sweep`).
#[utoipa::path(post, path = "/api/v1/privacy/retention/sweep", tag = "privacy",
    responses((status = 200, body = SweepReport)))]
pub async fn retention_sweep(
    State(app): State<Arc<App>>,
    admin: Admin,
) -> ApiResult<Json<SweepReport>> {
    Ok(Json(retention::sweep_now(&app, &admin).await?))
}

/// Every legal hold, active ones first.
#[utoipa::path(get, path = "/api/v1/privacy/holds", tag = "privacy",
    responses((status = 200, body = HoldList)))]
pub async fn holds_list(State(app): State<Arc<App>>, admin: Admin) -> ApiResult<Json<HoldList>> {
    Ok(Json(holds::list(&app, &admin).await?))
}

/// Places a legal hold on a person or a connection (audited `legal_hold.place`).
#[utoipa::path(post, path = "/api/v1/privacy/holds", tag = "privacy", request_body = NewHold,
    responses((status = 201, body = Hold)))]
pub async fn holds_place(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<NewHold>,
) -> ApiResult<(StatusCode, Json<Hold>)> {
    Ok((
        StatusCode::CREATED,
        Json(holds::place(&app, &admin, body).await?),
    ))
}

/// Releases a legal hold (audited `legal_hold.release`).
#[utoipa::path(delete, path = "/api/v1/privacy/holds/{id}", tag = "privacy",
    params(("id" = String, Path)), responses((status = 200, body = Hold)))]
pub async fn holds_release(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Hold>> {
    Ok(Json(holds::release(&app, &admin, &id).await?))
}

/// The record of processing activities (GDPR Art. 30), as a document or as CSV (one row
/// per connection, table and category, the instance's columns repeated). Audited.
#[utoipa::path(get, path = "/api/v1/privacy/record", tag = "privacy", params(FormatParams),
    responses((status = 200, body = RecordOfProcessing), (status = 200, content_type = "text/csv")))]
pub async fn record_export(
    State(app): State<Arc<App>>,
    admin: Admin,
    headers: HeaderMap,
    Query(params): Query<FormatParams>,
) -> ApiResult<Response> {
    let csv = wants_csv(&params, &headers)?;
    let rec = record::build(&app, &admin).await?;
    app.audit(
        Some(&admin.user.id),
        "privacy.record.export",
        None,
        &json!({"format": if csv { "csv" } else { "json" }, "activities": rec.activities.len()}),
    )
    .await?;
    if csv {
        let body = record_csv(&rec).into_bytes();
        return Ok(csv_download(
            vec![Ok(body)],
            "proost-record-of-processing.csv",
            false,
        ));
    }
    Ok(Json(rec).into_response())
}

fn record_csv(rec: &RecordOfProcessing) -> String {
    let mut csv = Csv::with_header([
        "controller",
        "instance_region",
        "processors",
        "retention",
        "connection",
        "connection_kind",
        "source_region",
        "schema",
        "table",
        "category",
        "sensitivity",
        "columns",
        "unmasked_for",
        "copies",
        "legal_hold",
    ]);
    let processors = rec
        .processors
        .iter()
        .map(|p| format!("{}: {}", p.kind, p.host))
        .collect::<Vec<_>>()
        .join("; ");
    let retention = rec
        .retention
        .iter()
        .map(|p| match (p.keep_days, &p.rule) {
            (Some(d), _) => format!("{}={d}d", p.record_type),
            (None, Some(rule)) => format!("{}=({rule})", p.record_type),
            (None, None) => format!("{}=until erasure", p.record_type),
        })
        .collect::<Vec<_>>()
        .join("; ");
    for a in &rec.activities {
        let held = rec
            .connections
            .iter()
            .any(|c| c.name == a.connection && c.legal_hold);
        for field in [
            rec.controller.instance.as_str(),
            &rec.controller.region,
            &processors,
            &retention,
            &a.connection,
            &a.connection_kind,
            &a.source_region,
            &a.schema,
            &a.table,
            &a.category,
            a.sensitivity,
            &a.columns.join(" "),
            &a.unmasked_for.join(" "),
            &a.copies.join("; "),
            if held { "yes" } else { "no" },
        ] {
            csv.text(field);
        }
        csv.end_row();
    }
    csv.take()
}

/// The breach log, most recently discovered first; `format=csv` gives CSV.
#[utoipa::path(get, path = "/api/v1/privacy/breaches", tag = "privacy", params(FormatParams),
    responses((status = 200, body = BreachList), (status = 200, content_type = "text/csv")))]
pub async fn breaches_list(
    State(app): State<Arc<App>>,
    admin: Admin,
    headers: HeaderMap,
    Query(params): Query<FormatParams>,
) -> ApiResult<Response> {
    let csv = wants_csv(&params, &headers)?;
    let list = breaches::list(&app, &admin).await?;
    if csv {
        let body = breaches_csv(&list).into_bytes();
        return Ok(csv_download(vec![Ok(body)], "proost-breaches.csv", false));
    }
    Ok(Json(list).into_response())
}

fn breaches_csv(list: &BreachList) -> String {
    let mut csv = Csv::with_header([
        "id",
        "status",
        "discovered_at",
        "occurred_at",
        "reported_to_authority_at",
        "authority_deadline",
        "subjects_affected",
        "categories",
        "facts",
        "effects",
        "remedial_action",
        "created_at",
        "updated_at",
    ]);
    for b in &list.breaches {
        let r = &b.breach;
        csv.text(&r.id);
        csv.text(&r.status);
        csv.plain(&r.discovered_at);
        csv.plain(r.occurred_at.as_deref().unwrap_or(""));
        csv.plain(r.reported_to_authority_at.as_deref().unwrap_or(""));
        csv.plain(&b.authority_deadline);
        csv.plain(
            &r.subjects_affected
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        csv.text(&r.categories.join(" "));
        csv.text(&r.facts);
        csv.text(&r.effects);
        csv.text(&r.remedial_action);
        csv.plain(&r.created_at);
        csv.plain(&r.updated_at);
        csv.end_row();
    }
    csv.take()
}

/// Records a breach (audited `breach.record`, by id).
#[utoipa::path(post, path = "/api/v1/privacy/breaches", tag = "privacy",
    request_body = BreachInput, responses((status = 201, body = Breach)))]
pub async fn breaches_record(
    State(app): State<Arc<App>>,
    admin: Admin,
    JsonBody(body): JsonBody<BreachInput>,
) -> ApiResult<(StatusCode, Json<Breach>)> {
    Ok((
        StatusCode::CREATED,
        Json(breaches::record(&app, &admin, body).await?),
    ))
}

/// Updates a breach: fields left out stay, `null` clears an optional one (audited
/// `breach.update`, by id, with the names of the changed fields).
#[utoipa::path(put, path = "/api/v1/privacy/breaches/{id}", tag = "privacy",
    params(("id" = String, Path)), request_body = BreachInput,
    responses((status = 200, body = Breach)))]
pub async fn breaches_update(
    State(app): State<Arc<App>>,
    admin: Admin,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<BreachInput>,
) -> ApiResult<Json<Breach>> {
    Ok(Json(breaches::update(&app, &admin, &id, body).await?))
}
