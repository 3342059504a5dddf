// Assigning to someone else, walked by a user: on the All view, the first conversation of IDS opened and
// assigned with the keyboard (`a` opens the picker, a letter jumps to the person, Enter picks); the two
// others ticked and assigned from the bulk bar's picker with the mouse; then the filter bar's assignee
// set to that person. axe-core runs with each picker open. Prints what it saw as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, IDS (three ids), PERSON_ID, PERSON_NAME.
import { accessibilityViolations, env, launch, openAllAsAdmin } from "./browser.mjs";

const seen = { problems: [], accessibility: {}, usersRequests: 0 };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && seen.problems.push(`console: ${message.text()}`));
  page.on("request", (request) => new URL(request.url()).pathname.endsWith("/inbox/users") && (seen.usersRequests += 1));
  const [first, ...others] = env("IDS").split(",");
  const name = env("PERSON_NAME");
  const row = (id) => page.locator(`li[data-row-id="${id}"]`);
  const rowAssignee = (id) => row(id).locator(".assignee");
  const waitForText = async (locator, text) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if ((await locator.count()) && (await locator.first().textContent())?.includes(text)) return true;
      await page.waitForTimeout(200);
    }
    return false;
  };

  await openAllAsAdmin(page);
  await row(first).waitFor();
  seen.usersRequestsAtOpen = seen.usersRequests;

  // The conversation: open it, `a`, type the person's first letter, Enter.
  await row(first).locator(".conversation-row").click();
  const actions = page.getByRole("group", { name: "Actions", exact: true });
  await actions.waitFor();
  await page.keyboard.press("a");
  const picker = page.getByRole("listbox", { name: "Assign to…" });
  await picker.waitFor();
  await picker.getByRole("option", { name: new RegExp(name) }).waitFor();
  seen.pickerFocused = await picker.evaluate((list) => list === document.activeElement);
  seen.choices = await picker.getByRole("option").allTextContents();
  seen.accessibility.conversation = await accessibilityViolations(page);
  await page.keyboard.press(name[0]);
  seen.activeBeforeEnter = await picker.locator(".active").textContent();
  await page.keyboard.press("Enter");
  seen.pickerClosed = (await picker.count()) === 0;
  seen.conversationSays = (await waitForText(actions.locator(".assignee-now"), name))
    ? await actions.locator(".assignee-now").textContent()
    : null;
  seen.firstRowSays = (await waitForText(rowAssignee(first), name)) ? await rowAssignee(first).textContent() : null;

  // The bulk bar: tick the two others, open its picker, click the person.
  for (const id of others) await row(id).locator(".row-check").click();
  const bulk = page.getByRole("group", { name: "Change the selected conversations" });
  await bulk.locator('button[name="bulk-assign"]').click();
  const bulkPicker = bulk.getByRole("listbox", { name: "Assign to…" });
  await bulkPicker.getByRole("option", { name: new RegExp(name) }).waitFor();
  seen.accessibility.bulk = await accessibilityViolations(page);
  await bulkPicker.getByRole("option", { name: new RegExp(name) }).click();
  seen.otherRowsSay = [];
  for (const id of others) {
    seen.otherRowsSay.push((await waitForText(rowAssignee(id), name)) ? await rowAssignee(id).textContent() : null);
  }

  // The filter bar: the person among the assignees; chosen, the list is theirs.
  const filter = page.getByRole("group", { name: "Filters" }).locator('select[name="filter-assignee"]');
  await filter.focus();
  await filter.locator(`option[value="${env("PERSON_ID")}"]`).waitFor({ state: "attached" });
  seen.filterOptions = await filter.locator("option").allTextContents();
  await filter.selectOption(env("PERSON_ID"));
  const deadline = Date.now() + 15_000;
  let ids = [];
  while (Date.now() < deadline) {
    await page.waitForTimeout(300);
    ids = await page.locator(".conversation-row").evaluateAll((rows) => rows.map((r) => r.dataset.conversationId));
    if (ids.length && ids.every((id) => [first, ...others].includes(id)) && ids.length === 3) break;
  }
  seen.filteredIds = ids;
  seen.filterShows = await filter.evaluate((select) => select.selectedOptions[0]?.textContent);
  seen.url = new URL(page.url()).search;
  seen.accessibility.filtered = await accessibilityViolations(page);
} catch (error) {
  seen.problems.push(`script: ${error.message}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
