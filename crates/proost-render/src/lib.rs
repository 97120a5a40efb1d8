//! Chart images drawn on the server from the same Apache ECharts option JSON the browser
//! draws (chart.js): ECharts' server-side rendering (SVG renderer) in an embedded QuickJS,
//! then the SVG rasterised to PNG with resvg. No browser and no Node at run time.
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
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg;
use rquickjs::{CatchResultExt, CaughtError, Context, Function, Runtime};

/// Largest width or height accepted, in CSS pixels.
pub const MAX_SIZE: u32 = 4000;
/// Largest device pixel ratio of a PNG: 4000 px at 2× is already a 256 MiB pixmap.
pub const MAX_SCALE: f32 = 4.0;
const MAX_PIXELS: u64 = (MAX_SIZE as u64 * 2) * (MAX_SIZE as u64 * 2);

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
    #[error("chart size {width}×{height} is over the {MAX_SIZE} px limit")]
    TooLarge { width: u32, height: u32 },
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
}

impl RenderError {
    /// Stable code for API responses and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "chart_too_large",
            Self::InvalidSize { .. } => "chart_invalid_size",
            Self::Script(_) => "chart_render_failed",
            Self::Timeout => "chart_render_timeout",
            Self::OutOfMemory => "chart_render_out_of_memory",
            Self::Raster(_) => "chart_raster_failed",
            Self::Unavailable(_) => "chart_renderer_unavailable",
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
            return Err(RenderError::TooLarge { width, height });
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
            return Err(RenderError::TooLarge { width, height });
        }
        let opt = usvg::Options {
            font_family: self.fonts.sans.clone(),
            fontdb: self.fonts.db.clone(),
            ..Default::default()
        };
        let raster = |e: &dyn std::fmt::Display| RenderError::Raster(e.to_string());
        let tree = usvg::Tree::from_str(&svg, &opt).map_err(|e| raster(&e))?;
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
