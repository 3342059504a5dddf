// The seed's case 1 (issue 16, item 2): the demo's orders folder lists the customer's "Où est ma commande
// #12345 ?", whose conversation shows the auto-reply written with the demo shop's answer (its date and
// tracking number), and an unknown order's question, whose reply waits as a draft saying the lookup failed.
// Prints what it saw as JSON; tests/e2e/test_web_lookups_demo.py checks the SMTP server, the drafts' records
// and the words. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SUBJECT, UNKNOWN_SUBJECT, TRACKING.
import { accessibilityViolations, desktopPage, env, launch, settledDelivery, signIn } from "./browser.mjs";

const seen = { problems: [], axe: {} };
const browser = await launch();
try {
  const page = await desktopPage(browser, seen);
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  const conversation = page.locator("section.conversation");
  const open = async (subject) => {
    await page.locator(".conversation-row", { hasText: subject }).first().click();
    // The row marked open first: the previous conversation's timeline is still there before it.
    await page.locator('.conversation-row[aria-current="true"]', { hasText: subject }).waitFor();
    await conversation.locator(".timeline > li").first().waitFor();
  };

  // The orders folder (a rule of the seed's) lists both conversations.
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.locator("[data-folder-id]", { hasText: "Commandes" }).first().click();
  const rows = [env("SUBJECT"), env("UNKNOWN_SUBJECT")].map((s) => page.locator(".conversation-row", { hasText: s }));
  seen.folderListsBoth = await Promise.all(rows.map((row) => row.first().waitFor({ timeout: 30_000 }))).then(
    () => true,
    () => false,
  );

  // The customer's question, then the auto-reply carrying the shop's tracking number.
  await open(env("SUBJECT"));
  seen.customerText = await conversation.locator(".message.inbound .message-text").first().textContent();
  const reply = conversation.locator(".message.outbound", { hasText: env("TRACKING") }).first();
  await reply.waitFor({ timeout: 30_000 });
  seen.replyText = await reply.locator(".message-text").textContent();
  seen.replyDelivery = await settledDelivery(reply);
  seen.axe.answered = await accessibilityViolations(page);

  // The unknown order: a draft for a person, the failed lookup named with the shop's answer.
  await open(env("UNKNOWN_SUBJECT"));
  const card = conversation.locator(".draft-card").first();
  await card.waitFor({ timeout: 30_000 });
  seen.heldReason = await card.locator(".draft-reason").textContent();
  seen.heldLookup = await card.locator('[data-lookup-ok="false"]').first().textContent();
  seen.axe.held = await accessibilityViolations(page);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
