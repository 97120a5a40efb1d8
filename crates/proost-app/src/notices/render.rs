//! The notice's Markdown as HTML that can carry no script: raw HTML in the Markdown is shown
//! as text, link targets other than http(s), mailto and relative ones are dropped, and
//! images become links (a notice loads nothing from elsewhere).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    let scheme_end = u.find(':');
    let first_sep = u.find(['/', '?', '#']);
    match scheme_end {
        // No scheme (a relative link), or the colon comes after a path/query/fragment start.
        None => true,
        Some(c) if first_sep.is_some_and(|s| s < c) => true,
        Some(_) => {
            u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:")
        }
    }
}

fn link(dest: CowStr<'_>, title: CowStr<'_>) -> Tag<'static> {
    let dest = if safe_url(&dest) {
        dest.into_string()
    } else {
        "#".to_string()
    };
    Tag::Link {
        link_type: pulldown_cmark::LinkType::Inline,
        dest_url: dest.into(),
        title: title.into_string().into(),
        id: "".into(),
    }
}

/// Markdown to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|e| -> Event<'_> {
        match e {
            Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
            Event::Start(Tag::Link {
                dest_url, title, ..
            })
            | Event::Start(Tag::Image {
                dest_url, title, ..
            }) => Event::Start(link(dest_url, title)),
            Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
            other => other,
        }
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn raw_html_and_script_links_are_inert() {
        let html = to_html(
            "# Notice\n\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> \
             [a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) ![c](data:text/html,x) \
             [ok](https://example.com/privacy) [rel](/privacy)\n\n<div onclick=\"x()\">d</div>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains("href=\"https://example.com/privacy\""),
            "{html}"
        );
        assert!(html.contains("href=\"/privacy\""), "{html}");
        assert!(html.contains("<h1>Notice</h1>"), "{html}");
    }
}
