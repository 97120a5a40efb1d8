//! HTTP plumbing every room shares: the one mapping from errors to responses, extractors
//! that name who calls and what they may do, session cookies and CSRF, answers in JSON,
//! JSON lines and CSV, and the layers over every route.

pub mod error;
pub mod extract;
pub mod layers;
pub mod observe;
pub mod respond;
pub mod session;

/// A path under `/api/v1`.
#[macro_export]
macro_rules! api_path {
    ($p:literal) => {
        concat!("/api/v1", $p)
    };
}
