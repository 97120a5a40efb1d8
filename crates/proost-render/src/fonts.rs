//! The fonts resvg draws labels with, and the text measuring ECharts lays them out with.
//!
//! Without a canvas, ECharts sizes text from a built-in table of Arial widths (1 em for
//! anything outside ASCII); drawn in a wider face, legends then run into each other and
//! slanted labels into the axis name. So ECharts measures with the very face resvg will pick.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use resvg::usvg::fontdb::{self, Database, Family, ID, Query, Source, Style, Weight};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Always loaded, so no label is dropped on a host without fonts, and the face for glyphs
/// the chosen one lacks. DejaVu's licence (Bitstream Vera, fonts/LICENSE-DejaVu.txt)
/// allows redistributing it inside software.
const DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

pub(crate) struct Fonts {
    pub db: Arc<Database>,
    /// The family `sans-serif` stands for.
    pub sans: String,
    fallback: ID,
}

impl Fonts {
    /// System fonts (fontconfig's folders) plus the embedded DejaVu Sans. `sans-serif` is an
    /// Arial-metric face where there is one (the charts were designed in browsers, mostly on
    /// Arial or Helvetica), else DejaVu Sans.
    pub fn load() -> Fonts {
        let mut db = Database::new();
        db.load_system_fonts();
        let fallback = db.load_font_source(Source::Binary(Arc::new(DEJAVU_SANS)))[0];
        let has = |name: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n == name))
        };
        let first = |names: &[&'static str]| names.iter().copied().find(|n| has(n));
        let sans =
            first(&["Liberation Sans", "Arimo", "Arial", "Helvetica"]).unwrap_or("DejaVu Sans");
        // usvg falls back to `serif` when no family of a text is found: make it a real face.
        let serif = first(&["Liberation Serif", "DejaVu Serif", "Times New Roman"]).unwrap_or(sans);
        let mono = first(&["Liberation Mono", "DejaVu Sans Mono"]).unwrap_or(sans);
        db.set_sans_serif_family(sans);
        db.set_serif_family(serif);
        db.set_monospace_family(mono);
        Fonts {
            db: Arc::new(db),
            sans: sans.to_string(),
            fallback,
        }
    }
}

/// Widths of text in a CSS `font` (what zrender passes), on the engine thread.
pub(crate) struct Measure {
    fonts: Arc<Fonts>,
    resolved: HashMap<String, (ID, f32)>,
    data: HashMap<ID, Rc<(Vec<u8>, u32)>>,
}

impl Measure {
    pub fn new(fonts: Arc<Fonts>) -> Measure {
        Measure {
            fonts,
            resolved: HashMap::new(),
            data: HashMap::new(),
        }
    }

    pub fn width(&mut self, text: &str, font: &str) -> f64 {
        let (id, size) = match self.resolved.get(font) {
            Some(r) => *r,
            None => {
                let r = self.resolve(font);
                self.resolved.insert(font.to_string(), r);
                r
            }
        };
        let (main, fallback) = (self.face(id), self.face(self.fonts.fallback));
        let faces: Vec<_> = [&main, &fallback]
            .into_iter()
            .flatten()
            .filter_map(|d| FontRef::from_index(&d.0, d.1).ok())
            .map(|f| {
                let metrics = f.glyph_metrics(Size::new(size), LocationRef::default());
                (f.charmap(), metrics)
            })
            .collect();
        text.chars()
            .map(|c| {
                faces
                    .iter()
                    .find_map(|(cmap, m)| cmap.map(c).and_then(|g| m.advance_width(g)))
                    .unwrap_or(size) as f64
            })
            .sum()
    }

    /// The face usvg's default font selector picks for the same family list and weight.
    fn resolve(&self, font: &str) -> (ID, f32) {
        let (size, weight, style, families) = parse_font(font);
        let mut list: Vec<Family> = families
            .iter()
            .map(|f| match f.to_ascii_lowercase().as_str() {
                "serif" => Family::Serif,
                "sans-serif" => Family::SansSerif,
                "monospace" => Family::Monospace,
                "cursive" => Family::Cursive,
                "fantasy" => Family::Fantasy,
                _ => Family::Name(f),
            })
            .collect();
        list.push(Family::Serif);
        let query = Query {
            families: &list,
            weight,
            style,
            stretch: fontdb::Stretch::Normal,
        };
        let id = self.fonts.db.query(&query).unwrap_or(self.fonts.fallback);
        (id, size)
    }

    /// The face's bytes, read once (system fonts are files).
    fn face(&mut self, id: ID) -> Option<Rc<(Vec<u8>, u32)>> {
        if let Some(d) = self.data.get(&id) {
            return Some(d.clone());
        }
        let d = Rc::new(self.fonts.db.with_face_data(id, |d, i| (d.to_vec(), i))?);
        self.data.insert(id, d.clone());
        Some(d)
    }
}

/// Size, weight, style and families of a CSS `font` shorthand such as
/// `italic bold 14px 'Segoe UI', sans-serif`.
fn parse_font(font: &str) -> (f32, Weight, Style, Vec<String>) {
    let (mut size, mut weight, mut style) = (12.0, Weight::NORMAL, Style::Normal);
    let mut rest = font.trim();
    while !rest.is_empty() {
        let (token, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        rest = after.trim_start();
        match token {
            "bold" | "bolder" => weight = Weight::BOLD,
            "lighter" => weight = Weight::LIGHT,
            "italic" => style = Style::Italic,
            "oblique" => style = Style::Oblique,
            t => {
                if let Some(px) = t.strip_suffix("px").and_then(|n| n.parse().ok()) {
                    size = px;
                    break;
                }
                if let Ok(w) = t.parse() {
                    weight = Weight(w);
                }
            }
        }
    }
    let families = rest
        .split(',')
        .map(|f| f.trim().trim_matches(['"', '\'']).to_string())
        .filter(|f| !f.is_empty())
        .collect();
    (size, weight, style, families)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_shorthand() {
        let (size, weight, style, families) =
            parse_font("normal bold 18px system-ui, 'Segoe UI', sans-serif");
        assert_eq!((size, weight, style), (18.0, Weight::BOLD, Style::Normal));
        assert_eq!(families, ["system-ui", "Segoe UI", "sans-serif"]);
        assert_eq!(parse_font("12px").3, Vec::<String>::new());
    }

    #[test]
    fn widths_follow_the_face() {
        let mut m = Measure::new(Arc::new(Fonts::load()));
        let one = m.width("W", "12px sans-serif");
        assert!(one > 6.0 && one < 14.0, "{one}");
        assert!((m.width("WW", "24px sans-serif") - 4.0 * one).abs() < 1e-3);
        assert!(m.width("abc", "bold 12px sans-serif") > m.width("abc", "12px sans-serif"));
        // Outside the chosen face: measured in DejaVu Sans, not dropped.
        assert!(m.width("→", "12px NoSuchFont") > 0.0);
    }
}
