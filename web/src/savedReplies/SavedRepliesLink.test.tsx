import { describe, expect, it } from "vitest";
import { render } from "../test/render";
import { SavedRepliesLink } from "./SavedRepliesLink";

describe("the header's link to the saved replies", () => {
  it("leads to #saved-replies, named in both languages", async () => {
    for (const [language, name] of [["en", "Saved replies"], ["fr", "Réponses enregistrées"]] as const) {
      const { container } = await render(<SavedRepliesLink />, undefined, { language });
      const link = container.querySelector("a")!;
      expect(link.getAttribute("href")).toBe("#saved-replies");
      expect(link.textContent).toBe(name);
    }
  });
});
