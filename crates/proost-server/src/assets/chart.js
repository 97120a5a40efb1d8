// Proost charts: draws the chart JSON the server builds into a container. Loaded (defer)
// after vendor/echarts.min.js; styles in chart.css. Values go in as text only, never as
// HTML, and nothing here writes a style attribute: the CSP has no 'unsafe-inline' for styles.
//
//   const h = ProostChart.draw(container, chart, {onClick(detail) {}});  // null for "table"
//   h.resize(); h.dispose();  or  ProostChart.dispose(container)
//
// Kinds: "echarts" {option, title?, description?}, "number" {value, label, previous, change,
// format?}, "pivot" {row_headers, column_headers, rows: [{keys, cells}], value_label, totals?,
// format?} with totals {rows?: [per row], columns?: [per column], grand?, label?}, "table"
// (the page's grid draws it). A click on a point or a cell dispatches a bubbling
// "proostchart:click" CustomEvent on the container: detail {name, seriesName, value, data,
// dataIndex, seriesIndex} for ECharts, {row: keys, column: header, value} for a pivot
// (row or column null on a total).
"use strict";

(function (global) {
  // Okabe–Ito: told apart with the common colour-vision deficiencies. Yellow last: it is
  // barely visible on white.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
  const handles = new WeakMap();
  const num = (x) => typeof x === "number" && isFinite(x);
  const PERCENT = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function numberFormat(format) {
    try { return new Intl.NumberFormat(undefined, format || { maximumFractionDigits: 2 }); }
    catch (_) { return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }); }
  }

  function emit(container, opts, detail) {
    container.dispatchEvent(new CustomEvent("proostchart:click", { bubbles: true, detail }));
    if (typeof opts.onClick === "function") opts.onClick(detail);
  }

  function withDefaults(option, title, fontFamily) {
    const o = Object.assign({}, option);
    if (!("color" in o)) o.color = PALETTE;
    o.aria = Object.assign({ enabled: true, decal: { show: false } }, o.aria);
    if (!("animation" in o)) o.animation = false;
    o.textStyle = Object.assign({ fontFamily }, o.textStyle);
    // ECharts' HTML tooltip is built with innerHTML and style attributes, which the CSP
    // refuses; richText draws it on the canvas.
    const rich = (t) => Object.assign({ renderMode: "richText" }, t);
    o.tooltip = Array.isArray(o.tooltip) ? o.tooltip.map(rich) : rich(o.tooltip);
    // Dense time axes otherwise print day numbers over the month names.
    for (const k of ["xAxis", "yAxis"]) {
      if (o[k]) o[k] = [].concat(o[k]).map((a) => a && a.type === "time" ? Object.assign({}, a, { axisLabel: Object.assign({ hideOverlap: true }, a.axisLabel) }) : a);
    }
    // Unshown, but ECharts' aria label then names the chart.
    if (title && !o.title) o.title = { text: title, show: false };
    return o;
  }

  function drawECharts(container, chart, opts, add, attr, undo) {
    if (!global.echarts) return drawMessage(container, chart, opts, add, attr, undo, "Charts could not be loaded.");
    const plot = add(el("div", "chart-plot"));
    if (chart.description) add(el("p", "sr-only", chart.description));
    // The canvas tooltip is not read out: the point reached with the keyboard is, here.
    const status = add(el("p", "sr-only"));
    status.setAttribute("aria-live", "polite");
    attr("tabindex", "0");
    if (container.tagName !== "FIGURE") {
      // Not role="img" (ECharts puts that on the plot): that would hide the description.
      attr("role", "group");
      if (chart.title) attr("aria-label", chart.title);
    }

    const ec = global.echarts.init(plot, null, { renderer: "canvas" });
    undo.push(() => ec.dispose());
    ec.setOption(withDefaults(chart.option || {}, chart.title, getComputedStyle(container).fontFamily));

    const fire = (p) => emit(container, opts, {
      name: p.name, seriesName: p.seriesName, value: p.value, data: p.data, dataIndex: p.dataIndex, seriesIndex: p.seriesIndex,
    });
    ec.on("click", (p) => { if (p.componentType === "series") fire(p); });

    // Keyboard: a highlighted point walks the first series. getDataParams is what ECharts
    // builds a mouse event's params from, so Enter sends the same detail as a click.
    let at = -1;
    const series = () => ec.getModel().getSeriesByIndex(0);
    const nf = numberFormat();
    const say = (v) => Array.isArray(v) ? v.map(say).join(", ") : typeof v === "number" ? nf.format(v) : String(v);
    const move = (i) => {
      const s = series();
      const n = s ? s.getData().count() : 0;
      if (!n) return;
      if (at >= 0 && at < n) ec.dispatchAction({ type: "downplay", seriesIndex: 0, dataIndex: at });
      at = ((i % n) + n) % n;
      ec.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: at });
      ec.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: at });
      const p = s.getDataParams(at);
      // Unnamed series are called "series\0<n>" inside ECharts.
      status.textContent = [p.seriesName, p.name].filter((x) => x && x.indexOf("\0") < 0)
        .concat(p.value === undefined || p.value === null ? [] : [say(p.value)]).join(": ");
    };
    const hide = () => {
      ec.dispatchAction({ type: "hideTip" });
      if (at >= 0) ec.dispatchAction({ type: "downplay", seriesIndex: 0, dataIndex: at });
    };
    const onKey = (e) => {
      if (e.target !== container || e.altKey || e.ctrlKey || e.metaKey) return;
      switch (e.key) {
        case "ArrowRight": case "ArrowDown": move(at + 1); break;
        case "ArrowLeft": case "ArrowUp": move(at < 0 ? -1 : at - 1); break;
        case "Home": move(0); break;
        case "End": move(-1); break;
        case "Enter": if (at >= 0 && series()) fire(series().getDataParams(at)); break;
        case "Escape": hide(); break;
        default: return;
      }
      e.preventDefault();
    };
    container.addEventListener("keydown", onKey);
    container.addEventListener("blur", hide);
    undo.push(() => { container.removeEventListener("keydown", onKey); container.removeEventListener("blur", hide); });

    // One resize per frame, and none for the observer's first call (the size init measured).
    let frame = 0;
    const ro = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      if (frame || (Math.round(r.width) === ec.getWidth() && Math.round(r.height) === ec.getHeight())) return;
      frame = requestAnimationFrame(() => { frame = 0; ec.resize(); });
    });
    ro.observe(plot);
    undo.push(() => { ro.disconnect(); cancelAnimationFrame(frame); });
    return { resize: () => ec.resize(), echarts: ec };
  }

  function drawNumber(container, chart, opts, add) {
    const box = add(el("div", "kpi"));
    const fmt = numberFormat(chart.format);
    box.appendChild(el("p", "kpi-value", num(chart.value) ? fmt.format(chart.value) : "—"));
    if (chart.label) box.appendChild(el("p", "kpi-label", chart.label));
    const change = num(chart.change) ? chart.change
      : num(chart.value) && num(chart.previous) && chart.previous !== 0 ? (chart.value - chart.previous) / Math.abs(chart.previous) : null;
    if (change !== null) {
      const dir = change > 0 ? "up" : change < 0 ? "down" : "flat";
      const line = box.appendChild(el("p", "kpi-change " + dir));
      // The arrow is for the eye; a screen reader hears the word (colour alone says nothing).
      if (dir !== "flat") line.appendChild(el("span", null, dir === "up" ? "▲ " : "▼ ")).setAttribute("aria-hidden", "true");
      line.appendChild(el("span", "sr-only", dir === "up" ? "Up " : dir === "down" ? "Down " : "Unchanged, "));
      line.append(PERCENT.format(Math.abs(change)) + " vs previous period");
      if (num(chart.previous)) line.appendChild(el("span", "kpi-previous", " (" + fmt.format(chart.previous) + ")"));
    }
  }

  function drawPivot(container, chart, opts, add) {
    const fmt = numberFormat(chart.format);
    const rowHeads = chart.row_headers || [], cols = chart.column_headers || [], rows = chart.rows || [];
    const totals = chart.totals || {};
    const totalLabel = totals.label || "Total";
    const wrap = add(el("div", "pivot-wrap"));
    const table = wrap.appendChild(el("table", "pivot"));
    const caption = chart.value_label || chart.title;
    if (caption) table.createCaption().textContent = caption;
    const th = (tr, text, scope, cls) => { const c = tr.appendChild(el("th", cls, text)); c.scope = scope; return c; };
    const td = (tr, v, r, c) => {
      const cell = tr.appendChild(el("td", v === null || v === undefined ? "num null" : "num", v === null || v === undefined ? "—" : fmt.format(v)));
      if (r !== null) cell.dataset.r = r;
      if (c !== null) cell.dataset.c = c;
      if (r !== null || c !== null) cell.tabIndex = -1;
    };

    const head = table.createTHead().insertRow();
    rowHeads.forEach((h) => th(head, h, "col"));
    cols.forEach((h) => th(head, h, "col", "num"));
    if (totals.rows) th(head, totalLabel, "col", "num total");
    const body = table.createTBody();
    rows.forEach((row, r) => {
      const tr = body.insertRow();
      (row.keys || []).forEach((k) => th(tr, k === null ? "—" : k, "row"));
      cols.forEach((_, c) => td(tr, (row.cells || [])[c], r, c));
      if (totals.rows) td(tr, totals.rows[r], r, null);
    });
    if (totals.columns || num(totals.grand)) {
      const foot = table.createTFoot().insertRow();
      // Empty cells rather than a colspan: arrow keys move by cell index.
      th(foot, totalLabel, "row");
      for (let i = 1; i < rowHeads.length; i++) foot.insertCell();
      cols.forEach((_, c) => td(foot, (totals.columns || [])[c], null, c));
      if (totals.rows) td(foot, totals.grand, null, null);
    }

    // One tab stop for the whole table; arrows move between the clickable cells.
    const cells = table.querySelectorAll("td[tabindex]");
    if (cells.length) cells[0].tabIndex = 0;
    const fire = (cell) => {
      const r = cell.dataset.r, c = cell.dataset.c;
      const v = r === undefined ? (totals.columns || [])[c] : c === undefined ? totals.rows[r] : (rows[r].cells || [])[c];
      emit(container, opts, {
        row: r === undefined ? null : rows[r].keys,
        column: c === undefined ? null : cols[c],
        value: v === undefined ? null : v,
      });
    };
    table.addEventListener("click", (e) => {
      const cell = e.target.closest("td[tabindex]");
      if (cell) fire(cell);
    });
    table.addEventListener("keydown", (e) => {
      const cell = e.target.closest("td[tabindex]");
      if (!cell) return;
      const tr = cell.parentElement, i = cell.cellIndex;
      const all = Array.from(table.rows);
      let next = null;
      if (e.key === "Enter" || e.key === " ") { fire(cell); e.preventDefault(); return; }
      if (e.key === "ArrowRight") next = tr.cells[i + 1];
      else if (e.key === "ArrowLeft") next = tr.cells[i - 1];
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        const row = all[tr.rowIndex + (e.key === "ArrowDown" ? 1 : -1)];
        next = row && row.cells[i];
      } else return;
      e.preventDefault();
      if (next && next.hasAttribute("tabindex")) {
        cell.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      }
    });
  }

  function drawMessage(container, chart, opts, add, attr, undo, text) {
    add(el("p", "chart-unsupported muted", text || "This chart type cannot be drawn."));
  }

  function dispose(container) {
    const h = handles.get(container);
    if (h) h.dispose();
  }

  function draw(container, chart, opts) {
    dispose(container);
    if (!chart || chart.kind === "table") return null;
    const undo = [];
    const add = (node, before) => { container.insertBefore(node, before || null); undo.push(() => node.remove()); return node; };
    // Only attributes the page did not set, so dispose leaves the container as it was.
    const attr = (name, value) => {
      if (container.hasAttribute(name)) return;
      container.setAttribute(name, value);
      undo.push(() => container.removeAttribute(name));
    };
    if (!container.classList.contains("chart")) {
      container.classList.add("chart");
      undo.push(() => container.classList.remove("chart"));
    }
    if (chart.title && container.tagName === "FIGURE" && !container.querySelector(":scope > figcaption")) {
      add(el("figcaption", null, chart.title), container.firstChild);
    }
    const kinds = { echarts: drawECharts, number: drawNumber, pivot: drawPivot };
    let extra;
    try {
      extra = (kinds[chart.kind] || drawMessage)(container, chart, opts || {}, add, attr, undo) || {};
    } catch (err) {
      // A bad option from the server: a message in place of the tile, the cause in the console.
      console.error("ProostChart:", err);
      while (undo.length) undo.pop()();
      extra = drawMessage(container, chart, opts, add, attr, undo, "This chart could not be drawn.") || {};
    }
    const handle = Object.assign({ resize() {} }, extra, {
      dispose() {
        if (handles.get(container) === handle) handles.delete(container);
        while (undo.length) undo.pop()();
      },
    });
    handles.set(container, handle);
    return handle;
  }

  global.ProostChart = { draw, dispose, PALETTE };
})(window);
