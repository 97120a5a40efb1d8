//! Parts of the question and dashboard pages: sharing (for owners) and subscribing.

use maud::{Markup, html};

/// The share and subscribe panel of a question or dashboard (`kind`). `owner`: the caller
/// may share it.
pub fn actions(kind: &str, id: &str, owner: bool) -> Markup {
    html! {
        section.card #actions data-kind=(kind) data-id=(id) {
            h2 { (if owner { "Share and subscribe" } else { "Subscribe" }) }
            @if owner {
                form #share-form.toolbar {
                    label { "Share with " select name="principal_kind" { option value="user" { "person (email)" } option value="group" { "group (name)" } } }
                    label.sr-only for="share-who" { "Who" }
                    input #share-who name="who" type="text" required placeholder="vera@example.com";
                    label { "may " select name="level" { option value="view" { "view" } option value="edit" { "edit" } } }
                    button.primary type="submit" { "Share" }
                }
            }
            @if owner {
                form #public-link-form.toolbar {
                    label.inline { "Public link, valid for" input name="days" type="number" min="1" max="365" value="30"; "days" }
                    button type="submit" { "Make a public link" }
                    a href="/public-links" { "Manage public links" }
                }
                p #public-link-out hidden {
                    label { "Anyone with this address can open it without logging in (shown only now): "
                        input #public-link-url type="text" readonly size="60"; }
                }
            }
            form #subscribe-form.toolbar {
                label { "Email it to me " select name="every" {
                    option value="daily" { "every day" } option value="weekly" { "every Monday" } option value="monthly" { "on the 1st of each month" }
                } }
                label { "at " select name="hour" { @for h in 0..24u32 { option value=(h) selected[h == 8] { (format!("{h:02}:00")) } } } }
                button type="submit" { "Subscribe" }
            }
            p #actions-status.muted role="status" {}
        }
    }
}

/// The comments of a question or dashboard (filled by the page script).
pub fn comments(kind: &str, id: &str) -> Markup {
    html! {
        section.card #comments data-kind=(kind) data-id=(id) {
            h2 { "Comments" }
            ul #comment-list.comments {}
            form #comment-form {
                label for="comment-body" { "Add a comment (mention someone with @name)" }
                textarea #comment-body rows="3" required {}
                button.primary type="submit" { "Comment" }
            }
        }
    }
}
