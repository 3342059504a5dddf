// Business hours and a folder's nudges in the browser (issue 13, item 6), in a tenant of the test's own:
// an admin sets the time zone, a split Monday (an overlap refused first), a Saturday night shift, no
// Friday and a holiday on Settings → Business hours, then turns on a folder's automatic follow-up; axe-core
// on both screens, and the hours screen once more in French. Prints what it saw as JSON;
// tests/e2e/test_web_nudges.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, FOLDER_NAME, NUDGE_TEXT.
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  const settingsNav = page.getByRole("navigation", { name: "Settings" });
  await settingsNav.getByRole("link", { name: "Business hours" }).click();
  await page.getByRole("heading", { level: 1, name: "Business hours" }).waitFor();
  const form = page.locator("form.hours-form");
  await form.waitFor();
  seen.defaults = await form.locator(".notice").textContent();

  await form.getByLabel("Time zone").selectOption("America/New_York");
  // A second Monday opening overlapping the first: named, and nothing can be saved until it is mended.
  await form.getByRole("button", { name: "Add hours on Monday" }).click();
  const monday = form.locator('tr[data-day="monday"]');
  seen.overlap = await monday.locator(".error").textContent();
  seen.saveDisabledOnOverlap = await form.getByRole("button", { name: "Save" }).isDisabled();
  await form.getByLabel("Monday, opening 1: to").fill("12:30");
  await monday.locator(".error").waitFor({ state: "detached" });
  // A Saturday night shift, Friday closed, Christmas a holiday.
  await form.getByRole("button", { name: "Add hours on Saturday" }).click();
  await form.getByLabel("Saturday, opening 1: from").fill("22:00");
  await form.getByLabel("Saturday, opening 1: to").fill("06:00");
  seen.nightShift = await form.locator('tr[data-day="saturday"] .openings li .muted').textContent();
  await form.getByRole("button", { name: "Remove Friday's opening 1" }).click();
  seen.friday = await form.locator('tr[data-day="friday"] td').innerText();
  await form.getByRole("button", { name: "Add a holiday" }).click();
  await form.getByLabel("Holiday 1", { exact: true }).fill("2026-12-25");
  seen.axe.hours = await accessibilityViolations(page);
  await form.getByRole("button", { name: "Save" }).click();
  seen.saved = await form.getByRole("status").textContent();

  // A folder's automatic follow-up.
  await settingsNav.getByRole("link", { name: "Folders" }).click();
  await page.getByRole("heading", { level: 1, name: "Folders" }).waitFor();
  await page.getByRole("button", { name: "New folder" }).click();
  const editor = page.locator("form.folder-editor");
  await editor.getByLabel("Name", { exact: true }).fill(env("FOLDER_NAME"));
  const nudge = editor.getByRole("group", { name: "Automatic follow-up" });
  seen.disabledWhileOff = await nudge.getByLabel("Follow-up message").isDisabled();
  await nudge.getByRole("switch", { name: "Follow up when the customer does not answer" }).check();
  await nudge.getByLabel("After (hours without an answer)").fill("24");
  await nudge.getByLabel("At most (follow-ups), then resolve").fill("3");
  await nudge.locator("select[name=nudge_mode]").selectOption("validation");
  await nudge.getByLabel("Follow-up message").fill(env("NUDGE_TEXT"));
  seen.axe.folderNudge = await accessibilityViolations(page);
  await editor.getByRole("button", { name: "Save" }).click();
  await editor.waitFor({ state: "detached" });

  // The hours screen again, in French, as saved.
  await page.getByRole("combobox", { name: "Language" }).selectOption("fr");
  await page.locator(".settings-nav").getByRole("link", { name: "Horaires d'ouverture" }).click();
  await page.getByRole("heading", { level: 1, name: "Horaires d'ouverture" }).waitFor();
  await page.locator("form.hours-form").waitFor();
  seen.frenchZone = await page.getByLabel("Fuseau horaire").inputValue();
  seen.frenchMonday = await page.locator('tr[data-day="monday"] th').textContent();
  seen.axe.hoursFrench = await accessibilityViolations(page);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
