// The statistics screen in the browser (issue 14, item 2), on the demo tenant: the admin opens
// "Statistics" from the header (its code is fetched only then), reads the key figures, opens a chart's
// table, asks per week, filters by a channel (SMS: the demo has some), downloads the CSV, reads the screen in French and goes
// back to the inbox; an agent has no Statistics link and is refused the screen by its address; axe-core
// on the screen in both languages. Prints what it saw as JSON; tests/e2e/test_web_stats.py compares
// it with the API. Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, INBOX_AGENT_EMAIL, INBOX_AGENT_PASSWORD.
import { readFile } from "node:fs/promises";
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

const seen = { axe: {}, problems: [], statsQueries: [] };
const browser = await launch();

/** The key figure under `label`, as shown. */
const keyFigure = (page, label) =>
  page.locator(".stats-key-figures > div", { has: page.locator("dt", { hasText: label }) }).locator("dd").textContent();

/** Waits for the figures the API gives for a query whose parameters include `wanted`. */
const answered = (page, wanted) =>
  page.waitForResponse((response) => {
    const url = new URL(response.url());
    return (
      url.pathname.endsWith("/inbox/stats") &&
      Object.entries(wanted).every(([name, value]) => url.searchParams.get(name) === value) &&
      response.status() === 200
    );
  });

try {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  const chunks = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.includes("/assets/StatsScreen")) chunks.push(url.pathname);
    if (url.pathname.endsWith("/inbox/stats")) seen.statsQueries.push(Object.fromEntries(url.searchParams));
  });
  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page.locator(".conversation-row").first().waitFor();
  seen.chunkBeforeOpening = chunks.length;

  // Statistics from the header: the last 30 days per day.
  const first = answered(page, { granularity: "day" });
  await page.getByRole("link", { name: "Statistics" }).click();
  await page.getByRole("heading", { level: 1, name: "Statistics" }).waitFor();
  await first;
  await page.locator(".stats-key-figures").waitFor();
  seen.chunkAfterOpening = chunks.length;
  seen.messagesIn = await keyFigure(page, "Messages received");
  seen.created = await keyFigure(page, "New conversations");
  seen.headings = await page.locator(".stats-main h2").allTextContents();
  seen.canvases = await page.locator(".stats-chart canvas[role=img]").count();
  const messagesChart = page.locator(".stats-chart").first(); // "Messages received and sent", in either language
  seen.messagesChartTitle = await messagesChart.locator("h2").textContent();
  await messagesChart.getByText("Show the figures as a table").click();
  seen.dayRows = await messagesChart.locator("tbody tr").count();
  seen.axe.stats = await accessibilityViolations(page);

  // Per week, then only the SMS channel.
  const weekly = answered(page, { granularity: "week" });
  await page.locator("select[name=granularity]").selectOption("week");
  await weekly;
  await page.waitForFunction(() => document.querySelector(".stats-results")?.getAttribute("aria-busy") === "false");
  seen.weekLabels = await messagesChart.locator("tbody th").allTextContents();
  const smsOnly = answered(page, { granularity: "week", channel: "sms" });
  await page.locator("select[name=filter]").selectOption({ label: "SMS" });
  await smsOnly;
  await page.waitForFunction(() => document.querySelector(".stats-results")?.getAttribute("aria-busy") === "false");
  seen.smsMessagesIn = await keyFigure(page, "Messages received");
  seen.statsHash = new URL(page.url()).hash; // the address keeps the choice

  // The CSV of the same figures, saved as a file.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const file = await download;
  seen.csvName = file.suggestedFilename();
  seen.csv = await readFile(await file.path(), "utf8");

  // In French: the words, the numbers, axe again; then back to the inbox.
  await page.getByLabel("Language").selectOption("fr");
  await page.getByRole("heading", { level: 1, name: "Statistiques" }).waitFor();
  seen.frenchMessagesIn = await keyFigure(page, "Messages reçus");
  seen.frenchWeekLabel = (await messagesChart.locator("tbody th").first().textContent()) ?? "";
  seen.frenchCsvButton = await page.locator("button[name=csv]").textContent();
  seen.axe.statsFrench = await accessibilityViolations(page);
  await page.getByRole("link", { name: "Retour à la boîte de réception" }).click();
  await page.locator(".conversation-row").first().waitFor();
  seen.backToInbox = true;
  await context.close();

  // An agent: no Statistics link; reached by its address, the screen refuses and asks nothing.
  const agentContext = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  const agent = await agentContext.newPage();
  agent.on("pageerror", (error) => seen.problems.push(`agent page error: ${error.message}`));
  let agentAsked = 0;
  agent.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith("/inbox/stats")) agentAsked += 1;
  });
  await agent.goto(env("INBOX_URL"));
  await signIn(agent, { email: env("INBOX_AGENT_EMAIL"), password: env("INBOX_AGENT_PASSWORD") });
  await agent.locator(".conversation-row").first().waitFor();
  await agent.locator(".top-bar .user").filter({ hasText: "@" }).waitFor(); // who I am is known
  seen.agentSeesStatistics = await agent.getByRole("link", { name: "Statistics" }).count();
  await agent.evaluate(() => {
    window.location.hash = "#stats";
  });
  await agent.getByText("Only admins can see the statistics.").waitFor();
  seen.agentAsked = agentAsked;
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
