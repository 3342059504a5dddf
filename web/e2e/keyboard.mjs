// A keyboard-only walk: Tab to the All view, move in the list, open, reply, leave the field, resolve,
// the `?` list (axe-core on it; Tab stays in it; Esc gives the focus back), close. No mouse.
// Prints what it saw as JSON. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, REPLY.
import { accessibilityViolations, env, launch } from "./browser.mjs";

const seen = { problems: [] };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  const focused = () =>
    page.evaluate(() => {
      const element = document.activeElement;
      return element?.getAttribute("data-conversation-id") ?? element?.tagName.toLowerCase() ?? null;
    });

  await page.goto(env("INBOX_URL"));
  // The form renders once /config.json has loaded: a key pressed before it is lost.
  await page.getByLabel("Email").waitFor({ state: "visible" });
  await page.keyboard.press("Tab"); // the email field comes first
  await page.keyboard.type(env("INBOX_EMAIL"));
  await page.keyboard.press("Tab");
  await page.keyboard.type(env("INBOX_PASSWORD"));
  await page.keyboard.press("Enter");
  const rows = page.locator(".conversation-row");
  await rows.nth(1).waitFor();
  // Tab to the All view, as far as it is, and choose it.
  for (let tab = 0; tab < 40; tab += 1) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent)) === "All") break;
  }
  await page.keyboard.press("Enter");
  await page.locator(".conversation-list h2", { hasText: "All" }).waitFor();
  await rows.nth(1).waitFor();
  const ids = await rows.evaluateAll((items) => items.map((item) => item.dataset.conversationId));

  await page.keyboard.press("j");
  seen.afterJ = await focused();
  await page.keyboard.press("j");
  seen.afterJJ = await focused();
  await page.keyboard.press("k");
  seen.afterJJK = await focused();
  seen.focusVisible = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== "none");
  await page.keyboard.press("Enter");
  await page.locator(".timeline > li").first().waitFor();
  seen.opened = await page.locator('.conversation-row[aria-current="true"]').getAttribute("data-conversation-id");

  await page.keyboard.press("r");
  await page.waitForFunction(() => document.activeElement?.tagName === "TEXTAREA");
  await page.keyboard.type(env("REPLY"));
  await page.keyboard.press("Control+Enter");
  await page.locator(".message.outbound", { hasText: env("REPLY") }).waitFor();
  await page.keyboard.press("Escape"); // leave the text field
  await page.keyboard.press("e");
  await page.locator(`.conversation-row[data-conversation-id="${seen.opened}"] .status`, { hasText: "Resolved" }).waitFor();

  const focusBeforeHelp = await page.evaluateHandle(() => document.activeElement);
  await page.keyboard.press("?");
  seen.help = await page.getByRole("dialog", { name: "Keyboard shortcuts" }).isVisible();
  seen.helpAxe = await accessibilityViolations(page);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  seen.helpKeepsFocus = await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
  await page.keyboard.press("Escape");
  seen.helpAfterEscape = await page.getByRole("dialog").count();
  seen.helpGaveFocusBack = await focusBeforeHelp.evaluate((element) => element === document.activeElement);
  await page.keyboard.press("Escape"); // close the conversation
  await page.getByText("Choose a conversation.").waitFor();
  seen.focusAfterClose = await focused();
  seen.ids = ids;
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
