// AI lookups in the browser (issue 16, item 1), in a tenant of the test's own: an admin adds a lookup on
// Settings → AI (an http endpoint on a public name first: the API's 422 is shown next to the endpoint),
// then on the test's loopback shop (its secret shown once, with a copy button), tries a call (an order
// found, then one the shop does not know), changes it, turns it off and on; a customer's question gets a
// suggested reply whose draft lists the lookup it called; a second lookup is deleted. axe-core on the
// form with its error, with the secret shown, and on the draft. Prints what it saw as JSON for
// tests/e2e/test_web_ai_lookups.py. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SHOP_URL, CUSTOMER_SUBJECT.
import { accessibilityViolations, desktopPage, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

try {
  const page = await desktopPage(browser, seen);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "AI" }).click();
  const lookups = page.getByRole("region", { name: "Lookups" });
  await lookups.getByRole("heading", { level: 2, name: "Lookups" }).waitFor();
  await lookups.getByText("No lookup yet.").waitFor();

  // Added with an http endpoint on a public name: refused, the reason next to the endpoint.
  const add = lookups.getByRole("form", { name: "Add a lookup" });
  await add.getByLabel("Name", { exact: true }).first().fill("find_order");
  await add.getByLabel("What it does (the AI reads this)").fill("Finds an order by its number: its status and tracking.");
  const parameter = add.getByRole("group", { name: "Parameter 1" });
  await parameter.getByLabel("Name").fill("order_number");
  await parameter.getByLabel("Description (optional)").fill("The order number, digits only");
  await add.getByLabel("Endpoint (https)").fill("http://shop.example.com/lookups/order");
  await add.getByRole("button", { name: "Add the lookup" }).click();
  const endpoint = add.getByLabel("Endpoint (https)");
  await add.locator('[name="endpoint"][aria-invalid="true"]').waitFor();
  const describedBy = (await endpoint.getAttribute("aria-describedby")).split(" ").at(-1);
  seen.endpointError = (await page.locator(`[id="${describedBy}"]`).innerText()).trim();
  seen.errorNextToEndpoint = await page.evaluate(
    (id) =>
      document.getElementById(id)?.previousElementSibling?.contains(document.querySelector('[name="endpoint"]')) ?? false,
    describedBy,
  );
  seen.axe.refused = await accessibilityViolations(page);

  // On the shop: added, its secret shown once with a copy button.
  await endpoint.fill(env("SHOP_URL"));
  await add.getByRole("button", { name: "Add the lookup" }).click();
  const secret = lookups.getByLabel("Signing secret", { exact: true });
  await secret.waitFor();
  seen.secret = await secret.inputValue();
  seen.copyButton = await lookups.getByRole("button", { name: "Copy: Signing secret" }).count();
  seen.axe.added = await accessibilityViolations(page);
  await lookups.getByRole("button", { name: "I have copied it" }).click();
  seen.secretGone = (await lookups.getByLabel("Signing secret", { exact: true }).count()) === 0;
  const item = lookups.locator(".lookup", { hasText: "find_order" });
  seen.summary = (await item.locator(".lookup-summary").innerText()).trim();

  // Tried: the order the shop knows, then one it does not.
  await item.getByRole("button", { name: "Try a call" }).click();
  const trial = item.getByRole("form", { name: "Try a call of find_order" });
  await trial.getByLabel("order_number").fill("12345");
  await trial.getByRole("button", { name: "Call it now" }).click();
  await trial.locator('.lookup-test-result [data-lookup-ok="true"]').waitFor();
  seen.tried = (await trial.locator(".lookup-call").innerText()).trim();
  await trial.getByLabel("order_number").fill("99999");
  await trial.getByRole("button", { name: "Call it now" }).click();
  await trial.locator('.lookup-test-result [data-lookup-ok="false"]').waitFor();
  seen.triedUnknown = (await trial.locator(".lookup-call").innerText()).trim();
  await item.getByRole("button", { name: "Try a call" }).click();

  // Changed, then off and on again, by keyboard for the last.
  await item.getByRole("button", { name: "Change" }).click();
  const edit = item.getByRole("form", { name: "Change find_order" });
  await edit.getByLabel("What it does (the AI reads this)").fill("Finds an order by its number: status, shipping date, tracking.");
  await edit.getByRole("button", { name: "Save" }).click();
  await edit.waitFor({ state: "detached" });
  seen.description = (await item.locator("p").first().innerText()).trim();
  await item.getByRole("button", { name: "Turn off" }).click();
  await item.locator(".lookup-summary", { hasText: /^Off/ }).waitFor();
  seen.turnedOff = true;
  await item.getByRole("button", { name: "Turn on" }).focus();
  await page.keyboard.press("Enter");
  await item.locator(".lookup-summary", { hasText: /^On/ }).waitFor();

  // A second lookup, deleted after the confirmation.
  await add.getByLabel("Name", { exact: true }).first().fill("find_booking");
  await add.getByLabel("What it does (the AI reads this)").fill("Finds a booking by its reference.");
  await add.getByRole("group", { name: "Parameter 1" }).getByLabel("Name").fill("reference");
  await add.getByLabel("Endpoint (https)").fill("https://bookings.example.com/lookup");
  await add.getByRole("button", { name: "Add the lookup" }).click();
  await lookups.getByRole("button", { name: "I have copied it" }).click();
  const second = lookups.locator(".lookup", { hasText: "find_booking" });
  await second.getByRole("button", { name: "Delete" }).click();
  await second.waitFor({ state: "detached" });
  seen.listed = await lookups.locator(".lookup-name").allInnerTexts();

  // The customer's question: a suggested reply, whose draft shows the lookup it called.
  await page.evaluate(() => {
    window.location.hash = "";
  });
  await page.locator(".conversation-row", { hasText: env("CUSTOMER_SUBJECT") }).first().click();
  const conversation = page.locator("section.conversation");
  await conversation.getByRole("button", { name: "Suggest a reply" }).click();
  const card = conversation.locator(".draft-card");
  await card.locator(".draft-lookups").waitFor({ timeout: 60_000 });
  seen.draftLookupsTitle = (await card.locator(".draft-lookups-title").innerText()).trim();
  seen.draftLookups = (await card.locator(".draft-lookups li").allInnerTexts()).map((line) => line.trim());
  seen.draftText = (await card.locator(".draft-text").innerText()).trim();
  seen.axe.draft = await accessibilityViolations(page);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
