// The customer panel in the browser (issue 13, item 3), in a tenant of the test's own: First Customer's
// conversation opened, the panel beside it shows them and their history; an edit adds a phone and a
// company; adding Third Customer's address is refused and offers the merge, whose preview is shown
// before it is confirmed; the merged history opens Third Customer's conversation; the top bar's
// Customers search finds First Customer by the start of their name and opens theirs. Then on a phone
// (390 px) the panel opens under the conversation's header without widening the page.
// axe-core on the panel, the editor, the merge preview, the search and the phone layout, in English and French.
// Prints what it saw as JSON; tests/e2e/test_web_contacts.py compares it with the API.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, THIRD_EMAIL, PHONE.
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [] };
const browser = await launch();

async function openFirstCustomer(page) {
  await page.getByRole("button", { name: "All", exact: true }).click();
  const row = page.locator(".conversation-row", { hasText: "First Customer" }).first();
  await row.waitFor();
  await row.click();
  return row.getAttribute("data-conversation-id");
}

try {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  seen.firstId = await openFirstCustomer(page);

  // Wide: the panel is open beside the conversation, its history marks the conversation open.
  const panel = page.getByRole("complementary", { name: "Customer" });
  await panel.locator(".contact-name").waitFor();
  seen.name = await panel.locator(".contact-name").textContent();
  seen.toggleExpanded = await panel.locator(".contact-toggle").getAttribute("aria-expanded");
  seen.current = await panel.locator('.contact-conversation[aria-current="true"]').getAttribute("data-conversation-id");
  const box = await panel.boundingBox();
  const title = await page.locator("#conversation-title").boundingBox();
  seen.beside = box.x > title.x + 100; // floated to the right of the conversation
  seen.axe.panel = await accessibilityViolations(page);

  // Edit: a phone (normalised by the API) and a company.
  await panel.getByRole("button", { name: "Edit the customer" }).click();
  const form = panel.getByRole("form", { name: "Edit the customer" });
  await form.getByLabel("Phones").fill(env("PHONE"));
  await form.getByLabel("Company").fill("Martin SA");
  seen.axe.editor = await accessibilityViolations(page);
  await form.getByRole("button", { name: "Save" }).click();
  await form.waitFor({ state: "detached" });
  await panel.locator(".contact-card", { hasText: "Martin SA" }).waitFor();
  seen.card = (await panel.locator(".contact-card dd").allInnerTexts()).map((text) => text.trim());

  // Another customer's address: refused, the merge offered with the address searched for.
  await panel.getByRole("button", { name: "Edit the customer" }).click();
  const emails = form.getByLabel("Emails");
  await emails.fill(`${await emails.inputValue()}\n${env("THIRD_EMAIL")}`);
  await form.getByRole("button", { name: "Save" }).click();
  const claimed = panel.locator(".contact-claimed");
  await claimed.waitFor();
  seen.claimed = (await claimed.locator("p").textContent()).trim();
  await claimed.getByRole("button", { name: "Merge with that customer…" }).click();
  const dialog = page.getByRole("dialog");
  seen.searched = await dialog.getByLabel("Find a customer by name, email or phone").inputValue();
  const candidate = dialog.locator(".merge-candidate").first();
  await candidate.waitFor();
  seen.candidates = await dialog.locator(".merge-candidate strong").allInnerTexts();
  await candidate.click();
  const preview = dialog.locator(".merge-preview dd");
  await preview.first().waitFor();
  seen.preview = (await preview.allInnerTexts()).map((text) => text.trim());
  seen.axe.preview = await accessibilityViolations(page);
  await dialog.getByRole("button", { name: "Merge", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  seen.merged = await panel.locator(".contact-merged").textContent();

  // The history now holds Third Customer's conversation: it opens from there.
  const others = panel.locator('.contact-conversation:not([aria-current="true"])');
  await page.waitForFunction(() => document.querySelectorAll(".contact-conversation").length >= 2);
  seen.history = await panel.locator(".contact-conversation").evaluateAll((found) => found.map((b) => b.dataset.conversationId));
  seen.thirdId = await others.first().getAttribute("data-conversation-id");
  await others.first().click();
  await page.waitForFunction(
    (id) => document.querySelector('.contact-conversation[aria-current="true"]')?.getAttribute("data-conversation-id") === id,
    seen.thirdId,
  );
  seen.openedTitle = await page.locator("#conversation-title").textContent();

  // The top bar's Customers: found by the start of a name, their panel, a conversation opened from it.
  await page.getByRole("button", { name: "Customers", exact: true }).click();
  const search = page.getByRole("dialog", { name: "Customers" });
  await search.getByLabel("Find a customer by name, email or phone").fill("FIRST cust");
  await search.locator(".merge-candidate", { hasText: "First Customer" }).click();
  await search.locator(".contact-conversation").nth(1).waitFor();
  seen.searchHistory = await search.locator(".contact-conversation").count();
  seen.axe.search = await accessibilityViolations(page);
  await search.locator(`.contact-conversation[data-conversation-id="${seen.firstId}"]`).click();
  await search.waitFor({ state: "detached" });
  await page.waitForFunction(
    (id) => document.querySelector('.contact-conversation[aria-current="true"]')?.getAttribute("data-conversation-id") === id,
    seen.firstId,
  );
  seen.reopened = true;
  await context.close();

  // A phone, in French: the panel is a closed button under the header; opened, the page does not widen.
  const phone = await browser.newContext({ locale: "fr-FR", viewport: { width: 390, height: 844 }, hasTouch: true });
  const small = await phone.newPage();
  small.on("pageerror", (error) => seen.problems.push(`phone: page error: ${error.message}`));
  await small.goto(env("INBOX_URL"));
  await small.locator(".sign-in form").waitFor();
  await signIn(small, { language: "fr" });
  await small.getByRole("button", { name: "Toutes", exact: true }).click();
  await small.locator(".conversation-row").first().waitFor();
  await small.locator(".conversation-row", { hasText: "First Customer" }).first().click();
  const toggle = small.locator(".contact-toggle");
  await toggle.waitFor();
  seen.phoneClosed = await toggle.getAttribute("aria-expanded");
  await toggle.click();
  await small.locator(".contact-name").waitFor();
  await small.waitForTimeout(300);
  seen.phone = await small.evaluate(() => {
    const toggleBox = document.querySelector(".contact-toggle").getBoundingClientRect();
    const panelBox = document.querySelector(".contact-panel").getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      panelRight: Math.round(panelBox.right),
      toggleHeight: Math.round(toggleBox.height),
      heading: document.querySelector(".contact-history h3").textContent,
    };
  });
  seen.axe.phone = await accessibilityViolations(small);
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
