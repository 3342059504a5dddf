// The channel composers: an email reply with its subject, an SMS's part counter and reply, the
// WhatsApp window. Prints what it saw as JSON; tests/e2e/test_web_composers.py checks the SMTP server and
// the fake Vonage. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, EMAIL_SUBJECT, EMAIL_REPLY_SUBJECT,
// EMAIL_REPLY, SMS_TEXT, SMS_REPLY, WHATSAPP_CONTACT.
import { accessibilityViolations, env, launch, openAllAsAdmin, settledDelivery } from "./browser.mjs";

const seen = { problems: [], axe: {} };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await openAllAsAdmin(page);
  const composer = page.locator("form.composer");
  const open = async (text) => {
    await page.locator(".conversation-row", { hasText: text }).first().click();
    // The row marked open first: the previous conversation's timeline and composer are still there before it.
    await page.locator('.conversation-row[aria-current="true"]', { hasText: text }).waitFor();
    await page.locator(".timeline > li").first().waitFor();
    await composer.waitFor();
  };
  const sendAndWait = async (text) => {
    await composer.getByRole("textbox", { name: "Reply" }).fill(text);
    await composer.getByRole("button", { name: "Send" }).click();
    const message = page.locator(".message.outbound", { hasText: text });
    return settledDelivery(message);
  };

  // Email: the subject comes prefilled as the API would answer it; the one written is sent.
  await open(env("EMAIL_SUBJECT"));
  const subject = composer.getByRole("textbox", { name: "Subject" });
  seen.emailChannel = await composer.getAttribute("data-channel");
  seen.subjectPrefilled = await subject.inputValue();
  seen.axe.email = await accessibilityViolations(page);
  await subject.fill(env("EMAIL_REPLY_SUBJECT"));
  seen.emailDelivery = await sendAndWait(env("EMAIL_REPLY"));

  // SMS: no subject; the parts counted as the text is typed.
  await open(env("SMS_TEXT"));
  seen.smsChannel = await composer.getAttribute("data-channel");
  seen.smsSubjectFields = await composer.getByRole("textbox", { name: "Subject" }).count();
  const field = composer.getByRole("textbox", { name: "Reply" });
  const counter = composer.locator(".sms-segments");
  const count = async (text) => {
    await field.fill(text);
    return { parts: Number(await counter.getAttribute("data-parts")), encoding: await counter.getAttribute("data-encoding") };
  };
  seen.sms160 = await count("a".repeat(160));
  seen.sms161 = await count("a".repeat(161));
  seen.sms161Text = await counter.textContent();
  seen.smsEuro = await count("€".repeat(80) + "a"); // the extension characters count two
  seen.smsCyrillic = await count("Привет");
  seen.axe.sms = await accessibilityViolations(page);
  seen.smsDelivery = await sendAndWait(env("SMS_REPLY"));

  // WhatsApp: the demo's customer wrote minutes ago, so the window is open.
  await open(env("WHATSAPP_CONTACT"));
  seen.whatsappWindow = await composer.locator(".whatsapp-window").textContent();
  seen.whatsappSendEnabled = await composer.getByRole("button", { name: "Send" }).isVisible();
  seen.axe.whatsapp = await accessibilityViolations(page);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
