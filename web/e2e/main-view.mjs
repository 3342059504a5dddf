// The main view walked by a user: sign in, read the folders' counters, open a conversation.
// Prints what it saw as JSON on stdout; the pytest that runs it (tests/e2e/test_web_inbox.py)
// compares that with the API. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SCREENSHOT (optional).
import { env, launch, settledDelivery, signIn } from "./browser.mjs";

const browser = await launch();
try {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));

  await page.goto(env("INBOX_URL"));
  await signIn(page);

  const folders = page.getByRole("navigation", { name: "Folders" });
  await folders.locator("[data-folder-id]").first().waitFor();
  const rows = page.locator(".conversation-row");
  await rows.first().waitFor();
  const counters = await folders.locator("[data-folder-id]").evaluateAll((buttons) =>
    Object.fromEntries(
      buttons.map((b) => [b.dataset.folderId, Number(b.querySelector(".count")?.textContent ?? 0)]),
    ),
  );
  const folderNames = await folders.locator("[data-folder-id] .pane-label").allTextContents();

  const first = rows.first();
  const conversationId = await first.getAttribute("data-conversation-id");
  await first.click();
  const conversation = page.locator("section.conversation");
  await conversation.locator(".timeline > li").first().waitFor();
  const messageIds = await conversation.locator(".timeline .message").evaluateAll((items) =>
    items.map((item) => item.dataset.messageId),
  );
  const title = await conversation.locator("h2").textContent();
  // Opening it marks it read: the row and the counters follow once the API has it.
  const row = page.locator(`.conversation-row[data-conversation-id="${conversationId}"]`);
  await page.locator(`.conversation-row[data-conversation-id="${conversationId}"]:not(.unread)`).waitFor();
  const markedRead = true;
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });


  // Answer, note, resolve: each shows in the conversation once the API has it.
  const reply = "Bonjour, oui : nous ouvrons à 9 h. À samedi !";
  await conversation.getByRole("textbox", { name: "Reply" }).fill(reply);
  await conversation.getByRole("button", { name: "Send" }).click();
  await conversation.locator(".message.outbound", { hasText: reply }).waitFor();
  const replyDelivery = await settledDelivery(conversation.locator(".message.outbound", { hasText: reply }));
  const note = "Client régulier : préparer la commande la veille.";
  await conversation.getByRole("tab", { name: "Note" }).click();
  await conversation.getByRole("textbox", { name: "Note" }).fill(note);
  await conversation.getByRole("button", { name: "Add note" }).click();
  await conversation.locator(".note", { hasText: note }).waitFor();
  await conversation.getByLabel("Status").selectOption("resolved");
  await page
    .locator(`.conversation-row[data-conversation-id="${conversationId}"] .status`, { hasText: "Resolved" })
    .waitFor();

  // Assign it to me, mark it unread, then file it in the first of the tenant's folders.
  await conversation.getByRole("button", { name: "Assign to me" }).click();
  await conversation.getByText("Assigned to you").waitFor();
  await conversation.getByRole("button", { name: "Mark unread" }).click();
  await page.locator(`.conversation-row.unread[data-conversation-id="${conversationId}"]`).waitFor();
  const moveTo = conversation.getByLabel("Move to");
  const movedTo = await moveTo.locator("option").nth(1).getAttribute("value");
  await moveTo.selectOption(movedTo);
  await row.waitFor({ state: "detached" }); // no longer in the inbox

  const actions = { reply, replyDelivery, note, markedRead, movedTo };

  // On a phone the panes stack: the open conversation alone, then back to the list.
  await page.setViewportSize({ width: 390, height: 800 });
  const list = page.locator(".conversation-list");
  const phone = { listWhileOpen: await list.isVisible(), conversationWhileOpen: await conversation.isVisible() };
  await page.getByRole("button", { name: "Back to the list" }).click();
  await list.waitFor({ state: "visible" });
  phone.conversationAfterBack = await page.locator("section.conversation").isVisible();
  actions.phone = phone;
  console.log(JSON.stringify({ counters, folderNames, conversationId, messageIds, title, actions, problems }));
} finally {
  await browser.close();
}
