import { describe, expect, it } from "vitest";
import { AuthProvider } from "../auth/AuthProvider";
import { isSavedRepliesHash } from "../savedReplies/savedReplies";
import { click, render, settle } from "../test/render";
import { Settings } from "./Settings";

const CONFIG = {
  apiBaseUrl: "",
  region: "",
  userPoolId: "",
  userPoolClientId: "client",
  cognitoEndpoint: "http://cognito.test/",
};

/** Settings as an admin opens them, on a section that asks the API for nothing but the person. */
async function mount(language: "en" | "fr") {
  const fetch = (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/me")) return Response.json({ user_id: "u1", tenant_id: "t1", role: "admin" });
    return Response.json({ items: [] });
  };
  const { container } = await render(
    <AuthProvider config={CONFIG}>
      <Settings apiBaseUrl="" hash="#settings/webhooks" />
    </AuthProvider>,
    fetch,
    { language },
  );
  await settle();
  return container;
}

describe("the settings' navigation", () => {
  it("offers the saved replies after the sections, in both languages, and leads to their screen", async () => {
    for (const [language, name, current] of [
      ["en", "Saved replies", "Webhooks"],
      ["fr", "Réponses enregistrées", "Webhooks sortants"],
    ] as const) {
      window.location.hash = "#settings/webhooks";
      const container = await mount(language);
      const links = [...container.querySelectorAll<HTMLAnchorElement>("nav.settings-nav a")];
      const last = links.at(-1)!;
      expect(last.textContent).toBe(name);
      expect(last.className).toBe("pane-item");
      expect(last.hasAttribute("aria-current")).toBe(false);
      expect(links.find((link) => link.getAttribute("aria-current") === "page")!.textContent).toBe(current);
      await click(last);
      expect(window.location.hash).toBe("#saved-replies");
      expect(isSavedRepliesHash(window.location.hash)).toBe(true); // the hash App shows the screen for
      container.remove();
    }
  });
});
