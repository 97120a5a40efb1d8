//! Outgoing email (invites, subscriptions, mentions, notices), through lettre's SMTP client.
//! Off unless `--smtp-url` is set; without it, an admin hands invite links over themselves.
//!
//! A message to a Proost user carries a one-click unsubscribe (RFC 8058: `List-Unsubscribe`
//! and `List-Unsubscribe-Post`); [`crate::people::preferences::mail_user`] builds its signed
//! link and checks the user's preferences before sending.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where mail goes: an SMTP URL as lettre reads it (`smtp://host:25` plain,
/// `smtp://host:587?tls=required` STARTTLS, `smtps://user:pass@host:465` TLS) and the
/// sender address.
#[derive(Clone)]
pub struct MailConfig {
    pub url: String,
    pub from: String,
}

impl std::fmt::Debug for MailConfig {
    // The URL may carry the SMTP password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("url", &"<hidden>")
            .field("from", &self.from)
            .finish()
    }
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        let from = config
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("--smtp-from is not a mail address: {e}"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("--smtp-url is not usable: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text message. The error says what failed, never the URL.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        self.send_with(to, subject, body, None).await
    }

    /// Like [`send`](Self::send), with the one-click unsubscribe URL (`https://…/unsubscribe/…`)
    /// in the RFC 8058 headers when given.
    pub async fn send_with(
        &self,
        to: &str,
        subject: &str,
        body: String,
        unsubscribe: Option<&str>,
    ) -> Result<(), String> {
        let message = self
            .builder(to, subject, unsubscribe)?
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        self.deliver(message).await
    }

    /// Sends a message with a plain-text and an HTML part, the HTML showing `images`
    /// (PNG bytes) inline by their content ids (`cid:<id>`).
    pub async fn send_rich(
        &self,
        to: &str,
        subject: &str,
        text: String,
        html: String,
        images: Vec<(String, Vec<u8>)>,
    ) -> Result<(), String> {
        self.send_rich_with(to, subject, text, html, images, None)
            .await
    }

    /// Like [`send_rich`](Self::send_rich), with the one-click unsubscribe URL.
    pub async fn send_rich_with(
        &self,
        to: &str,
        subject: &str,
        text: String,
        html: String,
        images: Vec<(String, Vec<u8>)>,
        unsubscribe: Option<&str>,
    ) -> Result<(), String> {
        let png = ContentType::parse("image/png").map_err(|e| format!("content type: {e}"))?;
        let mut related = MultiPart::related().singlepart(SinglePart::html(html));
        for (cid, bytes) in images {
            related = related.singlepart(Attachment::new_inline(cid).body(bytes, png.clone()));
        }
        let message = self
            .builder(to, subject, unsubscribe)?
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(text))
                    .multipart(related),
            )
            .map_err(|e| format!("message: {e}"))?;
        self.deliver(message).await
    }

    fn builder(
        &self,
        to: &str,
        subject: &str,
        unsubscribe: Option<&str>,
    ) -> Result<lettre::message::MessageBuilder, String> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| format!("recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        if let Some(url) = unsubscribe {
            // A URL with a space or angle bracket would break the header: never sent so.
            if url.is_empty() || url.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
                return Err("unsubscribe URL is not usable".into());
            }
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        Ok(builder)
    }

    async fn deliver(&self, message: Message) -> Result<(), String> {
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}
