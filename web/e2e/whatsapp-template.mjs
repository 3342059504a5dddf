// A WhatsApp conversation whose customer wrote more than 24 hours ago is answered by an approved template:
// the composer offers the templates instead of free text, the parameters are filled, the preview read, the
// template sent. Prints what it saw as JSON; tests/e2e/test_web_composers.py checks what the fake Vonage got.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, WHATSAPP_CONTACT, TEMPLATE_NAME, PARAMETER_1, PARAMETER_2.
import { accessibilityViolations, env, launch, openAllAsAdmin, settledDelivery } from "./browser.mjs";

const seen = { problems: [] };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await openAllAsAdmin(page);
  const contact = env("WHATSAPP_CONTACT");
  await page.locator(".conversation-row", { hasText: contact }).first().click();
  await page.locator('.conversation-row[aria-current="true"]', { hasText: contact }).waitFor();
  await page.locator(".timeline > li").first().waitFor();
  const composer = page.locator('form.composer[data-channel="whatsapp"]');
  await composer.waitFor();

  seen.window = (await composer.locator(".whatsapp-window").textContent()).trim();
  seen.textFields = await composer.getByRole("textbox", { name: "Reply" }).count();
  const picker = composer.getByLabel("Approved template");
  await picker.waitFor();
  seen.offered = await picker.locator("option").allTextContents();
  await picker.selectOption({ label: env("TEMPLATE_NAME") });
  const send = composer.getByRole("button", { name: "Send template" });
  seen.sendBeforeParameters = await send.isEnabled();
  await composer.getByLabel("Parameter 1").fill(env("PARAMETER_1"));
  await composer.getByLabel("Parameter 2").fill(env("PARAMETER_2"));
  const preview = composer.locator(".template-preview");
  seen.preview = await preview.locator("p").textContent();
  seen.previewCaption = await preview.locator("figcaption").textContent();
  seen.axe = await accessibilityViolations(page);
  await send.click();
  const sent = page.locator(".message.outbound", { hasText: seen.preview });
  seen.delivery = await settledDelivery(sent);
  seen.parametersAfterSend = await composer.getByLabel("Parameter 1").count();
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
