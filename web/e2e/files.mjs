// Files both ways, Cc/Bcc and forward (issue 13, item 4): an email reply with a PDF attached (uploaded
// straight to the local S3 by its presigned POST), a program refused when attached, a disguised one refused
// when sent, Reply all, Cc and Bcc, then one message forwarded with a note. Prints what it saw as JSON;
// tests/e2e/test_web_files.py checks the SMTP server. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD,
// EMAIL_SUBJECT, REPLY, PDF, EXE, DISGUISED (paths of files), CC, BCC, FORWARD_TO, FORWARD_NOTE, SMS_TEXT.
import { accessibilityViolations, env, launch, openAllAsAdmin, settledDelivery } from "./browser.mjs";

const seen = { problems: [], axe: {} };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  // The upload goes to another origin (moto's S3): a refused preflight would only show here.
  page.on("console", (message) => {
    const refusal = /Failed to load resource: the server responded with a status of 422/; // the refusals tested
    if (message.type() === "error" && !refusal.test(message.text())) {
      seen.problems.push(`console: ${message.text()}`);
    }
  });
  await openAllAsAdmin(page);
  const composer = page.locator("form.composer");
  const open = async (text) => {
    await page.locator(".conversation-row", { hasText: text }).first().click();
    await page.locator('.conversation-row[aria-current="true"]', { hasText: text }).waitFor();
    await page.locator(".timeline > li").first().waitFor();
    await composer.waitFor();
  };
  const files = composer.locator(".pending-file");
  const fileInput = composer.locator('input[type="file"]');

  await open(env("EMAIL_SUBJECT"));
  // The customer's mail came with a file: it is listed under the message.
  seen.receivedFiles = await page.locator(".message.inbound .attachments li").allTextContents();

  // A program is refused as soon as it is attached, in words; removed, it is gone.
  await fileInput.setInputFiles(env("EXE"));
  const refused = files.filter({ hasText: "setup.exe" });
  seen.exeError = await refused.getByRole("alert").textContent();
  seen.sendWithRefused = await composer.getByRole("button", { name: "Send" }).isEnabled();
  await refused.getByRole("button", { name: "Remove setup.exe" }).click();
  await refused.waitFor({ state: "detached" });

  // Dropped on the composer, a file is attached like a chosen one.
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["%PDF-1.4\n%%EOF\n"], "dropped.pdf", { type: "application/pdf" }));
    return transfer;
  });
  await composer.dispatchEvent("dragenter", { dataTransfer });
  seen.dropHint = await composer.locator(".drop-hint").textContent();
  await composer.dispatchEvent("drop", { dataTransfer });
  const dropped = files.filter({ hasText: "dropped.pdf" });
  await dropped.and(page.locator('[data-state="done"]')).waitFor();
  seen.droppedState = await dropped.getAttribute("data-state");
  await dropped.getByRole("button", { name: "Remove dropped.pdf" }).click();
  await dropped.waitFor({ state: "detached" });

  // An executable named .pdf uploads (its declared type is fine) but the reply is refused for it.
  await fileInput.setInputFiles([env("DISGUISED"), env("PDF")]);
  await files.and(page.locator('[data-state="done"]')).nth(1).waitFor();
  await composer.getByRole("textbox", { name: "Reply" }).fill(env("REPLY"));
  await composer.getByRole("button", { name: "Send" }).click();
  seen.disguisedError = await composer.locator("[role=alert]", { hasText: "factura.pdf" }).textContent();
  await composer.getByRole("button", { name: "Remove factura.pdf" }).click();

  // Reply all (who it copies said), Cc and Bcc; axe on the composer with its file and its fields.
  await composer.getByRole("checkbox", { name: "Reply all" }).check();
  seen.replyAllCc = await composer.locator(".reply-all-cc").textContent();
  await composer.getByRole("button", { name: "Add Cc" }).click();
  await composer.getByRole("textbox", { name: "Cc" }).fill(env("CC"));
  await composer.getByRole("button", { name: "Add Bcc" }).click();
  await composer.getByRole("textbox", { name: "Bcc" }).fill(env("BCC"));
  seen.filesBeforeSend = await files.locator(".pending-file-name").allTextContents();
  seen.axe.composer = await accessibilityViolations(page);
  await composer.getByRole("button", { name: "Send" }).click();
  const sent = page.locator(".message.outbound", { hasText: env("REPLY") });
  seen.delivery = await settledDelivery(sent);
  seen.sentFiles = await sent.locator(".attachments li").allTextContents();
  seen.sentFileLink = (await sent.locator(".attachments a").count()) > 0;
  seen.filesAfterSend = await files.count();

  // Forward the customer's message: a modal dialog, focus on To, Escape closes it and gives the focus back.
  const forwardButton = page.locator(".message.inbound").first().getByRole("button", { name: "Forward this message" });
  await forwardButton.click();
  const dialog = page.getByRole("dialog", { name: "Forward a message" });
  await dialog.waitFor();
  seen.forwardFocus = await page.evaluate(() => document.activeElement?.getAttribute("name"));
  for (let n = 0; n < 5; n++) await page.keyboard.press("Tab"); // 4 stops: round once, back inside
  seen.focusStaysInside = await dialog.evaluate((element) => element.contains(document.activeElement));
  seen.axe.forward = await accessibilityViolations(page);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  seen.focusBack = await forwardButton.evaluate((element) => element === document.activeElement);
  await forwardButton.click();
  await dialog.getByRole("textbox", { name: "To (email address)" }).fill(env("FORWARD_TO"));
  await dialog.getByRole("textbox", { name: "Note above the message (optional)" }).fill(env("FORWARD_NOTE"));
  await dialog.getByRole("button", { name: "Forward", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  seen.forwarded = await page.locator(".forwarded").textContent();

  // SMS: no file; the button says why.
  await open(env("SMS_TEXT"));
  const attach = composer.getByRole("button", { name: "Attach files" });
  seen.smsAttachEnabled = await attach.isEnabled();
  seen.smsAttachReason = await composer.locator("#attach-unavailable").textContent();
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
