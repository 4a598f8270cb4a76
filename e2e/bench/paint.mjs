// First paint and "scores painted" in headless Chromium, for the benchmark (backend/benches/
// http.rs runs it against the release server it started). Prints one line per figure: the
// median of RUNS page loads (default 15), in milliseconds from navigation start.
//   APP_URL   the running app        STATIC_URL  a static HTML page on the same server
//   COOKIE    a signed-in session cookie, `name=value`
//   PAINT_DEBUG=1 also prints every load's first contentful paint
import { chromium } from '@playwright/test';

const { APP_URL, STATIC_URL, COOKIE } = process.env;
const RUNS = Number(process.env.RUNS ?? 15);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

/** The page's first contentful paint, from the Paint Timing API. */
function firstContentfulPaint(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One load in a fresh context: a cold cache (the server's compression, not the browser's). */
async function cold(url, measure) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const time = await measure(page);
  await context.close();
  return time;
}

// The static page and the app take turns, so that a slow moment of a noisy machine falls on
// both and the ratio stays fair.
const staticPaints = [];
const landingPaints = [];
const landingReadies = [];
for (let run = 0; run < RUNS; run++) {
  staticPaints.push(await cold(STATIC_URL, firstContentfulPaint));
  landingPaints.push(await cold(APP_URL, firstContentfulPaint));
  landingReadies.push(
    await cold(APP_URL, async (page) => {
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      return page.evaluate(() => performance.now());
    }),
  );
}
if (process.env.PAINT_DEBUG) console.log(JSON.stringify({ staticPaints, landingPaints }));
const staticPaint = median(staticPaints);
const landingPaint = median(landingPaints);
const landingReady = median(landingReadies);

// Signed in, warm: the same context loads the dashboard once, then the measured runs.
const url = new URL(APP_URL);
const [name, ...value] = COOKIE.split('=');
const context = await browser.newContext();
await context.addCookies([{ name, value: value.join('='), domain: url.hostname, path: '/' }]);
const page = await context.newPage();
const scoresPainted = async () => {
  await page.goto(APP_URL);
  await page.locator('article.card[aria-label="Sleep score"]').waitFor();
  return page.evaluate(() => performance.now());
};
await scoresPainted();
const warm = [];
for (let run = 0; run < RUNS; run++) warm.push(await scoresPainted());
await browser.close();

const ms = (value) => `${value.toFixed(0).padStart(6)} ms`;
console.log(`static HTML page, first contentful paint      ${ms(staticPaint)}`);
console.log(`landing page, first contentful paint          ${ms(landingPaint)}   ${(landingPaint / staticPaint).toFixed(2)}x the static page`);
console.log(`landing page, heading painted                 ${ms(landingReady)}`);
console.log(`signed in, warm cache: scores painted         ${ms(median(warm))}`);
