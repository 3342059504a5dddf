// The app under the Content-Security-Policy the template's CloudFront sends (the test puts in the
// local stack's URLs for the API, Cognito and the WebSocket): sign in, read, open an HTML email,
// show its images, write in the composer. Every refusal the browser reports is collected.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, CSP, SUBJECT (an email with HTML and a remote image,
// served over https by the test with its own CA: the context ignores certificate errors for it).
import { env, launch, signIn } from "./browser.mjs";

const seen = { refused: [], problems: [] };
// A document fulfilled by the test (to add the header) has no address, so Chromium counts it as
// public and would refuse its calls to the loopback stack (Local Network Access): not what CloudFront does.
const browser = await launch(["--disable-features=LocalNetworkAccessChecks"]);
try {
  const context = await browser.newContext({
    locale: "en-GB",
    viewport: { width: 1280, height: 800 },
    ignoreHTTPSErrors: true,
  });
  const origin = new URL(env("INBOX_URL")).origin;
  // The documents of the app get the header, as CloudFront adds it to every file it serves.
  await context.route(`${origin}/**`, async (route) => {
    const request = route.request();
    if (request.resourceType() !== "document" || new URL(request.url()).pathname.startsWith("/inbox/")) {
      return route.continue();
    }
    const response = await route.fetch();
    return route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": env("CSP") } });
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) {
      seen.refused.push(message.text());
      console.error(message.text()); // shown by the test when a step after this one fails
    }
  });
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`Refused to load (CSP ${event.violatedDirective}): ${event.blockedURI}`),
    ),
  );

  await page.goto(env("INBOX_URL"));
  await signIn(page);
  await page
    .getByRole("button", { name: "All", exact: true })
    .click({ timeout: 20_000 })
    .catch(async (error) => {
      throw new Error(`${error.message}\nthe page said: ${await page.locator("body").innerText()}`);
    });
  await page.locator(".conversation-row", { hasText: env("SUBJECT") }).click();
  await page.locator(".email-html iframe").waitFor();
  seen.frameText = await page.frameLocator(".email-html iframe").locator("body").textContent();
  await page.getByRole("button", { name: "Show images" }).click();
  // Polled until loaded or 10 s (the frame runs no script, so the wait is on this side).
  const image = page.frameLocator(".email-html iframe").locator("img").first();
  const loaded = () => image.evaluate((element) => element.complete && element.naturalWidth > 0);
  const deadline = Date.now() + 10_000;
  seen.imageLoaded = await loaded();
  while (!seen.imageLoaded && Date.now() < deadline) {
    await page.waitForTimeout(100);
    seen.imageLoaded = await loaded();
  }
  await page.locator("form.composer textarea").fill("Draft under the deployed CSP");
  // The live updates' WebSocket connected (connect-src names it).
  seen.live = await page
    .locator('[data-live-status="online"]')
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  // The stylesheet applied (style-src 'self'): the three panes are laid out side by side.
  seen.styled = await page.evaluate(() => getComputedStyle(document.querySelector(".app")).display);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
