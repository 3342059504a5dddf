// axe-core on every screen there is so far: sign-in (English and French), the first sign-in's
// new password, the forgotten password, the main view, an open conversation, the phone layout.
// Prints { screen: [serious or critical violations] } as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD.
import { accessibilityViolations, env, launch } from "./browser.mjs";

const report = {};
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(env("INBOX_URL"));
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  report.signIn = await accessibilityViolations(page);

  await page.getByRole("button", { name: "Forgot your password?" }).click();
  await page.getByRole("button", { name: "Send the code" }).waitFor();
  report.forgotPassword = await accessibilityViolations(page);
  await page.getByRole("button", { name: "Back to sign in" }).click();

  await page.getByLabel("Email").fill(env("INBOX_EMAIL"));
  await page.getByLabel("Password").fill(env("INBOX_PASSWORD"));
  await page.getByRole("button", { name: "Sign in" }).click();
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

  const french = await (await browser.newContext({ locale: "fr-FR" })).newPage();
  await french.goto(env("INBOX_URL"));
  await french.getByRole("button", { name: "Se connecter" }).waitFor();
  report.signInFrench = await accessibilityViolations(french);

  console.log(JSON.stringify(report));
} finally {
  await browser.close();
}
