//! The scripts and stylesheets, embedded in the binary (no CDN, no Node at run time). Each
//! is linked with a digest of its content in the URL, so browsers may keep it for a year
//! and still never use an old copy after an upgrade.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use proost_app::App;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/app.js"),
    },
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/app.css"),
    },
    Asset {
        name: "grid.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/grid.js"),
    },
    Asset {
        name: "grid.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/grid.css"),
    },
    // CodeMirror 6 and sql-formatter, bundled once by scripts/vendor-editor.
    Asset {
        name: "editor.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/vendor/editor.js"),
    },
    Asset {
        name: "chart.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/chart.js"),
    },
    Asset {
        name: "chart.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/chart.css"),
    },
    Asset {
        name: "explore.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/explore.js"),
    },
    // Apache ECharts, vendored unmodified by scripts/vendor-echarts.
    Asset {
        name: "echarts.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/vendor/echarts.min.js"),
    },
    Asset {
        name: "ECHARTS-LICENSE.txt",
        content_type: "text/plain; charset=utf-8",
        body: include_str!("../assets/vendor/ECHARTS-LICENSE.txt"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../assets/favicon.svg"),
    },
    Asset {
        name: "LICENSES.txt",
        content_type: "text/plain; charset=utf-8",
        body: include_str!("../assets/vendor/LICENSES.txt"),
    },
];

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/assets/{name}", get(serve))
        // Browsers ask for it whatever the page links.
        .route(
            "/favicon.ico",
            get(|| serve(Path("favicon.svg".to_string()))),
        )
}

/// `/assets/<name>?v=<digest>`: the link pages use.
pub fn url(name: &str) -> String {
    static DIGESTS: OnceLock<Vec<String>> = OnceLock::new();
    let digests = DIGESTS.get_or_init(|| {
        use sha2::{Digest, Sha256};
        ASSETS
            .iter()
            .map(|a| hex::encode(&Sha256::digest(a.body.as_bytes())[..6]))
            .collect()
    });
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/assets/{name}?v={}", digests[i]),
        None => format!("/assets/{name}"),
    }
}

async fn serve(Path(name): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}
