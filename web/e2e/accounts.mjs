// Accounts walked by a user: the first sign-in of a user an admin created (new password), sign-out,
// the forgotten password (moto hands the code back in a header only a test can read), and the
// French interface. Prints what it saw as JSON; tests/e2e/test_web_accounts.py checks it.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_TEMPORARY_PASSWORD, INBOX_NEW_PASSWORD, INBOX_RESET_PASSWORD.
import { env, launch, signIn } from "./browser.mjs";

const url = env("INBOX_URL");
const email = env("INBOX_EMAIL");
const seen = { problems: [] };

async function signedIn(page) {
  await page.getByRole("navigation", { name: "Folders" }).locator("[data-folder-id]").first().waitFor();
  const user = page.locator(".top-bar .user").filter({ hasText: "@" });
  await user.waitFor();
  return user.textContent();
}

const browser = await launch();
try {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));

  // First sign-in: Cognito asks for a password of the user's own.
  await page.goto(url);
  await signIn(page, { email, password: env("INBOX_TEMPORARY_PASSWORD") });
  await page.getByRole("heading", { name: "Choose your password" }).waitFor();
  await page.getByLabel("New password", { exact: true }).fill(env("INBOX_NEW_PASSWORD"));
  await page.getByLabel("New password again").fill(env("INBOX_NEW_PASSWORD"));
  await page.getByRole("button", { name: "Save and sign in" }).click();
  seen.firstSignIn = await signedIn(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  seen.signedOut = true;

  // A wrong password is refused with a message, not a crash.
  await signIn(page, { email, password: "Not-the-password-1" });
  seen.wrongPassword = await page.getByRole("alert").textContent();

  // Forgotten password: ask for a code, then set a new password with it.
  let code = null;
  page.on("response", (response) => {
    code ??= response.headers()["x-moto-forgot-password-confirmation-code"] ?? null;
  });
  await page.getByRole("button", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the code" }).click();
  await page.getByLabel("Code").waitFor();
  if (!code) throw new Error("moto sent no confirmation code");
  await page.getByLabel("Code").fill(code);
  await page.getByLabel("New password").fill(env("INBOX_RESET_PASSWORD"));
  await page.getByRole("button", { name: "Set the new password" }).click();
  seen.resetNotice = await page.locator(".notice").textContent();
  await signIn(page, { email, password: env("INBOX_RESET_PASSWORD") });
  seen.afterReset = await signedIn(page);
  await context.close();

  // French, from the browser's language.
  const french = await browser.newContext({ locale: "fr-FR" });
  const frPage = await french.newPage();
  await frPage.goto(url);
  seen.frenchSignIn = await frPage.locator("form h1").textContent();
  await signIn(frPage, { email, password: env("INBOX_RESET_PASSWORD"), language: "fr" });
  const nav = frPage.getByRole("navigation", { name: "Dossiers" });
  await nav.locator("[data-folder-id]").first().waitFor();
  seen.frenchFolders = await nav.locator(".pane-label").allTextContents();
  seen.frenchLang = await frPage.evaluate(() => document.documentElement.lang);
  await french.close();

  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
