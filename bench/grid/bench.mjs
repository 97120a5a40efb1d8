// Grid benchmark: the old <table> renderGrid against ProostGrid, in headless Chromium.
// See README.md. Usage: node bench.mjs [--runs N] [--sizes 2000,20000,100000] [--timeout S]
import os from "node:os";
import { serve, launch, watch } from "./lib.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf("--" + name); return i >= 0 ? args[i + 1] : dflt; };
const RUNS = Number(opt("runs", 11));
const SIZES = opt("sizes", "2000,20000,100000").split(",").map(Number);
const TIMEOUT_S = Number(opt("timeout", 20));
const TIMEOUT = Symbol("timeout");

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2; };
const fmtMs = (x) => (x >= 1000 ? (x / 1000).toFixed(2) + " s" : x >= 100 ? x.toFixed(0) + " ms" : x.toFixed(1) + " ms");
const fmtN = (x) => x.toLocaleString("en-US");

const { server, origin } = await serve();
let browser = await launch();
const version = browser.version();
const problems = [];

async function once(which, n) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(origin + "/bench.html");
  const load = await page.evaluate((n) => harness.load(n), n);
  const timer = new Promise((ok) => setTimeout(() => ok(TIMEOUT), TIMEOUT_S * 1000));
  const paint = await Promise.race([page.evaluate((w) => harness.firstPaint(w), which), timer]);
  if (paint === TIMEOUT) {
    // The renderer is stuck in renderGrid: the only way out is to drop the browser.
    await browser.close().catch(() => {});
    browser = await launch();
    return { timeout: true, parseMs: load.parseMs };
  }
  const scroll = await page.evaluate((w) => harness.scrollMiddle(w), which);
  const smooth = await page.evaluate((w) => harness.scrollSmooth(w), which);
  const nodes = await page.evaluate(() => harness.nodes());
  const violations = await page.evaluate(() => harness.violations.slice());
  problems.push(...seen.map((p) => `${which} ${n}: ${p}`), ...violations.map((v) => `${which} ${n}: CSP ${v}`));
  await context.close();
  return { ...load, ...paint, scroll, smooth, nodes };
}

const rows = [];
for (const n of SIZES) {
  for (const which of ["old", "new"]) {
    // The old table is slow at scale: fewer repeats.
    const runs = which === "old" ? (n >= 100000 ? 1 : n >= 20000 ? Math.min(RUNS, 2) : Math.min(RUNS, 3)) : RUNS;
    const rs = [];
    for (let i = 0; i < runs; i++) {
      const r = await once(which, n);
      rs.push(r);
      if (r.timeout) break;
    }
    const ok = rs.filter((r) => !r.timeout);
    const row = { n, which, runs: rs.length, parse: median(rs.map((r) => r.parseMs)) };
    if (!ok.length) row.timeout = true;
    else {
      row.render = median(ok.map((r) => r.renderMs));
      row.paint = median(ok.map((r) => r.paintMs));
      row.paintMax = Math.max(...ok.map((r) => r.paintMs));
      row.scroll = median(ok.map((r) => r.scroll.ms));
      row.smooth = median(ok.map((r) => r.smooth.mean));
      row.smoothMax = median(ok.map((r) => r.smooth.max));
      row.nodes = ok[0].nodes.document;
      row.mid = ok[0].scroll.rowAtMiddle;
    }
    rows.push(row);
    process.stderr.write(`  ${which} ${n}: ${row.timeout ? "> " + TIMEOUT_S + " s" : fmtMs(row.paint)}\n`);
  }
}
await browser.close();
server.close();

console.log(`\nChromium ${version}, headless, 1280×800; ${os.cpus().length} cores; median of the runs shown.`);
console.log("Times start with the JSON parsed (JSON.parse shown apart); paint = render() + style/layout/paint, up to the first task after the next frame.");
console.log("Scrolling: 3 rows (84 px) a frame for 60 frames from the middle; 16.7 ms/frame is 60 fps.\n");
const head = ["rows × 10 cols", "grid", "runs", "JSON.parse", "render()", "→ first paint", "(slowest)", "arrival → scrollable", "scroll to middle → paint", "scrolling: ms/frame (max)", "DOM nodes", "row at middle"];
const out = [head];
for (const r of rows) {
  const name = r.which === "old" ? "old <table>" : "ProostGrid";
  if (r.timeout) out.push([fmtN(r.n), name, String(r.runs), fmtMs(r.parse), "—", `> ${TIMEOUT_S} s`, "—", `> ${TIMEOUT_S} s`, "—", "—", "—", "—"]);
  else out.push([fmtN(r.n), name, String(r.runs), fmtMs(r.parse), fmtMs(r.render), fmtMs(r.paint), fmtMs(r.paintMax), fmtMs(r.parse + r.paint), fmtMs(r.scroll), `${r.smooth.toFixed(1)} (${r.smoothMax.toFixed(0)})`, fmtN(r.nodes), String(r.mid)]);
}
const w = head.map((_, i) => Math.max(...out.map((r) => r[i].length)));
const line = (r) => "| " + r.map((c, i) => (i >= 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join(" | ") + " |";
console.log(line(out[0]));
console.log("| " + w.map((x, i) => (i >= 2 ? "-".repeat(x - 1) + ":" : "-".repeat(x))).join(" | ") + " |");
for (const r of out.slice(1)) console.log(line(r));

// Goals.
const g2k = rows.find((r) => r.which === "new" && r.n === 2000);
const g100k = rows.find((r) => r.which === "new" && r.n === 100000);
console.log("");
if (g2k) console.log(`goal: 2,000 rows drawn in < 100 ms: median ${fmtMs(g2k.paint)}, slowest ${fmtMs(g2k.paintMax)} — ${g2k.paint < 100 ? "met" : "NOT MET"}`);
if (g100k) console.log(`goal: 100,000 rows scrollable within 1 s of arrival: ${fmtMs(g100k.parse + g100k.paint)} — ${g100k.parse + g100k.paint < 1000 ? "met" : "NOT MET"}`);
if (problems.length) {
  console.log("\nconsole errors / CSP violations:");
  for (const p of problems) console.log("  " + p);
  process.exitCode = 1;
} else console.log("no console errors, no CSP violations");
