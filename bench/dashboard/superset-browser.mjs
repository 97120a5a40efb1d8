// Opens a Superset dashboard in headless Chromium and times navigation → all charts drawn
// (every chart holder has a canvas or table and no loading indicator, then a painted frame):
// the first open (cold), then warm. Also returns the bodies of the POST /api/v1/chart/data
// requests of the first open, so bench/dashboard/superset can check it sends the same, and
// per open [navigation → first chart-data request, → last chart-data answer, → all drawn] (ms).
//   node superset-browser.mjs <base url> <dashboard id> <charts> <warm runs>
// Env: SUPERSET_USER, SUPERSET_PASSWORD, CHROMIUM (default /usr/bin/chromium),
// PLAYWRIGHT_CORE (a playwright-core directory; default ../grid/node_modules/playwright-core).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pw = process.env.PLAYWRIGHT_CORE || path.join(here, "../grid/node_modules/playwright-core");
const { chromium } = await import(pathToFileURL(path.join(pw, "index.mjs")).href);

const [base, dash, charts, runs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
// Tall enough for all 12 charts: Superset renders only charts near the viewport
// (DASHBOARD_VIRTUALIZATION, on by default).
const page = await browser.newPage({ viewport: { width: 1440, height: 3000 } });
await page.goto(base + "/login/");
await page.fill("#username", process.env.SUPERSET_USER);
await page.fill("#password", process.env.SUPERSET_PASSWORD);
await Promise.all([page.waitForNavigation(), page.click("input[type=submit]")]);

let bodies = null;
let firstData = null;
let lastData = null;
const isData = (r) => r.method() === "POST" && r.url().includes("/api/v1/chart/data");
page.on("request", (r) => {
  if (!isData(r)) return;
  if (firstData === null) firstData = Date.now();
  if (bodies) bodies.push({ url: r.url(), body: JSON.parse(r.postData()) });
});
page.on("requestfinished", (r) => { if (isData(r)) lastData = Date.now(); });
const phases = [];
const open = async () => {
  firstData = lastData = null;
  const t0 = Date.now();
  await page.goto(base + "/superset/dashboard/" + dash + "/");
  await page.waitForFunction((n) => {
    const hs = document.querySelectorAll(".dashboard-component-chart-holder");
    if (hs.length < n) return false;
    for (const h of hs) {
      if (h.querySelector("[aria-label=Loading], .loading, [data-test=loading-indicator]")) return false;
      if (!h.querySelector(".slice_container canvas, .slice_container table")) return false;
    }
    return true;
  }, Number(charts), { timeout: 60000, polling: "raf" });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const t = Date.now() - t0;
  // navigation → first chart-data request; → last chart-data answer; total
  phases.push([firstData - t0, lastData - t0, t]);
  return t;
};
bodies = [];
const cold = await open();
const captured = bodies;
bodies = null;
const warm = [];
for (let i = 0; i < Number(runs); i++) warm.push(await open());
await browser.close();
console.log(JSON.stringify({ cold, warm, phases, bodies: captured }));
