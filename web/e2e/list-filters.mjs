// The list's filter bar, sort and bulk bar walked by a user. MODE=filters: for each scenario, the
// filters and the order chosen in the bar (with a left-pane view), the list's ids as shown and the API
// query the app made for them; a reload keeps them (after signing in again). MODE=bulk: opened on a URL
// that holds the filters (All, SMS, New), three conversations ticked (a box, Shift+click, `x`),
// resolved from the bulk bar, and the folders' counters before and after; axe-core runs with the
// filter bar and the bulk bar open. Prints what it saw as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, MODE, BULK_IDS (bulk: three ids, newest first).
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const seen = { problems: [], scenarios: [] };
const browser = await launch();
try {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && seen.problems.push(`console: ${message.text()}`));
  // The last answer to the list's first page per query (the cursor's pages aside), as the app received it,
  // and the query the app asked last: answers are read in the order their bodies arrive, so an earlier
  // query's can be read after the last one's.
  const answers = new Map();
  let askedLast = null;
  const forgetAnswers = () => {
    answers.clear();
    askedLast = null;
  };
  const firstPageQuery = (request) => {
    const url = new URL(request.url());
    if (!url.pathname.endsWith("/inbox/conversations") || request.method() !== "GET") return null;
    return url.searchParams.has("cursor") ? null : url.searchParams.toString();
  };
  page.on("request", (request) => {
    askedLast = firstPageQuery(request) ?? askedLast;
  });
  page.on("response", async (response) => {
    const query = firstPageQuery(response.request());
    if (query === null) return;
    try {
      answers.set(query, (await response.json()).items.map((c) => c.id));
    } catch {
      /* the page went on before the body was read: not an answer */
    }
  });

  const bar = page.getByRole("group", { name: "Filters" });
  const folders = page.getByRole("navigation", { name: "Folders" });
  const signInShowingFilters = async () => {
    await signIn(page);
    await bar.waitFor();
  };
  const shownIds = () =>
    page.locator(".conversation-row").evaluateAll((rows) => rows.map((row) => row.dataset.conversationId));
  const counters = () =>
    folders
      .locator("[data-folder-id]")
      .evaluateAll((buttons) =>
        Object.fromEntries(buttons.map((b) => [b.dataset.folderId, Number(b.querySelector(".count")?.textContent ?? 0)])),
      );
  /** Waits until the list shows what the API last answered to the query the app asked last. */
  const settled = async (name) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await page.waitForTimeout(200);
      const query = askedLast;
      const expected = answers.get(query);
      const ids = await shownIds();
      if (expected && JSON.stringify(ids) === JSON.stringify(expected)) {
        return { name, query, ids, url: new URL(page.url()).search };
      }
      if (Date.now() > deadline) return { name, query, ids, expected, url: new URL(page.url()).search, timedOut: true };
    }
  };
  // The bar's fields by name (a select's accessible name also holds its chosen option's text).
  const field = (name) => bar.locator(`select[name="${name}"]`);
  const choose = async (name, value) => {
    forgetAnswers();
    await field(name).selectOption(value);
  };
  const view = async (name) => {
    forgetAnswers();
    // A folder's name is followed by its counter: folders by id, views by name.
    const target = name === "Inbox" ? folders.locator('[data-folder-id="inbox"]') : folders.getByRole("button", { name, exact: true });
    await target.click();
  };

  if (env("MODE") === "filters") {
    await page.goto(env("INBOX_URL"));
    await signInShowingFilters();
    await view("All");
    seen.scenarios.push(await settled("all"));
    for (const sort of ["urgency", "activity", "status"]) {
      await choose("sort", sort);
      seen.scenarios.push(await settled(`all, sort ${sort}`));
    }
    await choose("filter-channel", "sms");
    seen.scenarios.push(await settled("all sms by status"));
    await choose("sort", "-activity");
    await choose("filter-status", "new");
    seen.scenarios.push(await settled("all new sms"));
    await view("Inbox");
    seen.scenarios.push(await settled("inbox: new sms"));
    await choose("filter-assignee", "none");
    await choose("sort", "urgency");
    seen.scenarios.push(await settled("inbox: new unassigned sms by urgency"));

    // A reload signs out (tokens live in memory); signed in again, the same list.
    const before = seen.scenarios.at(-1);
    forgetAnswers();
    await page.reload();
    await signInShowingFilters();
    const reloaded = await settled("after reload");
    seen.reload = {
      sameUrl: reloaded.url === before.url,
      urls: [before.url, reloaded.url],
      sameIds: JSON.stringify(reloaded.ids) === JSON.stringify(before.ids),
      title: await page.locator(".conversation-list h2").textContent(),
      bar: {
        status: await field("filter-status").inputValue(),
        channel: await field("filter-channel").inputValue(),
        assignee: await field("filter-assignee").inputValue(),
        sort: await field("sort").inputValue(),
        folderOffered: await field("filter-folder").count(), // the Inbox view sets it
      },
    };
  } else {
    await page.goto(`${env("INBOX_URL").replace(/\/$/, "")}/?view=all&channel=sms&status=new`);
    await signInShowingFilters();
    const listed = await settled("all new sms, from the URL");
    seen.scenarios.push(listed);
    const [a, b, c] = env("BULK_IDS").split(",");
    seen.firstThree = listed.ids.slice(0, 3);
    // The folders (and their counters) load apart from the list.
    await folders.locator("[data-folder-id]").first().waitFor();
    seen.countersBefore = await counters();
    const box = (id) => page.locator(`[data-row-id="${id}"] .row-check`);
    const ticked = () =>
      page.locator(".conversation-item.ticked").evaluateAll((rows) => rows.map((row) => row.dataset.rowId));
    await box(a).click();
    await box(c).click({ modifiers: ["Shift"] });
    seen.tickedByRange = await ticked();
    await page.locator(`.conversation-row[data-conversation-id="${b}"]`).focus();
    await page.keyboard.press("x");
    seen.tickedAfterX = await ticked();
    await page.keyboard.press("x");
    seen.tickedAfterXX = await ticked();
    const bulkBar = page.getByRole("group", { name: "Change the selected conversations" });
    seen.bulkCount = await bulkBar.locator(".bulk-count").textContent();
    seen.accessibility = await accessibilityViolations(page);

    await bulkBar.getByRole("button", { name: "Resolve" }).click();
    await page.locator(".bulk-outcome", { hasText: "3 changed" }).waitFor();
    seen.bulkOutcome = await page.locator(".bulk-outcome").textContent();
    // Resolved, they leave the New list (and the bar with them); the counters follow once read again.
    await page.waitForFunction(
      (ids) => ids.every((id) => !document.querySelector(`.conversation-row[data-conversation-id="${id}"]`)),
      [a, b, c],
    );
    seen.bulkBarAfter = await page.locator(".bulk-bar").count();
    const deadline = Date.now() + 10_000;
    do {
      await page.waitForTimeout(250);
      seen.countersAfter = await counters();
    } while (JSON.stringify(seen.countersAfter) === JSON.stringify(seen.countersBefore) && Date.now() < deadline);
    await view("Resolved");
    await page.locator(`.conversation-row[data-conversation-id="${a}"]`).waitFor();
    seen.resolvedShown = await page
      .locator(".conversation-row")
      .evaluateAll(
        (rows, ids) =>
          ids.map((id) => rows.find((row) => row.dataset.conversationId === id)?.querySelector(".status")?.textContent),
        [a, b, c],
      );
  }
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
