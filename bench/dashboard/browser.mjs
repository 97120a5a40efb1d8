// Opens a dashboard in headless Chromium and times navigation → every chart drawn
// (#dashboard[data-drawn] and a painted frame after it): the first open (cold), then warm.
//   node browser.mjs <base> <dashboard id> <warm runs>   (run from bench/grid, for its node_modules)
import { chromium } from "../grid/node_modules/playwright-core/index.mjs";

const [base, dash, runs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
await page.goto(base + "/login");
await page.fill("input[name=email]", process.env.BENCH_EMAIL);
await page.fill("input[name=password]", process.env.BENCH_PASSWORD);
await page.click("button[type=submit]");
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
const open = async () => {
  const t0 = Date.now();
  await page.goto(base + "/dashboards/" + dash);
  await page.waitForSelector("#dashboard[data-drawn='1']", { timeout: 30000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const charts = await page.$$eval("#d-grid canvas, #d-grid .kpi, #d-grid table", (e) => e.length);
  if (charts < 12) throw new Error("only " + charts + " charts drawn");
  return Date.now() - t0;
};
const cold = await open();
const warm = [];
for (let i = 0; i < Number(runs); i++) warm.push(await open());
await browser.close();
console.log(JSON.stringify({ cold, warm }));
