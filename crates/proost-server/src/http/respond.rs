//! Answers in more than JSON: content negotiation, JSON lines (audit and usage exports)
//! and CSV downloads through the one CSV writer (`proost_app::query::csv`).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use proost_app::Error;

use super::error::ApiResult;

pub const NDJSON: &str = "application/x-ndjson";

/// The client's `Accept` header names `mime`.
pub fn accepts(headers: &HeaderMap, mime: &str) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(mime))
}

/// Records as JSON lines.
pub fn json_lines<T: serde::Serialize>(items: &[T]) -> ApiResult<Response> {
    let mut body = String::new();
    for item in items {
        body.push_str(&serde_json::to_string(item).map_err(Error::internal)?);
        body.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, NDJSON)], body).into_response())
}

pub use proost_app::query::csv::Csv;

/// A CSV download, streamed a chunk at a time.
pub fn csv_download(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
    filename: &'static str,
    truncated: bool,
) -> Response {
    let mut r = Response::new(Body::from_stream(futures::stream::iter(chunks)));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if truncated {
        h.insert("x-proost-truncated", HeaderValue::from_static("true"));
    }
    r
}

/// A result's rows as a CSV download, a batch per chunk, through the one CSV writer.
pub fn result_csv(
    out: &proost_connect::QueryOutput,
    filename: &'static str,
) -> ApiResult<Response> {
    let mut csv = Csv::with_header(out.schema.fields().iter().map(|f| f.name().as_str()));
    let mut chunks = vec![Ok(csv.take().into_bytes())];
    for batch in &out.batches {
        csv.batch(batch)?;
        chunks.push(Ok(csv.take().into_bytes()));
    }
    Ok(csv_download(chunks, filename, out.truncated))
}
