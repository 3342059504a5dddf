// The answer screens of issue 16 as a French small business sees them on a phone (390 x 844, French from
// the browser's language): Settings → IA → Recherches (the demo's lookup listed), Settings → IA → the try
// panel (email channel, its headers field shown), the saved replies' screen, the composer's saved-reply
// menu, the WhatsApp template picker of a conversation whose window is closed. On each: what scrolls
// sideways (the page's width against the window's), every control of the screen shown inside the window's
// width and on top where a finger lands (scrolled to first), the named main controls' sizes, the words a
// person reads (text, labels, placeholders: tests/e2e/test_web_answer_screens.py compares them with the
// catalogs), axe-core's serious or critical violations, and screenshots in SHOTS_DIR
// (the screen's region, one phone screen a file).
// Prints { screens: { name: { scrollWidth, innerWidth, unreachable, small, words, axe } }, lookupsListed,
// menuFieldShown, problems } as JSON.
// Env: INBOX_URL, INBOX_EMAIL, INBOX_PASSWORD, SHOTS_DIR, WHATSAPP_CONTACT, SAVED_REPLY_TITLE, DEMO_LOOKUP.
import { accessibilityViolations, env, launch, signIn } from "./browser.mjs";

// As phone-layout.mjs: not isMobile, whose viewport widens itself to the content and hides the overflow.
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, locale: "fr-FR" };
const CONTROLS = "button, a[href], input:not([type=hidden]), select, textarea, summary";

const seen = { screens: {}, problems: [] };
const browser = await launch();

/** Until the fonts are loaded and the page's size stays the same across two animation frames: the layout
 * measured is the one a person sees, not one still taking its final shape. Gives up after about 2 s
 * (what is measured then is what shows). */
async function layoutSettled(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const size = () => `${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`;
    let before = size();
    for (let tries = 0; tries < 60; tries += 1) {
      await frame();
      await frame();
      const now = size();
      if (now === before) return;
      before = now;
    }
  });
}

/** What a person notices on the screen inside `region` (a CSS selector), `main` its main controls. */
async function look(page, name, region, main) {
  await layoutSettled(page);
  const layout = await page.evaluate(
    ({ region, controls }) => {
      const root = document.querySelector(region);
      const shown = (element) => element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
      const named = (element) =>
        `${element.tagName.toLowerCase()} "${(element.getAttribute("aria-label") ?? element.textContent ?? element.getAttribute("name") ?? "").trim().slice(0, 40)}"`;
      const unreachable = [];
      for (const element of root.querySelectorAll(controls)) {
        if (!shown(element)) continue;
        const check = element.closest("label.switch, label.checkbox, label") ?? element;
        element.scrollIntoView({ block: "center", inline: "nearest" });
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue; // a visually hidden input its label stands for
        if (box.left < -1 || box.right > window.innerWidth + 1) {
          unreachable.push(`${named(element)} outside the window: ${Math.round(box.left)}..${Math.round(box.right)}`);
          continue;
        }
        const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
        const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        // Under an open menu's panel (the one a control with aria-expanded="true" opened) is where it should be.
        const overPanel = [...document.querySelectorAll('[aria-expanded="true"][aria-controls]')].some((opener) =>
          document.getElementById(opener.getAttribute("aria-controls"))?.contains(hit),
        );
        if (hit && !overPanel && !element.contains(hit) && !check.contains(hit) && !hit.contains(element)) {
          unreachable.push(`${named(element)} covered by ${named(hit)}.${hit.className}`);
        }
      }
      // The words a person reads: text shown, and the labels and placeholders a screen reader or a field says.
      const words = new Set();
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        if (text && node.parentElement && (shown(node.parentElement) || node.parentElement.tagName === "OPTION")) {
          words.add(text);
        }
      }
      for (const element of root.querySelectorAll("[aria-label], [placeholder], [title]")) {
        for (const attribute of ["aria-label", "placeholder", "title"]) {
          const value = element.getAttribute(attribute)?.trim();
          if (value) words.add(value);
        }
      }
      window.scrollTo(0, 0);
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        unreachable,
        words: [...words],
      };
    },
    { region, controls: CONTROLS },
  );
  const small = [];
  for (const control of main) {
    if (!(await control.isVisible())) {
      small.push(`${control} not visible`);
      continue;
    }
    const box = await control.boundingBox();
    if (box.width < 44 || box.height < 44) small.push(`${await control.innerText()} ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  await shoot(page, name, region);
  seen.screens[name] = { ...layout, small, axe: await accessibilityViolations(page) };
}

/** The region as a person scrolls through it: one phone screen a file, `name-1.png`, `name-2.png`… */
async function shoot(page, name, region) {
  const { top, bottom } = await page.locator(region).first().evaluate((element) => {
    const box = element.getBoundingClientRect();
    return { top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
  });
  const { width, height } = PHONE.viewport;
  for (let y = Math.max(0, top - 60), n = 1; y < bottom && n <= 6; y += height, n += 1) {
    await page.screenshot({ path: `${env("SHOTS_DIR")}/${name}-${n}.png`, fullPage: true, clip: { x: 0, y, width, height } });
  }
}

try {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  await page.goto(env("INBOX_URL"));
  await page.locator(".sign-in form").waitFor();
  await signIn(page, { language: "fr" });
  const rows = page.locator(".conversation-row");
  await rows.first().waitFor();

  // Paramètres → IA → Recherches: the demo's lookup listed, the form to add one.
  await page.getByRole("link", { name: "Paramètres" }).click();
  await page.getByRole("navigation", { name: "Paramètres" }).getByRole("link", { name: "IA", exact: true }).click();
  const lookups = page.getByRole("region", { name: "Recherches" });
  await lookups.getByRole("heading", { level: 2, name: "Recherches" }).waitFor();
  // The list itself, not the "Loading" line or the add form's hints that show before it.
  await lookups.locator(".lookup-list .lookup-name", { hasText: env("DEMO_LOOKUP") }).waitFor();
  await look(page, "lookups", "section.ai-lookups", [
    lookups.getByRole("button", { name: "Ajouter la recherche" }),
    lookups.getByRole("textbox", { name: "Nom", exact: true }).first(),
  ]);
  // The names listed (the add form's placeholder reads "find_order" too, so the words alone can't tell).
  seen.lookupsListed = await lookups.locator(".lookup-list .lookup-name").allInnerTexts();

  // Paramètres → IA → the try panel, below the lookups: the email channel, so its headers field shows.
  const tryPanel = page.locator("section.ai-try");
  await tryPanel.getByRole("heading", { level: 2, name: "Essayer avant qu'elle réponde" }).waitFor();
  const channel = tryPanel.getByRole("combobox", { name: "Canal" });
  await channel.selectOption("email");
  const headers = tryPanel.getByRole("textbox", { name: "En-têtes du mail (facultatif)" });
  await headers.waitFor();
  await look(page, "aiTry", "section.ai-try", [
    tryPanel.getByRole("button", { name: "Essayer", exact: true }),
    channel,
    headers,
  ]);

  // The saved replies' screen, from the inbox's header.
  await page.getByRole("link", { name: "Retour à la boîte de réception" }).click();
  await rows.first().waitFor();
  await page.locator("header.top-bar").getByRole("link", { name: "Réponses enregistrées", exact: true }).click();
  const screen = page.locator("section.saved-replies");
  await screen.getByRole("heading", { level: 1, name: "Réponses enregistrées" }).waitFor();
  await screen.locator(".saved-reply h3", { hasText: env("SAVED_REPLY_TITLE") }).waitFor();
  await look(page, "savedReplies", "section.saved-replies", [
    screen.getByRole("button", { name: "Enregistrer la réponse" }),
    screen.getByRole("textbox", { name: "Titre" }),
    page.getByRole("link", { name: "Retour à la boîte de réception" }),
  ]);

  // The composer's saved-reply menu, in an SMS conversation (a text field, no window to close).
  await page.getByRole("link", { name: "Retour à la boîte de réception" }).click();
  await rows.first().waitFor();
  await page.getByRole("button", { name: "Toutes", exact: true }).click();
  await rows.filter({ has: page.locator('svg.channel-icon[aria-label="SMS"]') }).first().click();
  const composer = page.locator("form.composer");
  await composer.waitFor();
  const menuButton = composer.getByRole("button", { name: "Réponses enregistrées", exact: true });
  await menuButton.click();
  const menu = page.locator("#saved-reply-menu");
  await menu.locator(".saved-reply-choices button", { hasText: env("SAVED_REPLY_TITLE") }).waitFor();
  await look(page, "savedReplyMenu", "form.composer", [
    menuButton,
    menu.locator(".saved-reply-choices button").first(),
    composer.getByRole("button", { name: "Envoyer", exact: true }),
  ]);
  seen.menuFieldShown = await menu.getByRole("searchbox", { name: "Chercher une réponse enregistrée" }).isVisible();
  await menuButton.click();

  // The template picker of a WhatsApp conversation whose 24-hour window is closed, a template chosen.
  await page.locator(".conversation-header .back").click();
  await rows.first().waitFor();
  await page.locator(".conversation-row", { hasText: env("WHATSAPP_CONTACT") }).first().click();
  const whatsapp = page.locator('form.composer[data-channel="whatsapp"]');
  await whatsapp.waitFor();
  const picker = whatsapp.getByLabel("Modèle approuvé");
  await picker.waitFor();
  await picker.selectOption({ label: "suivi_demande" });
  await whatsapp.getByLabel("Paramètre 1").fill("Lucie");
  await look(page, "templatePicker", "form.composer", [
    whatsapp.getByRole("button", { name: "Envoyer le modèle" }),
    whatsapp.getByRole("button", { name: "Actualiser depuis Vonage" }),
    picker,
  ]);
  await context.close();
} catch (error) {
  seen.problems.push(String(error?.stack ?? error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
