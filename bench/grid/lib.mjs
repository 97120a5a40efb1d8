// Shared by bench.mjs and check.mjs: a tiny static server for the harness page (with the
// app's own Content-Security-Policy) and a headless Chromium through playwright-core.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ASSETS = path.resolve(here, "../../crates/proost-server/src/assets");
// Same header as crates/proost-server/src/http/layers.rs.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json" };

// Deterministic test data: 10 columns of the types the query API sends (decimals,
// dates and timestamps as strings, as crates/proost-app/src/query/json.rs writes them).
export const COLUMNS = [
  { name: "id", type: "integer" },
  { name: "customer", type: "text" },
  { name: "email", type: "text", mask: "partial" },
  { name: "amount", type: "decimal" },
  { name: "ratio", type: "float" },
  { name: "quantity", type: "integer" },
  { name: "active", type: "boolean" },
  { name: "order_date", type: "date" },
  { name: "updated_at", type: "timestamp" },
  { name: "attributes", type: "json" },
];
const FIRST = ["Ana", "Bo", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kemal", "Lea"];
const LAST = ["Silva", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Dubois", "Smith", "Haddad"];
const pad = (n, w = 2) => String(n).padStart(w, "0");

export function makeResult(n, seed = 7) {
  let s = seed >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const maybe = (v, p = 0.05) => (rnd() < p ? null : v);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST), last = pick(LAST);
    const y = 2020 + Math.floor(rnd() * 6), m = 1 + Math.floor(rnd() * 12), d = 1 + Math.floor(rnd() * 28);
    rows[i] = [
      i + 1,
      first + " " + last,
      maybe(first[0].toLowerCase() + "***@example.com"),
      maybe((rnd() * 5000).toFixed(2)),
      maybe(rnd() * 3 - 1 + 0.1 + 0.2),
      maybe(1 + Math.floor(rnd() * 40)),
      maybe(rnd() < 0.7, 0.02),
      maybe(`${y}-${pad(m)}-${pad(d)}`),
      maybe(`${y}-${pad(m)}-${pad(d)}T${pad(Math.floor(rnd() * 24))}:${pad(Math.floor(rnd() * 60))}:${pad(Math.floor(rnd() * 60))}.${pad(Math.floor(rnd() * 1000), 3)}`),
      maybe({ channel: pick(["web", "shop", "phone"]), tags: [pick(["new", "vip", "b2b"])], score: Math.floor(rnd() * 100) }, 0.2),
    ];
  }
  return { columns: COLUMNS, rows, row_count: n, truncated: false, elapsed_ms: 1 };
}

export async function serve() {
  const cache = new Map();
  const files = {
    "/assets/grid.js": path.join(ASSETS, "grid.js"),
    "/assets/grid.css": path.join(ASSETS, "grid.css"),
    "/assets/app.css": path.join(ASSETS, "app.css"),
    "/vendor/axe.min.js": path.join(here, "node_modules/axe-core/axe.min.js"),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let p = url.pathname;
    let body, type;
    const data = p.match(/^\/data\/(\d+)\.json$/);
    try {
      if (data) {
        const n = Number(data[1]);
        if (!cache.has(n)) cache.set(n, Buffer.from(JSON.stringify(makeResult(n))));
        body = cache.get(n);
        type = TYPES[".json"];
      } else {
        if (p === "/") p = "/bench.html";
        // Assets are read from disk on every request, so a run always measures the current files.
        const file = files[p] || (/^\/[\w.-]+$/.test(p) ? path.join(here, "page", p) : null);
        if (!file) throw new Error("not found");
        body = fs.readFileSync(file);
        type = TYPES[path.extname(file)] || "application/octet-stream";
      }
    } catch (_) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": type, "Content-Security-Policy": CSP, "Cache-Control": "no-store" });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export async function waitForChromium(exe, seconds = 600) {
  for (let i = 0; i < seconds; i++) {
    if (fs.existsSync(exe)) return;
    if (i === 0) console.error(`waiting for ${exe} (apt-get install -y chromium)…`);
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  throw new Error(`${exe} not found`);
}

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function launch() {
  await waitForChromium(CHROMIUM);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
  });
}

// Console errors, page errors and CSP violations of a page, collected.
export function watch(page) {
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  return problems;
}
