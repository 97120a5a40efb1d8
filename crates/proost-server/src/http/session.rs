//! Sessions over HTTP: the one cookie parser, the session and CSRF cookies' attributes,
//! bearer tokens, what an API token's scope allows, and the client's address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, header};

pub const SESSION_COOKIE: &str = "proost_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of cookie `name`, if the request carries one of a sane size.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

/// The request's token, and whether it came from the cookie (then CSRF applies).
pub fn token(headers: &HeaderMap) -> Option<(String, bool)> {
    match bearer_token(headers) {
        Some(t) => Some((t, false)),
        None => cookie(headers, SESSION_COOKIE).map(|t| (t, true)),
    }
}

/// `Set-Cookie` for a new browser session: Secure, HttpOnly, SameSite=Strict.
pub fn session_cookie(token: &str, max_age: u64) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    )
}

/// `Set-Cookie` that ends the browser session.
pub const CLEAR_SESSION_COOKIE: &str =
    "proost_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0";

/// What an API token of each scope may call: `read` only reads, `query` also runs
/// queries, `admin` (and a browser login) anything the user's role allows.
pub fn scope_allows(scope: &str, method: &Method, path: &str) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    match scope {
        "full" | "admin" => true,
        "query" => safe || (*method == Method::POST && path.ends_with("/query")),
        _ => safe,
    }
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn client_ip(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
