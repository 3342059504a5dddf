// Live updates in two browser contexts of one admin (of a tenant the test makes for itself), driven step by step by the pytest that
// runs it (tests/e2e/test_web_live.py): this script prints `STEP <name> <json>` and reads the
// test's JSON answer from stdin (the test posts the webhooks, assigns, drops the sockets through
// the management API). Prints what it saw as JSON on its last line. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD.
import { createInterface } from "node:readline";
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();
async function step(name, data = {}) {
  console.log(`STEP ${name} ${JSON.stringify(data)}`);
  const { value, done } = await answers.next();
  if (done) throw new Error(`no answer to ${name}`);
  return JSON.parse(value);
}

// Context A's spy on notifications, its status history, and a gate that makes its socket's
// reconnections fail (a closed port) while the test says the server is unreachable.
function instrument() {
  window.__notifications = [];
  window.__liveStatuses = [];
  window.__blockLive = false;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(window.__blockLive ? "ws://127.0.0.1:9/live" : url, protocols);
    }
  };
  const Original = window.Notification;
  function Spy(title, options) {
    window.__notifications.push({ title, tag: options?.tag ?? null, body: options?.body ?? null });
    try {
      return new Original(title, options);
    } catch {
      return { close() {} };
    }
  }
  Object.defineProperty(Spy, "permission", { get: () => Original.permission });
  Spy.requestPermission = (...args) => Original.requestPermission(...args);
  window.Notification = Spy;
  new MutationObserver(() => {
    const status = document.querySelector("[data-live-status]")?.dataset.liveStatus;
    if (status && window.__liveStatuses.at(-1) !== status) window.__liveStatuses.push(status);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-live-status"] });
}

const seen = { problems: [] };
const browser = await launch();
try {
  const url = new URL(env("INBOX_URL"));
  const pages = [];
  for (const name of ["a", "b"]) {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    if (name === "a") await context.grantPermissions(["notifications"], { origin: url.origin });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    page.on("pageerror", (error) => seen.problems.push(`${name}: page error: ${error.message}`));
    await page.goto(url.href);
    await signIn(page);
    await page.locator(".conversation-row").first().waitFor();
    await page.locator('[data-live-status="online"]').waitFor();
    pages.push(page);
  }
  const [a, b] = pages;
  const inboxCount = (page) =>
    page.locator('[data-folder-id="inbox"] .count').textContent({ timeout: 1000 }).then(Number).catch(() => 0);
  const row = (page, id) => page.locator(`.conversation-row[data-conversation-id="${id}"]`);
  /** Epoch ms when the new conversation's row and the expected inbox counter were both on screen. */
  const arrival = async (page, id, count) => {
    await row(page, id).waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-folder-id="inbox"] .count')?.textContent ?? 0) === n,
      count,
      { timeout: 10_000, polling: 50 },
    );
    return Date.now();
  };

  // 1. A signed webhook's new conversation reaches both contexts, with the inbox counter, no reload.
  for (const page of pages) await page.evaluate(() => (window.__sameDocument = true)); // gone on a reload
  seen.titleBefore = await a.title();
  const first = await step("ready", { inboxCount: await inboxCount(a) });
  const [atA, atB] = await Promise.all([a, b].map((page) => arrival(page, first.conversationId, first.inboxUnread)));
  seen.arrival = { a: atA, b: atB };
  seen.titleAfter = await a.title();
  seen.favicon = await a.evaluate(() => document.querySelector('link[rel="icon"]')?.dataset.unread ?? null);

  // 2. Notifications: choose "mine" in the header's popover, open Y, then the customer answers on
  // Y (open: no notification) and on the first conversation (assigned to me: a notification).
  const settings = a.getByRole("button", { name: "Alerts" });
  await settings.click();
  await a.getByRole("radio", { name: "New conversations and replies on mine" }).check();
  seen.popoverViolations = await accessibilityViolations(a);
  await a.keyboard.press("Escape");
  seen.popoverClosed = (await a.locator(".notify-panel").count()) === 0;
  const setup = await step("notify-setup");
  await row(a, setup.openId).click();
  await a.locator(".timeline > li").first().waitFor();
  await a.evaluate(() => (window.__notifications = []));
  const replies = await step("open", { openId: setup.openId });
  await a.locator(".timeline .message", { hasText: replies.openReply }).waitFor({ timeout: 10_000 });
  await a.waitForFunction((tag) => window.__notifications.some((n) => n.tag === tag), setup.mineId, {
    timeout: 10_000,
  });
  await a.waitForTimeout(1000); // anything else told would have come by now
  seen.notifications = await a.evaluate(() => window.__notifications);

  // 3. The server drops every socket; B reconnects at once, A cannot reach it for a while and
  // misses a new conversation, then reconnects and catches up, without a reload.
  await a.evaluate(() => (window.__blockLive = true));
  await a.evaluate(() => (window.__liveStatuses = []));
  await b.evaluate(() => (window.__liveStatuses = []));
  const dropped = await step("drop");
  seen.dropped = dropped.dropped;
  await a.locator('[data-live-status="reconnecting"]').waitFor({ timeout: 10_000 });
  seen.reconnectingText = await a.locator("[data-live-status]").textContent();
  await b.locator('[data-live-status="online"]').waitFor({ timeout: 10_000 });
  const missed = await step("missed");
  const count = missed.inboxUnread;
  await arrival(b, missed.conversationId, count);
  seen.missedWhileOffline = (await row(a, missed.conversationId).count()) === 0;
  await a.evaluate(() => (window.__blockLive = false));
  await a.locator('[data-live-status="online"]').waitFor({ timeout: 40_000 });
  seen.caughtUp = await arrival(a, missed.conversationId, count).then(() => true);
  seen.statuses = {
    a: await a.evaluate(() => window.__liveStatuses),
    b: await b.evaluate(() => window.__liveStatuses),
  };
  seen.reloaded = await Promise.all(pages.map((page) => page.evaluate(() => window.__sameDocument !== true)));
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
  stdin.close(); // else node waits on stdin for good
}
