// A failed webhook delivery said in French with sentences of ours, never the API's English reason
// inside a French sentence (issue 13 review, item 6).
import { act } from "react";
import { describe, expect, it } from "vitest";
import { fr } from "../i18n/messages";
import { render, settle } from "../test/render";
import { failureKind, type FailureKind } from "./WebhookFailure";
import { WebhookSettings } from "./WebhookSettings";

const NOW = "2026-12-01T10:00:00Z";
const HOOK = { id: "w1", url: "https://crm.example/h", events: ["task.done"], enabled: true, created_at: NOW, updated_at: NOW };

function delivery(id: string, error: string, response_code: number | null = null) {
  return { id, event_type: "task.done", status: "failed", attempts: 6, response_code, error, event_time: NOW, last_attempt_at: NOW };
}

async function click(button: Element | undefined) {
  await act(async () => (button as HTMLElement).click());
  await settle();
}

describe("webhook failures", () => {
  it("know every reason the API gives, each with a French sentence", () => {
    const reasons: [string, FailureKind][] = [
      ["refused: 10.0.0.1 is a private address", "refused"],
      ["no answer within 5 s", "timeout"],
      ["no complete answer within 10 s", "timeout"],
      ["TLS failed (is the certificate valid for the host?)", "tls"],
      ["the host name does not resolve", "dns"],
      ["connection refused", "connectionRefused"],
      ["the connection failed", "connectionFailed"],
      ["HTTP 301: redirects are not followed", "redirect"],
      ["HTTP 500", "http"],
      ["something new", "other"],
    ];
    for (const [reason, kind] of reasons) {
      expect(failureKind(reason)).toBe(kind);
      expect(fr[`settings.webhooks.failure.${kind}`]).toBeTruthy();
    }
  });

  it("are French sentences in French: the test's answer and the delivery log", async () => {
    const fetch = (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith("/test")) return Response.json({ ...delivery("e1", "connection refused"), event_type: "webhook.test" });
      if (path.endsWith("/deliveries"))
        return Response.json({ items: [delivery("e2", "the host name does not resolve"), delivery("e3", "a brand new failure")] });
      return Response.json({ items: [HOOK] });
    };
    const { container } = await render(<WebhookSettings />, fetch, { language: "fr" });
    await settle();
    const buttons = [...container.querySelectorAll("button")];

    await click(buttons.find((b) => b.textContent === fr["settings.webhooks.test"]));
    expect(container.querySelector("[role=status]")!.textContent).toBe(
      "L'événement de test n'a pas été remis : la connexion a été refusée",
    );

    await click(buttons.find((b) => b.textContent === fr["settings.webhooks.deliveries"]));
    const cells = [...container.querySelectorAll(".webhook-log tbody tr")].map((row) => row.children[3]!);
    expect(cells.map((cell) => cell.textContent)).toEqual([
      "le nom d'hôte est introuvable",
      "une erreur inattendue Détail technique : a brand new failure",
    ]);
    expect(cells[1]!.querySelector('[lang="en"]')!.textContent).toBe("a brand new failure");
  });
});
