// The team in two browsers (issue 13, items 1 and 2), driven step by step by tests/e2e/test_web_team.py:
// an admin invites an agent on Settings → People; the test gives the invitation a temporary password it
// knows (moto sends no mail); the agent signs in for the first time and chooses a password; the admin
// assigns a conversation to them, and the agent's open app shows it live: the bell's count, the sentence,
// Mine's counter; choosing the notification opens the conversation. The admin's Unassigned counter
// follows. Disabling the agent asks first (answered no here). axe-core on each new screen.
// Prints what it saw as JSON on its last line.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD (the admin), AGENT_EMAIL, AGENT_NAME, AGENT_PASSWORD,
// CONVERSATION_ID (an unassigned conversation of the tenant).
import { createInterface } from "node:readline";
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const stdin = createInterface({ input: process.stdin });
const answers = stdin[Symbol.asyncIterator]();
async function step(name, data = {}) {
  console.log(`STEP ${name} ${JSON.stringify(data)}`);
  const { value, done } = await answers.next();
  if (done) throw new Error(`no answer to ${name}`);
  return JSON.parse(value);
}

const seen = { problems: [], axe: {}, dialogs: [] };
const url = env("INBOX_URL");
const conversationId = env("CONVERSATION_ID");
const browser = await launch();

async function newPage() {
  const page = await desktopPage(browser, seen);
  return page;
}

/** The counter of a view in the folder pane (0 when none is shown). */
const viewCount = (page, view) =>
  page.evaluate((v) => Number(document.querySelector(`[data-view-id="${v}"] .count`)?.textContent ?? 0), view);

async function waitUntil(page, check, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

try {
  // The admin invites the agent.
  const admin = await newPage();
  admin.on("dialog", (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss(); // "Disable …?" answered no
  });
  await admin.goto(url);
  await signIn(admin);
  await admin.locator(".conversation-row").first().waitFor();
  // The folders' answer (with the views' counters) may come after the list's: read the count once shown
  // (the tenant has unassigned conversations), not the 0 of a pane still loading.
  await admin.locator('[data-view-id="unassigned"] .count').waitFor();
  seen.unassignedBefore = await viewCount(admin, "unassigned");
  await admin.getByRole("link", { name: "Settings" }).click();
  await admin.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "People" }).click();
  await admin.getByRole("heading", { level: 1, name: "People" }).waitFor();
  const inviteForm = admin.getByRole("form", { name: "Invite a person" });
  await inviteForm.getByLabel("Email").fill(env("AGENT_EMAIL"));
  await inviteForm.getByLabel("Name").fill(env("AGENT_NAME"));
  await inviteForm.getByLabel("Role").selectOption("agent");
  await inviteForm.getByRole("button", { name: "Send the invitation" }).click();
  await admin.getByRole("status").filter({ hasText: "is invited" }).waitFor();
  const { temporaryPassword } = await step("invited", { email: env("AGENT_EMAIL") });

  // The agent's first sign-in: the temporary password, then one of their own.
  const agent = await newPage();
  await agent.goto(url);
  await signIn(agent, { email: env("AGENT_EMAIL"), password: temporaryPassword });
  await agent.getByRole("heading", { name: "Choose your password" }).waitFor();
  seen.axe.newPassword = await accessibilityViolations(agent);
  await agent.getByLabel("New password", { exact: true }).fill(env("AGENT_PASSWORD"));
  await agent.getByLabel("New password again").fill(env("AGENT_PASSWORD"));
  await agent.getByRole("button", { name: "Save and sign in" }).click();
  await agent.getByRole("navigation", { name: "Folders" }).locator("[data-folder-id]").first().waitFor();
  seen.agentSignedInAs = await agent.locator(".top-bar .user").textContent();
  seen.agentBellBefore = await agent.locator("button[name=notifications]").getAttribute("aria-label");
  seen.agentMineBefore = await viewCount(agent, "mine");
  await step("agentSignedIn");

  // The admin assigns the conversation to the agent, from the conversation's picker.
  await admin.evaluate(() => (window.location.hash = ""));
  await admin.locator(`.conversation-row[data-conversation-id="${conversationId}"]`).click();
  await admin.locator('.conversation-actions button[name="assign"]').click();
  const picker = admin.getByRole("listbox", { name: "Assign to…" });
  await picker.getByRole("option", { name: new RegExp(env("AGENT_NAME")) }).click();
  const assignedAt = Date.now();

  // The agent's open app hears of it: the bell's count, Mine's counter; no reload.
  const bell = agent.locator("button[name=notifications]");
  seen.bellLive = await waitUntil(agent, async () => (await bell.locator(".count").textContent().catch(() => "")) === "1");
  seen.bellDelayMs = Date.now() - assignedAt;
  seen.bellLabel = await bell.getAttribute("aria-label");
  seen.mineLive = await waitUntil(agent, async () => (await viewCount(agent, "mine")) === seen.agentMineBefore + 1);
  seen.unassignedLive = await waitUntil(
    admin,
    async () => (await viewCount(admin, "unassigned")) === seen.unassignedBefore - 1,
  );
  seen.unassignedAfter = await viewCount(admin, "unassigned");

  // The list: the sentence; choosing it opens the conversation and clears the count.
  await bell.click();
  const panel = agent.locator(".notification-panel");
  await panel.locator(".notification-list li").first().waitFor();
  await panel.locator(".notification-text").first().filter({ hasText: "assigned a conversation to you" }).waitFor();
  seen.sentence = await panel.locator(".notification-text").first().textContent();
  seen.axe.notifications = await accessibilityViolations(agent);
  await panel.locator(".notification-open").first().click();
  await agent.locator("#conversation-title").waitFor();
  const openRow = agent.locator('.conversation-row[aria-current="true"]');
  seen.opened = (await openRow.count()) ? await openRow.getAttribute("data-conversation-id") : null;
  seen.bellCleared = await waitUntil(agent, async () => (await bell.locator(".count").count()) === 0);
  seen.agentMainView = await accessibilityViolations(agent);

  // Disabling the agent asks first; answered no, nothing changes.
  await admin.getByRole("link", { name: "Settings" }).click();
  await admin.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "People" }).click();
  const row = admin.locator(".people-list tbody tr").filter({ hasText: env("AGENT_EMAIL") });
  await row.getByRole("button", { name: "Disable" }).click();
  await admin.waitForTimeout(500);
  seen.agentRowAfterNo = (await row.locator("td").last().textContent())?.trim();

  console.log(JSON.stringify(seen));
} finally {
  stdin.close(); // else node waits on stdin for good
  await browser.close();
}
