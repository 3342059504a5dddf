// Try before it answers in the browser (issue 16, item 3), in a tenant of the test's own: an admin opens
// Settings → AI, types a customer's question about a delivery, and reads where it would go (the rules of
// the "Commandes" folder), the reply the folder's auto-reply would write from the knowledge base and that
// automatic mode would send it; a message no rule files says it would stay in the inbox, and written to the
// sales address the "Ventes" folder's rule on the recipient files it; with the headers of an auto-reply and a
// list (typed as Name: value lines) it is skipped as automated mail, the reason worded; an SMS from a
// number that is no number is refused by the API, the field it names marked. Then the same panel in
// French, from the browser's language. Sent by keyboard once. axe-core on the result, the skipped sample, the refusal and in
// French. Prints what it saw as JSON for tests/e2e/test_web_ai_try.py. Env: INBOX_URL, INBOX_EMAIL,
// INBOX_PASSWORD, SAMPLE_TEXT.
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

/** The panel's result as a person reads it. */
async function result(panel) {
  const shown = panel.locator(".ai-try-result");
  const text = async (selector) => ((await shown.locator(selector).count()) ? (await shown.locator(selector).innerText()).trim() : null);
  return {
    folder: await text(".ai-try-folder"),
    decider: await text(".ai-try-decider"),
    intent: await text(".ai-try-intent"),
    verdict: await text(".ai-try-verdict"),
    reply: await text(".ai-try-text"),
    outcome: await shown.locator(".ai-try-reply").getAttribute("data-outcome"),
    notChecked: await shown.locator(".ai-try-not-checked li").allInnerTexts(),
    nothingStored: await text(".ai-try-nothing"),
  };
}

/** Settings → AI's try panel, as `words` name it. */
async function openPanel(page, words) {
  await page.goto(env("INBOX_URL"));
  await signIn(page, { language: words.language });
  await page.getByRole("link", { name: words.settings }).click();
  await page.getByRole("navigation", { name: words.settings }).getByRole("link", { name: words.ai }).click();
  const panel = page.getByRole("region", { name: words.title });
  await panel.getByRole("heading", { level: 2, name: words.title }).waitFor();
  return panel;
}

try {
  const page = await desktopPage(browser, seen);
  const panel = await openPanel(page, { language: "en", settings: "Settings", ai: "AI", title: "Try before it answers" });

  // A question the "Commandes" folder's rules file, answered from the knowledge base: sent by keyboard.
  await panel.getByLabel("Channel").selectOption("email");
  await panel.locator('[name="sender"]').fill("claire.martin@example.fr");
  await panel.getByLabel("Name (optional)").fill("Claire Martin");
  await panel.getByLabel("Subject (optional)").fill("Ma commande");
  await panel.getByLabel("Message").fill(env("SAMPLE_TEXT"));
  await panel.getByRole("button", { name: "Try" }).focus();
  await page.keyboard.press("Enter");
  await panel.locator(".ai-try-result .ai-try-verdict").waitFor({ timeout: 60_000 });
  seen.filed = await result(panel);
  seen.axe.filed = await accessibilityViolations(page);

  // A message no rule files, and no folder has an AI filter: it would stay in the inbox.
  await panel.getByLabel("Subject (optional)").fill("");
  await panel.getByLabel("Message").fill("Merci pour tout !");
  await panel.getByRole("button", { name: "Try" }).click();
  await panel.locator('.ai-try-reply[data-outcome="no_auto_reply"]').waitFor({ timeout: 60_000 });
  seen.unfiled = await result(panel);

  // The same message written to the sales address: the "Ventes" folder's rule on the recipient files it.
  await panel.getByLabel("Sent to (optional)").fill("ventes@fleurs.example");
  await panel.getByRole("button", { name: "Try" }).click();
  await panel.locator(".ai-try-result .ai-try-folder", { hasText: "Ventes" }).waitFor({ timeout: 60_000 });
  seen.addressed = await result(panel);
  await panel.getByLabel("Sent to (optional)").fill("");

  // The headers an out-of-office reply and a mailing list carry: automated mail, skipped, and said why.
  await panel.getByLabel("Mail headers (optional)").fill("Auto-Submitted: auto-replied\nList-Id: <promos.fleurs.example>");
  await panel.getByRole("button", { name: "Try" }).click();
  await panel.locator('.ai-try-result .ai-try-decider[data-decider="skipped"]').waitFor({ timeout: 60_000 });
  seen.automated = await result(panel);
  seen.axe.automated = await accessibilityViolations(page);
  await panel.getByLabel("Mail headers (optional)").fill("");

  // An SMS from something that is no phone number: the API's 422, the field it names marked.
  await panel.getByLabel("Channel").selectOption("sms");
  await panel.locator('[name="sender"]').fill("12");
  await panel.getByRole("button", { name: "Try" }).click();
  await panel.locator('[name="sender"][aria-invalid="true"]').waitFor();
  const describedBy = await panel.locator('[name="sender"]').getAttribute("aria-describedby");
  seen.senderError = (await page.locator(`[id="${describedBy}"]`).innerText()).trim();
  seen.axe.refused = await accessibilityViolations(page);

  // In French, from the browser's language.
  const frContext = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
  const frPage = await frContext.newPage();
  frPage.on("pageerror", (error) => seen.problems.push(`page error (fr): ${error.message}`));
  const frPanel = await openPanel(frPage, { language: "fr", settings: "Paramètres", ai: "IA", title: "Essayer avant qu'elle réponde" });
  await frPanel.getByRole("textbox", { name: /^De / }).fill("claire.martin@example.fr");
  await frPanel.getByLabel("Objet (facultatif)").fill("Ma commande");
  await frPanel.getByLabel("Message").fill(env("SAMPLE_TEXT"));
  await frPanel.getByRole("button", { name: "Essayer" }).click();
  await frPanel.locator(".ai-try-result .ai-try-verdict").waitFor({ timeout: 60_000 });
  seen.french = await result(frPanel);
  seen.axe.french = await accessibilityViolations(frPage);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
