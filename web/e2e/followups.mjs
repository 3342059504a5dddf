// Follow-ups and snooze in the browser (issue 13, item 6), in a tenant of the test's own: from the
// conversation, a message to send in two days "only if no answer" is scheduled and listed; a reminder
// is scheduled and cancelled; the conversation is snoozed until tomorrow 9:00 (a preset), leaves the
// list, shows in the Snoozed view, and comes back with Unsnooze; the panel and the view in French.
// axe-core on the form, the snooze menu and the Snoozed view. Prints what it saw as JSON;
// tests/e2e/test_web_followups.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, FOLLOW_UP_TEXT.
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);
  const rows = page.locator(".conversation-row");
  await rows.first().waitFor();
  seen.conversationId = await rows.first().getAttribute("data-conversation-id");
  const row = page.locator(`.conversation-row[data-conversation-id="${seen.conversationId}"]`);
  await row.click();

  // Follow up: a message to send in two days at 10:00, if the customer has not answered by then.
  const panel = page.getByRole("region", { name: "Follow-ups" });
  await panel.getByRole("button", { name: "Follow up" }).click();
  const form = page.locator("#follow-up-form");
  const inTwoDays = await page.evaluate(() => {
    const at = new Date(Date.now() + 2 * 86_400_000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T10:00`;
  });
  await form.getByLabel("When").fill(inTwoDays);
  await form.getByLabel("What to do").selectOption("send");
  await form.getByLabel("Message to send").fill(env("FOLLOW_UP_TEXT"));
  seen.onlyIfNoAnswer = await form.getByLabel("Only if the customer has not answered by then").isChecked();
  seen.axe.form = await accessibilityViolations(page);
  await form.getByRole("button", { name: "Schedule" }).click();
  await panel.getByRole("status").waitFor();
  seen.scheduled = await panel.getByRole("status").textContent();
  await panel.locator(".follow-up").first().waitFor();

  // A reminder tomorrow (the form's default time), cancelled: it stays listed as cancelled.
  await panel.getByRole("button", { name: "Follow up" }).click();
  await form.getByLabel("What to do").selectOption("remind");
  await form.getByRole("button", { name: "Schedule" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".follow-up").length === 2);
  const reminder = panel.locator(".follow-up").first(); // newest first
  await reminder.getByRole("button", { name: /^Cancel the follow-up of / }).click();
  await reminder.locator(".follow-up-state", { hasText: "Cancelled" }).waitFor();
  seen.states = await panel.locator(".follow-up-state").allTextContents();
  seen.cancelButtons = await panel.getByRole("button", { name: /^Cancel the follow-up of / }).count();

  // Snooze until tomorrow 9:00: out of the list, into the Snoozed view; Unsnooze brings it back.
  await page.getByRole("button", { name: "Snooze", exact: true }).click();
  const menu = page.getByRole("group", { name: "Snooze until" });
  seen.presets = (await menu.locator(":scope > button").allTextContents()).map((text) => text.replace(/ \(.*\)$/, ""));
  seen.axe.snoozeMenu = await accessibilityViolations(page);
  await menu.getByRole("button", { name: /^Tomorrow/ }).click();
  await page.locator(".snoozed-until").waitFor();
  seen.snoozedUntil = await page.locator(".snoozed-until").textContent();
  await row.waitFor({ state: "detached" });
  seen.leftTheList = true;
  await page.getByRole("button", { name: "Snoozed", exact: true }).click();
  await row.waitFor();
  seen.inSnoozedView = await rows.evaluateAll((found) => found.map((r) => r.getAttribute("data-conversation-id")));
  seen.axe.snoozedView = await accessibilityViolations(page);
  await row.click(); // choosing a view closed the conversation
  await page.locator(".snoozed-until").waitFor();

  // In French: the view's name, the panel, the snoozed conversation's line.
  await page.getByRole("combobox", { name: "Language" }).selectOption("fr");
  await page.getByRole("heading", { name: "Relances" }).waitFor();
  await page.locator(".follow-ups .follow-up").nth(1).waitFor();
  seen.french = {
    view: (await page.locator('.folder-pane [aria-current="page"]').textContent()).trim(),
    snoozed: await page.locator(".snoozed-until").textContent(),
    states: await page.locator(".follow-ups .follow-up-state").allTextContents(),
  };
  await page.getByRole("combobox", { name: "Langue" }).selectOption("en");

  await page.getByRole("button", { name: "Unsnooze" }).click();
  await row.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "All", exact: true }).click();
  await row.waitFor();
  seen.backInAll = true;
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
