import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { knowledgeGiven } from "./draftKnowledge";

const passage = (n: number, title = `Guide ${n}`) => ({ document_id: `d${n}`, passage_id: `d${n}:0`, title });

function said(language: "en" | "fr", fields: Parameters<typeof knowledgeGiven>[0]): string | null {
  const text = knowledgeGiven(fields);
  return text && translate(language, text.key, text.values);
}

describe("knowledgeGiven", () => {
  it("says the whole base went, with how many passages", () => {
    expect(said("en", { knowledge_whole: true, knowledge_passages: 12, knowledge_chosen: [] })).toBe(
      "Knowledge base: all of it (12 passages)",
    );
    expect(said("fr", { knowledge_whole: true, knowledge_passages: 1, knowledge_chosen: [] })).toBe(
      "Base de connaissances : toute la base (1 passage)",
    );
    expect(said("en", { knowledge_whole: true, knowledge_passages: 0, knowledge_chosen: [] })).toBe(
      "Knowledge base: empty",
    );
  });

  it("names the chosen passages' documents once each, with … when the API named only the first ones", () => {
    const chosen = Array.from({ length: 20 }, (_, n) => passage(n, n < 2 ? "Livraison" : `Guide ${n}`));
    const text = said("en", { knowledge_whole: false, knowledge_passages: 25, knowledge_chosen: chosen });
    expect(text).toMatch(/^Knowledge base: chose 25 passages: Livraison, Guide 2, Guide 3, /);
    expect(text).toMatch(/Guide 19…$/);
    expect(said("fr", { knowledge_whole: false, knowledge_passages: 1, knowledge_chosen: [passage(1, "Horaires")] })).toBe(
      "Base de connaissances : 1 passage choisi : Horaires",
    );
    expect(said("fr", { knowledge_whole: false, knowledge_passages: 0, knowledge_chosen: [] })).toBe(
      "Base de connaissances : aucun passage ne correspondait à la conversation",
    );
  });

  it("says nothing for a draft that does not record it", () => {
    expect(knowledgeGiven({ knowledge_whole: null, knowledge_passages: null, knowledge_chosen: [] })).toBeNull();
  });
});
