// Checks the committed bundle in headless Chromium under the server's strict CSP (plus a
// style nonce): it mounts, highlights, completes conn.schema.table names, runs the
// selection on Ctrl+Enter, formats, keeps the textarea in sync, lets Tab out after Escape,
// logs no error or CSP violation, and axe-core finds nothing serious or critical.
//   node check.mjs            (scripts/vendor-editor --check)
// Env: PROOST_CHROMIUM (default /usr/bin/chromium), SCREENSHOT (default /tmp/editor.png).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const assets = join(root, "crates/proost-server/src/assets");
const files = {
  "/editor.js": [join(assets, "vendor/editor.js"), "text/javascript"],
  "/app.css": [join(assets, "app.css"), "text/css"],
  "/axe.min.js": [join(root, "tests/web_ui/vendor/axe.min.js"), "text/javascript"],
};
const SCHEMA = {
  "sample_shop.main.customers": ["id", "name", "email", "country", "created_at"],
  "sample_shop.main.orders": ["id", "customer_id", "amount", "status", "ordered_at"],
  "sample_shop.main.products": ["id", "title", "price"],
  "warehouse.public.Events": ["event_id", "Kind", "payload"],
};
const EXAMPLE = "SELECT c.country, COUNT(*) AS orders, ROUND(SUM(o.amount), 2) AS revenue\n" +
  "FROM sample_shop.main.orders o\nJOIN sample_shop.main.customers c ON c.id = o.customer_id\n" +
  "GROUP BY c.country\nORDER BY revenue DESC";
const page = (nonce) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Editor check</title>${nonce ? `<meta name="csp-nonce" content="${nonce}">` : ""}
<link rel="stylesheet" href="/app.css"><script src="/editor.js" defer></script><script src="/page.js" defer></script>
</head><body><main><h1>SQL</h1><section class="editor"><div class="toolbar">
<label class="inline">Row limit <input id="limit" type="number" value="2000"></label><span class="spacer"></span>
<button class="primary" id="run" type="button">Run</button></div>
<textarea id="sql" spellcheck="false" rows="10">${EXAMPLE}</textarea></section>
<button id="after" type="button">Download CSV</button><section id="result"><p class="muted" id="status">Write a query and press Run (Ctrl+Enter).</p></section></main></body></html>`;
const pageJs = `"use strict";
window.runs = []; window.inputs = 0;
const box = document.getElementById("sql");
box.addEventListener("input", () => window.inputs++);
window.ed = ProostEditor.mount(box, { schema: ${JSON.stringify(SCHEMA)}, onRun: (sql) => window.runs.push(sql) });`;

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const nonce = randomBytes(16).toString("base64");
  const csp = `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
  let body, type;
  if (url.pathname === "/" || url.pathname === "/no-nonce") { body = page(url.pathname === "/" ? nonce : ""); type = "text/html"; }
  else if (url.pathname === "/page.js") { body = pageJs; type = "text/javascript"; }
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
  const p = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  const problems = [];
  p.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.type() + ": " + m.text()); });
  p.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  await p.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
  });
  await p.goto(base + path);
  await p.waitForSelector(".cm-editor .cm-content", { state: "attached", timeout: 10000 }).catch(() => console.log("not mounted:", problems));
  return { p, problems };
}

try {
  // Without the nonce the styles are refused: the reason the server must send one.
  {
    const { p } = await open("/no-nonce");
    const v = await p.evaluate(() => window.violations);
    ok(v.some((x) => x.startsWith("style-src")), "without a nonce, CSP refuses CodeMirror's <style> (control)", v.length);
    await p.close();
  }

  const { p, problems } = await open("/");
  const cm = p.locator(".cm-content");
  const shot = process.env.SCREENSHOT || "/tmp/editor.png";
  await cm.focus();
  await p.screenshot({ path: shot.replace(/\.png$/, "-initial.png") });
  ok(await p.evaluate(() => getComputedStyle(document.getElementById("sql")).display === "none"), "textarea hidden, editor mounted after it");
  ok(await p.evaluate(() => document.querySelector(".cm-content").getAttribute("aria-label")) === "SQL editor", 'aria-label="SQL editor" on the content');
  ok(await p.evaluate(() => [...document.querySelectorAll("style")].every((s) => s.nonce)), "every <style> carries the nonce");
  ok(await p.evaluate(() => getComputedStyle(document.querySelector(".cm-editor")).display === "flex"), "CodeMirror's base styles applied");
  const kw = await p.evaluate(() => {
    const span = [...document.querySelectorAll(".cm-line span")].find((s) => s.textContent === "SELECT");
    return span && getComputedStyle(span).color;
  });
  ok(kw === "rgb(109, 40, 217)", "keywords highlighted", kw);
  const fn = await p.evaluate(() => {
    const span = [...document.querySelectorAll(".cm-line span")].find((s) => s.textContent === "ROUND");
    return span && getComputedStyle(span).color;
  });
  ok(fn === "rgb(29, 78, 216)", "functions highlighted", fn);
  const font = await p.evaluate(() => getComputedStyle(document.querySelector(".cm-scroller")));
  ok(true, "font", await p.evaluate(() => { const s = getComputedStyle(document.querySelector(".cm-scroller")); return s.fontFamily.split(",")[0] + " " + s.fontSize; }));

  // Completion: conn → schema → table → column, and through an alias.
  const labels = () => p.evaluate(() => [...document.querySelectorAll(".cm-tooltip-autocomplete li .cm-completionLabel")].map((l) => l.textContent));
  // The list once it offers `want` (or after 3 s); then past CodeMirror's 75 ms guard
  // against accepting by accident.
  const offered = async (want) => {
    await p.waitForFunction((w) => [...document.querySelectorAll(".cm-tooltip-autocomplete li .cm-completionLabel")].some((l) => l.textContent === w), want, { timeout: 3000 }).catch(() => {});
    await p.waitForTimeout(120);
    return labels();
  };
  const complete = async (text, want) => {
    await p.keyboard.press("Escape");
    await p.evaluate((t) => window.ed.setValue(t), text);
    await cm.focus();
    await p.keyboard.press("Control+End");
    await p.keyboard.press("Control+Space");
    return offered(want);
  };
  await p.evaluate(() => window.ed.setValue("SELECT * FROM "));
  await cm.focus();
  await p.keyboard.press("Control+End");
  await p.keyboard.type("sample_shop.main.", { delay: 30 });
  const typed = await offered("customers");
  ok(typed.includes("customers") && typed.includes("orders"), "typing sample_shop.main. offers its tables", typed);
  await p.screenshot({ path: shot });
  await p.keyboard.press("Escape");
  let got = await complete("SELECT * FROM sam", "sample_shop");
  ok(got.includes("sample_shop") && got.includes("warehouse") === false, "connections at the top level", got.slice(0, 8));
  got = await complete("SELECT * FROM sample_shop.", "main");
  ok(got.length === 1 && got[0] === "main", "schemas after conn.", got);
  got = await complete("SELECT * FROM sample_shop.main.orders o WHERE o.", "amount");
  ok(got.includes("amount") && got.includes("customer_id"), "columns after an alias", got);
  got = await complete("SELECT * FROM sample_shop.main.customers.", "email");
  ok(got.includes("email"), "columns after a table", got);
  got = await complete("SELECT * FROM sample_shop.main.orders WHERE amo", "amount");
  ok(got.includes("amount"), "columns of the tables in the query, unqualified", got);
  got = await complete("SELECT approx_pe", "approx_percentile_cont");
  ok(got.includes("approx_percentile_cont"), "DataFusion functions", got);
  got = await complete("SELECT date_tr", "date_trunc");
  ok(got.includes("date_trunc"), "date_trunc", got);
  got = await complete("SELECT * FR", "FROM");
  ok(got.includes("FROM"), "keywords", got);
  got = await complete("SELECT * FROM warehouse.public.", "Events");
  ok(got.includes("Events"), "mixed-case table offered", got);
  await p.keyboard.press("Enter");
  ok((await p.evaluate(() => window.ed.getValue())).endsWith('warehouse.public."Events"'), "…and inserted quoted", await p.evaluate(() => window.ed.getValue()));
  got = await complete("SELECT cou", "count");
  ok(got[0] === "count", "count first for cou", got.slice(0, 4));
  await p.keyboard.press("Enter"); await p.keyboard.type("*");
  ok(await p.evaluate(() => window.ed.getValue()) === "SELECT count(*)", "a function completes as name(|)", await p.evaluate(() => window.ed.getValue()));

  // Ctrl+Enter: the selection, else everything.
  await p.evaluate(() => window.ed.setValue("SELECT 1;\nSELECT 2 AS two"));
  await cm.focus();
  await p.keyboard.press("Control+End");
  await p.keyboard.press("Shift+Home");
  await p.keyboard.press("Control+Enter");
  await p.keyboard.press("Control+End");
  await p.keyboard.press("Control+Enter");
  const runs = await p.evaluate(() => window.runs);
  ok(runs[0] === "SELECT 2 AS two" && runs[1] === "SELECT 1;\nSELECT 2 AS two", "Ctrl+Enter runs the selection, else all", runs);
  ok(await p.evaluate(() => window.ed.getValue()) === "SELECT 1;\nSELECT 2 AS two", "Ctrl+Enter inserts nothing");

  // Formatting, both shortcuts, one undo step.
  const messy = "select c.country,count(*) as n from sample_shop.main.customers c where c.id>1 group by c.country";
  await p.evaluate((t) => window.ed.setValue(t), messy);
  await cm.focus();
  await p.keyboard.press("Shift+Alt+F");
  const formatted = await p.evaluate(() => window.ed.getValue());
  ok(formatted.startsWith("SELECT\n  c.country,\n  count(*) AS n\nFROM\n  sample_shop.main.customers c\nWHERE"), "Shift+Alt+F formats", formatted);
  await p.keyboard.press("Control+z");
  ok(await p.evaluate(() => window.ed.getValue()) === messy, "undo takes the formatting back");
  await p.keyboard.press("Control+Shift+F");
  ok(await p.evaluate(() => window.ed.getValue()) === formatted, "Ctrl+Shift+F formats");
  ok(await p.evaluate(() => window.ed.format()) === true, "format() returns true");

  // The textarea follows, and setting it moves the editor.
  await p.keyboard.press("Control+End");
  await p.keyboard.type("\nLIMIT 5");
  await p.waitForTimeout(300);
  ok(await p.evaluate(() => document.getElementById("sql").value === window.ed.getValue() && window.ed.getValue().endsWith("LIMIT 5")), "textarea.value kept in sync");
  ok(await p.evaluate(() => window.inputs) > 0, "input events fired on the textarea", await p.evaluate(() => window.inputs));
  await p.evaluate(() => { document.getElementById("sql").value = "SELECT * FROM sample_shop.main.orders LIMIT 100"; });
  ok(await p.evaluate(() => window.ed.getValue()) === "SELECT * FROM sample_shop.main.orders LIMIT 100", "setting textarea.value updates the editor");
  ok(await p.evaluate(() => window.ed.getSelectionOrAll()) === "SELECT * FROM sample_shop.main.orders LIMIT 100", "getSelectionOrAll");

  // Tab indents; Escape then Tab leaves.
  await p.evaluate(() => window.ed.setValue("SELECT 1"));
  await cm.focus(); await p.keyboard.press("Home"); await p.keyboard.press("Tab");
  ok(await p.evaluate(() => window.ed.getValue()) === "  SELECT 1", "Tab indents");
  await p.keyboard.press("Escape"); await p.keyboard.press("Tab");
  ok(await p.evaluate(() => document.activeElement.id) === "after", "Escape, Tab leaves the editor",
     await p.evaluate(() => document.activeElement.outerHTML.slice(0, 60)));
  ok(await p.evaluate(() => window.ed.getValue()) === "  SELECT 1", "…without inserting a tab");

  // Height: at least 180px, at most 400px then scrolls.
  await p.evaluate(() => window.ed.setValue(Array.from({ length: 60 }, (_, i) => "SELECT " + i).join("\n")));
  const h = await p.evaluate(() => [document.querySelector(".cm-editor").getBoundingClientRect().height, document.querySelector(".cm-scroller").scrollHeight]);
  ok(h[0] <= 400 && h[1] > 400, "grows to 400px, then scrolls", h);
  await p.evaluate(() => window.ed.setValue(""));
  const h0 = await p.evaluate(() => document.querySelector(".cm-editor").getBoundingClientRect().height);
  ok(h0 >= 180, "at least 180px high", h0);

  // axe-core, injected the way the Rust tests do (WebDriver execute ≈ evaluate).
  await p.evaluate(() => window.ed.setValue("SELECT c.country, COUNT(*) AS orders -- per country\nFROM sample_shop.main.customers c\nWHERE c.name LIKE 'A%' AND c.id > 10\nGROUP BY 1"));
  await p.evaluate(readFileSync(files["/axe.min.js"][0], "utf8"));
  const axeRun = () => p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target }));
  });
  let v = await axeRun();
  ok(!v.some((x) => x.impact === "serious" || x.impact === "critical"), `axe ${await p.evaluate(() => window.axe.version)}: no serious/critical violations`, v);
  await cm.focus(); await p.keyboard.press("Control+End"); await p.keyboard.type("\nORDER BY c.", { delay: 30 });
  await p.waitForSelector(".cm-tooltip-autocomplete li");
  v = await axeRun();
  ok(!v.some((x) => x.impact === "serious" || x.impact === "critical"), "axe with the completion list open", v);
  await p.keyboard.press("Escape");
  await p.keyboard.press("Control+f");
  await p.waitForSelector(".cm-search");
  v = await axeRun();
  ok(!v.some((x) => x.impact === "serious" || x.impact === "critical"), "axe with the search panel open", v);
  await p.keyboard.press("Escape");

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
