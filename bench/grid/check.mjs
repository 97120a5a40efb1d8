// Functional check of ProostGrid in headless Chromium, under the app's CSP: structure,
// formatting, sorting, resizing, selection and copying (through the real clipboard),
// keyboard, and axe-core (WCAG 2.1 A/AA + best practices). Prints "N passed, N failed".
import { serve, launch, watch, makeResult, COLUMNS } from "./lib.mjs";

const { server, origin } = await serve();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
const page = await context.newPage();
const problems = watch(page);
await page.goto(origin + "/bench.html");
await page.addScriptTag({ url: "/vendor/axe.min.js" });

let passed = 0, failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}
const eq = (name, got, want) => check(name, JSON.stringify(got) === JSON.stringify(want), JSON.stringify(got) === JSON.stringify(want) ? "" : `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
const G = "#newgrid";
const mod = process.platform === "darwin" ? "Meta" : "Control";

// ---- helpers run in the page ----
await page.evaluate(() => {
  window.t = {
    g: null,
    async show(n) {
      document.querySelector(".table-wrap").hidden = true;
      await harness.load(n);
      this.g = this.g || new ProostGrid(document.getElementById("newgrid"));
      this.g.render(harness.result());
      await harness.afterPaint();
    },
    row(pos) { return document.querySelector(`#newgrid .pg-body .pg-row[aria-rowindex="${pos + 2}"]:not([hidden])`); },
    cell(pos, j) { const r = this.row(pos); return r ? r.children[j].textContent : undefined; },
    cellEl(pos, j) { const r = this.row(pos); return r ? r.children[j] : null; },
    head(j) { return document.querySelectorAll("#newgrid .pg-hcell")[j]; },
    async toBottom() { const s = document.getElementById("newgrid"); s.scrollTop = s.scrollHeight; await harness.afterPaint(); },
    async toTop() { const s = document.getElementById("newgrid"); s.scrollTop = 0; await harness.afterPaint(); },
    async axe() {
      const r = await axe.run({ include: [["#newgrid"]] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
      window.lastAxe = { passes: r.passes.map((p) => p.id + ":" + p.nodes.length), incomplete: r.incomplete.map((p) => p.id + ":" + p.nodes.length + ":" + p.nodes[0].any.concat(p.nodes[0].all).map((c) => c.message).join("/")) };
      return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].failureSummary.replace(/\s+/g, " ").slice(0, 200)}`);
    },
  };
});
const ev = (fn, arg) => page.evaluate(fn, arg);
const box = async (sel) => (await page.locator(sel).first().boundingBox());

// ---- 1000 rows: structure and formatting ----
const data = makeResult(1000);
const fmt = (v, j) => v === null ? "NULL" : COLUMNS[j].type === "float" ? String(Number(v.toPrecision(12))) : typeof v === "object" ? JSON.stringify(v) : String(v);
await ev(() => t.show(1000));
const attrs = await ev(() => { const g = document.getElementById("newgrid"); return ["role", "aria-rowcount", "aria-colcount", "tabindex", "class"].map((a) => g.getAttribute(a)); });
eq("grid role and counts", attrs, ["grid", "1001", "10", "0", "proost-grid"]);
const heads = await ev(() => [...document.querySelectorAll("#newgrid .pg-hcell")].map((h) => [h.getAttribute("role"), h.getAttribute("aria-colindex"), h.querySelector(".pg-name").textContent]));
eq("column headers", heads, COLUMNS.map((c, j) => ["columnheader", String(j + 1), c.name]));
const domRows = await ev(() => document.querySelectorAll("#newgrid .pg-body .pg-row:not([hidden])").length);
check("only the rows in view (+ overscan) are in the DOM", domRows > 15 && domRows < 60, `${domRows} rows drawn`);
eq("first row, formatted", await ev(() => [...t.row(0).children].map((c) => c.textContent)), data.rows[0].map(fmt));
eq("row 2 aria", await ev(() => [t.row(0).getAttribute("role"), t.row(0).getAttribute("aria-rowindex"), t.cellEl(0, 3).getAttribute("role"), t.cellEl(0, 3).getAttribute("aria-colindex")]), ["row", "2", "gridcell", "4"]);
const nullAt = data.rows.findIndex((r, i) => i < 20 && r.some((v) => v === null));
const nullCol = data.rows[nullAt].indexOf(null);
eq("NULL shown with class null", await ev(([r, c]) => [t.cell(r, c), t.cellEl(r, c).className], [nullAt, nullCol]), ["NULL", "pg-cell" + (["integer", "float", "decimal"].includes(COLUMNS[nullCol].type) ? " num" : "") + " null"]);
eq("numeric columns right-aligned", await ev(() => [getComputedStyle(t.cellEl(0, 0)).textAlign, getComputedStyle(t.cellEl(0, 1)).textAlign, getComputedStyle(t.head(3)).justifyContent]), ["right", "start", "flex-end"]);
const floatRow = data.rows.findIndex((r) => r[4] !== null && String(r[4]) !== String(Number(r[4].toPrecision(12))));
if (floatRow >= 0 && floatRow < 20) eq("float with 12 significant digits", await ev((r) => t.cell(r, 4), floatRow), String(Number(data.rows[floatRow][4].toPrecision(12))));
const mask = await ev(() => { const b = t.head(2).querySelector(".pg-mask"); return b && [b.textContent, b.title]; });
check("masked column badge with tooltip", mask && mask[0] === "masked · partial" && /partial/.test(mask[1]), JSON.stringify(mask));
eq("no badge on unmasked columns", await ev(() => document.querySelectorAll("#newgrid .pg-mask").length), 1);
const sticky = await ev(async () => { const s = document.getElementById("newgrid"); s.scrollTop = 5000; await harness.afterPaint(); const d = t.head(0).getBoundingClientRect().top - s.getBoundingClientRect().top; s.scrollTop = 0; await harness.afterPaint(); return d; });
check("header stays on top when scrolled (sticky)", Math.abs(sticky) <= 2, `offset ${sticky}px`);
const height = await ev(() => document.getElementById("newgrid").getBoundingClientRect().height);
check("container height min(70vh, 640px)", Math.abs(height - 560) <= 2, `${height}px at 800px viewport`);

// ---- sorting ----
const amounts = data.rows.map((r) => r[3]).filter((v) => v !== null).map(Number);
const nNullAmount = data.rows.filter((r) => r[3] === null).length;
const fmtAmount = (x) => data.rows.find((r) => r[3] !== null && Number(r[3]) === x)[3];
const ac = await box(`${G} .pg-hcell:nth-child(4) .pg-name`);
await page.mouse.click(ac.x + 5, ac.y + ac.height / 2);
await ev(() => harness.afterPaint());
eq("sort asc: aria-sort, ▲", await ev(() => [t.head(3).getAttribute("aria-sort"), t.head(3).querySelector(".pg-arrow").textContent]), ["ascending", "▲"]);
eq("sort asc: smallest amount first (numeric, not text order)", await ev(() => t.cell(0, 3)), fmtAmount(Math.min(...amounts)));
await ev(() => t.toBottom());
const col3 = await ev(() => { t.g.select(0, 3, 999, 3); const s = t.g.selectionText().split("\n").slice(1); t.g.clearSelection(); return s; });
eq("sort asc: nulls last", [col3.slice(-nNullAmount).every((x) => x === ""), col3.slice(0, -nNullAmount).every((x) => x !== "")], [true, true]);
await ev(() => t.toTop());
await page.mouse.click(ac.x + 5, ac.y + ac.height / 2);
await ev(() => harness.afterPaint());
eq("sort desc: aria-sort, ▼, largest first", await ev(() => [t.head(3).getAttribute("aria-sort"), t.head(3).querySelector(".pg-arrow").textContent, t.cell(0, 3)]), ["descending", "▼", fmtAmount(Math.max(...amounts))]);
await ev(() => t.toBottom());
eq("sort desc: nulls still last", await ev(() => t.cell(999, 3)), "NULL");
await ev(() => t.toTop());
await page.mouse.click(ac.x + 5, ac.y + ac.height / 2);
await ev(() => harness.afterPaint());
eq("third click: original order", await ev(() => [t.head(3).hasAttribute("aria-sort"), t.cell(0, 0), t.cell(1, 0)]), [false, "1", "2"]);
const dates = data.rows.map((r) => r[7]).filter((v) => v !== null).sort();
await ev(() => t.g.sortBy(7, "desc"));
eq("date column sorts by date (desc)", await ev(() => t.cell(0, 7)), dates[dates.length - 1]);
await ev(() => t.g.sortBy(6, "asc"));
eq("boolean column: false first", await ev(() => t.cell(0, 6)), "false");
const coll = new Intl.Collator(undefined, { numeric: true });
const names = data.rows.map((r) => r[1]).sort(coll.compare);
await ev(() => t.g.sortBy(1, "asc"));
eq("text column sorts by collation", await ev(() => t.cell(0, 1)), names[0]);
const stable = data.rows.map((r, i) => [r[1], i + 1]).filter((x) => x[0] === names[0]).map((x) => String(x[1]));
eq("sort is stable (ties keep the original order)", await ev((k) => Array.from({ length: k }, (_, i) => t.cell(i, 0)), stable.length), stable);
await ev(() => t.g.sortBy(1, null));

// ---- resizing ----
const before = await ev(() => [t.head(1).getBoundingClientRect().width, t.cellEl(0, 1).getBoundingClientRect().width]);
const grip = await box(`${G} .pg-hcell:nth-child(2) .pg-resize`);
await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
await page.mouse.down();
await page.mouse.move(grip.x + grip.width / 2 + 50, grip.y + 5, { steps: 5 });
await page.mouse.move(grip.x + grip.width / 2 + 100, grip.y + 5, { steps: 5 });
await page.mouse.up();
await ev(() => harness.afterPaint());
const after = await ev(() => [t.head(1).getBoundingClientRect().width, t.cellEl(0, 1).getBoundingClientRect().width, t.head(1).hasAttribute("aria-sort")]);
check("drag the header's right edge: column 100px wider", Math.abs(after[0] - before[0] - 100) <= 1, `${before[0]} → ${after[0]}`);
check("body cells follow the header width", Math.abs(after[1] - after[0]) <= 1, `${after[1]} vs ${after[0]}`);
eq("a resize does not sort", after[2], false);
const grip2 = await box(`${G} .pg-hcell:nth-child(2) .pg-resize`);
await page.mouse.move(grip2.x + 4, grip2.y + 5);
await page.mouse.down();
await page.mouse.move(grip2.x - 600, grip2.y + 5, { steps: 4 });
await page.mouse.up();
eq("minimum width 40px", await ev(() => t.head(1).getBoundingClientRect().width), 40);
const grip3 = await box(`${G} .pg-hcell:nth-child(2) .pg-resize`);
await page.mouse.dblclick(grip3.x + 4, grip3.y + 5);
eq("double-click the edge: back to the fitted width", await ev(() => t.head(1).getBoundingClientRect().width), before[0]);
const widths = await ev(() => t.g.columnWidths);
check("initial widths from the values, within [60, 360]", widths.every((w) => w >= 60 && w <= 360) && widths[9] === 360 && widths[0] < widths[1], JSON.stringify(widths));

// ---- selection, copy, keyboard ----
const readClip = () => ev(() => navigator.clipboard.readText());
const c01 = await box(`${G} .pg-row[aria-rowindex="2"] .pg-cell:nth-child(2)`);
await page.mouse.click(c01.x + 10, c01.y + 5);
eq("click selects a cell (aria-selected, active)", await ev(() => [t.cellEl(0, 1).getAttribute("aria-selected"), t.cellEl(0, 1).classList.contains("active"), t.cellEl(0, 2).getAttribute("aria-selected"), document.activeElement.id]), ["true", true, "false", "newgrid"]);
await page.keyboard.press(`${mod}+c`);
await ev(() => new Promise((ok) => setTimeout(ok, 50)));
eq("Ctrl+C copies one cell", await readClip(), data.rows[0][1]);
const c23 = await box(`${G} .pg-row[aria-rowindex="4"] .pg-cell:nth-child(4)`);
await page.keyboard.down("Shift");
await page.mouse.click(c23.x + 10, c23.y + 5);
await page.keyboard.up("Shift");
await page.keyboard.press(`${mod}+c`);
await ev(() => new Promise((ok) => setTimeout(ok, 50)));
const want = data.rows.slice(0, 3).map((r) => r.slice(1, 4).map((v, k) => (v === null ? "" : fmt(v, k + 1))).join("\t")).join("\n");
eq("shift-click: rectangular range copied as TSV, no header", await readClip(), want);
eq("range selected in the DOM", await ev(() => document.querySelectorAll("#newgrid .pg-cell.sel").length), 9);
await page.keyboard.press(`${mod}+a`);
await page.keyboard.press(`${mod}+c`);
await ev(() => new Promise((ok) => setTimeout(ok, 100)));
const all = await readClip();
const lines = all.split("\n");
eq("Ctrl+A, Ctrl+C: header row + every row", [lines.length, lines[0], lines[1].split("\t").length], [1001, COLUMNS.map((c) => c.name).join("\t"), 10]);
eq("copied JSON and NULL (as empty) fields", lines[1].split("\t")[9], data.rows[0][9] === null ? "" : '"' + JSON.stringify(data.rows[0][9]).replace(/"/g, '""') + '"');
await ev(() => navigator.clipboard.writeText("x"));
eq("copyAll()", await ev(async () => [await t.g.copyAll(), await navigator.clipboard.readText()]), [true, all]);
const fallback = await ev(async () => {
  const clip = navigator.clipboard;
  await clip.writeText("before");
  let event = null;
  document.getElementById("newgrid").addEventListener("proostgrid:copy", (e) => { event = e.detail; }, { once: true });
  Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
  t.g.select(0, 0);
  const ok = await t.g.copySelection();
  delete navigator.clipboard;
  return [ok, await clip.readText(), event && event.ok, document.activeElement.id, document.querySelectorAll("textarea:not(#sql)").length];
});
eq("fallback without navigator.clipboard (textarea + execCommand), focus kept", fallback, [true, "1", true, "newgrid", 0]);

// keyboard
await page.mouse.click(c01.x + 10, c01.y + 5);
await page.keyboard.press("ArrowDown");
await page.keyboard.press("ArrowDown");
await page.keyboard.press("ArrowRight");
const active = await ev(() => { const id = document.getElementById("newgrid").getAttribute("aria-activedescendant"); const e = id && document.getElementById(id); return e && [e.textContent, e.parentNode.getAttribute("aria-rowindex"), e.getAttribute("aria-colindex")]; });
eq("arrow keys move the active cell (aria-activedescendant)", active, [fmt(data.rows[2][2], 2), "4", "3"]);
await page.keyboard.press("Shift+ArrowDown");
await page.keyboard.press(`${mod}+c`);
await ev(() => new Promise((ok) => setTimeout(ok, 50)));
eq("Shift+arrow extends the selection", await readClip(), [2, 3].map((i) => (data.rows[i][2] === null ? "" : data.rows[i][2])).join("\n"));
await page.keyboard.press(`${mod}+End`);
await ev(() => harness.afterPaint());
eq("Ctrl+End: last cell, scrolled into view", await ev(() => { const id = document.getElementById("newgrid").getAttribute("aria-activedescendant"); const e = document.getElementById(id); const r = e.getBoundingClientRect(), g = document.getElementById("newgrid").getBoundingClientRect(); return [e.parentNode.getAttribute("aria-rowindex"), e.getAttribute("aria-colindex"), r.bottom <= g.bottom && r.top >= g.top + 30]; }), ["1001", "10", true]);
await page.keyboard.press(`${mod}+Home`);
await page.keyboard.press("ArrowUp");
await page.keyboard.press("Enter");
await ev(() => harness.afterPaint());
eq("ArrowUp to the header, Enter sorts", await ev(() => [t.head(0).getAttribute("aria-sort"), document.getElementById("newgrid").getAttribute("aria-activedescendant") === t.head(0).id]), ["ascending", true]);
await page.keyboard.press("Enter");
await page.keyboard.press("Enter");
const w0 = await ev(() => t.g.columnWidths[0]);
await page.keyboard.press("Alt+ArrowRight");
eq("Alt+Right on a header widens it", await ev(() => t.g.columnWidths[0]), w0 + 10);
await page.keyboard.press("Alt+ArrowLeft");
await page.keyboard.press("Escape");
eq("Escape clears the selection", await ev(() => document.querySelectorAll("#newgrid .sel, #newgrid .active").length), 0);

// focus style
await ev(() => document.getElementById("sql").focus()); // the SQL box comes just before the grid
await page.keyboard.press("Tab");
const focus = await ev(() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.id, s.outlineStyle, s.outlineWidth, s.outlineColor]; });
eq("Tab reaches the grid, visible focus ring", focus, ["newgrid", "solid", "2px", "rgb(15, 118, 110)"]);

// ---- accessibility (axe-core) ----
const axeStates = [];
axeStates.push(["rendered, focused", await ev(() => t.axe())]);
await ev(() => { t.g.sortBy(3, "asc"); t.g.select(1, 1, 4, 3); });
axeStates.push(["sorted, range selected", await ev(() => t.axe())]);
if (process.env.AXE_DEBUG) console.log(JSON.stringify(await ev(() => window.lastAxe), null, 1));
await ev(() => { t.g.select(0, 0); t.g.clearSelection(); t.g.render({ columns: [{ name: "a", type: "integer" }, { name: "b", type: "text", mask: "redact" }], rows: [] }); });
axeStates.push(["no rows", await ev(() => t.axe())]);
await ev(() => t.g.clear());
axeStates.push(["cleared", await ev(() => t.axe())]);
eq("cleared: no children, no grid role", await ev(() => [document.getElementById("newgrid").childNodes.length, document.getElementById("newgrid").getAttribute("role"), document.getElementById("newgrid").getBoundingClientRect().height]), [0, null, 0]);
for (const [state, v] of axeStates) check(`axe-core, ${state}: no violations`, v.length === 0, v.join("; "));

// ---- 100,000 rows ----
const big = await ev(async () => {
  const t0 = performance.now();
  await t.show(100000);
  const shown = performance.now() - t0;
  const rows = document.querySelectorAll("#newgrid .pg-body .pg-row:not([hidden])").length;
  await t.toBottom();
  const last = t.cell(99999, 0);
  let ms = {};
  for (const [j, name] of [[3, "decimal"], [1, "text"], [8, "timestamp"]]) {
    const s = performance.now();
    t.g.sortBy(j, "asc");
    ms[name] = Math.round(performance.now() - s);
  }
  return { shown, rows, last, ms, nodes: document.getElementById("newgrid").getElementsByTagName("*").length };
});
check("100k rows: at most ~50 rows in the DOM, last row reachable", big.rows < 60 && big.last === "100000", JSON.stringify(big));
check("100k rows: sorts in < 1.5 s", Object.values(big.ms).every((x) => x < 1500), JSON.stringify(big.ms));

// ---- more rows than a browser lets an element be tall (spacer scaled) ----
const huge = await ev(async () => {
  const rows = Array.from({ length: 2000000 }, (_, i) => [i + 1, i % 7 === 0 ? null : "r" + (i + 1)]);
  t.g.render({ columns: [{ name: "n", type: "integer" }, { name: "s", type: "text" }], rows });
  await harness.afterPaint();
  const s = document.getElementById("newgrid");
  const spacer = document.querySelector("#newgrid .pg-body").getBoundingClientRect().height;
  s.scrollTop = (s.scrollHeight - s.clientHeight) / 2;
  await harness.afterPaint();
  const g = s.getBoundingClientRect();
  const mid = document.elementFromPoint(g.left + 20, g.top + 40).textContent;
  await t.toBottom();
  const lastRow = t.row(1999999);
  const lastVisible = lastRow && lastRow.getBoundingClientRect().bottom <= g.bottom + 1 && lastRow.getBoundingClientRect().top >= g.top + 30;
  t.g.select(0, 0);
  s.dispatchEvent(new KeyboardEvent("keydown", { key: "End", ctrlKey: true, bubbles: true }));
  await harness.afterPaint();
  const active = document.getElementById(s.getAttribute("aria-activedescendant"));
  return { spacer, mid, last: t.cell(1999999, 0), lastVisible, active: active && active.textContent };
});
check("2,000,000 rows: spacer capped, middle and last rows reachable", huge.spacer <= 8e6 && Math.abs(Number(huge.mid) - 1000000) < 50 && huge.last === "2000000" && huge.lastVisible && huge.active === "r2000000", JSON.stringify(huge));
const auto = await ev(async () => {
  const s = document.getElementById("newgrid");
  s.style.height = "auto";
  const t0 = performance.now();
  t.g.render({ columns: [{ name: "n", type: "integer" }], rows: Array.from({ length: 100000 }, (_, i) => [i]) });
  await harness.afterPaint();
  const out = { ms: Math.round(performance.now() - t0), rows: document.querySelectorAll("#newgrid .pg-body .pg-row").length };
  s.style.removeProperty("height");
  return out;
});
check("a container without a definite height does not draw every row", auto.rows < 250 && auto.ms < 1000, JSON.stringify(auto));
await ev(() => t.show(1000));
eq("a new render() starts unsorted, unselected, at the top", await ev(() => [document.querySelectorAll("#newgrid [aria-sort], #newgrid .sel").length, document.getElementById("newgrid").scrollTop, t.cell(0, 0)]), [0, 0, "1"]);

// ---- hygiene ----
const violations = await ev(() => harness.violations);
check("no console errors, page errors or CSP violations", problems.length === 0 && violations.length === 0, [...problems, ...violations].join("; "));

await browser.close();
server.close();
console.log(`\nsorting 100,000 rows: ${Object.entries(big.ms).map(([k, v]) => `${k} ${v} ms`).join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
