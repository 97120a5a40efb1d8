//! Each chart is saved to /tmp/render-<name>.png (and .svg), and the PDF to
//! /tmp/render-report.pdf, to be looked at.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proost_render::{PdfPage, RenderError, Renderer};
use serde_json::{Value, json};

/// One renderer for the whole binary (loading ECharts is the slow part), with its load time.
fn renderer() -> &'static (Renderer, Duration) {
    static R: OnceLock<(Renderer, Duration)> = OnceLock::new();
    R.get_or_init(|| {
        let t = Instant::now();
        let r = Renderer::new().expect("renderer");
        let took = t.elapsed();
        println!("Renderer::new (ECharts loaded): {took:?}");
        (r, took)
    })
}

/// Draws `option` as SVG and PNG at 600×400, 2×, and checks what a reader would see.
fn check(name: &str, option: Value, labels: &[&str]) {
    let (r, _) = renderer();
    let (w, h, scale) = (600, 400, 2.0);
    let svg = r.svg(&option, w, h).expect("svg");
    std::fs::write(format!("/tmp/render-{name}.svg"), &svg).unwrap();
    assert!(svg.contains("<svg"), "{name}: no <svg");
    for l in labels {
        assert!(
            svg.contains(&format!(">{l}<")),
            "{name}: label {l:?} not drawn"
        );
    }

    let png = r.png(&option, w, h, scale).expect("png");
    std::fs::write(format!("/tmp/render-{name}.png"), &png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let dim = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((dim(16), dim(20)), (w * 2, h * 2), "{name}: IHDR size");

    let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let px = &buf[..info.buffer_size()];
    let inked = px.chunks(4).filter(|p| p[..3] != [255, 255, 255]).count();
    let total = px.len() / 4;
    // Something is drawn, and it is not a solid fill.
    assert!(
        inked > total / 100 && inked < total * 9 / 10,
        "{name}: {inked} of {total} pixels not white"
    );
    // Drawn in the page's palette (Okabe–Ito blue, the first series' colour).
    let blue = px
        .chunks(4)
        .filter(|p| p[..3] == [0x00, 0x72, 0xB2])
        .count();
    assert!(blue > 100, "{name}: only {blue} palette-blue pixels");
}

// The options below have the shapes proost-app's content/charts.rs builds.

fn grid(top: u32) -> Value {
    json!({"left": 56, "right": 24, "top": top, "bottom": 48, "containLabel": true})
}

#[test]
fn bar() {
    check(
        "bar",
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": grid(48),
            "xAxis": {"type": "category", "data": ["North", "South", "Zürich", "São Paulo"], "name": "Region",
                      "nameLocation": "middle", "nameGap": 28, "axisLabel": {"interval": 0, "rotate": 0}},
            "yAxis": [{"type": "value", "name": "Revenue"}],
            "series": [{"name": "Revenue", "type": "bar", "data": [120, 200, 150, 80]}]
        }),
        &["North", "South", "Zürich", "São Paulo", "Region", "Revenue"],
    );
}

#[test]
fn line_with_dates() {
    let days: Vec<String> = (1..=14).map(|d| format!("2026-03-{d:02}")).collect();
    let orders: Vec<u32> = (1..=14).map(|d| 40 + (d * 37) % 23).collect();
    let returns: Vec<u32> = (1..=14).map(|d| 5 + (d * 11) % 7).collect();
    check(
        "line",
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": grid(64),
            "legend": {"top": 24, "right": 8},
            // More than 8 categories: slanted, with room for the axis name below them.
            "xAxis": {"type": "category", "data": days, "name": "Day", "nameLocation": "middle",
                      "nameGap": 52, "axisLabel": {"interval": 0, "rotate": 35, "hideOverlap": false}},
            "yAxis": [{"type": "value", "name": "Orders"}],
            "series": [{"name": "Daily orders", "type": "line", "data": orders},
                       {"name": "Returns", "type": "line", "data": returns}]
        }),
        &["2026-03-01", "2026-03-14", "Daily orders", "Returns", "Day"],
    );
}

#[test]
fn pie() {
    check(
        "pie",
        json!({
            "tooltip": {"trigger": "item"},
            "grid": grid(48),
            "series": [{"name": "Visits", "type": "pie", "data": [
                {"name": "Chrome", "value": 64}, {"name": "Safari", "value": 19},
                {"name": "Firefox", "value": 9}, {"name": "Edge", "value": 8}
            ]}]
        }),
        &["Chrome", "Safari", "Firefox", "Edge"],
    );
}

#[test]
fn heatmap() {
    let data: Vec<[u32; 3]> = (0..5)
        .flat_map(|d| (0..4).map(move |h| [h, d, (d * 7 + h * 5) % 20]))
        .collect();
    check(
        "heatmap",
        json!({
            "tooltip": {"trigger": "item"},
            "grid": {"left": 56, "right": 72, "top": 48, "bottom": 48, "containLabel": true},
            "xAxis": {"type": "category", "data": ["9", "12", "15", "18"], "name": "Hour"},
            "yAxis": {"type": "category", "data": ["Mon", "Tue", "Wed", "Thu", "Fri"], "name": "Weekday"},
            "visualMap": {"min": 0, "max": 19, "calculable": true, "orient": "vertical", "right": 0,
                          "top": "middle", "inRange": {"color": ["#f7fbff", "#0072B2"]}},
            "series": [{"name": "Visits", "type": "heatmap", "data": data}]
        }),
        &["Mon", "Fri", "12", "18", "Hour", "Weekday"],
    );
}

#[test]
fn combo_two_axes() {
    check(
        "combo",
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": grid(64),
            "legend": {"top": 24, "right": 8},
            "xAxis": {"type": "category", "data": ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"],
                      "name": "Month", "nameLocation": "middle", "nameGap": 28,
                      "axisLabel": {"interval": 0, "rotate": 0}},
            "yAxis": [{"type": "value", "name": "Revenue"}, {"type": "value", "name": "Margin %"}],
            "series": [
                {"name": "Revenue", "type": "bar", "data": [320, 332, 301, 334, 390, 330]},
                {"name": "Margin %", "type": "line", "yAxisIndex": 1, "data": [12.1, 14.3, 9.8, 15.2, 18.9, 16.0]}
            ]
        }),
        &["2026-01", "2026-06", "Revenue", "Margin %", "Month"],
    );
}

#[test]
fn unknown_series_type_is_an_error() {
    let (r, _) = renderer();
    let option = json!({
        "xAxis": {"type": "category", "data": ["a"]}, "yAxis": {},
        "series": [{"type": "no-such-chart", "data": [1]}]
    });
    let e = r.svg(&option, 600, 400).unwrap_err();
    assert_eq!(e.code(), "chart_render_failed", "{e}");
    // The engine is still usable afterwards.
    r.svg(&json!({"series": []}), 100, 100).unwrap();
}

#[test]
fn text_is_escaped_and_broken_svg_is_refused() {
    let (r, _) = renderer();
    let bar = |x: &str| {
        json!({"xAxis": {"type": "category", "data": [x]}, "yAxis": {},
               "series": [{"type": "bar", "data": [1]}]})
    };
    let svg = r.svg(&bar(r#"A "q" & <b>"#), 300, 200).unwrap();
    assert!(svg.contains("A &quot;q&quot; &amp; &lt;b&gt;"), "{svg}");
    // zrender does not escape attribute values: a `"` in a font family would end the
    // attribute. Refused, not handed on as a broken document.
    let mut o = bar("x");
    o["textStyle"] = json!({"fontFamily": r#""Odd" Font"#});
    assert_eq!(
        r.svg(&o, 300, 200).unwrap_err().code(),
        "chart_render_failed"
    );
}

#[test]
fn oversize_is_refused() {
    let (r, _) = renderer();
    let e = r.svg(&json!({}), 4001, 400).unwrap_err();
    assert!(matches!(e, RenderError::TooLarge { .. }));
    assert_eq!(e.code(), "chart_too_large");
    assert_eq!(
        r.png(&json!({}), 600, 4001, 2.0).unwrap_err().code(),
        "chart_too_large"
    );
    assert_eq!(
        r.png(&json!({}), 600, 400, 0.0).unwrap_err().code(),
        "chart_invalid_size"
    );
}

#[test]
fn renderer_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Renderer>();
}

#[test]
fn twenty_charts_reuse_the_context() {
    // Its own renderer: other tests' charts would queue in front of these.
    let t = Instant::now();
    let r = Renderer::new().unwrap();
    let load = &t.elapsed();
    let option = |i: u32| {
        json!({
            "xAxis": {"type": "category", "data": ["Q1", "Q2", "Q3", "Q4"]},
            "yAxis": {"type": "value"},
            "series": [{"name": "Sales", "type": "bar", "data": [i, i * 2, i * 3, i + 4]}]
        })
    };
    let (mut svg, mut png) = (Duration::ZERO, Duration::ZERO);
    for i in 0..20 {
        let t = Instant::now();
        r.svg(&option(i), 600, 400).unwrap();
        let s = t.elapsed();
        let t = Instant::now();
        r.png(&option(i), 600, 400, 2.0).unwrap();
        let p = t.elapsed();
        println!("chart {i:2}: svg {:6.1} ms, png {:6.1} ms", ms(s), ms(p));
        svg += s;
        png += p;
    }
    println!(
        "mean over 20: svg {:.1} ms, png {:.1} ms (svg + rasterise); ECharts load {:.0} ms",
        ms(svg) / 20.0,
        ms(png) / 20.0,
        ms(*load)
    );
    // Were ECharts loaded per chart, each would take at least the load time.
    assert!(svg / 20 < *load, "svg {svg:?} for 20 vs load {load:?}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A scatter of `n` points: drawn as one SVG element each, so the work grows with `n`.
fn scatter(n: u32) -> Value {
    let data: Vec<[u32; 2]> = (0..n).map(|i| [i, i.wrapping_mul(7919) % 1000]).collect();
    json!({"xAxis": {"type": "value"}, "yAxis": {}, "series": [{"type": "scatter", "data": data}]})
}

#[test]
fn runaway_charts_are_stopped_and_the_engine_recovers() {
    // Its own renderer: the others' charts would wait out the time limit.
    let r = Renderer::new().unwrap();
    // Millions of points overrun the 256 MiB heap quickly.
    let e = r.svg(&scatter(3_000_000), 600, 400).unwrap_err();
    assert_eq!(e.code(), "chart_render_out_of_memory", "{e}");
    r.svg(&json!({"series": []}), 100, 100).unwrap();
    // Tens of thousands fit in memory but take longer than the time limit.
    let t = Instant::now();
    let e = r.svg(&scatter(45_000), 600, 400).unwrap_err();
    assert!(
        matches!(
            e.code(),
            "chart_render_timeout" | "chart_render_out_of_memory"
        ),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(8), "{:?}", t.elapsed());
    r.svg(&json!({"series": []}), 100, 100).unwrap();
}

fn bar_option() -> Value {
    json!({
        "grid": grid(48),
        "xAxis": {"type": "category", "data": ["North", "South", "Zürich"]},
        "yAxis": [{"type": "value", "name": "Revenue"}],
        "series": [{"name": "Revenue", "type": "bar", "data": [120, 200, 150]}]
    })
}

/// A page the way a report composes one: a heading in the page font, a chart nested in it.
fn report_page(r: &Renderer, heading: &str) -> PdfPage {
    let chart = r.svg(&bar_option(), 600, 400).expect("svg");
    let chart = match chart.find("?>") {
        Some(end) if chart.starts_with("<?xml") => chart[end + 2..].trim_start(),
        _ => chart.as_str(),
    };
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="794" height="1123" viewBox="0 0 794 1123">
<text x="48" y="72" font-size="24" font-weight="bold" fill="#111">{heading}</text>
<svg x="48" y="100" width="600" height="400">{chart_body}</svg>
</svg>"##,
        // The chart's own root, placed by the outer one's attributes.
        chart_body = chart
    );
    PdfPage {
        width: 794.0,
        height: 1123.0,
        svg,
    }
}

/// Page objects: `/Type /Page` (any spacing), not `/Type /Pages`.
fn count_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.split("/Type")
        .skip(1)
        .filter(|rest| {
            rest.trim_start()
                .strip_prefix("/Page")
                .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .count()
}

#[test]
fn pdf_two_pages_with_a_chart_and_real_text() {
    let (r, _) = renderer();
    let page1 = report_page(r, "Quarterly revenue by region");
    let page2 = PdfPage {
        width: 794.0,
        height: 1123.0,
        svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="794" height="1123">
<text x="48" y="72" font-size="16">Second page: Zürich &amp; São Paulo</text></svg>"#
            .into(),
    };
    let t = Instant::now();
    let pdf = r
        .pdf("Revenue report", &[page1.clone(), page2])
        .expect("pdf");
    println!("2-page PDF: {} bytes in {:?}", pdf.len(), t.elapsed());
    std::fs::write("/tmp/render-report.pdf", &pdf).unwrap();

    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "no %%EOF");
    assert_eq!(count_pages(&pdf), 2);

    // One chart on one page, for the timing.
    let t = Instant::now();
    let one = r.pdf("One chart", &[report_page(r, "Timing")]).unwrap();
    println!(
        "1-page PDF with one chart (svg + pdf): {} bytes in {:?}",
        one.len(),
        t.elapsed()
    );
    let t = Instant::now();
    r.pdf("One chart", std::slice::from_ref(&page1)).unwrap();
    println!("1-page PDF, pdf() alone: {:?}", t.elapsed());

    // The text is text: extracted as the reader would copy it.
    let text = match std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "/tmp/render-report.pdf", "-"])
        .output()
    {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            println!("pdftotext not found ({e}): text extraction not checked");
            return;
        }
    };
    for expected in [
        "Quarterly revenue by region",
        "North",
        "Zürich",
        "Revenue",
        "Second page: Zürich & São Paulo",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let info = std::process::Command::new("pdfinfo")
        .arg("/tmp/render-report.pdf")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(info.contains("Revenue report"), "title not set:\n{info}");
}

#[test]
fn pdf_limits() {
    let (r, _) = renderer();
    let page = |width: f32, height: f32| PdfPage {
        width,
        height,
        svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.into(),
    };
    for (w, h) in [(0.0, 100.0), (100.0, -1.0), (f32::NAN, 100.0)] {
        let e = r.pdf("t", &[page(w, h)]).unwrap_err();
        assert!(matches!(e, RenderError::InvalidSize { .. }), "{e}");
        assert_eq!(e.code(), "chart_invalid_size");
    }
    let e = r.pdf("t", &[page(100.0, 20_001.0)]).unwrap_err();
    assert_eq!(e.code(), "chart_too_large", "{e}");
    r.pdf("t", &[page(20_000.0, 20_000.0)]).unwrap();

    let many = vec![page(100.0, 100.0); 101];
    let e = r.pdf("t", &many).unwrap_err();
    assert!(matches!(e, RenderError::TooManyPages { pages: 101 }), "{e}");
    assert_eq!(e.code(), "chart_too_large");
    let pdf = r.pdf("t", &many[..100]).unwrap();
    assert_eq!(count_pages(&pdf), 100);

    let broken = PdfPage {
        svg: "<svg".into(),
        ..page(100.0, 100.0)
    };
    let e = r.pdf("t", &[page(100.0, 100.0), broken]).unwrap_err();
    assert_eq!(e.code(), "pdf_failed", "{e}");
    assert!(e.to_string().contains("page 2"), "{e}");
}
