//! `GET /api/v1/inventory[?connection=…][&format=csv]` (admin).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use proost_app::App;
use proost_app::classify::inventory::{self, Inventory, InventoryParams, InventoryRow};
use serde_json::json;
use utoipa::OpenApi;

use crate::http::error::ApiResult;
use crate::http::extract::{Admin, Query};
use crate::http::respond::{Csv, accepts, csv_download};

#[derive(OpenApi)]
#[openapi(paths(inventory))]
pub struct ApiDoc;

/// Per column: categories, sensitivity, mask, who reads it unmasked, where copies live.
/// `format=csv` or `Accept: text/csv` gives CSV. Every export is audited.
#[utoipa::path(get, path = "/api/v1/inventory", tag = "inventory", params(InventoryParams),
    responses((status = 200, body = Inventory), (status = 200, content_type = "text/csv")))]
pub async fn inventory(
    State(app): State<Arc<App>>,
    admin: Admin,
    headers: HeaderMap,
    Query(params): Query<InventoryParams>,
) -> ApiResult<Response> {
    let inv = inventory::inventory(&app, &admin, &params).await?;
    app.store
        .audit(
            Some(&admin.user.id),
            "inventory.export",
            None,
            &json!({"rows": inv.columns.len(), "connection": params.connection}),
        )
        .await?;
    if params.format.as_deref() == Some("csv") || accepts(&headers, "text/csv") {
        let body = to_csv(&inv.columns).into_bytes();
        return Ok(csv_download(vec![Ok(body)], "proost-inventory.csv", false));
    }
    Ok(Json(inv).into_response())
}

fn to_csv(rows: &[InventoryRow]) -> String {
    let mut csv = Csv::with_header([
        "connection",
        "kind",
        "schema",
        "table",
        "column",
        "categories",
        "confidence",
        "sensitivity",
        "status",
        "mask",
        "unmasked_for",
        "copies",
        "region",
        "source_region",
    ]);
    for r in rows {
        for field in [
            r.connection.clone(),
            r.kind.clone(),
            r.schema.clone(),
            r.table.clone(),
            r.column.clone(),
            r.categories.join(" "),
            format!("{:.2}", r.confidence),
            r.sensitivity.to_owned(),
            r.status.clone(),
            r.mask.unwrap_or("none").to_owned(),
            r.unmasked_for.join(" "),
            r.copies.join("; "),
            r.region.clone(),
            r.source_region.clone(),
        ] {
            csv.text(&field);
        }
        csv.end_row();
    }
    csv.take()
}
