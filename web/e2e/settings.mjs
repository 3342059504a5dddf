// The settings screens walked by the demo admin, and not offered to an agent: a custom webhook whose
// secret is shown once, a folder with a two-condition OR rule built in the builder (its preview read),
// moved up by keyboard, the AI model, company prompt and a cap changed; axe-core on each settings screen.
// Prints what it saw as JSON; tests/e2e/test_web_settings.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, INBOX_AGENT_EMAIL, INBOX_AGENT_PASSWORD,
// FOLDER_NAME, WEBHOOK_NAME, AI_MODEL, COMPANY_PROMPT.
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

async function openSignedIn(context, email, password) {
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(env("INBOX_URL"));
  await signIn(page, { email, password });
  await page.locator(".conversation-row").first().waitFor();
  return page;
}

try {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await openSignedIn(context, env("INBOX_EMAIL"), env("INBOX_PASSWORD"));
  const settingsNav = page.getByRole("navigation", { name: "Settings" });

  // Integrations: a custom webhook, its secret shown once.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
  await page.locator(".integration").first().waitFor();
  seen.axe.integrations = await accessibilityViolations(page);

  await page.getByRole("button", { name: "Connect a mailbox" }).click();
  await page.getByLabel("Provider").selectOption("ovh");
  seen.presetHost = await page.locator('input[name="imap_host"]').inputValue();
  seen.saveBeforeTest = await page.locator("form.settings-form button[type=submit]").isDisabled();
  seen.axe.mailboxForm = await accessibilityViolations(page);
  await page.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: "Add a custom webhook" }).click();
  await page.getByRole("form", { name: "Add a custom webhook" }).getByLabel("Name").fill(env("WEBHOOK_NAME"));
  await page.getByRole("button", { name: "Create the webhook" }).click();
  const secretField = page.getByRole("textbox", { name: "Signing secret" });
  await secretField.waitFor();
  seen.secret = await secretField.inputValue();
  seen.webhookUrl = await page.locator(".secret-once").getByRole("textbox", { name: "Webhook URL" }).inputValue();
  seen.axe.webhookSecret = await accessibilityViolations(page);
  await page.getByRole("button", { name: "I have copied the secret" }).click();
  await secretField.waitFor({ state: "detached" });
  const card = page.locator(".integration", { has: page.getByRole("heading", { name: env("WEBHOOK_NAME") }) });
  await card.waitFor();
  seen.cardUrl = await card.getByRole("textbox", { name: "Webhook URL" }).inputValue();
  seen.secretShownAgain = await page.evaluate(
    (secret) =>
      document.body.innerText.includes(secret) ||
      [...document.querySelectorAll("input, textarea")].some((field) => field.value.includes(secret)),
    seen.secret,
  );

  // Folders: a two-condition OR rule in the builder, its preview, saved, then moved up by keyboard.
  await settingsNav.getByRole("link", { name: "Folders" }).click();
  await page.getByRole("heading", { level: 1, name: "Folders" }).waitFor();
  await page.locator("[data-folder-row]").first().waitFor();
  seen.axe.folders = await accessibilityViolations(page);
  await page.getByRole("button", { name: "New folder" }).click();
  const editor = page.locator("form.folder-editor");
  await editor.getByLabel("Name", { exact: true }).fill(env("FOLDER_NAME"));
  await editor.getByLabel("Match").first().selectOption("any");
  await editor.getByRole("button", { name: "Add a condition" }).click();
  await editor.getByRole("button", { name: "Add a condition" }).click();
  const conditions = editor.locator(".rule-condition");
  await conditions.nth(0).getByLabel("Field").selectOption("subject");
  await conditions.nth(0).getByLabel("Comparison").selectOption("contains");
  await conditions.nth(0).getByLabel("Value").fill("Invoice");
  await conditions.nth(1).getByLabel("Field").selectOption("from_name");
  await conditions.nth(1).getByLabel("Comparison").selectOption("contains");
  await conditions.nth(1).getByLabel("Value").fill("Sofia");
  const preview = editor.locator(".rule-preview");
  await page.waitForFunction(() => {
    const section = document.querySelector(".rule-preview");
    return section && section.getAttribute("aria-busy") === "false" && section.querySelectorAll("li").length >= 2;
  });
  seen.previewIds = await preview.locator("li[data-conversation-id]").evaluateAll((items) =>
    items.map((item) => item.dataset.conversationId),
  );
  seen.previewCount = await preview.getByRole("status").textContent();
  seen.axe.folderEditor = await accessibilityViolations(page);
  await editor.getByRole("button", { name: "Save" }).click();
  await editor.waitFor({ state: "detached" });
  const rows = page.locator("[data-folder-row]");
  await page.getByRole("button", { name: `Move ${env("FOLDER_NAME")}`, exact: true }).waitFor();
  seen.orderBefore = await rows.locator(".grow").allTextContents();
  await page.getByRole("button", { name: `Move ${env("FOLDER_NAME")}`, exact: true }).focus();
  await page.keyboard.press("Alt+ArrowUp");
  await page.waitForFunction(
    (name) => {
      const names = [...document.querySelectorAll("[data-folder-row] .grow")].map((n) => n.textContent);
      return names.indexOf(name) === names.length - 2;
    },
    env("FOLDER_NAME"),
  );
  seen.orderAfter = await rows.locator(".grow").allTextContents();
  seen.focusAfterMove = await page.evaluate(() => document.activeElement?.getAttribute("aria-label"));

  // AI: the model changed; the key is write-only.
  await settingsNav.getByRole("link", { name: "AI" }).click();
  await page.getByRole("heading", { level: 1, name: "AI settings" }).waitFor();
  seen.axe.ai = await accessibilityViolations(page);
  seen.keyState = await page.locator(".key-state").textContent();
  await page.getByLabel("Model").fill(env("AI_MODEL"));
  await page.getByLabel("Company prompt").fill(env("COMPANY_PROMPT"));
  await page.getByLabel("…in this many minutes").fill("15");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  seen.keyFieldEmpty = (await page.getByLabel(/^API key/).inputValue()) === "";

  // People: a person invited (moto's Cognito sends no mail) and listed; axe on the screen.
  await settingsNav.getByRole("link", { name: "People" }).click();
  await page.getByRole("heading", { level: 1, name: "People" }).waitFor();
  await page.locator(".people-list tbody tr").first().waitFor();
  seen.axe.people = await accessibilityViolations(page);
  const inviteForm = page.getByRole("form", { name: "Invite a person" });
  await inviteForm.getByLabel("Email").fill(env("INVITE_EMAIL"));
  await inviteForm.getByLabel("Name").fill(env("INVITE_NAME"));
  await inviteForm.getByLabel("Role").selectOption("agent");
  await inviteForm.getByRole("button", { name: "Send the invitation" }).click();
  await page.getByRole("status").filter({ hasText: "is invited" }).waitFor();
  const invitedRow = page.locator(".people-list tbody tr").filter({ hasText: env("INVITE_EMAIL") });
  await invitedRow.waitFor();
  seen.invitedRow = (await invitedRow.locator("th, td").allTextContents()).map((text) => text.trim());

  // Back to the inbox from the header.
  await page.getByRole("link", { name: "Back to the inbox" }).click();
  await page.locator(".conversation-row").first().waitFor();
  seen.backToInbox = true;

  // An agent: no Settings in the header, and the screen refuses if reached by its address.
  const agentContext = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const agent = await openSignedIn(agentContext, env("INBOX_AGENT_EMAIL"), env("INBOX_AGENT_PASSWORD"));
  await agent.locator(".top-bar .user").filter({ hasText: "@" }).waitFor();
  seen.agentSeesSettings = await agent.getByRole("link", { name: "Settings" }).count();
  await agent.evaluate(() => {
    window.location.hash = "#settings/folders";
  });
  await agent.locator(".settings-main").waitFor();
  await agent.locator(".settings-main > p.muted").waitFor({ state: "detached" }); // "Loading…" while asking who I am
  seen.agentSettingsScreen = await agent.locator(".settings-main").textContent();

  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
