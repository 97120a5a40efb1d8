//! Comments on questions and dashboards: threads, @mentions that notify by email, authors
//! edit and delete their own at any time (deleted is gone from the app database), admins
//! hide with a reason.

use proost_store::CommentRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Created, Level, Shelf};
use crate::{Actor, App, Error, Result};

/// `POST …/comments`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    /// The comment this one answers.
    pub parent: Option<String>,
}

/// `PATCH /api/v1/comments/{id}`: the author's new text, or (admins) `hidden` with a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentPatch {
    pub body: Option<String>,
    pub hidden: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub author: String,
    pub author_name: String,
    /// Absent when a moderator hid the comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// The caller may edit and delete it.
    pub mine: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub comments: Vec<Comment>,
}

fn check_body(body: &str) -> Result<()> {
    if body.trim().is_empty() || body.chars().count() > 10_000 {
        return Err(Error::bad_request(
            "comment_invalid",
            "a comment is 1 to 10000 characters",
        ));
    }
    Ok(())
}

pub async fn add(
    app: &App,
    actor: &Actor,
    kind: &str,
    content: &str,
    c: &NewComment,
) -> Result<Created> {
    check_body(&c.body)?;
    let shelf = Shelf::load(app, actor).await?;
    let record = shelf.open(kind, content, Level::View)?;
    if let Some(p) = &c.parent {
        match app.store.comment(p).await? {
            Some(parent) if parent.content_id == content => {}
            _ => {
                return Err(Error::bad_request(
                    "comment_invalid",
                    "the parent comment is not on this content",
                ));
            }
        }
    }
    let saved = app
        .store
        .add_comment(content, c.parent.as_deref(), &actor.user.id, c.body.trim())
        .await?;
    notify_mentions(app, actor, kind, &record.id, &record.name, &c.body).await;
    Ok(Created { id: saved.id })
}

/// Emails each person named as `@email` (or `@name` before the `@` of their email) who may
/// open the content and did not turn mention emails off. Failures are logged: a comment
/// does not fail because mail did.
async fn notify_mentions(app: &App, actor: &Actor, kind: &str, id: &str, name: &str, body: &str) {
    if app.mailer.is_none() {
        return;
    }
    let Ok(users) = app.store.users().await else {
        return;
    };
    let words: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .filter_map(|w| w.strip_prefix('@'))
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .filter(|w| !w.is_empty())
        .collect();
    for u in users.iter().filter(|u| u.active && u.id != actor.user.id) {
        let local = u.email.split('@').next().unwrap_or("");
        if !words
            .iter()
            .any(|w| w.eq_ignore_ascii_case(&u.email) || w.eq_ignore_ascii_case(local))
        {
            continue;
        }
        // Only people who may open it; the shelf is the author's, so ask for theirs.
        let Ok(access) = app.access.of(&app.store, u).await else {
            continue;
        };
        let reader = Actor {
            user: u.clone(),
            access,
            session: None,
        };
        let Ok(their) = Shelf::load(app, &reader).await else {
            continue;
        };
        if their.level(id) == Level::None {
            continue;
        }
        let url = format!("{}/{kind}s/{id}#comments", app.config.public_base());
        let text = format!(
            "{} mentioned you in a comment on the {kind} \"{name}\":\n\n{}\n\nOpen it: {url}\n",
            actor.user.name,
            body.trim()
        );
        let mail = crate::people::preferences::Mail {
            subject: format!("{} mentioned you in Proost", actor.user.name),
            text,
            html: None,
        };
        let category = crate::people::preferences::Category::Mentions;
        if let Err(e) = crate::people::preferences::mail_user(app, u, category, false, mail).await {
            tracing::warn!(user = %u.id, "mention email failed: {}", e.message);
        }
    }
}

pub async fn list(app: &App, actor: &Actor, kind: &str, content: &str) -> Result<CommentList> {
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(kind, content, Level::View)?;
    let users = app.store.users().await?;
    let name = |id: &str| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let comments = app
        .store
        .comments_of(content)
        .await?
        .into_iter()
        .map(|c: CommentRecord| Comment {
            mine: c.author_id == actor.user.id,
            author_name: name(&c.author_id),
            body: if c.hidden_reason.is_some() && !actor.access.admin {
                None
            } else {
                Some(c.body)
            },
            id: c.id,
            parent: c.parent_id,
            author: c.author_id,
            hidden_reason: c.hidden_reason,
            created_at: c.created_at,
            edited_at: c.edited_at,
        })
        .collect();
    Ok(CommentList { comments })
}

async fn own_comment(app: &App, actor: &Actor, id: &str) -> Result<CommentRecord> {
    let c = app
        .store
        .comment(id)
        .await?
        .ok_or_else(|| Error::not_found("comment"))?;
    let shelf = Shelf::load(app, actor).await?;
    if shelf.level(&c.content_id) == Level::None {
        return Err(Error::not_found("comment"));
    }
    Ok(c)
}

pub async fn update(app: &App, actor: &Actor, id: &str, p: &CommentPatch) -> Result<()> {
    let c = own_comment(app, actor, id).await?;
    if let Some(reason) = &p.hidden {
        actor.require_admin()?;
        app.store.hide_comment(id, Some(reason)).await?;
        app.audit(
            Some(&actor.user.id),
            "comment.hide",
            Some(id),
            &json!({"content": c.content_id, "reason": reason}),
        )
        .await?;
    }
    if let Some(body) = &p.body {
        if c.author_id != actor.user.id {
            return Err(
                Error::forbidden("only its author edits a comment").with_code("comment_forbidden")
            );
        }
        check_body(body)?;
        app.store.edit_comment(id, body.trim()).await?;
    }
    Ok(())
}

/// Deletes a comment (its author, or an admin moderating): the row is gone.
pub async fn delete(app: &App, actor: &Actor, id: &str) -> Result<()> {
    let c = own_comment(app, actor, id).await?;
    if c.author_id != actor.user.id && !actor.access.admin {
        return Err(
            Error::forbidden("only its author or an admin deletes a comment")
                .with_code("comment_forbidden"),
        );
    }
    app.store.delete_comment(id).await?;
    if c.author_id != actor.user.id {
        app.audit(
            Some(&actor.user.id),
            "comment.delete",
            Some(id),
            &json!({"content": c.content_id}),
        )
        .await?;
    }
    Ok(())
}
