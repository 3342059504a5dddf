// The phone layout (390 x 844): list -> conversation -> back -> settings -> back to the inbox, in
// English and French. On each screen: what scrolls sideways (the page's width against the window's),
// the main actions smaller than a 44 px tap target, and axe-core's serious or critical violations.
// Prints { language: { screen: { scrollWidth, innerWidth, small, axe } }, problems } as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD.
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

// Not isMobile: a mobile viewport widens itself to the page's content, which would hide the overflow.
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true };
// What a phone user taps to get around: they must be 44 px both ways.
const MAIN_ACTIONS = [
  ".conversation-row",
  ".conversation-header .back",
  ".top-bar button",
  ".top-bar a.button-link",
  ".top-bar select",
  ".folder-pane .pane-item",
  ".settings-nav .pane-item",
  ".composer button",
  ".conversation-actions button",
  ".conversation-actions select",
  ".filter-bar select",
];

const seen = { problems: [] };
const browser = await launch();

async function screen(page) {
  await page.waitForTimeout(300); // the layout settles (fonts, the list's last rows)
  const layout = await page.evaluate((selectors) => {
    const small = [];
    for (const element of document.querySelectorAll(selectors.join(","))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue; // not shown on this screen
      if (box.width < 44 || box.height < 44) {
        const name = (element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 30);
        small.push(`${element.tagName.toLowerCase()}.${element.className} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small };
  }, MAIN_ACTIONS);
  return { ...layout, axe: await accessibilityViolations(page) };
}

try {
  for (const language of ["en", "fr"]) {
    const report = (seen[language] = {});
    const context = await browser.newContext({ ...PHONE, locale: language === "fr" ? "fr-FR" : "en-GB" });
    const page = await context.newPage();
    page.on("pageerror", (error) => seen.problems.push(`${language}: page error: ${error.message}`));
    await page.goto(env("INBOX_URL"));
    if (language === "fr") await page.locator(".sign-in form").waitFor();
    await signIn(page, { language });
    const list = page.locator(".conversation-list");
    const rows = page.locator(".conversation-row");
    await rows.first().waitFor();
    report.list = await screen(page);

    await rows.first().click();
    await page.locator(".timeline > li").first().waitFor();
    await page.locator("form.composer").waitFor();
    report.listHiddenWithConversation = !(await list.isVisible());
    report.conversation = await screen(page);

    await page.locator(".conversation-header .back").click();
    await rows.first().waitFor();
    report.backToList = await list.isVisible();

    await page.locator('.top-bar a.button-link[href="#settings"]').click();
    await page.locator(".settings-main h1").waitFor();
    await page.locator(".settings-main .integration").first().waitFor();
    report.settings = await screen(page);

    await page.locator('.settings-app .top-bar a[href="#"]').click();
    await rows.first().waitFor();
    report.backToInbox = await list.isVisible();
    report.inboxAgain = await screen(page);
    await context.close();
  }
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
