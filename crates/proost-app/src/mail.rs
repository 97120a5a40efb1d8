//! Outgoing email (invites), through lettre's SMTP client. Off unless `--smtp-url` is set;
//! without it, an admin hands invite links over themselves.

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
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
        let message = self
            .builder(to, subject)?
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
        let png = ContentType::parse("image/png").map_err(|e| format!("content type: {e}"))?;
        let mut related = MultiPart::related().singlepart(SinglePart::html(html));
        for (cid, bytes) in images {
            related = related.singlepart(Attachment::new_inline(cid).body(bytes, png.clone()));
        }
        let message = self
            .builder(to, subject)?
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(text))
                    .multipart(related),
            )
            .map_err(|e| format!("message: {e}"))?;
        self.deliver(message).await
    }

    fn builder(&self, to: &str, subject: &str) -> Result<lettre::message::MessageBuilder, String> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| format!("recipient: {e}"))?;
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject))
    }

    async fn deliver(&self, message: Message) -> Result<(), String> {
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}
