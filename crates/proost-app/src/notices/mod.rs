//! The instance's privacy notice, in versions: an admin publishes Markdown (shown rendered,
//! raw HTML escaped); a version marked material must be acknowledged by every user before
//! they go on using Proost (the HTTP front sends browsers to the acknowledge page and
//! answers API calls `notice_acknowledgement_required`), and users who take product notices
//! are emailed that it changed.

mod render;

pub use render::to_html;

use std::sync::Arc;

use proost_store::NoticeRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::people::preferences::{self, Category, Mail, Mailed};
use crate::{Actor, App, Error, Result};

/// Markdown longer than this is refused.
const MAX_MARKDOWN: usize = 256 * 1024;
const MAX_SUMMARY: usize = 1000;

/// `POST /api/v1/privacy/notice`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNotice {
    pub markdown: String,
    /// Every user must acknowledge it at their next sign-in, and is emailed.
    #[serde(default)]
    pub material: bool,
    /// What changed, in a sentence (shown on the acknowledge page and in the email).
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notice {
    pub version: i64,
    pub material: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub published_at: String,
    pub markdown: String,
    /// The Markdown rendered; raw HTML in it is escaped, unsafe link targets dropped.
    pub html: String,
}

impl From<NoticeRecord> for Notice {
    fn from(r: NoticeRecord) -> Self {
        Notice {
            version: r.version,
            material: r.material,
            summary: r.summary,
            published_at: r.published_at,
            html: to_html(&r.markdown),
            markdown: r.markdown,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeVersion {
    pub version: i64,
    pub material: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub published_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
    /// Users who acknowledged this version.
    pub acknowledged: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeVersions {
    pub versions: Vec<NoticeVersion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub version: i64,
    pub material: bool,
    /// Material versions: users are being emailed (in the background) when mail is set up.
    pub emailing: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Acknowledged {
    /// The version now acknowledged (`null`: nothing was waiting).
    pub version: Option<i64>,
}

/// The current notice, if one was published (public).
pub async fn current(app: &App) -> Result<Option<Notice>> {
    Ok(app.store.notice(None).await?.map(Notice::from))
}

/// One version (public: what someone acknowledged stays readable).
pub async fn version(app: &App, version: i64) -> Result<Notice> {
    app.store
        .notice(Some(version))
        .await?
        .map(Notice::from)
        .ok_or_else(|| Error::not_found("notice version"))
}

/// Every version, newest first, with how many acknowledged it (admin).
pub async fn versions(app: &App, actor: &Actor) -> Result<NoticeVersions> {
    actor.require_admin()?;
    let counts = app.store.notice_acknowledgement_counts().await?;
    let versions = app
        .store
        .notices()
        .await?
        .into_iter()
        .map(|n| NoticeVersion {
            acknowledged: counts
                .iter()
                .find(|(v, _)| *v == n.version)
                .map_or(0, |(_, c)| *c),
            version: n.version,
            material: n.material,
            summary: n.summary,
            published_at: n.published_at,
            published_by: n.published_by,
        })
        .collect();
    Ok(NoticeVersions { versions })
}

fn invalid(message: impl Into<String>) -> Error {
    Error::bad_request("notice_invalid", message)
}

/// Publishes a new version (admin; audited `notice.publish`). A material one is emailed,
/// in the background, to every active user who takes product notices.
pub async fn publish(app: &Arc<App>, actor: &Actor, req: &NewNotice) -> Result<Published> {
    actor.require_admin()?;
    let markdown = req.markdown.trim();
    if markdown.is_empty() {
        return Err(invalid("`markdown` is empty"));
    }
    if markdown.len() > MAX_MARKDOWN {
        return Err(invalid(format!(
            "`markdown` is longer than {} KiB",
            MAX_MARKDOWN / 1024
        )));
    }
    let summary = req
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if summary.is_some_and(|s| s.chars().count() > MAX_SUMMARY) {
        return Err(invalid(format!(
            "`summary` is longer than {MAX_SUMMARY} characters"
        )));
    }
    let saved = app
        .store
        .publish_notice(markdown, req.material, summary, Some(&actor.user.id))
        .await?;
    app.audit(
        Some(&actor.user.id),
        "notice.publish",
        Some(&saved.version.to_string()),
        &json!({"version": saved.version, "material": saved.material, "summary": saved.summary}),
    )
    .await?;
    let version = saved.version;
    let emailing = saved.material && app.mailer.is_some();
    if emailing {
        let app = app.clone();
        tokio::spawn(async move { email_change(&app, &saved).await });
    }
    Ok(Published {
        version,
        material: req.material,
        emailing,
    })
}

/// Emails every active user who takes product notices that the notice changed.
async fn email_change(app: &App, notice: &NoticeRecord) {
    let users = match app.store.users().await {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "notice change not emailed");
            return;
        }
    };
    let base = app.config.public_base();
    let (mut sent, mut skipped, mut failed) = (0, 0, 0);
    for user in users.iter().filter(|u| u.active) {
        let mut text = format!(
            "Hello {},\n\nThe privacy notice of Proost ({base}) changed: version {} was published.\n",
            user.name, notice.version
        );
        if let Some(s) = &notice.summary {
            text.push_str(&format!("\nWhat changed: {s}\n"));
        }
        text.push_str(&format!(
            "\nRead it at {base}/privacy — you will be asked to acknowledge it the next time you sign in.\n"
        ));
        let mail = Mail {
            subject: "The Proost privacy notice changed".into(),
            text,
            html: None,
        };
        match preferences::mail_user(app, user, Category::ProductNotices, false, mail).await {
            Ok(Mailed::Sent) => sent += 1,
            Ok(_) => skipped += 1,
            Err(e) => {
                failed += 1;
                tracing::warn!(user = %user.id, code = e.code, "notice change email failed");
            }
        }
    }
    tracing::info!(
        version = notice.version,
        sent,
        skipped,
        failed,
        "privacy notice change emailed"
    );
}

/// The material version this user still has to acknowledge, if any.
pub async fn pending(app: &App, user_id: &str) -> Result<Option<i64>> {
    Ok(app.store.notice_pending(user_id).await?)
}

/// Records that the caller acknowledged the newest material version (covering earlier
/// ones); audited `notice.acknowledge`.
pub async fn acknowledge(app: &App, actor: &Actor) -> Result<Acknowledged> {
    let Some(version) = pending(app, &actor.user.id).await? else {
        return Ok(Acknowledged { version: None });
    };
    app.store
        .acknowledge_notice(&actor.user.id, version)
        .await?;
    app.audit(
        Some(&actor.user.id),
        "notice.acknowledge",
        Some(&version.to_string()),
        &json!({"version": version}),
    )
    .await?;
    Ok(Acknowledged {
        version: Some(version),
    })
}
