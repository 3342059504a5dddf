import type { Schemas } from "../api/client";
import type { ReasonText } from "./draftReasons";

type Draft = Schemas["DraftOut"];

/** What the draft's prompt was given of the knowledge base, in words: the whole base (and how many
 * passages), or the passages chosen as most relevant to the conversation, named by their documents'
 * titles (each once; "…" when the API named only the first of them). Null when not recorded. */
export function knowledgeGiven(
  draft: Pick<Draft, "knowledge_whole" | "knowledge_passages" | "knowledge_chosen">,
): ReasonText | null {
  const count = draft.knowledge_passages ?? 0;
  if (draft.knowledge_whole === null || draft.knowledge_whole === undefined) return null;
  if (draft.knowledge_whole) {
    if (count === 0) return { key: "drafts.knowledge.empty", values: {} };
    return { key: count === 1 ? "drafts.knowledge.wholeOne" : "drafts.knowledge.whole", values: { count } };
  }
  if (count === 0) return { key: "drafts.knowledge.none", values: {} };
  const chosen = draft.knowledge_chosen ?? [];
  const titles = [...new Set(chosen.map((passage) => passage.title))].join(", ");
  const more = count > chosen.length ? "…" : "";
  return {
    key: count === 1 ? "drafts.knowledge.chosenOne" : "drafts.knowledge.chosen",
    values: { count, titles: titles + more },
  };
}
