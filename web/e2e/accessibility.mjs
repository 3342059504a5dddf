// axe-core on every screen there is so far: the sign-in screens in English and French (sign-in, the
// forgotten password and its code, the first sign-in's new password), the main view, an open
// conversation, the phone layout. Prints { screen: [serious or critical violations] } as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, and a user an admin created who has not signed in yet:
// INBOX_NEW_USER_EMAIL, INBOX_TEMPORARY_PASSWORD.
import { accessibilityViolations, AUTH_WORDS, env, launch, signIn } from "./browser.mjs";

const report = {};
const browser = await launch();

/** The sign-in screens in one language, their names in the report ending with `suffix`. */
async function signInScreens(language, suffix) {
  const words = AUTH_WORDS[language];
  const context = await browser.newContext({ locale: language === "fr" ? "fr-FR" : "en-GB" });
  const page = await context.newPage();
  await page.goto(env("INBOX_URL"));
  await page.getByRole("button", { name: words.signIn }).waitFor();
  report[`signIn${suffix}`] = await accessibilityViolations(page);

  await page.getByRole("button", { name: words.forgot }).click();
  await page.getByRole("button", { name: words.send }).waitFor();
  report[`forgotPassword${suffix}`] = await accessibilityViolations(page);
  await page.getByLabel(words.email).fill(env("INBOX_NEW_USER_EMAIL"));
  await page.getByRole("button", { name: words.send }).click();
  await page.getByLabel(words.code).waitFor();
  report[`forgotPasswordCode${suffix}`] = await accessibilityViolations(page);
  await page.getByRole("button", { name: words.back }).click();

  // The first sign-in's challenge: shown, not answered, so the other language sees it too.
  await signIn(page, { email: env("INBOX_NEW_USER_EMAIL"), password: env("INBOX_TEMPORARY_PASSWORD"), language });
  await page.getByRole("heading", { name: words.newPassword }).waitFor();
  report[`newPassword${suffix}`] = await accessibilityViolations(page);
  await context.close();
}

try {
  await signInScreens("en", "");
  await signInScreens("fr", "French");

  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.locator(".conversation-row").first().waitFor();
  report.mainView = await accessibilityViolations(page);

  await page.locator(".conversation-row").first().click();
  await page.locator(".timeline > li").first().waitFor();
  report.conversation = await accessibilityViolations(page);

  await page.setViewportSize({ width: 390, height: 800 });
  report.phoneConversation = await accessibilityViolations(page);
  await page.getByRole("button", { name: "Back to the list" }).click();
  await page.locator(".conversation-list").waitFor({ state: "visible" });
  report.phoneList = await accessibilityViolations(page);

  console.log(JSON.stringify(report));
} finally {
  await browser.close();
}
