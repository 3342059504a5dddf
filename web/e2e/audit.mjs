// The activity and a conversation's history in the browser (issue 14, item 3), in a tenant of the test's
// own: an admin changes a conversation's status, opens Activity and finds the entry with their name and
// the status before → after, filters by action, opens the conversation from the entry and unfolds its
// History; the same in French; an agent has no Activity link and is refused the screen. axe-core on the
// activity (English, French, a phone's width) and on the history. Prints what it saw as JSON on its last line.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD (the admin), AGENT_EMAIL, AGENT_PASSWORD, CONVERSATION_ID.
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const conversationId = env("CONVERSATION_ID");
const browser = await launch();

/** Waits for an entry of `kind` in `scope`, asking again with `refresh` (the entries are written from the
 * table's stream, a moment after the change). */
async function entryOf(page, scope, kind, refresh) {
  const entry = scope.locator(`.audit-entry[data-audit-kind="${kind}"]`).first();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await entry.count()) return entry;
    await refresh();
    await page.waitForTimeout(500);
  }
  throw new Error(`no ${kind} entry shown`);
}

/** What an entry shows: who, what, when, and each change as "field: before → after". */
const read = (entry) =>
  entry.evaluate((node) => ({
    who: node.querySelector(".audit-who").textContent,
    what: node.querySelector(".audit-what").textContent,
    when: node.querySelector(".audit-when time").textContent,
    changes: [...node.querySelectorAll(".audit-changes > div")].map(
      (change) =>
        `${change.querySelector("dt").textContent}: ${change.querySelector(".audit-before").textContent} → ${change.querySelector(".audit-after").textContent}`,
    ),
    link: node.querySelector(".audit-links a")?.getAttribute("href") ?? null,
  }));

try {
  const page = await desktopPage(browser, seen);
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("button", { name: "All", exact: true }).click();
  await page.locator(`.conversation-row[data-conversation-id="${conversationId}"]`).click();
  const status = page.locator('.conversation-actions select[name="status"]');
  seen.statusBefore = await status.inputValue();
  await status.selectOption("resolved");
  await page.waitForFunction(() => document.querySelector('.conversation-actions select[name="status"]')?.value === "resolved");

  // Activity: the entry, with the admin's name and the status before → after.
  await page.getByRole("link", { name: "Activity" }).click();
  await page.getByRole("heading", { level: 1, name: "Activity" }).waitFor();
  const refresh = () => page.locator("button[name=refresh]:not([disabled])").click();
  const entry = await entryOf(page, page.locator(".activity-main"), "conversation.status", refresh);
  // The team's names are read once an entry names a person: "…" until they come.
  await page.waitForFunction(() => ![...document.querySelectorAll(".activity-main .audit-who")].some((n) => n.textContent === "…"));
  seen.entry = await read(entry);
  seen.kindsBefore = await page.locator(".activity-main .audit-entry").evaluateAll((nodes) => nodes.map((n) => n.dataset.auditKind));
  seen.axe.activity = await accessibilityViolations(page);

  // Filtered by action: only status changes.
  await page.getByLabel("Action").selectOption("conversation.status");
  await page.waitForFunction(() => {
    const kinds = [...document.querySelectorAll(".activity-main .audit-entry")].map((n) => n.dataset.auditKind);
    return kinds.length > 0 && kinds.every((kind) => kind === "conversation.status");
  });
  seen.kindsFiltered = await page.locator(".activity-main .audit-entry").evaluateAll((nodes) => nodes.map((n) => n.dataset.auditKind));

  // The entry's link opens the conversation in the inbox; its History lists the same entry.
  await page.locator(".activity-main .audit-entry").first().getByRole("link", { name: "Open the conversation" }).click();
  await page.locator("#conversation-title").waitFor();
  seen.openedTitle = await page.locator("#conversation-title").textContent();
  seen.hashAfterOpen = await page.evaluate(() => window.location.hash);
  let history = page.getByRole("region", { name: "Change history" });
  await history.waitFor();
  await history.getByRole("button", { name: "Show the history" }).click();
  const historyEntry = await entryOf(page, history, "conversation.status", async () => {});
  seen.historyEntry = await read(historyEntry);
  seen.historyExpanded = await history.locator("button[name=history]").getAttribute("aria-expanded");
  seen.axe.history = await accessibilityViolations(page);

  // In French: the history's entry, then the activity.
  await page.getByLabel("Language").selectOption("fr");
  history = page.getByRole("region", { name: "Historique des modifications" });
  await history.locator('.audit-entry[data-audit-kind="conversation.status"] .audit-what').filter({ hasText: "A changé" }).first().waitFor();
  seen.historyEntryFrench = await read(history.locator('.audit-entry[data-audit-kind="conversation.status"]').first());
  await page.getByRole("link", { name: "Activité" }).click();
  await page.getByRole("heading", { level: 1, name: "Activité" }).waitFor();
  await page.locator(".activity-main .audit-entry").first().waitFor();
  seen.activityFrench = await read(page.locator('.activity-main .audit-entry[data-audit-kind="conversation.status"]').first());
  seen.axe.activityFrench = await accessibilityViolations(page);
  // On a phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  seen.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  seen.axe.activityPhone = await accessibilityViolations(page);

  // An agent: no Activity link; the screen itself says it is for admins.
  const agent = await desktopPage(browser, seen);
  await agent.goto(env("INBOX_URL"));
  await signIn(agent, { email: env("AGENT_EMAIL"), password: env("AGENT_PASSWORD") });
  await agent.getByRole("navigation", { name: "Folders" }).locator("[data-folder-id]").first().waitFor();
  // Once the app knows who signed in (the header's address), the admins' links would be there.
  await agent.waitForFunction(() => document.querySelector(".top-bar .user")?.textContent);
  seen.agentActivityLinks = await agent.locator('a[href="#activity"]').count();
  await agent.evaluate(() => (window.location.hash = "#activity"));
  await agent.getByText("Only admins see the activity.").waitFor();
  seen.agentActivityEntries = await agent.locator(".audit-entry").count();

  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
