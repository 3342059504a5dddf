// Settings → Knowledge base walked by the demo admin: a Markdown text added, a text file uploaded, a
// disguised executable refused with the API's words, a document edited then deleted; axe-core on the
// screen with documents and on the edit form; the screen's title in French for a French browser.
// Prints what it saw as JSON; tests/e2e/test_web_settings.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, DOC_TITLE, FILE_TEXT.
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

async function openKnowledge(context, language = "en") {
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(env("INBOX_URL"));
  await signIn(page, { language });
  await page.locator(".conversation-row").first().waitFor();
  await page.evaluate(() => {
    window.location.hash = "#settings/knowledge";
  });
  await page.locator("#knowledge-title").waitFor();
  return page;
}

const card = (page, title) => page.locator(".knowledge-document", { has: page.getByRole("heading", { name: title, exact: true }) });

try {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await openKnowledge(context);
  seen.title = await page.locator("#knowledge-title").textContent();
  seen.navCurrent = await page.locator('.settings-nav [aria-current="page"]').textContent();

  // Text typed in, as Markdown.
  await page.getByRole("button", { name: "Add text" }).click();
  const textForm = page.getByRole("form", { name: "Add text" });
  await textForm.getByLabel(/^Title/).fill(env("DOC_TITLE"));
  await textForm.getByLabel("Format").selectOption("markdown");
  await textForm
    .getByLabel(/^Text/)
    .fill("# Retours\n\nVous avez 30 jours pour retourner un article.\n\n# Livraison\n\nExpédition sous 48 h.");
  await textForm.getByRole("button", { name: "Add the document" }).click();
  await textForm.waitFor({ state: "detached" });
  await card(page, env("DOC_TITLE")).waitFor();
  seen.details = await card(page, env("DOC_TITLE")).locator("p.muted").first().textContent();

  // A file: a disguised executable is refused with the API's words, a text file is read.
  await page.getByRole("button", { name: "Upload a file" }).click();
  const uploadForm = page.getByRole("form", { name: "Upload a file" });
  const executable = Buffer.concat([Buffer.from("MZ\x90\x00", "latin1"), Buffer.alloc(512, 7)]);
  await uploadForm.getByLabel(/^File/).setInputFiles({ name: "faq.pdf", mimeType: "application/pdf", buffer: executable });
  await uploadForm.getByRole("button", { name: "Add the document" }).click();
  seen.refusal = await uploadForm.getByRole("alert").textContent();
  await uploadForm
    .getByLabel(/^File/)
    .setInputFiles({ name: "horaires.txt", mimeType: "text/plain", buffer: Buffer.from(env("FILE_TEXT")) });
  await uploadForm.getByRole("button", { name: "Add the document" }).click();
  await uploadForm.waitFor({ state: "detached" });
  await card(page, "horaires").waitFor();
  seen.axe.knowledge = await accessibilityViolations(page);

  // Edit: the text is read back into the form, the title changed.
  await card(page, env("DOC_TITLE")).getByRole("button", { name: "Edit" }).click();
  const editForm = page.getByRole("form", { name: `Edit “${env("DOC_TITLE")}”` });
  await editForm.getByLabel(/^Title/).waitFor();
  await page.waitForFunction(() => document.querySelector(".knowledge-document textarea")?.value.includes("30 jours"));
  seen.editText = await editForm.getByLabel(/^Text/).inputValue();
  seen.axe.knowledgeEdit = await accessibilityViolations(page);
  await editForm.getByLabel(/^Title/).fill(`${env("DOC_TITLE")} (edited)`);
  await editForm.getByRole("button", { name: "Save" }).click();
  await card(page, `${env("DOC_TITLE")} (edited)`).waitFor();

  // Delete the uploaded file (the dialog is accepted).
  await card(page, "horaires").getByRole("button", { name: "Delete" }).click();
  await card(page, "horaires").waitFor({ state: "detached" });
  seen.titlesAfter = await page.locator(".knowledge-document h2").allTextContents();

  // French.
  const french = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
  const frPage = await openKnowledge(french, "fr");
  await frPage.locator(".knowledge-document").first().waitFor();
  seen.frenchTitle = await frPage.locator("#knowledge-title").textContent();
  seen.frenchActions = await frPage.locator(".knowledge .form-actions").first().locator("button").allTextContents();

  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
