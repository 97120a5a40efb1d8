// Checks the committed echarts.min.js with assets/chart.js in headless Chromium under the
// server's strict CSP (plus a style nonce): every kind of chart draws (no empty canvas),
// arrows + Enter and a mouse click send proostchart:click, a pivot cell does too, no error
// or CSP violation is logged, axe-core finds nothing serious or critical; prints how long
// each draw() took and saves a screenshot.
//   node check.mjs            (scripts/vendor-echarts --check)
// Env: PROOST_CHROMIUM (default /usr/bin/chromium), SCREENSHOT (default /tmp/charts.png).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const assets = join(root, "crates/proost-server/src/assets");
const files = {
  "/echarts.min.js": [join(assets, "vendor/echarts.min.js"), "text/javascript"],
  "/chart.js": [join(assets, "chart.js"), "text/javascript"],
  "/app.css": [join(assets, "app.css"), "text/css"],
  "/chart.css": [join(assets, "chart.css"), "text/css"],
  "/axe.min.js": [join(root, "tests/web_ui/vendor/axe.min.js"), "text/javascript"],
};

// Test data, the same on every run.
let seed = 7;
const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const axisTip = { trigger: "axis" };
const CHARTS = {
  bar: { kind: "echarts", title: "Orders by weekday", description: "Stacked bars: online and in-store orders for each weekday.", option: {
    tooltip: axisTip, legend: {}, xAxis: { type: "category", data: DAYS }, yAxis: { type: "value", name: "Orders" },
    series: [
      { name: "Online", type: "bar", stack: "orders", data: [120, 132, 101, 134, 90, 230, 210] },
      { name: "In store", type: "bar", stack: "orders", data: [220, 182, 191, 234, 290, 330, 310] },
    ] } },
  line: { kind: "echarts", title: "Daily revenue", description: "Revenue per day over 90 days.", option: {
    tooltip: axisTip, xAxis: { type: "time" }, yAxis: { type: "value" },
    series: [{ name: "Revenue", type: "line", showSymbol: false, areaStyle: { opacity: 0.15 },
      data: Array.from({ length: 90 }, (_, i) => [new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10), Math.round(800 + 300 * Math.sin(i / 7) + 200 * rnd())]) }] } },
  pie: { kind: "echarts", title: "Revenue by channel", description: "Share of revenue per sales channel.", option: {
    series: [{ name: "Revenue", type: "pie", radius: ["35%", "58%"], percentPrecision: 0, label: { formatter: "{b} {d}%" }, labelLine: { length: 8, length2: 8 },
      data: [{ name: "Web", value: 4200 }, { name: "App", value: 2900 }, { name: "Store", value: 2100 }, { name: "Phone", value: 650 }, { name: "Partners", value: 480 }] }] } },
  scatter: { kind: "echarts", title: "Basket size and amount", description: "One dot per order: items in the basket against the amount paid.", option: {
    xAxis: { type: "value", name: "Items", nameLocation: "middle", nameGap: 28 }, yAxis: { type: "value", name: "Amount (€)" }, legend: {},
    series: ["New", "Returning"].map((name, s) => ({ name, type: "scatter", symbolSize: 7,
      data: Array.from({ length: 60 }, () => { const n = 1 + Math.floor(rnd() * 12); return [n, Math.round(n * (15 + 10 * s) + rnd() * 40)]; }) })) } },
  heatmap: { kind: "echarts", title: "Orders by hour and weekday", description: "Number of orders for each hour of each weekday.", option: {
    grid: { right: 64 },
    xAxis: { type: "category", data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true } },
    yAxis: { type: "category", data: DAYS, splitArea: { show: true } },
    visualMap: { min: 0, max: 50, calculable: true, right: 0, top: "middle", itemHeight: 160 },
    series: [{ name: "Orders", type: "heatmap",
      data: DAYS.flatMap((_, d) => Array.from({ length: 24 }, (_, h) => [h, d, Math.round((h > 7 && h < 22 ? 30 : 5) * rnd() + (d > 4 ? 15 : 0) * rnd())])) }] } },
  funnel: { kind: "echarts", title: "Checkout funnel", description: "Visitors left at each step of the checkout.", option: {
    series: [{ name: "Visitors", type: "funnel", top: 10, bottom: 10, left: "5%", width: "62%", label: { position: "right", formatter: "{b}: {c}" },
      data: [{ name: "Visit", value: 1000 }, { name: "Cart", value: 420 }, { name: "Checkout", value: 260 }, { name: "Paid", value: 190 }] }] } },
  combo: { kind: "echarts", title: "Revenue and orders by month", description: "Bars: revenue per month (left axis). Line: orders per month (right axis).", option: {
    tooltip: axisTip, legend: {}, xAxis: { type: "category", data: MONTHS },
    yAxis: [{ type: "value", name: "Revenue (€)" }, { type: "value", name: "Orders", splitLine: { show: false } }],
    series: [
      { name: "Revenue", type: "bar", data: MONTHS.map((_, i) => Math.round(20000 + 8000 * Math.sin(i / 2) + 5000 * rnd())) },
      { name: "Orders", type: "line", yAxisIndex: 1, data: MONTHS.map((_, i) => Math.round(300 + 80 * Math.sin(i / 2 + 1) + 40 * rnd())) },
    ] } },
  number: { kind: "number", title: "Revenue this month", value: 48213.5, label: "Revenue, March 2025", previous: 43048, change: 0.12,
    format: { style: "currency", currency: "EUR", maximumFractionDigits: 0 } },
  pivot: { kind: "pivot", title: "Revenue by country and year", row_headers: ["Country"], column_headers: ["2024", "2025"],
    value_label: "Revenue (€), sum of amount", totals: { rows: [2650.5, 3100, 900], columns: [3550.5, 3100], grand: 6650.5 },
    rows: [{ keys: ["DE"], cells: [1200.5, 1450] }, { keys: ["FR"], cells: [1450, 1650] }, { keys: ["NL"], cells: [900, null] }] },
  other: { kind: "sankey-3d", title: "Unknown kind" },
};
// In a <div> instead of a <figure>: the container that gets role="group".
const IN_DIV = new Set(["combo"]);

const page = (nonce, ids, search) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Charts check</title><meta name="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="/app.css"><link rel="stylesheet" href="/chart.css">
<style nonce="${nonce}">.charts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px; } .charts > .card { margin: 0; padding: 16px; }</style>
<script src="/echarts.min.js" defer></script><script src="/chart.js" defer></script><script src="/page.js${search}" defer></script>
</head><body><main><h1>Charts</h1><div class="charts">
${ids.map((id) => IN_DIV.has(id) ? `<div class="card" id="${id}"><h2>${CHARTS[id].title}</h2></div>` : `<figure class="card" id="${id}"></figure>`).join("\n")}
</div><div id="table"></div><button id="after" type="button">After</button></main></body></html>`;
// Draws everything, timing each draw() (ECharts renders synchronously with animation off)
// and the whole up to the next painted frame.
const pageJs = (charts) => `"use strict";
window.clicks = []; window.onClicks = 0; window.timings = {}; window.handles = {};
document.addEventListener("proostchart:click", (e) => window.clicks.push({ id: e.target.id, detail: e.detail }));
const charts = ${JSON.stringify(charts)};
const t0 = performance.now();
for (const [id, chart] of Object.entries(charts)) {
  const t = performance.now();
  window.handles[id] = ProostChart.draw(document.getElementById(id), chart, { onClick: () => window.onClicks++ });
  window.timings[id] = performance.now() - t;
}
window.tableHandle = ProostChart.draw(document.getElementById("table"), { kind: "table" });
window.timings.all = performance.now() - t0;
window.scriptsReady = t0;
requestAnimationFrame(() => setTimeout(() => { window.timings.painted = performance.now() - t0; window.done = true; }));`;

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const nonce = randomBytes(16).toString("base64");
  const csp = `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
  // /html-tip: a control, the bar chart with ECharts' HTML tooltip.
  const control = url.searchParams.has("html-tip");
  const charts = control ? { bar: { ...CHARTS.bar, option: { ...CHARTS.bar.option, tooltip: { trigger: "axis", renderMode: "html" } } } } : CHARTS;
  let body, type;
  if (url.pathname === "/") { body = page(nonce, Object.keys(charts), url.search); type = "text/html"; }
  else if (url.pathname === "/page.js") { body = pageJs(charts); type = "text/javascript"; }
  else if (files[url.pathname]) { body = readFileSync(files[url.pathname][0]); type = files[url.pathname][1]; }
  else { res.writeHead(url.pathname === "/favicon.ico" ? 204 : 404).end(); return; }
  res.writeHead(200, { "Content-Type": type + "; charset=utf-8", "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff" });
  res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.PROOST_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let failures = 0;
const ok = (cond, what, extra) => {
  console.log(`${cond ? "ok  " : "FAIL"} ${what}${extra !== undefined ? ": " + JSON.stringify(extra) : ""}`);
  if (!cond) failures++;
};

async function open(path) {
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  p.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.type() + ": " + m.text()); });
  p.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  await p.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
  });
  await p.goto(base + path);
  await p.waitForFunction(() => window.done, null, { timeout: 15000 }).catch(() => console.log("not drawn:", problems));
  return { p, problems };
}
// Page coordinates of a data value of a chart, through ECharts' own conversion.
const pixel = (p, id, finder, value) => p.evaluate(([id, finder, value]) => {
  const [x, y] = window.handles[id].echarts.convertToPixel(finder, value);
  const r = document.querySelector("#" + id + " .chart-plot").getBoundingClientRect();
  return [r.left + x, r.top + y];
}, [id, finder, value]);

try {
  // Control: ECharts' HTML tooltip writes style attributes, which the CSP refuses.
  {
    const { p } = await open("/?html-tip");
    const [x, y] = await pixel(p, "bar", { seriesIndex: 0 }, ["Wed", 50]);
    await p.mouse.move(x, y);
    await p.waitForTimeout(300);
    const v = await p.evaluate(() => window.violations);
    ok(v.some((x) => x.startsWith("style-src")), "control: ECharts' HTML tooltip is refused by the CSP (why chart.js uses richText)", v.slice(0, 2));
    await p.close();
  }

  const { p, problems } = await open("/");
  const t = await p.evaluate(() => window.timings);
  const ms = (x) => Math.round(x * 10) / 10;
  console.log("     draw() times, ms: " + Object.keys(CHARTS).map((k) => `${k} ${ms(t[k])}`).join(", "));
  console.log(`     all ${Object.keys(CHARTS).length} draw() calls: ${ms(t.all)} ms; to the next painted frame: ${ms(t.painted)} ms; scripts ready ${ms(await p.evaluate(() => window.scriptsReady))} ms after navigation start`);
  ok(t.painted < 2000, "everything drawn within 2 s", ms(t.painted));

  // Every ECharts container has one canvas with something on it.
  const ecIds = Object.keys(CHARTS).filter((k) => CHARTS[k].kind === "echarts");
  const ink = await p.evaluate((ids) => Object.fromEntries(ids.map((id) => {
    const cs = document.querySelectorAll("#" + id + " canvas");
    return [id, [...cs].map((c) => {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })];
  })), ecIds);
  ok(ecIds.every((id) => ink[id].length > 0 && ink[id].every((n) => n > 1000)), "every canvas has something on it (painted pixels per canvas)", ink);
  ok(await p.evaluate(() => document.querySelectorAll("#bar .chart-plot[role=img][aria-label]").length === 1), "ECharts' aria label kept on the plot",
     await p.evaluate(() => document.querySelector("#bar .chart-plot").getAttribute("aria-label").slice(0, 90)));
  ok(await p.evaluate(() => document.querySelector("#bar > figcaption").textContent === "Orders by weekday" && document.querySelector("#bar > p.sr-only").textContent.startsWith("Stacked")),
     "figcaption and screen-reader description");
  ok(await p.evaluate(() => { const c = document.getElementById("combo"); return c.getAttribute("role") === "group" && c.getAttribute("aria-label") === "Revenue and orders by month" && c.tabIndex === 0; }),
     "a <div> container: focusable group named by the title");
  ok(await p.evaluate(() => getComputedStyle(document.querySelector("#bar .chart-plot")).height) === "320px", "plot height from chart.css");

  // Keyboard: three steps right, one back, Enter → Tue.
  await p.focus("#bar");
  for (const k of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"]) await p.keyboard.press(k);
  const said = await p.evaluate(() => document.querySelector("#bar [aria-live]").textContent);
  ok(said === "Online: Tue: 132", "arrows move the point, announced", said);
  await p.keyboard.press("Enter");
  let clicks = await p.evaluate(() => window.clicks);
  ok(clicks.length === 1 && clicks[0].id === "bar" && clicks[0].detail.name === "Tue" && clicks[0].detail.dataIndex === 1 && clicks[0].detail.seriesName === "Online" && clicks[0].detail.value === 132,
     "Enter fires proostchart:click (bubbling) for the point", clicks[0] && clicks[0].detail);
  await p.screenshot({ path: "/tmp/charts-keyboard.png", clip: await p.evaluate(() => { const r = document.getElementById("bar").getBoundingClientRect(); return { x: r.x - 4, y: r.y - 4, width: r.width + 8, height: r.height + 8 }; }) });
  await p.keyboard.press("Escape");
  await p.focus("#line");
  await p.keyboard.press("End");
  const lastLine = await p.evaluate(() => document.querySelector("#line [aria-live]").textContent);
  ok(lastLine === "Revenue: 2025-03-31, " + CHARTS.line.option.series[0].data[89][1].toLocaleString("en-US"), "End reaches the last point of a time series", lastLine);

  // Mouse: the middle of Fri's in-store bar (series 1, stacked on top of series 0).
  const fri = CHARTS.bar.option.series;
  const [x, y] = await pixel(p, "bar", { seriesIndex: 1 }, ["Fri", fri[0].data[4] + fri[1].data[4] / 2]);
  await p.mouse.click(x, y);
  clicks = await p.evaluate(() => window.clicks);
  ok(clicks.length === 2 && clicks[1].detail.name === "Fri" && clicks[1].detail.seriesName === "In store" && clicks[1].detail.value === 290, "a mouse click on a bar fires it with its name", clicks[1] && clicks[1].detail);

  // Pivot: a cell by mouse, another by keyboard, a total.
  await p.click("#pivot td[data-r='1'][data-c='0']");
  await p.focus("#pivot td[tabindex='0']");
  await p.keyboard.press("ArrowDown"); await p.keyboard.press("ArrowDown"); await p.keyboard.press("ArrowRight"); await p.keyboard.press("Enter");
  await p.keyboard.press("ArrowRight"); await p.keyboard.press("Enter");
  clicks = (await p.evaluate(() => window.clicks)).slice(2).map((c) => c.detail);
  ok(JSON.stringify(clicks) === JSON.stringify([{ row: ["FR"], column: "2024", value: 1450 }, { row: ["NL"], column: "2025", value: null }, { row: ["NL"], column: null, value: 900 }]),
     "pivot cells fire it with row keys, column and value (mouse, arrows + Enter, a total)", clicks);
  ok(await p.evaluate(() => window.onClicks) === 5, "opts.onClick called too", await p.evaluate(() => window.onClicks));
  ok(await p.evaluate(() => document.querySelectorAll("#pivot th[scope=col]").length === 4 && document.querySelectorAll("#pivot th[scope=row]").length === 4 && document.querySelector("#pivot caption").textContent.startsWith("Revenue (€)")),
     "pivot: caption, scoped headers");
  ok(await p.evaluate(() => [...document.querySelectorAll("#pivot td")].every((td) => getComputedStyle(td).textAlign === "right")), "pivot numbers right-aligned");

  // KPI.
  const kpi = await p.evaluate(() => ({ value: document.querySelector("#number .kpi-value").textContent, change: document.querySelector("#number .kpi-change").className,
    text: document.querySelector("#number .kpi-change").textContent, colour: getComputedStyle(document.querySelector("#number .kpi-change")).color }));
  ok(kpi.value === "€48,214" && kpi.change === "kpi-change up" && kpi.text === "▲ Up 12.0% vs previous period (€43,048)" && kpi.colour === "rgb(6, 118, 71)", "number: formatted, ▲ with class up", kpi);

  ok(await p.evaluate(() => document.querySelector("#other").textContent.includes("This chart type cannot be drawn.")), "an unknown kind says it cannot be drawn");
  ok(await p.evaluate(() => window.tableHandle === null && document.getElementById("table").childElementCount === 0), "kind table: nothing drawn, null returned");

  // Resizing the container resizes the chart.
  const widths = await p.evaluate(async () => {
    const el = document.getElementById("combo"), before = window.handles.combo.echarts.getWidth();
    el.style.width = "300px"; // CSSOM, not an attribute from markup: allowed by the CSP
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
    const after = window.handles.combo.echarts.getWidth();
    el.style.width = "";
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
    return [before, after];
  });
  ok(widths[1] < widths[0] && widths[1] <= 300, "the chart follows its container's size", widths);

  // axe-core, injected the way the Rust tests do.
  await p.evaluate(readFileSync(files["/axe.min.js"][0], "utf8"));
  const v = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target }));
  });
  ok(!v.some((x) => x.impact === "serious" || x.impact === "critical"), `axe ${await p.evaluate(() => window.axe.version)}: no serious/critical violations`, v);

  // Screenshot with a tooltip up, then the redraw and dispose rules.
  await p.focus("#combo");
  for (let i = 0; i < 6; i++) await p.keyboard.press("ArrowRight");
  const shot = process.env.SCREENSHOT || "/tmp/charts.png";
  await p.screenshot({ path: shot, fullPage: true });
  console.log("     screenshot: " + shot);
  // Drawn again, warm (the first draw of a page also pays for compiling ECharts' code).
  const warm = await p.evaluate((charts) => Object.fromEntries(Object.entries(charts).map(([id, c]) => {
    const s = performance.now();
    ProostChart.draw(document.getElementById(id), c);
    return [id, performance.now() - s];
  })), CHARTS);
  console.log("     draw() again, ms: " + Object.keys(warm).map((k) => `${k} ${ms(warm[k])}`).join(", ") + `; all ${ms(Object.values(warm).reduce((a, b) => a + b, 0))}`);
  const redraw = await p.evaluate(() => {
    const el = document.getElementById("bar"), chart = { kind: "echarts", title: "Again", option: { xAxis: { type: "category", data: ["a", "b"] }, yAxis: {}, series: [{ type: "bar", data: [1, 2] }] } };
    ProostChart.draw(el, chart); ProostChart.draw(el, chart);
    const n = [el.querySelectorAll("canvas").length, el.querySelectorAll("figcaption").length, el.querySelectorAll("p").length];
    ProostChart.dispose(el);
    return { drawn: n, after: el.childElementCount, tabindex: el.getAttribute("tabindex"), cls: el.className };
  });
  ok(JSON.stringify(redraw) === JSON.stringify({ drawn: [1, 1, 1], after: 0, tabindex: null, cls: "card" }), "drawing twice replaces the first; dispose leaves the container as it was", redraw);

  const violations = await p.evaluate(() => window.violations);
  ok(violations.length === 0, "no CSP violation", violations);
  ok(problems.length === 0, "no console error or warning", problems);
  await p.close();
} finally {
  await browser.close();
  server.close();
}
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
