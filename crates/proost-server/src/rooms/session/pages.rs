//! The pages of signing in: `/` (to the SQL page or the login), `/setup`, `/login`,
//! `/invite`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use proost_app::App;
use serde::Deserialize;

use crate::http::extract::Query;
use crate::web::shell::{PageResult, Viewer, page};

pub async fn home(State(app): State<Arc<App>>, parts: Parts) -> Redirect {
    match Viewer::of(&parts, &app).await {
        // Whoever may not write SQL starts in the data browser.
        Some(v) if !v.access.can("sql") => Redirect::to("/browse"),
        Some(_) => Redirect::to("/sql"),
        None => Redirect::to("/login"),
    }
}

#[derive(Deserialize)]
pub struct SetupQuery {
    token: Option<String>,
}

pub async fn setup(State(app): State<Arc<App>>, Query(q): Query<SetupQuery>) -> PageResult {
    let done = proost_app::people::accounts::setup_done(&app).await?;
    Ok(page(
        "Set up",
        "setup",
        None,
        html! {
            section.card.narrow {
                h1 { "Welcome to Proost" }
                @if done {
                    p { "This instance is already set up. " a href="/login" { "Log in" } "." }
                } @else if q.token.is_none() {
                    p { "Open the setup link that " code { "proost serve" } " printed on its console." }
                } @else {
                    p.muted { "Create the first administrator. The setup link works once." }
                    form id="setup-form" {
                        input type="hidden" name="token" value=[q.token.as_deref()];
                        label { "Name" input name="name" required autocomplete="name"; }
                        label { "Email" input name="email" type="email" required autocomplete="email"; }
                        label { "Password " small.muted { "(at least 12 characters)" }
                            input name="password" type="password" required minlength="12" autocomplete="new-password"; }
                        button.primary type="submit" { "Create admin" }
                        p.error role="alert" {}
                    }
                }
            }
        },
    )
    .into_response())
}

pub async fn login(State(app): State<Arc<App>>, parts: Parts) -> Response {
    if Viewer::of(&parts, &app).await.is_some() {
        return Redirect::to("/").into_response();
    }
    let state = app;
    page(
        "Log in",
        "login",
        None,
        html! {
            section.card.narrow {
                h1 { "Log in" }
                @if state.sso.oidc_enabled() {
                    p { a.button href="/api/v1/sso/oidc/login" { "Sign in with single sign-on" } }
                }
                form id="login-form" {
                    @if state.sso.ldap_enabled() {
                        label { "Sign in with"
                            select name="provider" {
                                option value="password" { "Proost password" }
                                option value="ldap" { "Directory (LDAP)" }
                            }
                        }
                        // A directory login may be a user name, not an email.
                        label { "Email or directory login" input name="email" type="text" required autocomplete="username"; }
                    } @else {
                        label { "Email" input name="email" type="email" required autocomplete="username"; }
                    }
                    label { "Password" input name="password" type="password" required autocomplete="current-password"; }
                    button.primary type="submit" { "Log in" }
                    p.error role="alert" {}
                }
                @if state.mailer.is_some() {
                    p { a href="/forgot" { "Forgot your password?" } }
                } @else {
                    p.muted { small { "Forgot your password? An admin can make you a reset link with "
                        code { "proost users reset-password EMAIL" } " on the server." } }
                }
            }
        },
    )
    .into_response()
}

pub async fn invite() -> Response {
    choose_password(
        "Set your password",
        "invite",
        "Welcome to Proost",
        "Choose your password. This link works once.",
        "Set password",
    )
}

pub async fn reset() -> Response {
    choose_password(
        "Reset your password",
        "reset",
        "Choose a new password",
        "This link works once. Every session of your account ends when you set the new password.",
        "Set password",
    )
}

/// The page a one-time link opens (invite, reset): one password field, form `#<page>-form`;
/// the token stays in the URL fragment, read by the page script.
fn choose_password(
    title: &str,
    page_id: &str,
    heading: &str,
    note: &str,
    button: &str,
) -> Response {
    page(
        title,
        page_id,
        None,
        html! {
            section.card.narrow {
                h1 { (heading) }
                p.muted { (note) }
                form id={ (page_id) "-form" } {
                    label { "Password " small.muted { "(at least 12 characters)" }
                        input name="password" type="password" required minlength="12" autocomplete="new-password"; }
                    button.primary type="submit" { (button) }
                    p.error role="alert" {}
                }
            }
        },
    )
    .into_response()
}

pub async fn forgot(State(app): State<Arc<App>>) -> Response {
    page(
        "Forgot password",
        "forgot",
        None,
        html! {
            section.card.narrow {
                h1 { "Forgot your password?" }
                @if app.mailer.is_some() {
                    p.muted { "Give the email address of your account; if it is one, a link to choose a new password is on its way." }
                    form id="forgot-form" {
                        label { "Email" input name="email" type="email" required autocomplete="username"; }
                        button.primary type="submit" { "Send me a link" }
                        p.error role="alert" {}
                        p.ok role="status" {}
                    }
                } @else {
                    p { "This instance sends no email. An admin can make you a one-time link with "
                        code { "proost users reset-password EMAIL" } " on the server." }
                }
                p { a href="/login" { "Back to log in" } }
            }
        },
    )
    .into_response()
}
