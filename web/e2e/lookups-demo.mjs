// The seed's case 1 (issue 16, item 2): the demo's orders folder lists the customer's "Où est ma commande
// #12345 ?", and the conversation shows the auto-reply written with the demo shop's answer (its date and
// tracking number). Prints what it saw as JSON; tests/e2e/test_web_lookups_demo.py checks the SMTP server,
// the draft's record and the words. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SUBJECT, TRACKING.
import { accessibilityViolations, desktopPage, env, launch, settledDelivery, signIn } from "./browser.mjs";

const seen = { problems: [], axe: {} };
const browser = await launch();
try {
  const page = await desktopPage(browser, seen);
  await page.goto(env("INBOX_URL"));
  await signIn(page);

  // The orders folder (a rule of the seed's) lists the conversation.
  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.locator("[data-folder-id]", { hasText: "Commandes" }).first().click();
  const row = page.locator(".conversation-row", { hasText: env("SUBJECT") }).first();
  seen.folderListsIt = await row.waitFor({ timeout: 30_000 }).then(() => true, () => false);
  await row.click();
  await page.locator('.conversation-row[aria-current="true"]', { hasText: env("SUBJECT") }).waitFor();
  const conversation = page.locator("section.conversation");
  await conversation.locator(".timeline > li").first().waitFor();

  // The customer's question, then the auto-reply carrying the shop's tracking number.
  seen.customerText = await conversation.locator(".message.inbound .message-text").first().textContent();
  const reply = conversation.locator(".message.outbound", { hasText: env("TRACKING") });
  await reply.first().waitFor({ timeout: 30_000 });
  seen.replyText = await reply.first().locator(".message-text").textContent();
  seen.replyDelivery = await settledDelivery(reply.first());
  seen.axe.conversation = await accessibilityViolations(page);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
