// Settings → Integrations, the forms that settings.mjs leaves: a mailbox tested against the test Dovecot and
// SMTP server (its result shown, nothing saved), a WhatsApp template added on the demo's Vonage card, and a
// Vonage account connected with the webhook URLs its "connected" panel shows; axe-core on each.
// Prints what it saw as JSON; tests/e2e/test_web_settings.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD; MAIL_ADDRESS, MAIL_USERNAME, MAIL_PASSWORD, IMAP_HOST,
// IMAP_PORT, SMTP_HOST, SMTP_PORT (both without TLS, on this machine); DEMO_VONAGE_NAME, TEMPLATE_NAME,
// TEMPLATE_TEXT; VONAGE_NAME, VONAGE_WHATSAPP_NUMBER, VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_SIGNATURE_SECRET,
// VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY (WhatsApp needs a Messages application).
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();
try {
  const page = await desktopPage(browser, seen);
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  await page.locator(".integration").first().waitFor();

  // A mailbox: servers typed, the connection tested, each server's result read; then cancelled.
  await page.getByRole("button", { name: "Connect a mailbox" }).click();
  const mailForm = page.getByRole("form", { name: "Connect a mailbox" });
  await mailForm.getByLabel("Email address").fill(env("MAIL_ADDRESS"));
  for (const [which, legend] of [
    ["IMAP", "Incoming mail (IMAP)"],
    ["SMTP", "Outgoing mail (SMTP)"],
  ]) {
    const server = mailForm.getByRole("group", { name: legend });
    await server.getByLabel("Server").fill(env(`${which}_HOST`));
    await server.getByLabel("Encryption").selectOption("none"); // sets the port to its default: typed after
    await server.getByLabel("Port").fill(env(`${which}_PORT`));
  }
  await mailForm.getByLabel("User name (usually the address)").fill(env("MAIL_USERNAME"));
  await mailForm.getByLabel("Password").fill(env("MAIL_PASSWORD"));
  const save = mailForm.getByRole("button", { name: "Save" });
  seen.mailSaveBeforeTest = await save.isEnabled();
  await mailForm.getByRole("button", { name: "Test connection" }).click();
  await mailForm.locator(".connection-check li").nth(1).waitFor({ timeout: 30_000 });
  seen.mailCheck = await mailForm.locator(".connection-check li").allTextContents();
  seen.mailSaveAfterTest = await save.isEnabled();
  seen.axe.mailboxTested = await accessibilityViolations(page);
  await mailForm.getByRole("button", { name: "Cancel" }).click();
  await mailForm.waitFor({ state: "detached" });

  // The demo's Vonage account: a template added to those it has, saved.
  const demoCard = page.locator(".integration", {
    has: page.getByRole("heading", { level: 2, name: env("DEMO_VONAGE_NAME"), exact: true }),
  });
  const templates = demoCard.getByRole("form", { name: "WhatsApp templates" });
  await templates.waitFor();
  seen.templatesBefore = await templates.locator("fieldset.whatsapp-template").count();
  await templates.getByRole("button", { name: "Add a template" }).click();
  const added = templates.locator("fieldset.whatsapp-template").last();
  await added.getByLabel("Name").fill(env("TEMPLATE_NAME"));
  await added.getByLabel("Language (BCP 47)").fill("en-GB");
  await added.getByLabel("Text").fill(env("TEMPLATE_TEXT"));
  seen.templateParameters = await added.locator("[data-parameters]").textContent();
  seen.axe.whatsappTemplates = await accessibilityViolations(page);
  await templates.getByRole("button", { name: "Save templates" }).click();
  await templates.getByRole("status").filter({ hasText: "Templates saved." }).waitFor();

  // A Vonage account (WhatsApp only: the fake Vonage rents no spare SMS number), then its URLs.
  await page.getByRole("button", { name: "Connect Vonage (SMS, WhatsApp)" }).click();
  const vonageForm = page.getByRole("form", { name: "Connect Vonage (SMS, WhatsApp)" });
  await vonageForm.getByLabel("Name", { exact: true }).fill(env("VONAGE_NAME"));
  await vonageForm.getByLabel("WhatsApp numbers").fill(env("VONAGE_WHATSAPP_NUMBER"));
  await vonageForm.getByLabel("API key").fill(env("VONAGE_API_KEY"));
  await vonageForm.getByLabel("API secret").fill(env("VONAGE_API_SECRET"));
  await vonageForm.getByLabel("Signature secret").fill(env("VONAGE_SIGNATURE_SECRET"));
  await vonageForm.getByLabel("Messages application ID (WhatsApp)").fill(env("VONAGE_APPLICATION_ID"));
  await vonageForm.getByLabel("Application private key (PEM)").fill(env("VONAGE_PRIVATE_KEY"));
  seen.axe.vonageForm = await accessibilityViolations(page);
  await vonageForm.getByRole("button", { name: "Save" }).click();
  const created = page.getByRole("region", { name: `“${env("VONAGE_NAME")}” is connected` });
  const refusal = vonageForm.getByRole("alert");
  await Promise.race([created.waitFor(), refusal.waitFor()]);
  if (await refusal.isVisible()) throw new Error(`the API refused the Vonage form: ${await refusal.textContent()}`);
  seen.vonageUrls = {};
  for (const field of await created.locator(".copy-field").all()) {
    seen.vonageUrls[await field.locator("label").textContent()] = await field.getByRole("textbox").inputValue();
  }
  seen.axe.vonageCreated = await accessibilityViolations(page);
  await created.getByRole("button", { name: "Done" }).click();
  await created.waitFor({ state: "detached" });
  await page
    .locator(".integration", { has: page.getByRole("heading", { level: 2, name: env("VONAGE_NAME"), exact: true }) })
    .waitFor();
  seen.vonageCardShown = true;

  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
