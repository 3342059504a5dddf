import { act } from "react";
import { describe, expect, it } from "vitest";
import { en, fr } from "../i18n/messages";
import { render, settle, type } from "../test/render";
import { AiTry } from "./AiTry";
import { KEPT_HEADERS, parseHeaders, type TryResult } from "./aiTry";
// The API's list, read from its source, so the two cannot drift apart unnoticed.
import keptByApi from "../../../layers/common/inbox/domain/inbound_limits.py?raw";

const SENT: TryResult = {
  decision: {
    decider: "rule",
    folder_id: "f-orders",
    folder_name: "Commandes",
    reason: null,
    intent: null,
    urgency: null,
    spam: null,
    confidence: null,
    status: "new",
    tokens: null,
  },
  reply: {
    outcome: "send",
    mode: "automatic",
    reason: null,
    detail: null,
    proposal: {
      text: "Votre commande a été expédiée le 28/11/2026. Numéro de suivi : 6A12345678901.",
      language: "fr",
      confidence: 0.92,
      needs_person: false,
      reason: "order status from the shop",
      passages: [{ document_id: "d1", passage_id: "d1:0", title: "Livraison", text: "Colissimo, 48 h." }],
      lookups: [
        {
          name: "find_order",
          arguments: { order_number: "12345" },
          ok: true,
          answer: { status: "shipped" },
          summary: "find_order order_number 12345: status shipped, tracking 6A12345678901",
        },
      ],
    } as NonNullable<TryResult["reply"]["proposal"]>,
  },
  not_checked: ["already_answered", "recent_reply", "rate_limited_recipient"],
};

const HELD: TryResult = {
  decision: {
    decider: "ai",
    folder_id: "f-delivery",
    folder_name: "Delivery",
    reason: "A parcel arrived damaged.",
    intent: "complaint",
    urgency: "high",
    spam: false,
    confidence: "high",
    status: "urgent",
    tokens: 321,
  },
  reply: {
    outcome: "hold",
    mode: "automatic",
    reason: "low_confidence",
    detail: "confidence 0.4 is under the folder's 0.7",
    proposal: { ...SENT.reply.proposal!, confidence: 0.4, lookups: [], passages: [] },
  },
  not_checked: ["recent_reply"],
};

/** The panel over an API that answers `answer` (or a 422 naming `sender`, or one saying `refused`); the requests it got. */
async function mount(answer: TryResult | "bad sender" | { refused: string }, language: "en" | "fr" = "en") {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const body = await request.json();
    requests.push({ method: request.method, path: new URL(request.url).pathname, body });
    const refused = answer === "bad sender" ? "sender: is not a phone number" : "refused" in answer ? answer.refused : null;
    if (refused) return Response.json({ error: { code: "invalid_field", message: refused } }, { status: 422 });
    return Response.json(answer as TryResult);
  };
  const { container } = await render(<AiTry />, fetch, { language });
  return { container, requests };
}

async function fill(container: HTMLElement, fields: Record<string, string>) {
  const form = container.querySelector<HTMLFormElement>("form.ai-try-form")!;
  for (const [name, value] of Object.entries(fields)) await type(form.querySelector(`[name=${name}]`)!, value);
  await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
  await settle();
  return form;
}

describe("Settings → AI → Try before it answers", () => {
  it("sends the sample and shows the folder, the rule that decided and the reply that would go out", async () => {
    const { container, requests } = await mount(SENT);
    await fill(container, { sender: "claire@example.fr", subject: "Commande", text: "Où est ma commande #12345 ?" });

    expect(requests).toEqual([
      {
        method: "POST",
        path: "/inbox/ai/try",
        body: { channel: "email", sender: "claire@example.fr", subject: "Commande", text: "Où est ma commande #12345 ?" },
      },
    ]);
    const result = container.querySelector(".ai-try-result")!;
    expect(result.querySelector(".ai-try-folder")!.textContent).toBe("Commandes");
    expect(result.querySelector(".ai-try-decider")!.textContent).toBe("the rules of the folder “Commandes”");
    expect(result.querySelector(".ai-try-intent")!.textContent).toContain("not asked");
    expect(result.querySelector(".ai-try-verdict")!.textContent).toBe("Automatic mode would send this reply at once.");
    expect(result.querySelector(".ai-try-text")!.textContent).toContain("6A12345678901");
    expect(result.querySelector(".ai-try-text")!.getAttribute("lang")).toBe("fr");
    expect(result.textContent).toContain("Confidence 92%");
    expect(result.textContent).toContain("Knowledge base passages used (1)");
    expect(result.querySelector(".draft-lookups")!.textContent).toContain("find_order");
    expect(result.querySelector(".ai-try-not-checked")!.textContent).toContain(
      en["settings.aiTry.rule.rate_limited_recipient"],
    );
    expect(result.textContent).toContain(en["settings.aiTry.nothingStored"]);
  });

  it("says in French what the AI decided and why the reply would be held", async () => {
    const { container } = await mount(HELD, "fr");
    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "sms");
    await fill(container, { sender: "+33612345678", text: "Mon colis est arrivé cassé." });

    const result = container.querySelector(".ai-try-result")!;
    expect(result.querySelector(".ai-try-decider")!.textContent).toBe("l'IA : A parcel arrived damaged.");
    expect(result.querySelector(".ai-try-intent")!.textContent).toBe(fr["settings.aiTry.intentOf.complaint"]);
    expect(result.querySelector(".ai-try-urgency")!.textContent).toContain(fr["settings.aiTry.urgencyOf.high"]);
    expect(result.querySelector(".ai-try-status")!.textContent).toBe(fr["settings.aiTry.status.urgent"]);
    expect(result.querySelector(".ai-try-verdict")!.textContent).toBe(
      "Elle attendrait en brouillon qu'une personne s'en occupe. Pourquoi : Confiance de 40 %, sous les 70 % demandés par le dossier.",
    );
    expect(result.querySelector(".draft-lookups")).toBeNull();
  });

  it("marks the field a 422 names and says why", async () => {
    const { container } = await mount("bad sender");
    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "whatsapp");
    const form = await fill(container, { sender: "12", text: "Bonjour" });

    const sender = form.querySelector<HTMLInputElement>("[name=sender]")!;
    expect(sender.getAttribute("aria-invalid")).toBe("true");
    const said = document.getElementById(sender.getAttribute("aria-describedby")!)!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(said.textContent).toContain("sender");
    expect(form.querySelector("[name=text]")!.hasAttribute("aria-invalid")).toBe(false);
    expect(container.querySelector(".ai-try-result")).toBeNull();
  });

  it("words in French why nothing filed it, the API's English kept only as a marked technical detail", async () => {
    const unsorted: TryResult = {
      ...SENT,
      decision: {
        ...SENT.decision,
        decider: "none",
        folder_id: null,
        folder_name: null,
        reason: "no folder has rules for it",
        reason_code: "no_rules",
      },
    };
    const { container } = await mount(unsorted, "fr");
    await fill(container, { sender: "claire@example.fr", text: "Bonjour" });

    const decider = container.querySelector(".ai-try-decider")!;
    expect(decider.textContent).toContain(`rien ne l'a classé : ${fr["settings.aiTry.why.no_rules"]}`);
    const technical = decider.querySelector("[lang=en]")!;
    expect(technical.textContent).toBe("no folder has rules for it");
    expect(decider.textContent!.replace(technical.textContent!, "")).not.toContain("no folder has rules");
  });

  it("marks only the model's own words as English, not the French around them", async () => {
    const { container } = await mount(HELD, "fr");
    await fill(container, { sender: "claire@example.fr", text: "Mon colis est arrivé cassé." });
    const english = [...container.querySelectorAll(".ai-try-result [lang=en]")].map((each) => each.textContent);
    expect(english).toContain("A parcel arrived damaged.");
    expect(english.join(" ")).not.toContain("l'IA");
  });

  it("keeps the channel the try was made with, and announces one line, not the whole result", async () => {
    const tooLong: TryResult = {
      ...SENT,
      reply: { ...SENT.reply, outcome: "hold", reason: "too_long", detail: "the reply is over 4096 characters" },
    };
    const { container } = await mount(tooLong);
    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "whatsapp");
    await fill(container, { sender: "+33612345678", text: "Bonjour" });
    const verdict = container.querySelector(".ai-try-verdict")!.textContent;
    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "sms");
    expect(container.querySelector(".ai-try-verdict")!.textContent).toBe(verdict);

    const live = [...container.querySelectorAll("[aria-live], [role=status]")];
    expect(live.length).toBeGreaterThan(0);
    for (const region of live) {
      expect(region.textContent).not.toContain("Colissimo");
      expect(region.textContent).not.toContain("6A12345678901");
    }
    expect(live.map((region) => region.textContent).join(" ")).toContain("Commandes");
  });

  it("sends the address written to when one is given, and offers none for a custom channel", async () => {
    const { container, requests } = await mount(SENT);
    await fill(container, { sender: "claire@example.fr", to: " ventes@shop.example ", text: "Bonjour" });
    expect(requests[0]!.body).toEqual({ channel: "email", sender: "claire@example.fr", to: "ventes@shop.example", text: "Bonjour" });

    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "custom");
    expect(container.querySelector("[name=to]")).toBeNull();
    await fill(container, {});
    expect(requests[1]!.body).not.toHaveProperty("to");
  });

  it("says a refusal right after the label of the field it names", async () => {
    const { container } = await mount("bad sender");
    const form = await fill(container, { sender: "12", text: "Bonjour" });
    const sender = form.querySelector<HTMLInputElement>("[name=sender]")!;
    const said = sender.closest("label")!.nextElementSibling!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(sender.getAttribute("aria-describedby")).toContain(said.id);
  });

  it("words why a sample was skipped by the API's reason_code, in English and in French, not by its English text", async () => {
    const skipped: TryResult = {
      ...SENT,
      decision: {
        ...SENT.decision,
        decider: "skipped",
        folder_id: null,
        folder_name: null,
        reason: "some wording the app does not know (auto_reply)",
        reason_code: "automated",
      },
      reply: { outcome: "no_auto_reply", mode: null, reason: "no_folder", detail: "no folder would hold it", proposal: null },
    };
    for (const [language, words] of [
      ["en", en],
      ["fr", fr],
    ] as const) {
      const { container } = await mount(skipped, language);
      await fill(container, { sender: "claire@example.fr", text: "Je suis absente" });
      const decider = container.querySelector(".ai-try-decider")!;
      const said = words["settings.aiTry.decider.skipped"].replace("{reason}", words["settings.aiTry.why.automated"]);
      expect(decider.textContent).toContain(said);
      expect(decider.querySelector("[lang=en]")!.textContent).toBe("some wording the app does not know (auto_reply)");
      container.remove();
    }
  });

  it("says a code it does not know by the technical detail alone", async () => {
    const resorted: TryResult = {
      ...SENT,
      decision: { ...SENT.decision, decider: "none", folder_id: null, folder_name: null, reason: "rules only in this re-sort", reason_code: "rules_only" },
    };
    const { container } = await mount(resorted);
    await fill(container, { sender: "claire@example.fr", text: "Bonjour" });
    expect(container.querySelector(".ai-try-decider")!.textContent).toBe(
      "nothing filed it: see the technical detail. Technical detail: rules only in this re-sort",
    );
  });

  it("sends the mail headers typed as Name: value lines, for an email only", async () => {
    const { container, requests } = await mount(SENT);
    await fill(container, {
      sender: "claire@example.fr",
      text: "Je suis absente jusqu'au 3.",
      headers: "Auto-Submitted: auto-replied\n\n  List-Id : <news.shop.example> \n",
    });
    expect(requests[0]!.body).toEqual({
      channel: "email",
      sender: "claire@example.fr",
      text: "Je suis absente jusqu'au 3.",
      headers: { "Auto-Submitted": "auto-replied", "List-Id": "<news.shop.example>" },
    });

    await type(container.querySelector<HTMLSelectElement>("[name=channel]")!, "sms");
    expect(container.querySelector("[name=headers]")).toBeNull();
    await fill(container, { sender: "+33612345678" });
    expect(requests[1]!.body).not.toHaveProperty("headers");
  });

  it("says which headers line is not Name: value, in French, next to the field, and sends nothing", async () => {
    const { container, requests } = await mount(SENT, "fr");
    const form = await fill(container, { sender: "claire@example.fr", text: "Bonjour", headers: "List-Id: <a.example>\nAuto-Submitted auto-replied" });

    expect(requests).toEqual([]);
    const headers = form.querySelector<HTMLTextAreaElement>("[name=headers]")!;
    expect(headers.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(headers);
    const said = headers.getAttribute("aria-describedby")!.split(" ").map((id) => document.getElementById(id)!);
    const alert = said.find((each) => each.getAttribute("role") === "alert")!;
    expect(alert.textContent).toBe(
      "La ligne 2, « Auto-Submitted auto-replied », n'est pas un en-tête : écrivez-la sous la forme Nom: valeur.",
    );
    expect(said.map((each) => each.textContent)).toContain(fr["settings.aiTry.headersHint"]);

    await type(headers, "List-Id: <a.example>");
    expect(headers.hasAttribute("aria-invalid")).toBe(false);
    expect(container.querySelector("[role=alert]")).toBeNull();
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ] as const)("takes a real mail's header block, sends the headers a message keeps and says which it left out (%s)", async (language, words) => {
    const { container, requests } = await mount(SENT, language);
    const block = "Received: from mx.example.net\n\tby mail.shop.example\nDKIM-Signature: v=1;\n  b=abc\nAuto-Submitted: auto-replied";
    await fill(container, { sender: "claire@example.fr", text: "Bonjour", headers: block });

    expect(requests[0]!.body).toMatchObject({ headers: { "Auto-Submitted": "auto-replied" } });
    const said = container.querySelector(".ai-try-left-out")!;
    expect(said.getAttribute("role")).toBe("status");
    expect(said.textContent).toBe(words["settings.aiTry.headersLeftOut"].replace("{names}", "Received, DKIM-Signature"));
    expect(container.querySelector("[name=headers]")!.hasAttribute("aria-invalid")).toBe(false);
  });

  it("says nothing filed it and that no reason was given, when the API gives neither a known code nor a reason", async () => {
    const silent: TryResult = {
      ...SENT,
      decision: { ...SENT.decision, decider: "none", folder_id: null, folder_name: null, reason: null, reason_code: "rules_only" },
    };
    const { container } = await mount(silent, "fr");
    await fill(container, { sender: "claire@example.fr", text: "Bonjour" });
    const decider = container.querySelector(".ai-try-decider")!;
    expect(decider.textContent).toBe(`rien ne l'a classé : ${fr["settings.aiTry.why.unsaid"]}`);
    expect(decider.textContent).not.toContain(fr["settings.aiTry.why.unknown"]);
  });
});

describe("KEPT_HEADERS", () => {
  it("lists the mail headers the API keeps (inbound_limits.KEPT_HEADERS, but WhatsApp's `context`)", () => {
    const block = /^KEPT_HEADERS = frozenset\(\s*\{([\s\S]*?)\}\s*\)/m.exec(keptByApi)![1]!;
    const api = [...block.matchAll(/"([^"]+)"/g)].map((found) => found[1]!).filter((name) => name !== "context");
    expect(KEPT_HEADERS.map((name) => name.toLowerCase()).sort()).toEqual(api.sort());
  });
});

describe("parseHeaders", () => {
  it("reads Name: value lines, skipping blank ones and keeping colons in values", () => {
    expect(parseHeaders("")).toEqual({ headers: {}, setAside: [] });
    expect(parseHeaders("Auto-Submitted: auto-replied\r\n\nList-Id: a: b\nPrecedence:")).toEqual({
      headers: { "Auto-Submitted": "auto-replied", "List-Id": "a: b", Precedence: "" },
      setAside: [],
    });
  });

  it("takes a real mail's header block: folded lines joined, the headers a message does not keep set aside", () => {
    const block = [
      "Received: from mx.example.net by mail.shop.example;",
      "\tTue, 1 Dec 2026 09:10:00 +0100",
      "Received: from client.example.net by mx.example.net",
      "DKIM-Signature: v=1; a=rsa-sha256;",
      "  b=abc",
      "List-Id: Promotions",
      "  <promos.fleurs.example>",
      "received: once more",
      "Auto-Submitted: auto-replied",
    ].join("\r\n");
    expect(parseHeaders(block)).toEqual({
      headers: { "List-Id": "Promotions <promos.fleurs.example>", "Auto-Submitted": "auto-replied" },
      setAside: ["Received", "DKIM-Signature"],
    });
  });

  it("names the first line that is not a header, and why", () => {
    expect(parseHeaders("List-Id: <a>\nnothing here")).toEqual({ problem: { line: 2, text: "nothing here", problem: "noColon" } });
    expect(parseHeaders("List Id: <a>")).toEqual({ problem: { line: 1, text: "List Id: <a>", problem: "badName" } });
    expect(parseHeaders(": empty")).toEqual({ problem: { line: 1, text: ": empty", problem: "emptyName" } });
    expect(parseHeaders("  : x")).toEqual({ problem: { line: 1, text: ": x", problem: "emptyName" } });
    expect(parseHeaders("En-tête: x")).toEqual({ problem: { line: 1, text: "En-tête: x", problem: "badName" } });
    expect(parseHeaders("List-Id: a\nlist-id: b")).toEqual({ problem: { line: 2, text: "list-id: b", problem: "twice" } });
  });
});
