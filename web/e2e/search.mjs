// Search in the browser (issue 14, item 1), in a tenant of the test's own whose conversations are indexed:
// a word typed without its accent finds its conversation, shown with the passage and the word marked, in
// place of the list; `/` focuses the field (and types nothing into it); Escape clears it and the list is
// back; in French the field's label and the empty result's sentence; axe-core with the results shown.
// Prints what it saw as JSON; tests/e2e/test_web_search.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, QUERY (a word, accent missing), FOUND_ID (its conversation),
// NOTHING (a word no conversation has).
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin, signIn } from "./browser.mjs";

const seen = { problems: [] };
const browser = await launch();
const shownIds = (page) =>
  page.locator(".conversation-row").evaluateAll((rows) => rows.map((row) => row.dataset.conversationId));

try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);
  const rows = page.locator(".conversation-row");
  await rows.nth(1).waitFor(); // the tenant's conversations: at least the first customer's and the one to find
  seen.listedBefore = await shownIds(page);

  // `/` from the list focuses the field, without typing itself into it.
  await rows.first().focus();
  await page.keyboard.press("/");
  const field = page.getByRole("searchbox", { name: "Search conversations" });
  seen.slashFocused = await field.evaluate((input) => document.activeElement === input);
  seen.valueAfterSlash = await field.inputValue();

  // Typed as a person types (the app asks as the typing pauses): the one conversation, its passage marked.
  await page.keyboard.type(env("QUERY"), { delay: 60 });
  await page.waitForFunction(
    (id) => {
      const shown = [...document.querySelectorAll(".conversation-row")];
      return shown.length === 1 && shown[0].dataset.conversationId === id && shown[0].querySelector(".passage mark");
    },
    env("FOUND_ID"),
    { timeout: 15_000 },
  );
  seen.foundIds = await shownIds(page);
  const passage = rows.first().locator(".passage");
  seen.passage = await passage.textContent();
  seen.marked = await passage.locator("mark").allTextContents();
  seen.markupInPassage = await passage.evaluate((element) => element.querySelectorAll(":not(mark):not(span)").length);
  seen.axeResults = await accessibilityViolations(page);

  // The query within the folder chosen: a view the conversation is not in shows nothing, and says so.
  await page.getByRole("button", { name: "Mine", exact: true }).click();
  await page.getByText(`No conversation matches “${env("QUERY")}” here.`).waitFor();
  seen.inMine = await shownIds(page);
  await page.getByRole("button", { name: "All", exact: true }).click();
  await rows.first().waitFor();

  // Escape clears the field and the list is back; a second Escape leaves the field.
  await field.focus();
  await page.keyboard.press("Escape");
  seen.valueAfterEscape = await field.inputValue();
  seen.stillFocused = await field.evaluate((input) => document.activeElement === input);
  await page.waitForFunction((count) => document.querySelectorAll(".conversation-row").length === count, seen.listedBefore.length);
  seen.listedAfterEscape = await shownIds(page);
  await page.keyboard.press("Escape");
  seen.leftAfterSecondEscape = await field.evaluate((input) => document.activeElement !== input);

  // In French: the label, the placeholder, and an empty result said in French.
  const french = await (await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } })).newPage();
  french.on("pageerror", (error) => seen.problems.push(`page error (fr): ${error.message}`));
  await french.goto(env("INBOX_URL"));
  await signIn(french, { language: "fr" });
  const champ = french.getByRole("searchbox", { name: "Rechercher dans les conversations" });
  await champ.fill(env("NOTHING"));
  const none = french.getByText(`Aucune conversation ne correspond à « ${env("NOTHING")} » ici.`);
  await none.waitFor({ timeout: 15_000 });
  seen.french = { placeholder: await champ.getAttribute("placeholder"), empty: await none.textContent() };
  seen.axeFrenchEmpty = await accessibilityViolations(french);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
