// A conversation longer than one page of messages: the latest show first, the earlier on demand;
// then the admin deletes it (after confirming).
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SUBJECT.
import { env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { problems: [] };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await openAllAsAdmin(page);
  await page.locator(".conversation-row", { hasText: env("SUBJECT") }).click();
  const texts = page.locator(".timeline .message .message-text");
  await texts.first().waitFor();
  seen.first = await texts.allTextContents();
  await page.getByRole("button", { name: "Show earlier messages" }).click();
  await page.waitForFunction((count) => document.querySelectorAll(".timeline .message").length > count, seen.first.length);
  seen.all = await texts.allTextContents();
  seen.moreButton = await page.getByRole("button", { name: "Show earlier messages" }).count();

  const row = page.locator('.conversation-row[aria-current="true"]');
  seen.conversationId = await row.getAttribute("data-conversation-id");
  page.on("dialog", (dialog) => {
    seen.confirm = dialog.message();
    void dialog.accept();
  });
  await page.getByRole("button", { name: "Delete" }).click();
  await row.waitFor({ state: "detached" });
  await page.getByText("Choose a conversation.").waitFor();
  seen.afterDelete = await page.locator("section.conversation").textContent();
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
