//! Pages: `/account/preferences`, the unsubscribe page, `/privacy`, `/privacy/acknowledge`
//! and `/admin/privacy-notice`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use proost_app::people::preferences::{self, Category};
use proost_app::{App, Error, notices};

use crate::web::fmt;
use crate::web::shell::{AdminViewer, PageResult, Viewer, page, privacy_nav};

fn choice(name: &str, label: &str, hint: &str, on: bool) -> Markup {
    html! {
        label {
            (label) " " small.muted { "(" (hint) ")" }
            select name=(name) data-json {
                option value="true" selected[on] { "Yes" }
                option value="false" selected[!on] { "No" }
            }
        }
    }
}

pub async fn preferences(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let p = preferences::get(&app, &viewer.user.id).await?;
    Ok(page(
        "Email preferences",
        "account",
        Some(&viewer),
        html! {
            section.card.narrow {
                h1 { "Email and privacy preferences" }
                p.muted { "Every email Proost sends you has a one-click link to stop that kind of email." }
                form.api-form data-method="PUT" data-path="/me/preferences" {
                    div.row {
                        (choice("product_notices", "Product notices", Category::ProductNotices.describe(), p.product_notices))
                        (choice("subscriptions", "Subscriptions", Category::Subscriptions.describe(), p.subscriptions))
                    }
                    div.row {
                        (choice("mentions", "Mentions", Category::Mentions.describe(), p.mentions))
                        (choice("usage_analytics", "Usage analytics", "recording of the pages you see and the queries you run, for this instance's usage report", p.usage_analytics))
                    }
                    button type="submit" { "Save" }
                    p.error role="alert" {}
                }
                p { a href="/account" { "Back to your account" } " · " a href="/privacy" { "Privacy notice" } }
            }
        },
    )
    .into_response())
}

fn message(status: StatusCode, title: &str, body: Markup) -> Response {
    (
        status,
        page(
            title,
            "unsubscribe",
            None,
            html! { section.card.narrow { h1 { (title) } (body) p { a href="/login" { "Open Proost" } } } },
        ),
    )
        .into_response()
}

fn refused(e: &Error) -> Response {
    let (status, title) = match e.code {
        "unsubscribe_expired" => (StatusCode::FORBIDDEN, "Link expired"),
        "unsubscribe_invalid" => (StatusCode::FORBIDDEN, "Link not valid"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "Not done"),
    };
    let text = match e.code {
        "unsubscribe_expired" | "unsubscribe_invalid" => e.message.as_str(),
        _ => "Unsubscribing failed; try the link again later.",
    };
    message(
        status,
        title,
        html! {
            p { (text) }
            p { "You can change every email preference on " a href="/account/preferences" { "your preferences page" } " after signing in." }
            p.muted { "Error code: " code { (e.code) } }
        },
    )
}

/// `GET /unsubscribe/{token}`: says what the link stops and asks for one click; changes
/// nothing (mail scanners follow links).
pub async fn unsubscribe_page(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    match preferences::check_token(&app, &token).await {
        Ok(u) => message(
            StatusCode::OK,
            "Unsubscribe",
            html! {
                p { "Stop " (u.category.describe()) " to " strong { (u.user.email) } "?" }
                form method="post" action={ "/unsubscribe/" (token) } {
                    input type="hidden" name="List-Unsubscribe" value="One-Click";
                    button type="submit" { "Unsubscribe" }
                }
            },
        ),
        Err(e) => refused(&e),
    }
}

/// `POST /unsubscribe/{token}` (RFC 8058 one-click, no login): the preference is off
/// before this answers.
pub async fn unsubscribe_now(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    match preferences::unsubscribe(&app, &token).await {
        Ok(done) => {
            let what = Category::parse(done.category).map_or("these emails", |c| c.describe());
            let title = if done.changed {
                "Unsubscribed"
            } else {
                "Already unsubscribed"
            };
            message(
                StatusCode::OK,
                title,
                html! {
                    @if done.changed { p { "You will get no more " (what) "." } }
                    @else { p { "This link was used already: " (what) " are off." } }
                },
            )
        }
        Err(e) => refused(&e),
    }
}

/// `/privacy`: the current notice, for anyone.
pub async fn notice(parts: Parts, State(app): State<Arc<App>>) -> PageResult {
    let viewer = Viewer::of(&parts, &app).await;
    let current = notices::current(&app).await?;
    Ok(page(
        "Privacy notice",
        "privacy",
        viewer.as_deref(),
        html! {
            section.card.notice {
                @match &current {
                    Some(n) => {
                        p.muted { "Version " (n.version) " · published " (fmt::short_time(&n.published_at)) }
                        div.markdown { (PreEscaped(&n.html)) }
                    }
                    None => { h1 { "Privacy notice" } p { "This instance has not published a privacy notice yet." } }
                }
                p { a href="/privacy/request" { "Ask about your personal data" } ": a copy, a correction, its erasure, or to stop processing or emails." }
            }
        },
    )
    .into_response())
}

/// `/privacy/acknowledge`: where a user with a material change to acknowledge is sent.
pub async fn acknowledge(State(app): State<Arc<App>>, viewer: Viewer) -> PageResult {
    let pending = notices::pending(&app, &viewer.user.id).await?;
    let current = notices::current(&app).await?;
    Ok(page(
        "Privacy notice changed",
        "privacy",
        Some(&viewer),
        html! {
            section.card.notice {
                @if let Some(v) = pending {
                    h1 { "The privacy notice changed" }
                    @if let Some(s) = current.as_ref().and_then(|n| n.summary.as_deref()) { p { strong { "What changed: " } (s) } }
                    p { "Please read version " (v) " below and acknowledge it to go on using Proost." }
                    form.api-form data-method="POST" data-path="/privacy/notice/acknowledge" id="acknowledge" {
                        button type="submit" { "I have read it" }
                        p.error role="alert" {}
                    }
                } @else {
                    h1 { "Privacy notice" }
                    p { "You are up to date. " a href="/" id="continue" { "Continue to Proost" } }
                }
                @if let Some(n) = &current { div.markdown { (PreEscaped(&n.html)) } }
            }
        },
    )
    .into_response())
}

/// `/admin/privacy-notice`: versions and publishing.
pub async fn admin(State(app): State<Arc<App>>, admin: AdminViewer) -> PageResult {
    let versions = notices::versions(&app, &admin).await?.versions;
    let current = notices::current(&app).await?;
    Ok(page(
        "Privacy notice",
        "privacy-notice",
        Some(&admin),
        html! {
            (privacy_nav(&admin, "/admin/privacy-notice"))
            section.card {
                h1 { "Privacy notice" }
                p.muted { "Markdown; raw HTML is shown as text. A material change must be acknowledged by every user and is emailed to those who take product notices." }
                form.api-form data-method="POST" data-path="/privacy/notice" {
                    label { "Notice (Markdown)" textarea name="markdown" rows="14" required { @if let Some(n) = &current { (n.markdown) } } }
                    div.row {
                        label { "Material change" select name="material" data-json { option value="false" { "No" } option value="true" { "Yes" } } }
                        label { "Summary of the change" input name="summary"; }
                    }
                    button type="submit" { "Publish" }
                    p.error role="alert" {}
                }
            }
            section.card {
                h2 { "Versions" }
                table.list {
                    thead { tr { th { "Version" } th { "Published" } th { "Material" } th { "Summary" } th { "Acknowledged by" } } }
                    tbody {
                        @for v in &versions {
                            tr {
                                td { a href={ "/api/v1/privacy/notice/versions/" (v.version) } { (v.version) } }
                                td { (fmt::short_time(&v.published_at)) }
                                td { (if v.material { "yes" } else { "no" }) }
                                td { (v.summary.as_deref().unwrap_or("")) }
                                td { (v.acknowledged) }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}
