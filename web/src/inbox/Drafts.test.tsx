import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import type { Draft } from "../api/queries";
import type { Language } from "../i18n/messages";
import { render, settle, type } from "../test/render";
import { Drafts } from "./Drafts";
import { AiTools } from "./Summary";

const CONVERSATION = { id: "c1", channel: "sms", folder_id: "f1" } as Conversation;
const FOLDERS = [{ id: "f1", name: "Appointments", auto_reply: { enabled: true, mode: "automatic", min_confidence_percent: 70 } }];

function draft(fields: Partial<Draft>): Draft {
  return {
    id: "m9",
    conversation_id: "c1",
    message_id: "m9",
    source: "auto_reply",
    mode: "automatic",
    status: "pending",
    reason: "low_confidence",
    detail: "confidence 0.42, under the folder's 0.70",
    text: "Nous ouvrons à 9 h.",
    language: "fr",
    confidence: 0.42,
    needs_person: false,
    ai_reason: "Hours are in the knowledge base.",
    passages: [{ document_id: "d1", passage_id: "p1", title: "Opening hours", text: "We open at 9 every weekday." }],
    knowledge_whole: true,
    knowledge_passages: 4,
    knowledge_chosen: [],
    lookups: [],
    hold: "low_confidence",
    outcome: null,
    edit_ratio: null,
    sent_message_id: null,
    decided_by: null,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    ...fields,
  };
}

type Answer = { status: number; body: unknown };

/** The drafts over a stubbed API: `drafts` answer the list (one after the other, the last kept), `answers`
 * the POSTs by path ending; the requests are recorded. */
async function mount(
  drafts: Draft[][],
  answers: Record<string, Answer> = {},
  { language = "en" as Language, latestInboundId = "m9", tools = false } = {},
) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  let reads = 0;
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const body = request.method === "POST" ? await request.json().catch(() => null) : null;
    requests.push({ method: request.method, path, body });
    if (path.endsWith("/folders")) return Response.json({ items: FOLDERS });
    if (path.endsWith("/me")) return Response.json({ user_id: "u1", tenant_id: "t", role: "admin" });
    if (request.method === "GET") return Response.json({ items: drafts[Math.min(reads++, drafts.length - 1)] });
    const found = Object.entries(answers).find(([end]) => path.endsWith(end));
    const answer = found?.[1] ?? { status: 200, body: {} };
    return Response.json(answer.body, { status: answer.status });
  };
  const { container, queries } = await render(
    <>
      {tools && <AiTools conversation={CONVERSATION} latestMessageId="m9" />}
      <Drafts conversation={CONVERSATION} latestInboundId={latestInboundId} />
    </>,
    fetch,
    { language },
  );
  await settle();
  return { container, requests, queries };
}

const button = (container: Element, name: string) => container.querySelector<HTMLButtonElement>(`button[name="${name}"]`)!;

describe("Drafts", () => {
  it("show a held draft: its text, confidence, why it was held against the folder's threshold, its passages", async () => {
    const { container } = await mount([[draft({})]]);
    const card = container.querySelector(".draft-card")!;
    expect(card.querySelector("h3")!.textContent).toBe("AI draft");
    expect(card.querySelector(".draft-confidence")!.textContent).toBe("Confidence 42%");
    expect(card.querySelector(".draft-reason")!.textContent).toBe("Confidence 42% is under the folder's 70%.");
    expect(card.querySelector(".draft-text")!.textContent).toBe("Nous ouvrons à 9 h.");
    expect(card.querySelector(".draft-passages li summary")!.textContent).toBe("Opening hours");
    expect(card.querySelector(".draft-passages li p")!.textContent).toBe("We open at 9 every weekday.");
  });

  it("show what of the knowledge base the prompt was given, next to the passages it cited, in English and French", async () => {
    const chosen = draft({
      id: "s2",
      source: "suggestion",
      knowledge_whole: false,
      knowledge_passages: 3,
      knowledge_chosen: [
        { document_id: "d1", passage_id: "p1", title: "Opening hours" },
        { document_id: "d1", passage_id: "p2", title: "Opening hours" },
        { document_id: "d2", passage_id: "p1", title: "Returns" },
      ],
    });
    const { container } = await mount([[draft({}), chosen]]);
    const [whole, some] = [...container.querySelectorAll(".draft-card .draft-knowledge")].map((p) => p.textContent);
    expect(whole).toBe("Knowledge base: all of it (4 passages)");
    expect(some).toBe("Knowledge base: chose 3 passages: Opening hours, Returns");
    document.body.innerHTML = "";
    const french = await mount([[draft({}), chosen]], {}, { language: "fr" });
    expect([...french.container.querySelectorAll(".draft-knowledge")].map((p) => p.textContent)).toEqual([
      "Base de connaissances : toute la base (4 passages)",
      "Base de connaissances : 3 passages choisis : Opening hours, Returns",
    ]);
  });

  it("show the lookups a draft's reply called: what each answered, why one failed (issue 16)", async () => {
    const held = draft({
      lookups: [
        {
          name: "find_order",
          arguments: { order_number: "12345" },
          ok: true,
          answer: { status: "shipped" },
          summary: "order_number 12345: status shipped, shipped_on 2026-11-28",
        },
        { name: "find_order", arguments: { order_number: "999" }, ok: false, summary: "", error: "HTTP 404: order not found" },
      ],
    });
    const { container } = await mount([[held, draft({ id: "s3", source: "suggestion" })]]);
    const [card, plain] = [...container.querySelectorAll(".draft-card")];
    expect(card!.querySelector(".draft-lookups-title")!.textContent).toBe("Lookups used (2)");
    expect([...card!.querySelectorAll(".draft-lookups li")].map((li) => li.textContent)).toEqual([
      "find_order order_number 12345: status shipped, shipped_on 2026-11-28",
      "find_order 999: failed, the endpoint answered HTTP 404 Technical detail: order not found",
    ]);
    expect(plain!.querySelector(".draft-lookups")).toBeNull();
  });

  it("send the edited text, then read the drafts again (the sent one is gone)", async () => {
    const { container, requests } = await mount([[draft({})], []], {
      "/send": { status: 201, body: { draft: draft({ status: "sent" }), message: { id: "m10" } } },
    });
    await act(async () => button(container, "edit-draft").click());
    const field = container.querySelector<HTMLTextAreaElement>("textarea.draft-text")!;
    expect(document.activeElement).toBe(field);
    await type(field, "Nous ouvrons à 9 h, du lundi au vendredi.");
    await act(async () => button(container, "send-draft").click());
    await settle();
    const sent = requests.filter((r) => r.method === "POST");
    expect(sent).toEqual([
      {
        method: "POST",
        path: "/inbox/conversations/c1/drafts/m9/send",
        body: { text: "Nous ouvrons à 9 h, du lundi au vendredi." },
      },
    ]);
    expect(container.querySelector(".draft-card")).toBeNull();
  });

  it("send an unchanged draft as drafted, and discard one", async () => {
    const { container, requests } = await mount([[draft({}), draft({ id: "d2", source: "suggestion" })]], {
      "/send": { status: 201, body: { draft: draft({ status: "sent" }), message: { id: "m10" } } },
      "/discard": { status: 200, body: draft({ id: "d2", status: "discarded" }) },
    });
    const [first, second] = container.querySelectorAll(".draft-card");
    expect(second!.querySelector("h3")!.textContent).toBe("Suggested reply");
    await act(async () => button(first!, "send-draft").click());
    await settle();
    await act(async () => button(second!, "discard-draft").click());
    await settle();
    expect(requests.filter((r) => r.method === "POST").map((r) => [r.path, r.body])).toEqual([
      ["/inbox/conversations/c1/drafts/m9/send", {}],
      ["/inbox/conversations/c1/drafts/d2/discard", null],
    ]);
  });

  it("show a draft's new text from the server, unless the person has edited it", async () => {
    const { container, queries } = await mount([
      [draft({ text: "Nous ouvrons à 9 h." })],
      [draft({ text: "Nous ouvrons à 9 h, du mardi au samedi." })],
      [draft({ text: "Nous ouvrons à 10 h." })],
    ]);
    const reread = async () => {
      await act(async () => queries.invalidateQueries());
      await settle();
    };
    await reread();
    expect(container.querySelector(".draft-text")!.textContent).toBe("Nous ouvrons à 9 h, du mardi au samedi.");
    await act(async () => button(container, "edit-draft").click());
    const field = container.querySelector<HTMLTextAreaElement>("textarea.draft-text")!;
    expect(field.value).toBe("Nous ouvrons à 9 h, du mardi au samedi.");
    await type(field, "Nous ouvrons à 9 h (mon texte).");
    await reread();
    expect(container.querySelector<HTMLTextAreaElement>("textarea.draft-text")!.value).toBe(
      "Nous ouvrons à 9 h (mon texte).",
    );
  });

  it("say when someone else decided first, and read the drafts again", async () => {
    const { container, requests } = await mount([[draft({})]], {
      "/send": { status: 409, body: { error: { code: "conflict", message: "the draft is sent, not pending" } } },
    });
    await act(async () => button(container, "send-draft").click());
    await settle();
    expect(container.querySelector(".draft-card [role=alert]")!.textContent).toBe(
      "Someone else sent or discarded this draft meanwhile; the drafts were read again.",
    );
    expect(requests.filter((r) => r.method === "GET" && r.path.endsWith("/drafts")).length).toBeGreaterThan(1);
  });

  it("word the API's other refusals of a send in French, naming the field", async () => {
    const { container } = await mount(
      [[draft({})]],
      { "/send": { status: 422, body: { error: { code: "invalid_field", message: "text: is empty" } } } },
      { language: "fr" },
    );
    await act(async () => button(container, "send-draft").click());
    await settle();
    expect(container.querySelector(".draft-card [role=alert]")!.textContent).toBe(
      "« text » n'a pas été accepté : is empty",
    );
  });

  it("tell discreetly why the latest message got no automatic reply, with the settings link for admins", async () => {
    const notConfigured = draft({
      status: "not_configured",
      reason: "company_prompt_missing",
      detail: "the company prompt is not written: AI replies are not configured",
      text: null,
      confidence: null,
      passages: [],
    });
    const { container } = await mount([[notConfigured]]);
    const line = container.querySelector(".draft-outcome")!;
    expect(line.textContent).toBe(
      "Auto-reply is not configured: add a company prompt in Settings → AI. Open Settings → AI",
    );
    expect(line.querySelector("a")!.getAttribute("href")).toBe("#settings/ai");
    document.body.innerHTML = "";
    const refused = draft({ status: "refused", reason: "automated_mail", text: null, passages: [] });
    const french = await mount([[refused]], {}, { language: "fr" });
    expect(french.container.querySelector(".draft-outcome")!.textContent).toBe(
      "Pas de réponse automatique : le message du client semble automatique (avis de non-remise, réponse automatique ou liste de diffusion).",
    );
    document.body.innerHTML = "";
    const older = await mount([[refused]], {}, { latestInboundId: "m10" }); // about an older message: not shown
    expect(older.container.querySelector(".draft-outcome")).toBeNull();
  });

  it("ask for a draft with Suggest a reply, and word the AI's refusal", async () => {
    const suggested = draft({ id: "s1", source: "suggestion", reason: null, hold: null, confidence: 0.9 });
    const { container } = await mount([[], [suggested]], { "/suggestion": { status: 201, body: suggested } }, { tools: true });
    expect(container.querySelector(".draft-card")).toBeNull();
    await act(async () => button(container, "suggest").click());
    await settle();
    expect(container.querySelector(".draft-card h3")!.textContent).toBe("Suggested reply");
    expect(document.activeElement).toBe(container.querySelector('[data-draft-id="s1"]'));
    document.body.innerHTML = "";
    const refused = await mount(
      [[]],
      { "/suggestion": { status: 409, body: { error: { code: "company_prompt_missing", message: "no prompt" } } } },
      { tools: true, language: "fr" },
    );
    await act(async () => button(refused.container, "suggest").click());
    await settle();
    expect(refused.container.querySelector(".ai-error")!.textContent).toBe(
      "L'IA ne peut pas encore répondre : un administrateur ajoute un prompt de l'entreprise dans Réglages → IA.",
    );
  });
});
