//! A dashboard as a PDF, drawn as the caller sees it: every card run with the caller's own
//! grants, masks and row policies (the same batched run as the page), laid out on the same
//! 24-column grid, charts drawn by the same ECharts options as the browser (proost-render's
//! SVG, kept as vectors), tables, numbers and text as real, searchable text. One page per
//! tab, broken between cards (never through one) at about an A4 landscape page.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::dashboards::{self, Card, DashboardDoc, DashboardRun};
use super::{Level, Shelf, images};
use crate::{Actor, App, Error, Result};

/// A4 landscape at 96 px per inch.
const PAGE_W: f64 = 1123.0;
const PAGE_H: f64 = 794.0;
const MARGIN: f64 = 36.0;
const GAP: f64 = 12.0;
const ROW: f64 = 44.0;
const HEADER: f64 = 64.0;
const TITLE: f64 = 26.0;
/// The page's font stack, as the charts name it.
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const INK: &str = "#1f2933";
const MUTED: &str = "#52606d";

/// The PDF of dashboard `id` with `filters` applied, and its name (for the file name).
/// An audit entry, like every export.
pub async fn dashboard(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    filters: &Map<String, Value>,
) -> Result<(String, Vec<u8>)> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("dashboard", id, Level::View)?;
    let doc: DashboardDoc = serde_json::from_str(&c.body).map_err(Error::internal)?;
    let answers = dashboards::run_on(
        app,
        actor,
        &shelf,
        id,
        &DashboardRun {
            filters: filters.clone(),
            cards: None,
        },
    )
    .await?;
    let mut by_card: HashMap<String, Value> = HashMap::new();
    for a in answers.cards {
        if let Some(card) = a["card"].as_str() {
            by_card.insert(card.to_string(), a);
        }
    }
    let names: HashMap<String, String> = doc
        .cards
        .iter()
        .filter_map(|c| c.question.as_ref())
        .filter_map(|q| shelf.contents.get(q).map(|c| (q.clone(), c.name.clone())))
        .collect();
    let at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let applied: Vec<String> = doc
        .filters
        .iter()
        .filter_map(|f| {
            let v = filters.get(&f.name).or(f.default.as_ref())?;
            (!v.is_null()).then(|| format!("{} = {}", f.name, plain(v)))
        })
        .collect();
    let title = doc.name.clone();
    let rows: u64 = by_card
        .values()
        .filter_map(|a| a["result"]["row_count"].as_u64())
        .sum();
    let pdf = tokio::task::spawn_blocking(move || {
        let pages = layout(&doc);
        let total = pages.len();
        let mut out = Vec::new();
        for (n, page) in pages.iter().enumerate() {
            let mut head = format!("{} · page {} of {total} · {at}", doc.name, n + 1);
            if let Some(tab) = &page.tab {
                head = format!("{tab} · {head}");
            }
            if !applied.is_empty() {
                head.push_str(&format!(" · {}", applied.join(", ")));
            }
            out.push(draw_page(&doc, page, &head, &by_card, &names)?);
        }
        images::pdf(&doc.name, out)
    })
    .await
    .map_err(Error::internal)??;
    app.audit(
        Some(&actor.user.id),
        "dashboard.export",
        Some(id),
        &json!({"format": "pdf", "rows": rows, "filters": filters.keys().collect::<Vec<_>>()}),
    )
    .await?;
    Ok((title, pdf))
}

/// The cards of one page, and where the page starts on the grid (in rows).
struct Page {
    tab: Option<String>,
    top: u32,
    bottom: u32,
    cards: Vec<usize>,
}

/// One group of pages per tab (cards without a tab are on every tab), each broken before
/// the first card that would run past an A4 page; a page holds whole cards only.
fn layout(doc: &DashboardDoc) -> Vec<Page> {
    let tabs: Vec<Option<String>> = if doc.tabs.is_empty() {
        vec![None]
    } else {
        doc.tabs.iter().cloned().map(Some).collect()
    };
    let fits = ((PAGE_H - HEADER - MARGIN) / ROW).floor() as u32;
    let mut pages = Vec::new();
    for tab in tabs {
        let mut cards: Vec<usize> = (0..doc.cards.len())
            .filter(|i| {
                let t = &doc.cards[*i].tab;
                t.is_none() || tab.is_none() || *t == tab
            })
            .collect();
        cards.sort_by_key(|i| (doc.cards[*i].y, doc.cards[*i].x));
        let mut page: Option<Page> = None;
        for i in cards {
            let c = &doc.cards[i];
            // Only where no card above crosses the line, and only when this one would not fit.
            let breaks = page
                .as_ref()
                .is_some_and(|p| c.y + c.h > p.top + fits && c.y >= p.bottom);
            if breaks && let Some(done) = page.take() {
                pages.push(done);
            }
            let p = page.get_or_insert_with(|| Page {
                tab: tab.clone(),
                top: c.y,
                bottom: c.y,
                cards: Vec::new(),
            });
            p.bottom = p.bottom.max(c.y + c.h);
            p.cards.push(i);
        }
        if let Some(done) = page.take() {
            pages.push(done);
        }
    }
    if pages.is_empty() {
        pages.push(Page {
            tab: None,
            top: 0,
            bottom: 0,
            cards: Vec::new(),
        });
    }
    pages
}

fn draw_page(
    doc: &DashboardDoc,
    page: &Page,
    head: &str,
    answers: &HashMap<String, Value>,
    names: &HashMap<String, String>,
) -> Result<proost_render::PdfPage> {
    let pitch = (PAGE_W - 2.0 * MARGIN + GAP) / 24.0;
    let height = (HEADER + f64::from(page.bottom - page.top) * ROW + MARGIN).max(PAGE_H);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W}" height="{height}" viewBox="0 0 {PAGE_W} {height}" font-family="{FONT}"><rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    text(&mut svg, MARGIN, 34.0, 20.0, "bold", INK, &doc.name);
    text(&mut svg, MARGIN, 52.0, 11.0, "normal", MUTED, head);
    for &i in &page.cards {
        let card = &doc.cards[i];
        let x = MARGIN + f64::from(card.x) * pitch;
        let y = HEADER + f64::from(card.y - page.top) * ROW;
        let w = f64::from(card.w) * pitch - GAP;
        let h = f64::from(card.h) * ROW - GAP;
        draw_card(&mut svg, i, card, (x, y, w, h), answers, names)?;
    }
    svg.push_str("</svg>");
    Ok(proost_render::PdfPage {
        width: PAGE_W as f32,
        height: height as f32,
        svg,
    })
}

fn draw_card(
    svg: &mut String,
    i: usize,
    card: &Card,
    (x, y, w, h): (f64, f64, f64, f64),
    answers: &HashMap<String, Value>,
    names: &HashMap<String, String>,
) -> Result<()> {
    if let Some(heading) = &card.heading {
        text(svg, x, y + 24.0, 18.0, "bold", INK, heading);
        return Ok(());
    }
    let _ = write!(
        svg,
        r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#ffffff" stroke="#d9e2ec"/>"##
    );
    if let Some(t) = &card.text {
        let size = 12.0;
        let lines = wrap(t, ((w - 24.0) / (size * 0.55)).max(8.0) as usize);
        let fit = ((h - 16.0) / (size * 1.4)).max(1.0) as usize;
        for (n, line) in lines.iter().take(fit).enumerate() {
            text(
                svg,
                x + 12.0,
                y + 22.0 + n as f64 * size * 1.4,
                size,
                "normal",
                INK,
                line,
            );
        }
        return Ok(());
    }
    let name = card
        .question
        .as_ref()
        .and_then(|q| names.get(q))
        .map(String::as_str)
        .unwrap_or("Question");
    text(
        svg,
        x + 12.0,
        y + 20.0,
        13.0,
        "bold",
        INK,
        &clip(name, chars_in(w - 24.0, 13.0)),
    );
    let (bx, by, bw, bh) = (x + 8.0, y + TITLE + 4.0, w - 16.0, h - TITLE - 12.0);
    let answer = answers.get(&DashboardDoc::card_id(i, card));
    let Some(result) = answer.and_then(|a| a.get("result")) else {
        let message = answer
            .and_then(|a| a["error"]["message"].as_str())
            .unwrap_or("not run");
        let code = answer
            .and_then(|a| a["error"]["code"].as_str())
            .unwrap_or("");
        text(
            svg,
            bx + 4.0,
            by + 16.0,
            11.0,
            "normal",
            "#b42318",
            &clip(&format!("{message} ({code})"), chars_in(bw, 11.0)),
        );
        return Ok(());
    };
    let chart = &result["chart"];
    match chart["kind"].as_str() {
        Some("echarts") if bw >= 40.0 && bh >= 40.0 => {
            let drawn = images::svg(&chart["option"], bw as u32, bh as u32)?;
            nest(svg, &drawn, bx, by);
        }
        Some("number") => number(svg, chart, bx, by, bw, bh),
        Some("pivot") => {
            let mut columns: Vec<String> = strings(&chart["row_headers"]);
            columns.extend(strings(&chart["column_headers"]));
            let rows: Vec<Vec<Value>> = chart["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let mut row: Vec<Value> = r["keys"].as_array().cloned().unwrap_or_default();
                    row.extend(r["cells"].as_array().cloned().unwrap_or_default());
                    row
                })
                .collect();
            table(svg, &columns, &rows, bx, by, bw, bh);
        }
        _ => {
            let columns: Vec<String> = result["columns"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["name"].as_str().unwrap_or("").to_string())
                .collect();
            let rows: Vec<Vec<Value>> = result["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| r.as_array().cloned().unwrap_or_default())
                .collect();
            table(svg, &columns, &rows, bx, by, bw, bh);
        }
    }
    Ok(())
}

/// Puts a chart's own `<svg>` document at (x, y) inside the page.
fn nest(svg: &mut String, drawn: &str, x: f64, y: f64) {
    let body = match drawn.find("<svg") {
        Some(at) => &drawn[at + 4..],
        None => return,
    };
    let _ = write!(svg, r#"<svg x="{x}" y="{y}"{body}"#);
}

fn number(svg: &mut String, chart: &Value, x: f64, y: f64, w: f64, h: f64) {
    let value = plain(&chart["value"]);
    let size = (h * 0.45).clamp(14.0, 48.0);
    text(
        svg,
        x + 4.0,
        y + size + 4.0,
        size,
        "bold",
        INK,
        &clip(&value, chars_in(w, size)),
    );
    let mut line = chart["label"].as_str().unwrap_or("").to_string();
    if let Some(change) = chart["change"].as_f64() {
        let arrow = if change >= 0.0 { "▲" } else { "▼" };
        let _ = write!(line, "  {arrow} {:.1}% vs previous", change * 100.0);
    }
    text(
        svg,
        x + 4.0,
        y + size + 22.0,
        11.0,
        "normal",
        MUTED,
        &clip(&line, chars_in(w, 11.0)),
    );
}

/// Rows as text, as many as fit; a note says how many more there are.
fn table(
    svg: &mut String,
    columns: &[String],
    rows: &[Vec<Value>],
    x: f64,
    y: f64,
    w: f64,
    h: f64,
) {
    if columns.is_empty() {
        return;
    }
    let size = 10.0;
    let line = 15.0;
    let col_w = w / columns.len() as f64;
    let chars = chars_in(col_w - 6.0, size);
    for (j, c) in columns.iter().enumerate() {
        text(
            svg,
            x + 4.0 + j as f64 * col_w,
            y + 12.0,
            size,
            "bold",
            INK,
            &clip(c, chars),
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="{x}" y1="{}" x2="{}" y2="{}" stroke="#d9e2ec"/>"##,
        y + 17.0,
        x + w,
        y + 17.0
    );
    let fit = (((h - 34.0) / line).floor().max(0.0)) as usize;
    for (n, row) in rows.iter().take(fit).enumerate() {
        let ty = y + 17.0 + line * (n as f64 + 1.0);
        for (j, v) in row.iter().enumerate().take(columns.len()) {
            text(
                svg,
                x + 4.0 + j as f64 * col_w,
                ty,
                size,
                "normal",
                INK,
                &clip(&plain(v), chars),
            );
        }
    }
    if rows.len() > fit {
        let more = rows.len() - fit;
        text(
            svg,
            x + 4.0,
            y + h - 4.0,
            size,
            "normal",
            MUTED,
            &format!("… {more} more rows (export CSV or XLSX for all)"),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn text(svg: &mut String, x: f64, y: f64, size: f64, weight: &str, fill: &str, s: &str) {
    let _ = write!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" font-weight="{weight}" fill="{fill}">{}</text>"#,
        escape(s)
    );
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().map(plain).collect()
}

/// A value as a cell shows it.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() != 0.0 => format!("{f:.2}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn chars_in(width: f64, size: f64) -> usize {
    (width / (size * 0.58)).max(1.0) as usize
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Text for XML: the five special characters escaped, characters XML cannot hold dropped
/// (a NUL in a data value must not break the page).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("a<b & \"c\"\u{0}'d'\n"),
            "a&lt;b &amp; &quot;c&quot;&apos;d&apos; "
        );
    }

    #[test]
    fn pages_break_between_cards_never_through_one() {
        let card = |y: u32, h: u32| Card {
            id: None,
            question: None,
            text: Some("t".into()),
            heading: None,
            x: 0,
            y,
            w: 24,
            h,
            tab: None,
            click: None,
        };
        let doc = DashboardDoc {
            name: "D".into(),
            description: String::new(),
            collection: None,
            cards: vec![card(0, 6), card(6, 6), card(12, 6), card(18, 30)],
            filters: Vec::new(),
            tabs: Vec::new(),
            annotations: Vec::new(),
            refresh_seconds: None,
        };
        let pages = layout(&doc);
        let spans: Vec<(u32, u32, usize)> = pages
            .iter()
            .map(|p| (p.top, p.bottom, p.cards.len()))
            .collect();
        // 15 rows fit on a page: rows 0–12, then 12–18, then the tall card alone.
        assert_eq!(spans, [(0, 12, 2), (12, 18, 1), (18, 48, 1)]);
    }
}
