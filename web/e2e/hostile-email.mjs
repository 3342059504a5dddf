// A hostile email opened by a user: nothing in it may run, load or cover the app. The test that
// runs this (tests/e2e/test_web_inbox.py) watches its canary server for any request.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SUBJECT, CANARY (the canary's URL).
import { env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { dialogs: [], problems: [], requests: { before: [], after: [] } };
let phase = "before";
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
  page.on("dialog", (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url().startsWith(env("CANARY"))) seen.requests[phase].push(new URL(request.url()).pathname);
  });
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));

  await openAllAsAdmin(page);
  await page.locator(".conversation-row", { hasText: env("SUBJECT") }).click();
  const frame = page.locator(".email-html iframe");
  await frame.waitFor();
  await page.waitForTimeout(1500); // time for anything that could load or run to try

  seen.sandbox = await frame.getAttribute("sandbox");
  seen.imagesHeld = await page.getByRole("button", { name: "Show images" }).isVisible();
  // The overlay stays in its frame: the app's own controls are still what a click reaches.
  seen.topIsApp = await page.evaluate(() => {
    const element = document.elementFromPoint(5, 5);
    return element !== null && element.closest(".top-bar") !== null;
  });
  seen.signOutClickable = await page.getByRole("button", { name: "Sign out" }).isEnabled();
  seen.frameText = await page.frameLocator(".email-html iframe").locator("body").textContent();
  phase = "after";
  await page.getByRole("button", { name: "Show images" }).click();
  await page.waitForTimeout(1500);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
