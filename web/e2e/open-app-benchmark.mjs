// benchmarks/web_app.py's browser side: opens the app RUNS times, each in a fresh context (nothing
// cached), signing in as the demo admin, and a static page as many times, interleaved. Prints JSON:
// per run the app's times (ms from navigation start: sign-in form shown, Sign in pressed, first
// conversation row; `origin`: that start, ms since the epoch) and every request it made until the
// list was shown and 2 s after (start and end, ms since the epoch); the static page's load time. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, STATIC_URL, RUNS.
import { env, launch, signIn } from "./browser.mjs";

// Before any script of the page: the moments the benchmark needs, in the page's own clock.
const MARKS = () => {
  window.__marks = { origin: performance.timeOrigin };
  const mark = (name) => {
    if (!(name in window.__marks)) window.__marks[name] = performance.now();
  };
  new MutationObserver(() => {
    if (document.querySelector("input[type=password]")) mark("signInShown");
    if (document.querySelector(".conversation-row")) mark("listShown");
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener("submit", () => mark("submitted"), true);
  addEventListener("load", () => mark("loaded"));
};

async function openApp(browser) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
  await context.addInitScript(MARKS);
  const page = await context.newPage();
  // Times in ms since the epoch, as the page's marks are once its timeOrigin is added.
  const requests = [];
  const entries = new Map();
  page.on("request", (request) => {
    const entry = { method: request.method(), url: request.url(), start: Date.now(), end: null };
    entry.target = request.headers()["x-amz-target"] ?? null;
    entries.set(request, entry);
    requests.push(entry);
  });
  page.on("requestfinished", (request) => {
    const entry = entries.get(request);
    const timing = request.timing();
    if (entry && timing.startTime > 0) {
      entry.start = timing.startTime;
      entry.end = timing.startTime + timing.responseEnd;
    }
  });
  page.on("websocket", (socket) => requests.push({ method: "WS", url: socket.url().split("?")[0], start: Date.now(), end: null }));
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.locator(".conversation-row").first().waitFor();
  await page.waitForTimeout(2000); // what comes after the list is counted too
  const marks = await page.evaluate(() => window.__marks);
  await context.close();
  return { marks, requests };
}

async function openStatic(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(MARKS);
  const page = await context.newPage();
  await page.goto(env("STATIC_URL"), { waitUntil: "load" });
  const marks = await page.evaluate(() => window.__marks);
  await context.close();
  return marks;
}

const browser = await launch();
try {
  const runs = [];
  await openStatic(browser); // the browser's own first start is nobody's
  for (let run = 0; run < Number(env("RUNS")); run += 1) {
    const statics = await openStatic(browser);
    const app = await openApp(browser);
    runs.push({ static: statics, app });
  }
  console.log(JSON.stringify({ runs }));
} finally {
  await browser.close();
}
