//! `/admin/privacy/records`: retention policies (editable) and the sweep, legal holds,
//! the breach log, and the record of processing's downloads. Forms post to the API through
//! the page script, so the page can do nothing the API would not.

use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;
use maud::{Markup, html};
use proost_app::people::accounts;
use proost_app::retention::{self, breaches, holds};
use proost_app::{App, connections};

use crate::web::fmt;
use crate::web::shell::{AdminViewer, PageResult, page, privacy_nav};

/// The first `n` characters of a stored UTC time: 10 a date, 16 a `datetime-local` value.
fn cut(t: Option<&str>, n: usize) -> String {
    t.map(|t| t.chars().take(n).collect()).unwrap_or_default()
}

pub async fn records(State(app): State<Arc<App>>, admin: AdminViewer) -> PageResult {
    let retention = retention::overview(&app, &admin).await?;
    let holds = holds::list(&app, &admin).await?.holds;
    let breaches = breaches::list(&app, &admin).await?.breaches;
    let users = accounts::list(&app, &admin).await?.users;
    let conns = connections::visible_records(&app, &admin).await?;
    let categories = breaches::category_ids().join(", ");
    let breach_fields = |b: Option<&proost_store::BreachRecord>| -> Markup {
        html! {
            div.row {
                label { "Discovered " small.muted { "(UTC)" } input name="discovered_at" type="datetime-local" required[b.is_none()] value=[b.map(|b| cut(Some(&b.discovered_at), 16))]; }
                label { "Occurred " small.muted { "(UTC, if known)" } input name="occurred_at" type="datetime-local" value=[b.map(|b| cut(b.occurred_at.as_deref(), 16))]; }
                label { "Reported to the authority " small.muted { "(UTC)" } input name="reported_to_authority_at" type="datetime-local" value=[b.map(|b| cut(b.reported_to_authority_at.as_deref(), 16))]; }
                label { "People affected" input name="subjects_affected" type="number" min="0" data-number value=[b.and_then(|b| b.subjects_affected)]; }
            }
            label { "Facts " small.muted { "(what happened)" } textarea name="facts" rows="3" required[b.is_none()] { (b.map(|b| b.facts.as_str()).unwrap_or("")) } }
            label { "Effects " small.muted { "(on the people concerned)" } textarea name="effects" rows="2" required[b.is_none()] { (b.map(|b| b.effects.as_str()).unwrap_or("")) } }
            label { "Remedial action" textarea name="remedial_action" rows="2" required[b.is_none()] { (b.map(|b| b.remedial_action.as_str()).unwrap_or("")) } }
            div.row {
                label { "Categories " small.muted { "(separated by spaces)" }
                    input name="categories" title={ "One or more of: " (categories) } value=[b.map(|b| b.categories.join(" "))]; }
                label { "Status" select name="status" {
                    option value="open" selected[b.is_none_or(|b| b.status == "open")] { "open" }
                    option value="closed" selected[b.is_some_and(|b| b.status == "closed")] { "closed" }
                } }
            }
        }
    };
    Ok(page(
        "Privacy records",
        "records",
        Some(&admin),
        html! {
            (privacy_nav(&admin, "/admin/privacy/records"))
            nav.subnav aria-label="Sections of this page" {
                a href="#retention" { "Retention" }
                a href="#holds" { "Legal holds (" (retention.active_holds) ")" }
                a href="#breaches" { "Breaches (" (breaches.len()) ")" }
                a href="#record" { "Record of processing" }
            }
            section.card id="retention" {
                h1 { "Retention" }
                p.muted { "How long Proost keeps each kind of record about people. A sweep runs daily and reports to the audit log; records of a person or connection on legal hold are kept." }
                table.list {
                    thead { tr { th { "Record type" } th { "What happens" } th { "Keep (days)" } th { "Last sweep" } } }
                    tbody {
                        @for p in &retention.policies {
                            tr {
                                td.mono { (p.record_type) }
                                td.details { (p.deletes) @if let Some(rule) = &p.rule { " — " (rule) } }
                                td.actions {
                                    @if p.configurable {
                                        form.api-form.filters id={ "retention-" (p.record_type) } data-method="PUT" data-path={ "/privacy/retention/" (p.record_type) } {
                                            label.inline {
                                                input name="keep_days" type="number" min="0" max="36500" data-number required value=[p.keep_days] aria-label={ "Days to keep " (p.record_type) };
                                                "days"
                                            }
                                            button type="submit" { "Save" }
                                            @if p.keep_days != p.default_days { small.muted { "default " (p.default_days.unwrap_or(0)) } }
                                            p.error role="alert" {}
                                        }
                                    } @else {
                                        span.muted { "—" }
                                    }
                                }
                                td.details {
                                    @if let Some(s) = &p.last_sweep {
                                        @if let Some(n) = s["deleted"].as_u64() { (n) " removed" }
                                        @if s["held"].as_u64().unwrap_or(0) > 0 { ", " (s["held"]) " held" }
                                        @if let Some(note) = s["note"].as_str() { " " span.muted { (note) } }
                                    }
                                }
                            }
                        }
                    }
                }
                p {
                    @if let Some(last) = &retention.last_sweep { "Last sweep: " (fmt::short_time(&last.at)) ". " }
                    button.act type="button" data-method="POST" data-path="/privacy/retention/sweep" { "Sweep now" }
                }
            }
            section.card id="holds" {
                h2 { "Legal holds" }
                p.muted { "While a hold is in force, the sweep keeps the person's records (usage, sessions, query history) or the connection's scan results, and the person cannot be erased." }
                @if holds.is_empty() { p.muted { "No legal holds." } }
                @else {
                    table.list id="legal-holds" {
                        thead { tr { th { "On" } th { "Reason" } th { "Placed" } th { "Released" } th {} } }
                        tbody {
                            @for h in &holds {
                                tr {
                                    td { (h.hold.kind) " " strong { (h.target_name.as_deref().unwrap_or(&h.hold.target_id)) } }
                                    td.details { (h.hold.reason) }
                                    td { (fmt::short_time(&h.hold.created_at)) }
                                    td { @if h.active { "in force" } @else { (fmt::utc(h.hold.released_at.as_deref())) } }
                                    td { @if h.active { button.link.act type="button" data-method="DELETE" data-path={ "/privacy/holds/" (h.hold.id) } data-confirm="Release this legal hold? The sweep may then delete what it kept." { "Release" } } }
                                }
                            }
                        }
                    }
                }
                form.api-form id="hold-user" data-method="POST" data-path="/privacy/holds" {
                    h3 { "Hold a person" }
                    input type="hidden" name="kind" value="user";
                    div.row {
                        label { "Person" select name="target_id" { @for u in &users { option value=(u.id) { (u.name) " <" (u.email) ">" } } } }
                        label { "Reason" input name="reason" required maxlength="1000"; }
                    }
                    button.primary type="submit" { "Place hold" }
                    p.error role="alert" {}
                }
                @if !conns.is_empty() {
                    form.api-form id="hold-connection" data-method="POST" data-path="/privacy/holds" {
                        h3 { "Hold a connection" }
                        input type="hidden" name="kind" value="connection";
                        div.row {
                            label { "Connection" select name="target_id" { @for c in &conns { option value=(c.id) { (c.name) } } } }
                            label { "Reason" input name="reason" required maxlength="1000"; }
                        }
                        button.primary type="submit" { "Place hold" }
                        p.error role="alert" {}
                    }
                }
            }
            section.card id="breaches" {
                h2 { "Breach log" }
                p.muted { "Every personal-data breach, whether or not it was reported (GDPR Art. 33(5)). The authority is to be told within 72 hours of discovery. "
                    a href="/api/v1/privacy/breaches?format=csv" { "Download CSV" } }
                @if breaches.is_empty() { p.muted { "No breach recorded." } }
                @for b in &breaches {
                    details.breach {
                        summary {
                            span class={ "status " (b.breach.status) } { (b.breach.status) } " "
                            (cut(Some(&b.breach.discovered_at), 10)) " — "
                            (b.breach.facts.chars().take(80).collect::<String>())
                            @if b.breach.reported_to_authority_at.is_none() { small.muted { " not reported; deadline " (fmt::short_time(&b.authority_deadline)) } }
                        }
                        form.api-form id={ "breach-" (b.breach.id) } data-method="PUT" data-path={ "/privacy/breaches/" (b.breach.id) } {
                            (breach_fields(Some(&b.breach)))
                            button.primary type="submit" { "Save" }
                            p.error role="alert" {}
                        }
                    }
                }
                form.api-form id="breach-new" data-method="POST" data-path="/privacy/breaches" {
                    h3 { "Record a breach" }
                    (breach_fields(None))
                    button.primary type="submit" { "Record" }
                    p.error role="alert" {}
                }
            }
            section.card id="record" {
                h2 { "Record of processing" }
                p.muted { "GDPR Art. 30: this instance as controller, the connections and their regions, the personal data found in them, who reads it unmasked, the retention above and the processors mail and backups go to." }
                p {
                    a.button href="/api/v1/privacy/record?format=json" download="proost-record-of-processing.json" { "Download JSON" } " "
                    a.button href="/api/v1/privacy/record?format=csv" { "Download CSV" }
                }
            }
        },
    )
    .into_response())
}
