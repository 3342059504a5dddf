// WhatsApp templates listed from Vonage (issue 16, item 5), in a real browser against the local stack's fake
// Vonage: the Vonage integration's settings list its WhatsApp Business Account's templates with their review
// status and refresh them; a WhatsApp conversation whose window is closed is offered the approved ones (not a
// pending one), refreshed from Vonage, and answered with one; a follow-up carrying a template is scheduled.
// axe-core on the settings' list, the composer and the follow-up form. Prints what it saw as JSON;
// tests/e2e/test_web_templates.py compares it with the API and the fake's log.
// Then a folder's automatic nudge chooses an approved template.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, WHATSAPP_CONTACT, FOLDER_NAME.
import { accessibilityViolations, desktopPage, env, launch, openAllAsAdmin, settledDelivery } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();
try {
  const page = await desktopPage(browser, seen);
  await openAllAsAdmin(page);

  // Settings, Integrations: Vonage's list with statuses, refreshed.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  const listed = page.getByRole("region", { name: "Templates approved in WhatsApp (from Vonage)" });
  await listed.locator("table tbody tr").first().waitFor();
  seen.settingsRows = await listed.locator("table tbody tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("td")].slice(0, 3).map((cell) => cell.textContent)),
  );
  await listed.getByRole("button", { name: "Refresh from Vonage" }).click();
  await listed.getByRole("status").filter({ hasText: "Read from Vonage" }).waitFor();
  seen.fetched = await listed.getByRole("status").textContent();
  seen.axe.settings = await accessibilityViolations(page);

  // The conversation, its window closed: the approved templates, refreshed, one sent.
  await openAllAsAdmin(page);
  const contact = env("WHATSAPP_CONTACT");
  await page.locator(".conversation-row", { hasText: contact }).first().click();
  await page.locator('.conversation-row[aria-current="true"]', { hasText: contact }).waitFor();
  const composer = page.locator('form.composer[data-channel="whatsapp"]');
  await composer.waitFor();
  const picker = composer.getByLabel("Approved template");
  await picker.waitFor();
  await composer.getByRole("button", { name: "Refresh from Vonage" }).click();
  await composer.locator("button.template-refresh:not([disabled])", { hasText: "Refresh from Vonage" }).waitFor();
  seen.offered = await picker.locator("option").allTextContents();
  await picker.selectOption({ label: "suivi_demande" });
  await composer.getByLabel("Parameter 1").fill("Lucie");
  await composer.getByLabel("Parameter 2").fill("D-77");
  seen.preview = await composer.locator(".template-preview p").textContent();
  seen.axe.composer = await accessibilityViolations(page);
  await composer.getByRole("button", { name: "Send template" }).click();
  seen.delivery = await settledDelivery(page.locator(".message.outbound", { hasText: seen.preview }));

  // A follow-up that sends a template if the window is still closed when it is due.
  const panel = page.getByRole("region", { name: "Follow-ups" });
  await panel.getByRole("button", { name: "Follow up" }).click();
  const form = page.locator("#follow-up-form");
  await form.getByLabel("What to do").selectOption("send");
  const fieldset = form.getByRole("group", { name: "If the WhatsApp window is closed" });
  await fieldset.getByLabel("Approved template").selectOption({ label: "order_ready" });
  await fieldset.getByLabel("Parameter 1").fill("Lucie");
  await fieldset.getByLabel("Parameter 2").fill("48213");
  seen.followUpPreview = await fieldset.locator(".template-choice-preview").textContent();
  seen.axe.followUp = await accessibilityViolations(page);
  await form.getByRole("button", { name: "Schedule" }).click();
  await panel.getByRole("status").waitFor();
  seen.scheduled = await panel.getByRole("status").textContent();
  seen.followUpTemplate = await panel.locator(".follow-up-template").first().textContent();

  // A folder's automatic nudge with a template for when the window is closed.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Folders" }).click();
  await page.getByRole("heading", { level: 1, name: "Folders" }).waitFor();
  await page.getByRole("button", { name: "New folder" }).click();
  const editor = page.locator("form.folder-editor");
  await editor.getByLabel("Name", { exact: true }).fill(env("FOLDER_NAME"));
  const nudge = editor.getByRole("group", { name: "Automatic follow-up" });
  await nudge.getByRole("switch", { name: "Follow up when the customer does not answer" }).check();
  await nudge.getByLabel("Follow-up message").fill("Avez-vous pu regarder ?");
  const nudgeTemplate = nudge.getByRole("group", { name: "WhatsApp template once the window is closed" });
  await nudgeTemplate.locator("option", { hasText: "suivi_demande" }).waitFor({ state: "attached" }); // once listed
  seen.nudgeOffered = await nudgeTemplate.getByLabel("Approved template").locator("option").allTextContents();
  await nudgeTemplate.getByLabel("Approved template").selectOption({ label: "suivi_demande" });
  await nudgeTemplate.getByLabel("Parameter 1").fill("client");
  await nudgeTemplate.getByLabel("Parameter 2").fill("en cours");
  seen.axe.nudge = await accessibilityViolations(page);
  await editor.getByRole("button", { name: "Save" }).click();
  await editor.waitFor({ state: "detached" });
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
