// Saved replies in the browser (issue 16, item 4), in a tenant of the test's own with one conversation
// (from "First Customer", by email): the composer's menu offers "Manage saved replies" on an empty field,
// which opens the screen, where the admin writes one for the team, and whose way back opens the conversation
// again; the header's "Saved replies" opens it too, for one of their own; back in the conversation, `/` and a few
// letters offer the team's, Enter inserts it filled ({{contact.first_name}} -> First, {{agent.name}} ->
// the admin's name) with {{contact.phone}} left as typed and named; the menu inserts the other at the
// caret; the follow-up dialog takes a saved reply's text as written. axe-core on the screen, the `/`
// suggestions, the menu and the follow-up form. Prints what it saw as JSON; tests/e2e/test_web_saved_replies.py
// compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, TEAM_TITLE, OWN_TITLE.
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin } from "./browser.mjs";

const TEAM_TEXT = "Bonjour {{contact.first_name}}, comptez 3 jours. Un numéro ? {{contact.phone}} — {{agent.name}}";
const OWN_TEXT = "Merci {{contact.first_name}} !";
const seen = { axe: {}, problems: [] };
const browser = await launch();

/** Writes a saved reply on the screen and waits for the API to have it. */
async function write(page, title, text, scope) {
  const form = page.getByRole("form", { name: "Write a saved reply" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Text").fill(text);
  await form.getByRole("radio", { name: scope }).check();
  const created = page.waitForResponse(
    (response) => response.url().endsWith("/inbox/saved-replies") && response.request().method() === "POST",
    { timeout: 60_000 },
  );
  await form.getByRole("button", { name: "Save the reply" }).click();
  const answer = await created;
  if (!answer.ok()) seen.problems.push(`POST /saved-replies answered ${answer.status()}: ${await answer.text()}`);
  await page.locator(".saved-reply h3", { hasText: title }).waitFor({ timeout: 60_000 });
}

try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);
  const rows = page.locator(".conversation-row");
  await rows.first().waitFor();
  seen.conversationId = await rows.first().getAttribute("data-conversation-id");
  await rows.first().click();

  // The composer's menu, empty yet, offers the screen while the field is empty; its way back opens the
  // conversation again. The header leads there too, its way back to the inbox.
  await page.getByRole("button", { name: "Saved replies", exact: true }).click();
  await page.getByText("No saved replies yet.").waitFor();
  seen.manageOffered = await page.getByRole("link", { name: "Manage saved replies" }).count();
  await page.getByRole("link", { name: "Manage saved replies" }).click();
  await page.getByRole("heading", { level: 1, name: "Saved replies" }).waitFor();
  await write(page, env("TEAM_TITLE"), TEAM_TEXT, "The whole team");
  await page.getByRole("link", { name: "Back to the conversation" }).click();
  await page.locator(".conversation-row[aria-current=true]").waitFor();
  seen.reopened = await page.locator(".conversation-row[aria-current=true]").getAttribute("data-conversation-id");
  await page.locator("header.top-bar").getByRole("link", { name: "Saved replies", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Saved replies" }).waitFor();
  await write(page, env("OWN_TITLE"), OWN_TEXT, "Only me");
  seen.sections = await page.locator(".saved-replies section").evaluateAll((sections) =>
    sections.map((s) => [s.querySelector("h2").textContent, [...s.querySelectorAll("h3")].map((h) => h.textContent)]),
  );
  seen.axe.screen = await accessibilityViolations(page);
  await page.getByRole("link", { name: "Back to the inbox" }).click();

  // `/` and a few letters of the team's title: Enter inserts it, filled for this conversation.
  await rows.first().waitFor();
  await page.locator(`.conversation-row[data-conversation-id="${seen.conversationId}"]`).click();
  const field = page.getByRole("textbox", { name: "Reply", exact: true });
  await field.click();
  await field.pressSequentially(`/${env("TEAM_TITLE").split(" ")[0].slice(0, 4).toLowerCase()}`);
  const suggestions = page.getByRole("listbox", { name: /^Saved replies/ });
  await suggestions.waitFor();
  seen.suggested = await suggestions.getByRole("option").allInnerTexts();
  seen.axe.suggestions = await accessibilityViolations(page);
  const filled = page.waitForResponse((r) => r.url().endsWith("/fill") && r.request().method() === "POST");
  await field.press("Enter");
  await filled;
  await page.locator(".saved-reply-left").waitFor();
  // The placeholder left is selected on the frame after the insert: wait for a selection, not a time.
  await page.waitForFunction(() => {
    const reply = document.querySelector("textarea[aria-label=Reply]");
    return reply && reply.selectionStart !== reply.selectionEnd;
  });
  seen.afterSlash = await field.inputValue();
  seen.left = await page.locator(".saved-reply-left").textContent();
  seen.selected = await field.evaluate((f) => f.value.slice(f.selectionStart, f.selectionEnd));

  // The menu inserts the other at the caret (the end of the text here).
  await field.press("End");
  await field.press("Control+End");
  await field.pressSequentially(" ");
  await page.getByRole("button", { name: "Saved replies", exact: true }).click();
  await page.getByLabel("Find a saved reply").fill(env("OWN_TITLE").split(" ")[0]);
  await page.waitForFunction(() => document.querySelectorAll(".saved-reply-choices button").length === 1);
  seen.menuChoices = await page.locator(".saved-reply-choices button").allInnerTexts();
  seen.axe.menu = await accessibilityViolations(page);
  const filledAgain = page.waitForResponse((r) => r.url().endsWith("/fill") && r.request().method() === "POST");
  await page.locator(".saved-reply-choices button").first().click();
  await filledAgain;
  await page.waitForFunction(() => document.querySelector("textarea[aria-label=Reply]")?.value.includes("Merci"));
  seen.afterMenu = await field.inputValue();

  // The follow-up dialog: a `send` takes the saved reply's text as written, filled when it is sent.
  const panel = page.getByRole("region", { name: "Follow-ups" });
  await panel.getByRole("button", { name: "Follow up" }).click();
  const form = page.locator("#follow-up-form");
  await form.locator("select[name=action]").selectOption("send");
  const choose = form.getByLabel("Use a saved reply");
  await choose.focus();
  await page.waitForFunction(() => document.querySelectorAll(".follow-up-saved-reply option").length > 2);
  await choose.selectOption({ label: env("TEAM_TITLE") });
  await form.getByRole("button", { name: "Use this reply" }).click();
  await page.waitForFunction(() => document.querySelector("#follow-up-form textarea[name=text]")?.value);
  seen.followUpText = await form.locator("textarea[name=text]").inputValue();
  seen.axe.followUp = await accessibilityViolations(page);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
