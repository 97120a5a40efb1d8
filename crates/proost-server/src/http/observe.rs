//! What every request leaves behind: a request id (`X-Request-Id`, taken from the caller
//! when it is sane, else made here) carried by every log line of the request, one log line
//! when it ends, and the HTTP metrics. Also the Prometheus renderer behind `/metrics`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Instrument;

const REQUEST_ID: &str = "x-request-id";

/// The request's id: the caller's when it is 1–128 characters of `[A-Za-z0-9._:-]` (so it
/// cannot forge log lines or headers), else a fresh one.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

pub async fn observe(req: Request, next: Next) -> Response {
    let id = request_id(&req);
    let method = req.method().clone();
    // The route's template, never the raw path: bounded label values, and no ids or names
    // from the URL in metrics.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    metrics::counter!("proost_http_requests_total", "method" => method.to_string(), "route" => route.clone(), "status" => status.to_string()).increment(1);
    metrics::histogram!("proost_http_request_duration_seconds", "method" => method.to_string(), "route" => route.clone()).record(seconds);
    span.in_scope(|| {
        // Assets and health checks at debug: they would drown the rest.
        if route.starts_with("/assets") || route.ends_with("/health") || route.ends_with("/ready") {
            tracing::debug!(status, ms = seconds * 1000.0, "request done");
        } else {
            tracing::info!(status, ms = seconds * 1000.0, "request done");
        }
    });
    response
}

/// The process's Prometheus recorder, installed on first use. `None` if another recorder
/// was installed first (metrics then go there, and `/metrics` says so).
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            // Latency buckets from 1 ms to 60 s: a cache hit and a cold scan both fall inside.
            let buckets = [
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                60.0,
            ];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &buckets)
                .and_then(|b| b.install_recorder())
                .map_err(|e| tracing::warn!("metrics are off: {e}"))
                .ok()
        })
        .as_ref()
}

/// The metrics in Prometheus text format, the instance's gauges read just now.
pub fn render(app: &proost_app::App) -> Option<String> {
    let handle = prometheus()?;
    proost_app::instance::refresh_metrics(app);
    handle.run_upkeep();
    Some(handle.render())
}
