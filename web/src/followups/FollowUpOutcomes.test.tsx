// What a follow-up came to, in the person's language: a sentence of ours per outcome, the API's
// English `detail` never inside it (issue 13 review, item 6), at most a technical line apart.
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import { render, settle } from "../test/render";
import { FollowUps } from "./FollowUps";
import type { FollowUp } from "./queries";

const CONVERSATION = { id: "c1", channel: "sms", snoozed_until: null } as Conversation;

function done(id: string, outcome: FollowUp["outcome"], detail: string | null): FollowUp {
  return {
    id,
    conversation_id: "c1",
    created_by: "u1",
    created_at: "2026-12-01T10:00:00Z",
    due_at: "2026-12-02T09:00:00Z",
    action: outcome === "draft_failed" ? "draft" : "send",
    text: "Alors ?",
    only_if_no_answer: false,
    state: "done",
    outcome,
    detail,
    fired_at: "2026-12-02T09:00:00Z",
    message_id: null,
    draft_id: null,
  };
}

describe("FollowUps' outcomes", () => {
  it("are French sentences of ours in French, the English detail only as a technical line", async () => {
    const listed = [
      done("f1", "send_failed", "conversation_id: its channel was disconnected; it cannot be answered"),
      done("f2", "draft_failed", "no AI is configured for this tenant"),
      done("f3", "send_unconfirmed", "TransientError: the table throttled the write"),
    ];
    const { container } = await render(<FollowUps conversation={CONVERSATION} />, (request) =>
      Response.json(request.method === "GET" ? { items: listed } : {}),
    { language: "fr" });
    await settle();

    const items = [...container.querySelectorAll(".follow-up")];
    expect(items.map((item) => item.querySelector(".follow-up-state")!.textContent)).toEqual([
      "Non envoyée : le message a été refusé, ou son canal a échoué",
      "Pas de brouillon : l'IA n'est pas configurée, ou un brouillon attendait déjà",
      "Non confirmée : l'envoi s'est terminé par une erreur, le message est peut-être parti ; vérifiez la conversation",
    ]);
    const details = items.map((item) => item.querySelector(".follow-up-detail"));
    expect(details.map((detail) => detail!.textContent)).toEqual([
      "Détail technique : conversation_id: its channel was disconnected; it cannot be answered",
      "Détail technique : no AI is configured for this tenant",
      "Détail technique : TransientError: the table throttled the write",
    ]);
    expect(details.every((detail) => detail!.querySelector('[lang="en"]') !== null)).toBe(true);
  });
});
