// The AI's drafts in the conversation (issue 12, items 5 and 7): a validation-mode folder's draft edited
// and sent, "Suggest a reply" by its key, the summary and its "newer messages since", French words.
// Prints what it saw as JSON; tests/e2e/test_web_drafts.py checks the fake Vonage and the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SMS_TEXT (the customer's message), EDITED (the text sent).
import { accessibilityViolations, env, launch, openAllAsAdmin, settledDelivery } from "./browser.mjs";

const seen = { problems: [], axe: {} };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await openAllAsAdmin(page);
  await page.locator(".conversation-row", { hasText: env("SMS_TEXT") }).first().click();
  await page.locator('.conversation-row[aria-current="true"]', { hasText: env("SMS_TEXT") }).waitFor();
  const conversation = page.locator("section.conversation");

  // The validation folder's draft, above the composer (arrived before the opening, or live after it).
  const card = conversation.locator(".draft-card");
  await card.first().waitFor({ timeout: 60_000 });
  seen.draftsAboveComposer = await page.evaluate(() => {
    const drafts = document.querySelector(".drafts");
    const composer = document.querySelector("form.composer");
    return Boolean(drafts && composer && drafts.compareDocumentPosition(composer) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  seen.draftTitle = await card.locator("h3").textContent();
  seen.confidence = await card.locator(".draft-confidence").textContent();
  seen.draftText = await card.locator(".draft-text").textContent();
  await card.locator(".draft-passages > summary").click();
  seen.passageTitles = await card.locator(".draft-passages li summary").allTextContents();
  await card.locator(".draft-passages li summary").first().click();
  seen.passageExcerpt = await card.locator(".draft-passages li p").first().textContent();

  // The summary open next to the draft: axe-core on both.
  await conversation.getByRole("button", { name: "Summarise" }).click();
  const summary = conversation.locator("section.summary");
  await summary.locator(".summary-wants").waitFor({ timeout: 30_000 });
  seen.summaryState = await summary.locator(".summary-state").getAttribute("data-summary-state");
  seen.summaryHeadings = await summary.locator("h4").allTextContents();
  seen.summaryWants = await summary.locator(".summary-wants").textContent();
  seen.axe.draftAndSummary = await accessibilityViolations(page);

  // Edited in place and sent: the reply shows in the timeline, the card goes.
  await card.getByRole("button", { name: "Edit" }).click();
  await card.getByRole("textbox", { name: "Draft reply" }).fill(env("EDITED"));
  await card.getByRole("button", { name: "Send" }).click();
  seen.delivery = await settledDelivery(conversation.locator(".message.outbound", { hasText: env("EDITED") }));
  await card.first().waitFor({ state: "detached", timeout: 15_000 });
  seen.cardsAfterSend = await card.count();

  // The summary now misses the reply: it says so, and Update makes it again.
  await summary.locator('[data-summary-state="stale"]').waitFor({ timeout: 15_000 });
  seen.staleText = await summary.locator(".summary-state").textContent();
  await summary.getByRole("button", { name: "Update" }).click();
  await summary.locator('[data-summary-state="fresh"]').waitFor({ timeout: 30_000 });
  seen.updatedState = await summary.locator(".summary-state").getAttribute("data-summary-state");

  // The ? list names the key; g asks for a draft, shown focused once written.
  await page.locator("body").press("?");
  seen.helpListsSuggest = await page.getByRole("dialog").getByText("Suggest a reply (AI draft)").count();
  await page.keyboard.press("Escape");
  await page.locator("body").press("g");
  await card.first().waitFor({ timeout: 60_000 });
  seen.suggestedTitle = await card.locator("h3").textContent();
  // Focus moves to the new card once it has rendered: waited for, not read in the same instant.
  seen.suggestedFocused = await page
    .waitForFunction(() => document.activeElement?.classList.contains("draft-card"), null, { timeout: 5_000 })
    .then(() => true, () => false);
  seen.axe.suggestion = await accessibilityViolations(page);

  // French: the same screen in French words, and the suggestion discarded with its French button.
  await page.locator(".language select").selectOption("fr");
  seen.french = {
    title: await card.locator("h3").textContent(),
    buttons: await card.locator(".draft-buttons button").allTextContents(),
    tools: await conversation.locator(".ai-tools-buttons button").allTextContents(),
    summaryTitle: await summary.locator("h3").textContent(),
    summaryHeadings: await summary.locator("h4").allTextContents(),
    summaryState: await summary.locator(".summary-state").textContent(),
  };
  seen.axe.french = await accessibilityViolations(page);
  await card.getByRole("button", { name: "Écarter" }).click();
  await card.first().waitFor({ state: "detached", timeout: 15_000 });
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
