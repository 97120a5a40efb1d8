// Evaluated once after echarts.min.js in the server's QuickJS (proost-render). Mirrors
// withDefaults in proost-server's chart.js so an image looks like the chart on the page.
"use strict";

(function (global) {
  // QuickJS has no event loop. ECharts only defers what an image never shows (animation
  // frames, tooltips, hover state): renderToSVGString draws synchronously, so timers never fire.
  global.setTimeout = () => 0;
  global.clearTimeout = () => {};
  // Text widths from the face resvg draws with (proost-render's fonts.rs).
  global.echarts.setPlatformAPI({ measureText: (text, font) => ({ width: global.proostMeasureText(String(text), font || "12px sans-serif") }) });

  // chart.js's Okabe–Ito palette.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

  function withDefaults(option, fontFamily) {
    const o = Object.assign({}, option);
    if (!("color" in o)) o.color = PALETTE;
    o.aria = Object.assign({ enabled: true, decal: { show: false } }, o.aria);
    // Always: a server image is one frame.
    o.animation = false;
    // The page is white; a mail client's may not be.
    if (!("backgroundColor" in o)) o.backgroundColor = "#fff";
    o.textStyle = Object.assign({ fontFamily }, o.textStyle);
    // The HTML tooltip needs a DOM; never shown here, but richText keeps it from building one.
    const rich = (t) => Object.assign({ renderMode: "richText" }, t);
    o.tooltip = Array.isArray(o.tooltip) ? o.tooltip.map(rich) : rich(o.tooltip);
    for (const k of ["xAxis", "yAxis"]) {
      if (o[k]) o[k] = [].concat(o[k]).map((a) => a && a.type === "time" ? Object.assign({}, a, { axisLabel: Object.assign({ hideOverlap: true }, a.axisLabel) }) : a);
    }
    return o;
  }

  global.proostRender = function (json, width, height, fontFamily) {
    const option = withDefaults(JSON.parse(json), fontFamily);
    const chart = global.echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
    try {
      chart.setOption(option);
      // ECharts skips a series type it does not know and draws the rest: an image missing
      // its data must not look like a chart of nothing.
      const known = new Set(chart.getModel().getSeries().map((s) => s.subType));
      for (const s of [].concat(option.series || [])) {
        if (s && !known.has(s.type)) throw new Error("unknown series type: " + s.type);
      }
      return chart.renderToSVGString();
    } finally {
      chart.dispose();
    }
  };
})(globalThis);
