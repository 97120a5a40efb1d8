//! The email of a subscription: a plain-text part and an HTML part with each chart as an
//! inline PNG drawn on the server from the same options the browser draws
//! ([`super::images`]), numbers as numbers and tables as the first rows.

use serde_json::Value;

/// `(title, answer or error)` per question or card.
pub type Part = (String, Result<Value, String>);

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

const ROWS: usize = 20;

/// Text, HTML and the inline images (content id, PNG) of one email.
pub fn compose(
    title: &str,
    open: &str,
    unsubscribe: &str,
    parts: &[Part],
) -> (String, String, Vec<(String, Vec<u8>)>) {
    let mut text = format!("{title}\n\nOpen it in Proost: {open}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html><body style=\"font-family:system-ui,sans-serif;color:#1f2933\"><h1 style=\"font-size:20px\">{}</h1>",
        esc(title)
    );
    let mut images = Vec::new();
    for (i, (name, answer)) in parts.iter().enumerate() {
        text.push_str(&format!("{name}\n"));
        html.push_str(&format!(
            "<h2 style=\"font-size:16px;margin-top:24px\">{}</h2>",
            esc(name)
        ));
        let body = match answer {
            Ok(b) => b,
            Err(e) => {
                text.push_str(&format!("  (not available: {e})\n\n"));
                html.push_str(&format!(
                    "<p style=\"color:#b42318\">Not available: {}</p>",
                    esc(e)
                ));
                continue;
            }
        };
        let chart = &body["chart"];
        match chart["kind"].as_str() {
            Some("echarts") => {
                let description = chart["description"].as_str().unwrap_or(name);
                match super::images::png(&chart["option"], 640, 360) {
                    Ok(png) => {
                        let cid = format!("chart-{i}");
                        html.push_str(&format!(
                            "<img src=\"cid:{cid}\" width=\"640\" height=\"360\" alt=\"{}\">",
                            esc(description)
                        ));
                        images.push((cid, png));
                    }
                    Err(e) => {
                        tracing::warn!(code = e.code, "chart image not drawn");
                        html.push_str(&format!("<p>{}</p>", esc(description)));
                    }
                }
                text.push_str(&format!("  {description}\n"));
            }
            Some("number") => {
                let v = cell(&chart["value"]);
                let label = chart["label"].as_str().unwrap_or_default();
                text.push_str(&format!("  {v} {label}\n"));
                html.push_str(&format!(
                    "<p style=\"font-size:32px;font-weight:700;margin:4px 0\">{}</p><p style=\"color:#52606d\">{}</p>",
                    esc(&v),
                    esc(label)
                ));
            }
            _ => {}
        }
        if !matches!(chart["kind"].as_str(), Some("echarts") | Some("number")) {
            let columns: Vec<String> = body["columns"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default();
            let rows: Vec<&Value> = body["rows"]
                .as_array()
                .map(|r| r.iter().take(ROWS).collect())
                .unwrap_or_default();
            html.push_str("<table style=\"border-collapse:collapse;font-size:13px\"><tr>");
            for c in &columns {
                html.push_str(&format!("<th style=\"text-align:left;border-bottom:1px solid #ccd;padding:4px 8px\">{}</th>", esc(c)));
            }
            html.push_str("</tr>");
            text.push_str(&format!("  {}\n", columns.join(" | ")));
            for r in &rows {
                let cells: Vec<String> = r
                    .as_array()
                    .map(|c| c.iter().map(cell).collect())
                    .unwrap_or_default();
                text.push_str(&format!("  {}\n", cells.join(" | ")));
                html.push_str("<tr>");
                for c in &cells {
                    html.push_str(&format!(
                        "<td style=\"border-bottom:1px solid #eef;padding:4px 8px\">{}</td>",
                        esc(c)
                    ));
                }
                html.push_str("</tr>");
            }
            html.push_str("</table>");
            let total = body["row_count"].as_u64().unwrap_or(0) as usize;
            if total > ROWS {
                text.push_str(&format!("  … {} more rows\n", total - ROWS));
                html.push_str(&format!(
                    "<p style=\"color:#52606d\">… {} more rows</p>",
                    total - ROWS
                ));
            }
        }
        text.push('\n');
    }
    text.push_str(&format!("Unsubscribe (one click): {unsubscribe}\n"));
    html.push_str(&format!(
        "<p style=\"margin-top:32px;font-size:12px;color:#52606d\"><a href=\"{}\">Open it in Proost</a> · <a href=\"{}\">Unsubscribe</a></p></body></html>",
        esc(open),
        esc(unsubscribe)
    ));
    (text, html, images)
}
