// Debian's Chromium driven by playwright-core: headless, offline, nothing downloaded.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/** Reads the run's parameters from the environment, failing loudly on a missing one. */
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const AXE = new URL("../node_modules/axe-core/axe.min.js", import.meta.url);

/** axe-core's serious and critical violations on the page as it is now: [{ id, impact, targets }]. */
export async function accessibilityViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE.pathname });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
    }));
}

/** The sign-in screens' words, as web/src/i18n/messages.ts has them: what a user reads to find a control. */
export const AUTH_WORDS = {
  en: {
    email: "Email",
    password: "Password",
    signIn: "Sign in",
    forgot: "Forgot your password?",
    send: "Send the code",
    code: "Code",
    back: "Back to sign in",
    newPassword: "Choose your password",
  },
  fr: {
    email: "Adresse e-mail",
    password: "Mot de passe",
    signIn: "Se connecter",
    forgot: "Mot de passe oublié ?",
    send: "Envoyer le code",
    code: "Code",
    back: "Retour à la connexion",
    newPassword: "Choisissez votre mot de passe",
  },
};

/** Fills and sends the sign-in form on the page (the demo admin unless another account is given). */
export async function signIn(
  page,
  { email = env("INBOX_EMAIL"), password = env("INBOX_PASSWORD"), language = "en" } = {},
) {
  const words = AUTH_WORDS[language];
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(password);
  await page.getByRole("button", { name: words.signIn }).click();
}

/** A desktop-sized English page of its own context, whose script errors are kept in `seen.problems`. */
export async function desktopPage(browser, seen) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  return page;
}

/** The app opened and signed in as the demo admin, on the All view (every conversation, whatever its folder). */
export async function openAllAsAdmin(page) {
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("button", { name: "All", exact: true }).click();
}

/** A reply's delivery state once its send is over. "Sending" is what the conversation shows while the
 * send is under way (a live update's refetch, answered by another instance of the API, can show it
 * before the send's own answer), so the state read is the one the send ends with. */
export async function settledDelivery(message, timeout = 15_000) {
  const delivery = message.locator(".delivery");
  await delivery.filter({ hasNotText: "Sending" }).waitFor({ timeout });
  return delivery.textContent();
}
