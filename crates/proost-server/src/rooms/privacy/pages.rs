//! `/admin/privacy` (the request queue), `/privacy/request` (anyone files a request) and
//! `/privacy/request/{id}` (enter the mailed code).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::IntoResponse;
use maud::{Markup, html};
use proost_app::App;
use proost_app::privacy::{self, DENY_CODES, RequestParams, RequestView};

use crate::http::extract::Query;
use crate::web::fmt;
use crate::web::shell::{PageResult, Viewer, forbidden, page, privacy_nav};

fn subject_cell(r: &RequestView) -> Markup {
    html! {
        @match (&r.subject, &r.subject_label) {
            (Some(s), _) => {
                (s.email.as_deref().unwrap_or(""))
                @for (k, v) in &s.identifiers { br; small.muted { (k) ": " (v) } }
                @if r.has_account { br; small.muted { "has a Proost account" } }
            }
            (None, Some(l)) => span.muted { (l) },
            _ => span.muted { "—" },
        }
    }
}

fn actions(r: &RequestView) -> Markup {
    let base = format!("/privacy/requests/{}", r.id);
    html! {
        @if r.status == "pending" {
            button.act.primary type="button" data-method="POST" data-path=(format!("{base}/approve"))
                data-confirm=(format!("Approve request #{} ({})? Proost carries it out at once.", r.number, r.kind)) { "Approve" }
        }
        @if matches!(r.status.as_str(), "pending" | "verifying") {
            details.inline {
                summary { "Deny" }
                form.api-form data-method="POST" data-path=(format!("{base}/deny")) {
                    label { "Reason " select name="reason_code" required {
                        @for c in DENY_CODES { option value=(c) { (c.replace('_', " ")) } }
                    } }
                    label { "Note to the requester " input name="note" maxlength="2000"; }
                    button type="submit" { "Deny request" }
                    p.error role="alert" {}
                }
            }
        }
        @if r.extended_at.is_none() && matches!(r.status.as_str(), "pending" | "approved" | "verifying") {
            details.inline {
                summary { "Extend" }
                form.api-form data-method="POST" data-path=(format!("{base}/extend")) {
                    label { "Why more time is needed " input name="reason" required maxlength="2000"; }
                    button type="submit" { "Extend deadline" }
                    p.error role="alert" {}
                }
            }
        }
        @if r.bundle_expires_at.is_some() {
            a.button href=(format!("/api/v1{base}/bundle")) data-download=(format!("privacy-request-{}.zip.age", r.number)) { "Bundle" }
        }
    }
}

/// The queue, for admins and privacy officers.
pub async fn queue(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Query(params): Query<RequestParams>,
) -> PageResult {
    if !viewer.access.can("privacy_requests") {
        return Ok(forbidden(&viewer, "privacy requests"));
    }
    let list = privacy::list(&app, &viewer, &params).await?.requests;
    let open = list
        .iter()
        .filter(|r| !matches!(r.status.as_str(), "completed" | "denied" | "failed"))
        .count();
    let overdue = list.iter().filter(|r| r.overdue).count();
    Ok(page(
        "Privacy requests",
        "privacy",
        Some(&viewer),
        html! {
            (privacy_nav(&viewer, "/admin/privacy"))
            section.card {
                h1 { "Privacy requests" }
                p.muted {
                    (open) " open"
                    @if overdue > 0 { ", " strong.error { (overdue) " overdue" } }
                    ". People file at " a href="/privacy/request" { "/privacy/request" }
                    "; deadlines follow GDPR Art. 12(3) (one month, extendable by two) or CCPA (45 days + 45)."
                }
                div.table-wrap tabindex="0" role="region" aria-label="Privacy requests" {
                    table.list id="privacy-requests" {
                        thead { tr { th.num { "#" } th { "Kind" } th { "Subject" } th { "Received" } th { "Due" } th { "Status" } th { "Outcome" } th { "Actions" } } }
                        tbody {
                            @for r in &list {
                                tr data-number=(r.number) {
                                    td.num { (r.number) }
                                    td { (r.kind) br; small.muted { (r.regime.to_uppercase()) } }
                                    td { (subject_cell(r)) }
                                    td { (fmt::short_time(&r.received_at)) }
                                    td class=[r.overdue.then_some("error")] {
                                        (fmt::short_time(&r.due_at))
                                        @if r.overdue { br; strong { "overdue" } }
                                        @if let Some(x) = &r.extension_reason { br; small.muted title=(x) { "extended" } }
                                    }
                                    td {
                                        span.badge { (r.status) }
                                        @if let Some(h) = &r.legal_hold { br; span.badge.special title=(h) { "legal hold" } }
                                        @if let Some(c) = &r.deny_code { br; small.muted { (c.replace('_', " ")) } }
                                    }
                                    td {
                                        @if let Some(e) = &r.error { span.error { (e) } }
                                        @if let Some(o) = &r.outcome { details { summary { "details" } pre { (serde_json::to_string_pretty(o).unwrap_or_default()) } } }
                                    }
                                    td { (actions(r)) }
                                }
                            }
                            @if list.is_empty() { tr { td colspan="8" { span.muted { "No requests yet." } } } }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// The public form: anyone files a request about themself (signed-in people for their
/// own account; others by email, confirmed with a mailed code).
pub async fn file_form(State(app): State<Arc<App>>, parts: Parts) -> PageResult {
    let viewer = Viewer::of(&parts, &app).await;
    Ok(page(
        "Privacy request",
        "privacy-request",
        viewer.as_deref(),
        html! {
            section.card.narrow {
                h1 { "Ask about your personal data" }
                p.muted { "Ask for a copy of your data, a correction, its erasure, or to stop processing or emails. Requests are answered within one month." }
                form id="privacy-file" {
                    label { "What do you ask for?"
                        select name="kind" required {
                            option value="access" { "A copy of my data (access)" }
                            option value="correction" { "Correct my name or email" }
                            option value="erasure" { "Erase my data" }
                            option value="objection" { "Stop processing my data (objection)" }
                            option value="unsubscribe" { "Stop all emails (unsubscribe)" }
                        }
                    }
                    @match &viewer {
                        Some(v) => p { "About your account: " strong { (v.user.email) } input type="hidden" name="email" value=(v.user.email); },
                        None => label { "Your email " input name="email" type="email" required autocomplete="email"; },
                    }
                    details {
                        summary { "Other identifiers (optional): help find your records in our systems" }
                        label { "Phone " input name="phone" autocomplete="tel"; }
                        label { "Customer number " input name="customer_id"; }
                        label { "National id number " input name="national_id"; }
                    }
                    label data-for="access" { "Passphrase to encrypt your copy " small.muted { "(at least 10 characters; you need it to open the file with age)" }
                        input name="passphrase" type="password" minlength="10" autocomplete="new-password"; }
                    label data-for="correction" { "Correct name to " input name="new_name"; }
                    label data-for="correction" { "Correct email to " input name="new_email" type="email"; }
                    button.primary type="submit" { "Send request" }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response())
}

/// Where the mailed code is entered.
pub async fn verify_form(
    State(app): State<Arc<App>>,
    parts: Parts,
    Path(id): Path<String>,
) -> PageResult {
    let viewer = Viewer::of(&parts, &app).await;
    Ok(page(
        "Confirm your request",
        "privacy-request",
        viewer.as_deref(),
        html! {
            section.card.narrow {
                h1 { "Confirm your request" }
                p { "If the address you gave can receive mail, a code is on its way. Enter it here within 30 minutes." }
                form id="privacy-verify" data-id=(id) {
                    label { "Code " input name="code" required inputmode="numeric" autocomplete="one-time-code" maxlength="12"; }
                    button.primary type="submit" { "Confirm" }
                    p.error role="alert" {}
                    p.ok role="status" {}
                }
            }
        },
    )
    .into_response())
}
