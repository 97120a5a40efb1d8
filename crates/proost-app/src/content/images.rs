//! Chart images drawn on the server from the same ECharts options the browser draws
//! (`proost-render`: ECharts' own SVG renderer in QuickJS, rasterised by resvg). One
//! renderer per process, started on first use. Blocking: call from blocking threads.

use std::sync::OnceLock;

use serde_json::Value;

use crate::{Error, Kind, Result};

fn renderer() -> Result<&'static proost_render::Renderer> {
    static RENDERER: OnceLock<Result<proost_render::Renderer, String>> = OnceLock::new();
    match RENDERER.get_or_init(|| proost_render::Renderer::new().map_err(|e| e.to_string())) {
        Ok(r) => Ok(r),
        Err(e) => Err(Error::new(
            Kind::Internal,
            "chart_renderer_unavailable",
            format!("chart images cannot be drawn: {e}"),
        )),
    }
}

fn failed(e: proost_render::RenderError) -> Error {
    let kind = match e.code() {
        "chart_too_large" | "chart_invalid_size" => Kind::Invalid,
        "chart_render_timeout" => Kind::Timeout,
        "chart_render_out_of_memory" => Kind::TooLarge,
        _ => Kind::Internal,
    };
    Error::new(kind, e.code(), e.to_string())
}

/// A PNG of the chart, `width`×`height` CSS pixels at twice the density (crisp in email).
pub fn png(option: &Value, width: u32, height: u32) -> Result<Vec<u8>> {
    renderer()?.png(option, width, height, 2.0).map_err(failed)
}

/// The chart as SVG text.
pub fn svg(option: &Value, width: u32, height: u32) -> Result<String> {
    renderer()?.svg(option, width, height).map_err(failed)
}

/// A PDF of whole pages, each an SVG document (charts from [`svg`] nested in it).
pub fn pdf(title: &str, pages: Vec<proost_render::PdfPage>) -> Result<Vec<u8>> {
    renderer()?.pdf(title, &pages).map_err(failed)
}
