// Outbound webhooks in the browser (issue 13, item 8), in a tenant of the test's own: an admin adds a
// webhook on Settings → Webhooks for the receiver the test runs (its secret shown once), sends a test
// event and reads the delivery log, pauses and resumes it, adds a second one and deletes it; axe-core on
// the form with the secret shown and on the log. Prints what it saw as JSON for tests/e2e/test_web_webhooks.py.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, RECEIVER_URL, SECOND_URL.
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("heading", { level: 1, name: "Outgoing webhooks" }).waitFor();
  await page.getByText("No webhook yet.").waitFor();

  // Added: the secret is shown once, with a copy button.
  const add = page.getByRole("form", { name: "Add a webhook" });
  await add.getByLabel("Address (https)").fill(env("RECEIVER_URL"));
  await add.getByLabel("Description (optional)").fill("e2e receiver");
  await add.getByLabel("New conversation").check();
  await add.getByLabel("Message received").check();
  await add.getByRole("button", { name: "Add the webhook" }).click();
  const secret = page.getByLabel("Signing secret", { exact: true });
  await secret.waitFor();
  seen.secret = await secret.inputValue();
  seen.axe.added = await accessibilityViolations(page);
  await page.getByRole("button", { name: "I have copied it" }).click();
  seen.secretGone = (await page.getByLabel("Signing secret", { exact: true }).count()) === 0;
  const item = page.locator(".webhook", { hasText: env("RECEIVER_URL") });
  seen.summary = (await item.locator("p.muted").innerText()).trim();

  // A test event, then the log.
  await item.getByRole("button", { name: "Send a test event" }).click();
  await item.getByText(/Test event delivered/).waitFor();
  seen.testOutcome = (await item.getByText(/Test event delivered/).innerText()).trim();
  await item.getByRole("button", { name: "Delivery log" }).click();
  const logRow = item.locator(".webhook-log tbody tr").first();
  await logRow.waitFor();
  seen.logRow = (await logRow.locator("td").allInnerTexts()).slice(0, 4).map((cell) => cell.trim());
  seen.axe.log = await accessibilityViolations(page);

  // Paused, then resumed, by keyboard.
  await item.getByRole("button", { name: "Pause" }).focus();
  await page.keyboard.press("Enter");
  await item.getByText(/^Paused/).waitFor();
  seen.paused = true;
  await item.getByRole("button", { name: "Resume" }).click();
  await item.getByText(/^Active/).waitFor();

  // A second one, deleted after the confirmation.
  await add.getByLabel("Address (https)").fill(env("SECOND_URL"));
  await add.getByLabel("Task done").check();
  await add.getByRole("button", { name: "Add the webhook" }).click();
  await page.getByRole("button", { name: "I have copied it" }).click();
  const second = page.locator(".webhook", { hasText: env("SECOND_URL") });
  await second.getByRole("button", { name: "Delete" }).click();
  await second.waitFor({ state: "detached" });
  seen.listed = await page.locator(".webhook-url").allInnerTexts();
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
