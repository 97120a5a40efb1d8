//! Chart images drawn on the server from the same Apache ECharts option JSON the browser
//! draws (chart.js): ECharts' server-side rendering (SVG renderer) in an embedded QuickJS,
//! then the SVG rasterised to PNG with resvg, or drawn into a PDF with krilla (text stays
//! text there). No browser and no Node at run time.
//!
//! ```no_run
//! let r = proost_render::Renderer::new()?;
//! let option = serde_json::json!({"xAxis": {"type": "category", "data": ["a", "b"]},
//!     "yAxis": {}, "series": [{"type": "bar", "data": [1, 2]}]});
//! let png = r.png(&option, 600, 400, 2.0)?;
//! # Ok::<(), proost_render::RenderError>(())
//! ```

mod fonts;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use fonts::{Fonts, Measure};
use krilla::Document;
use krilla::geom::Size;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg;
use rquickjs::{CatchResultExt, CaughtError, Context, Function, Runtime};

/// Largest width or height accepted, in CSS pixels.
pub const MAX_SIZE: u32 = 4000;
/// Largest device pixel ratio of a PNG: 4000 px at 2× is already a 256 MiB pixmap.
pub const MAX_SCALE: f32 = 4.0;
const MAX_PIXELS: u64 = (MAX_SIZE as u64 * 2) * (MAX_SIZE as u64 * 2);
/// Largest width or height of a PDF page, in CSS pixels (15,000 pt).
pub const MAX_PDF_PAGE_SIZE: f32 = 20_000.0;
/// Most pages in one PDF.
pub const MAX_PDF_PAGES: usize = 100;
/// PDF points per CSS pixel (72 pt and 96 px to the inch).
const PT_PER_PX: f32 = 0.75;

/// ECharts takes ~6 MiB of JS heap once loaded and a typical chart 1–2 MiB more; a 20,000
/// point scatter fits, millions of points do not.
const MEMORY_LIMIT: usize = 256 << 20;
const RENDER_TIMEOUT: Duration = Duration::from_secs(5);
/// Parsing the 1.1 MB bundle; slow only with QuickJS built without optimisation.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

const ECHARTS: &str = include_str!("../../proost-server/src/assets/vendor/echarts.min.js");
const RENDER_JS: &str = include_str!("render.js");

/// The page's font stack (app.css), so the SVG names the fonts the browser uses; resvg
/// resolves it against the fonts it has (fonts.rs). In single quotes: zrender's SSR writes
/// attribute values unescaped, and a `"` would end the `style` attribute it goes in.
const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("size {width}×{height} is over the {limit} px limit")]
    TooLarge { width: u32, height: u32, limit: u32 },
    #[error("{pages} pages is over the {MAX_PDF_PAGES} page limit")]
    TooManyPages { pages: usize },
    #[error("invalid chart size {width}×{height} at scale {scale}")]
    InvalidSize { width: u32, height: u32, scale: f32 },
    #[error("chart could not be drawn: {0}")]
    Script(String),
    #[error("chart took more than {} s to draw", RENDER_TIMEOUT.as_secs())]
    Timeout,
    #[error("chart needed more than {} MiB to draw", MEMORY_LIMIT >> 20)]
    OutOfMemory,
    #[error("chart image could not be rasterised: {0}")]
    Raster(String),
    #[error("chart renderer unavailable: {0}")]
    Unavailable(String),
    #[error("PDF could not be made: {0}")]
    Pdf(String),
}

impl RenderError {
    /// Stable code for API responses and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } | Self::TooManyPages { .. } => "chart_too_large",
            Self::InvalidSize { .. } => "chart_invalid_size",
            Self::Script(_) => "chart_render_failed",
            Self::Timeout => "chart_render_timeout",
            Self::OutOfMemory => "chart_render_out_of_memory",
            Self::Raster(_) => "chart_raster_failed",
            Self::Unavailable(_) => "chart_renderer_unavailable",
            Self::Pdf(_) => "pdf_failed",
        }
    }
}

struct Job {
    option: String,
    width: u32,
    height: u32,
    reply: SyncSender<Result<String, RenderError>>,
}

/// Draws charts. `Send + Sync`: share one in an `Arc`.
///
/// QuickJS is single-threaded (rquickjs' `Runtime` is `!Send` without its `parallel`
/// feature), so the engine lives on a dedicated thread that takes jobs from a channel, one
/// at a time; ECharts is loaded there once and every chart reuses the context. The calls
/// block until their chart is drawn (tens of ms): from async code use `spawn_blocking`.
/// Charts queue for the engine (the time limit counts from the start of each one's own
/// drawing); rasterising runs on the caller's thread, so PNGs are encoded in parallel.
pub struct Renderer {
    jobs: Sender<Job>,
    fonts: Arc<Fonts>,
}

impl Renderer {
    /// Starts the engine thread and loads ECharts (the slow part, done once).
    pub fn new() -> Result<Renderer, RenderError> {
        let fonts = Arc::new(Fonts::load());
        let (jobs, rx) = mpsc::channel();
        let (ready_tx, ready) = mpsc::sync_channel(1);
        let f = fonts.clone();
        thread::Builder::new()
            .name("proost-render".into())
            // QuickJS stops at its own 1 MiB stack limit; room for that plus Rust frames.
            .stack_size(8 << 20)
            .spawn(move || worker(rx, ready_tx, f))
            .map_err(|e| RenderError::Unavailable(e.to_string()))?;
        ready
            .recv()
            .map_err(|_| RenderError::Unavailable("engine thread ended".into()))??;
        Ok(Renderer { jobs, fonts })
    }

    /// SVG text of the chart drawn from `option` (the JSON the browser gets), `width`×`height` px.
    pub fn svg(
        &self,
        option: &serde_json::Value,
        width: u32,
        height: u32,
    ) -> Result<String, RenderError> {
        if width == 0 || height == 0 {
            return Err(RenderError::InvalidSize {
                width,
                height,
                scale: 1.0,
            });
        }
        if width > MAX_SIZE || height > MAX_SIZE {
            return Err(RenderError::TooLarge {
                width,
                height,
                limit: MAX_SIZE,
            });
        }
        let (reply, rx) = mpsc::sync_channel(1);
        let gone = || RenderError::Unavailable("engine thread ended".into());
        self.jobs
            .send(Job {
                option: option.to_string(),
                width,
                height,
                reply,
            })
            .map_err(|_| gone())?;
        let svg = rx.recv().map_err(|_| gone())??;
        // zrender 6.1 does not escape attribute values (text content it does): a `"` in a
        // colour or font family from the option would give a broken document. Option strings
        // that reach attributes must come from the server; this catches the slip.
        usvg::roxmltree::Document::parse(&svg)
            .map_err(|e| RenderError::Script(format!("malformed SVG: {e}")))?;
        Ok(svg)
    }

    /// PNG bytes of the same drawing at `scale` device pixels per CSS pixel (2 for crisp
    /// email images), on white.
    pub fn png(
        &self,
        option: &serde_json::Value,
        width: u32,
        height: u32,
        scale: f32,
    ) -> Result<Vec<u8>, RenderError> {
        let invalid = || RenderError::InvalidSize {
            width,
            height,
            scale,
        };
        if !(scale > 0.0 && scale <= MAX_SCALE) {
            return Err(invalid());
        }
        let svg = self.svg(option, width, height)?;
        let (pw, ph) = (
            (width as f32 * scale).round() as u32,
            (height as f32 * scale).round() as u32,
        );
        if pw as u64 * ph as u64 > MAX_PIXELS {
            return Err(RenderError::TooLarge {
                width,
                height,
                limit: MAX_SIZE,
            });
        }
        let raster = |e: &dyn std::fmt::Display| RenderError::Raster(e.to_string());
        let tree = usvg::Tree::from_str(&svg, &self.usvg_options()).map_err(|e| raster(&e))?;
        let mut pixmap = Pixmap::new(pw, ph).ok_or_else(invalid)?;
        // Opaque: a transparent PNG shows black text on a dark mail client's background.
        pixmap.fill(Color::WHITE);
        resvg::render(
            &tree,
            Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| raster(&e))
    }

    /// A PDF document titled `title`, one page per [`PdfPage`] (1 CSS px = 0.75 pt). Text
    /// stays text (fonts subset and embedded), so it can be searched and copied; the rest is
    /// vector drawing. No JavaScript runs here: draw the charts with [`Renderer::svg`] first.
    ///
    /// At most [`MAX_PDF_PAGES`] pages of at most [`MAX_PDF_PAGE_SIZE`] px a side; no pages
    /// give one blank page.
    pub fn pdf(&self, title: &str, pages: &[PdfPage]) -> Result<Vec<u8>, RenderError> {
        if pages.len() > MAX_PDF_PAGES {
            return Err(RenderError::TooManyPages { pages: pages.len() });
        }
        for p in pages {
            // For the messages: whole pixels, rounded away from the limit.
            let (width, height) = (p.width.ceil() as u32, p.height.ceil() as u32);
            if !(p.width > 0.0 && p.height > 0.0) {
                return Err(RenderError::InvalidSize {
                    width,
                    height,
                    scale: 1.0,
                });
            }
            if p.width > MAX_PDF_PAGE_SIZE || p.height > MAX_PDF_PAGE_SIZE {
                return Err(RenderError::TooLarge {
                    width,
                    height,
                    limit: MAX_PDF_PAGE_SIZE as u32,
                });
            }
        }
        let opt = self.usvg_options();
        let settings = SvgSettings {
            // Glyphs with the text they stand for (ToUnicode), not outlines.
            embed_text: true,
            ..SvgSettings::default()
        };
        let mut doc = Document::new();
        doc.set_metadata(Metadata::new().title(title.to_string()));
        for (i, p) in pages.iter().enumerate() {
            let pdf = |e: &dyn std::fmt::Display| RenderError::Pdf(format!("page {}: {e}", i + 1));
            let tree = usvg::Tree::from_str(&p.svg, &opt).map_err(|e| pdf(&e))?;
            let page_size = Size::from_wh(p.width * PT_PER_PX, p.height * PT_PER_PX);
            // The SVG at its own size, from the top left; what overflows the page is cut.
            let svg_size = Size::from_wh(
                tree.size().width() * PT_PER_PX,
                tree.size().height() * PT_PER_PX,
            );
            let (Some(page_size), Some(svg_size)) = (page_size, svg_size) else {
                return Err(pdf(&"empty page"));
            };
            let mut page = doc.start_page_with(PageSettings::new(page_size));
            let mut surface = page.surface();
            surface.draw_svg(&tree, svg_size, settings);
            surface.finish();
            page.finish();
        }
        doc.finish().map_err(|e| RenderError::Pdf(e.to_string()))
    }

    /// How usvg reads the charts' SVG: fonts as fonts.rs chose them, so text is drawn in
    /// the face ECharts measured it in.
    fn usvg_options(&self) -> usvg::Options<'static> {
        usvg::Options {
            font_family: self.fonts.sans.clone(),
            fontdb: self.fonts.db.clone(),
            ..Default::default()
        }
    }
}

/// One PDF page: a complete SVG document `width`×`height` CSS px (1 px = 0.75 pt).
///
/// It may nest charts from [`Renderer::svg`] as `<svg x=".." y=".." width=".."
/// height="..">` elements (without their `<?xml …?>` prolog) beside its own `<text>`;
/// text without a `font-family` is drawn in the charts' sans-serif face. The SVG is drawn
/// at its own `width`×`height` from the page's top left, so give it the page's size.
#[derive(Debug, Clone)]
pub struct PdfPage {
    pub width: f32,
    pub height: f32,
    pub svg: String,
}

/// QuickJS with ECharts loaded, on the engine thread.
struct Engine {
    ctx: Context,
    /// Read by the interrupt handler: past it, QuickJS stops with an uncatchable error.
    deadline: Rc<Cell<Option<Instant>>>,
}

impl Engine {
    fn new(fonts: &Arc<Fonts>) -> Result<Engine, RenderError> {
        let fail = |e: rquickjs::Error| RenderError::Unavailable(e.to_string());
        let rt = Runtime::new().map_err(fail)?;
        rt.set_memory_limit(MEMORY_LIMIT);
        let deadline = Rc::new(Cell::new(Some(Instant::now() + LOAD_TIMEOUT)));
        let d = deadline.clone();
        rt.set_interrupt_handler(Some(Box::new(move || {
            d.get().is_some_and(|t| Instant::now() >= t)
        })));
        let ctx = Context::full(&rt).map_err(fail)?;
        let measure = RefCell::new(Measure::new(fonts.clone()));
        ctx.with(|ctx| {
            let f = Function::new(ctx.clone(), move |text: String, font: String| {
                measure.borrow_mut().width(&text, &font)
            });
            f.and_then(|f| ctx.globals().set("proostMeasureText", f))
                .and_then(|()| ctx.eval::<(), _>(ECHARTS))
                .and_then(|()| ctx.eval::<(), _>(RENDER_JS))
                .catch(&ctx)
                .map_err(|e| RenderError::Unavailable(format!("loading ECharts: {e}")))
        })?;
        deadline.set(None);
        Ok(Engine { ctx, deadline })
    }

    fn render(&self, job: &Job) -> Result<String, RenderError> {
        let deadline = Instant::now() + RENDER_TIMEOUT;
        self.deadline.set(Some(deadline));
        let result = self.ctx.with(|ctx| {
            let message = |e: CaughtError| match e {
                CaughtError::Exception(x) => x.message().unwrap_or_default(),
                // QuickJS throws null when even the "out of memory" error cannot be allocated.
                CaughtError::Value(v) if v.is_null() => "out of memory".into(),
                e => e.to_string(),
            };
            let render: Function = ctx
                .globals()
                .get("proostRender")
                .catch(&ctx)
                .map_err(message)?;
            // The option goes in as a string and is JSON.parse'd in JS: never as source text.
            render
                .call::<_, String>((job.option.as_str(), job.width, job.height, FONT_FAMILY))
                .catch(&ctx)
                .map_err(message)
        });
        self.deadline.set(None);
        result.map_err(|message| {
            if Instant::now() >= deadline {
                RenderError::Timeout
            } else if message.contains("out of memory") {
                RenderError::OutOfMemory
            } else {
                RenderError::Script(message)
            }
        })
    }
}

fn worker(jobs: Receiver<Job>, ready: SyncSender<Result<(), RenderError>>, fonts: Arc<Fonts>) {
    let mut engine = match Engine::new(&fonts) {
        Ok(e) => Some(e),
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    for job in jobs {
        let e = match engine.take().map_or_else(|| Engine::new(&fonts), Ok) {
            Ok(e) => e,
            Err(err) => {
                let _ = job.reply.send(Err(err));
                continue;
            }
        };
        let result = e.render(&job);
        // A stopped render leaves its chart undisposed (the interrupt skips JS `finally`)
        // and an exhausted heap may be half-built: start afresh on the next job.
        if !matches!(result, Err(RenderError::Timeout | RenderError::OutOfMemory)) {
            engine = Some(e);
        }
        let _ = job.reply.send(result);
    }
}
