import { describe, expect, it } from "vitest";
import { pickLanguage, translate } from "./i18n";
import { en, fr } from "./messages";

describe("language", () => {
  it("is French for any fr-* the browser prefers first, English otherwise", () => {
    expect(pickLanguage(["fr-CA", "en-US"])).toBe("fr");
    expect(pickLanguage(["fr"])).toBe("fr");
    expect(pickLanguage(["de-DE", "fr-FR"])).toBe("fr");
    expect(pickLanguage(["en-GB", "fr-FR"])).toBe("en");
    expect(pickLanguage(["de-DE"])).toBe("en");
    expect(pickLanguage([])).toBe("en");
  });

  it("has every English message in French, and no French message left in English", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const same = Object.keys(en).filter((key) => en[key as keyof typeof en] === fr[key as keyof typeof en]);
    expect(same.filter((key) => !/^(channel|list\.title|auth\.forgot\.code|status\.spam|compose\.note|conversation\.actions|settings\.knowledge\.(format|details|kind)|settings\.mail\.port$|settings\.people\.role\.agent$)/.test(key))).toEqual([]);
  });

  it("puts values in their places and leaves unknown ones visible", () => {
    expect(translate("fr", "folders.unread", { count: 3 })).toBe("3 non lues");
    expect(translate("en", "delivery.failed", {})).toBe("Failed: {reason}");
  });
});
