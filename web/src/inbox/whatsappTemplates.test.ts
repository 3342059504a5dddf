import { describe, expect, it } from "vitest";
import { parameterCount, parameterProblem, renderTemplate, templateLabel, templatePieces } from "./whatsappTemplates";

const READY = "Bonjour {{1}}, votre commande {{2}} est prête.";

describe("renderTemplate", () => {
  it("puts each parameter in its placeholder, as the API stores the reply", () => {
    expect(renderTemplate(READY, ["Karim", "48213"])).toBe("Bonjour Karim, votre commande 48213 est prête.");
    expect(renderTemplate("{{2}} puis {{1}} puis {{2}}", ["a", "b"])).toBe("b puis a puis b");
  });

  it("leaves a placeholder whose parameter is still empty, and never reads a parameter's braces again", () => {
    expect(renderTemplate(READY, ["Karim", " "])).toBe("Bonjour Karim, votre commande {{2}} est prête.");
    expect(renderTemplate("{{1}} {{2}}", ["{{2}}", "x"])).toBe("{{2}} x");
  });
});

describe("templatePieces", () => {
  it("splits the text so a preview can mark what was filled in", () => {
    expect(templatePieces(READY, ["Karim"])).toEqual([
      { text: "Bonjour " },
      { parameter: 1, value: "Karim" },
      { text: ", votre commande " },
      { parameter: 2, value: null },
      { text: " est prête." },
    ]);
    expect(templatePieces("Sans paramètre", [])).toEqual([{ text: "Sans paramètre" }]);
  });
});

describe("parameterCount and parameterProblem", () => {
  it("counts the highest placeholder", () => {
    expect(parameterCount(READY)).toBe(2);
    expect(parameterCount("Rien")).toBe(0);
    expect(parameterCount("{{ 1 }}")).toBe(0); // WhatsApp writes {{1}}
  });

  it("refuses what WhatsApp refuses in a parameter", () => {
    expect(parameterProblem("Karim")).toBeNull();
    expect(parameterProblem("  ")).toBe("empty");
    expect(parameterProblem("a\nb")).toBe("lines");
    expect(parameterProblem("a\tb")).toBe("lines");
    expect(parameterProblem("a     b")).toBe("spaces");
  });
});

describe("templateLabel", () => {
  it("adds the locale only when the name exists in several", () => {
    const en = { name: "welcome_back", locale: "en-GB", parameters: 0, text: "Hello" };
    const fr = { name: "welcome_back", locale: "fr-FR", parameters: 0, text: "Bonjour" };
    const ready = { name: "order_ready", locale: "fr-FR", parameters: 2, text: READY };
    expect(templateLabel(en, [en, fr, ready])).toBe("welcome_back (en-GB)");
    expect(templateLabel(ready, [en, fr, ready])).toBe("order_ready");
  });
});
