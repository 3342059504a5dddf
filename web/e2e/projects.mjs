// Projects in the browser (issue 13, item 7), in a tenant of the test's own with two conversations: an
// admin adds a project on Settings → Projects, links the first conversation to it from the conversation,
// creates a second project on the spot from the other conversation, filters the list by the first project,
// archives it (no longer offered); axe-core on the settings screen, the picker and the on-the-spot form.
// Prints what it saw as JSON; tests/e2e/test_web_projects.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, PROJECT, REFERENCE, PROJECT_URL, SPOT_PROJECT.
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);
  const rows = page.locator(".conversation-row");
  await rows.nth(1).waitFor();

  // Settings → Projects: add one with its reference and link.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
  const add = page.getByRole("form", { name: "Add a project" });
  await add.getByLabel("Name").fill(env("PROJECT"));
  await add.getByLabel("Reference").fill(env("REFERENCE"));
  await add.getByLabel("Link").fill(env("PROJECT_URL"));
  // Added at once, maybe before the list's first read has come back (a quick person may): the row must show
  // all the same (it did not while that read's answer counted as the list after the add). Its answer to
  // the POST is waited for, and said if it is an error, to tell a refused add from a row not shown.
  const created = page.waitForResponse(
    (response) => response.url().endsWith("/inbox/projects") && response.request().method() === "POST",
    { timeout: 60_000 },
  );
  await add.getByRole("button", { name: "Add the project" }).click();
  const answer = await created;
  if (!answer.ok()) seen.problems.push(`POST /projects answered ${answer.status()}: ${await answer.text()}`);
  const row = page.locator(".project-list tbody tr", { hasText: env("PROJECT") });
  await row.waitFor({ timeout: 60_000 });
  seen.settingsRow = (await row.locator("th, td").allInnerTexts()).map((cell) => cell.trim());
  seen.axe.settings = await accessibilityViolations(page);
  await page.getByRole("link", { name: "Back to the inbox" }).click();

  // The first conversation linked to it from its actions: the link to the outside system shows.
  await rows.nth(1).waitFor();
  await rows.nth(0).click();
  const picker = page.locator("select[name=project]");
  await picker.selectOption({ label: `${env("PROJECT")} (${env("REFERENCE")})` });
  const outside = page.locator(".project-link");
  await outside.waitFor();
  seen.outsideLink = { text: await outside.textContent(), href: await outside.getAttribute("href") };
  seen.firstId = await rows.nth(0).getAttribute("data-conversation-id");
  seen.axe.picker = await accessibilityViolations(page);

  // The other conversation: a project created on the spot, and linked.
  seen.spotId = await rows.nth(1).getAttribute("data-conversation-id");
  await rows.nth(1).click();
  await picker.selectOption("__new__");
  const spot = page.getByRole("form", { name: "New project" });
  await spot.getByLabel("Name").fill(env("SPOT_PROJECT"));
  seen.axe.spotForm = await accessibilityViolations(page);
  await spot.getByRole("button", { name: "Create and link" }).click();
  await spot.waitFor({ state: "detached" });
  await page.waitForFunction(
    (name) => document.querySelector("select[name=project]")?.selectedOptions[0]?.textContent === name,
    env("SPOT_PROJECT"),
  );
  seen.spotLinked = await picker.evaluate((select) => select.selectedOptions[0].textContent);

  // The list filtered by the first project: the URL keeps it.
  const filter = page.locator("select[name=filter-project]");
  await filter.hover();
  await filter.selectOption({ label: `${env("PROJECT")} (${env("REFERENCE")})` });
  await page.waitForFunction(() => document.querySelectorAll(".conversation-row").length === 1);
  seen.filtered = await rows.evaluateAll((found) => found.map((r) => r.getAttribute("data-conversation-id")));
  seen.urlHasProject = new URL(page.url()).searchParams.has("project");

  // Archived, it is no longer offered on a conversation (but still shown where it is linked).
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Projects" }).click();
  await row.getByRole("button", { name: "Archive" }).click();
  await row.getByText("Archived").waitFor();
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await page.locator("select[name=filter-project]").selectOption("");
  await rows.nth(1).waitFor();
  await rows.nth(1).click();
  await picker.focus();
  await page.waitForFunction(() => document.querySelectorAll("select[name=project] option").length > 2);
  seen.offeredAfterArchive = await picker.evaluate((select) => [...select.options].map((o) => o.textContent));
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
