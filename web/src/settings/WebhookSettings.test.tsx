import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { en, fr } from "../i18n/messages";
import { click, render, settle, type } from "../test/render";
import { EVENT_TYPES, chosenEvents, type OutboundWebhook } from "./outboundWebhooks";
import { WebhookSettings } from "./WebhookSettings";

/** The screen over an API holding `webhooks`, answering as the real one does (422 naming `url`). */
async function mount(webhooks: OutboundWebhook[], language: "en" | "fr" = "en") {
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    requests.push(`${request.method} ${path}`);
    if (request.method === "POST" && path === "/inbox/webhooks") {
      const body = (await request.json()) as { url: string; events: OutboundWebhook["events"] };
      if (!body.url.startsWith("https://"))
        return Response.json({ error: { code: "invalid_field", message: "url: must be an https URL" } }, { status: 422 });
      const now = "2026-12-01T10:00:00Z";
      const made = { id: `w${webhooks.length + 1}`, enabled: true, created_at: now, updated_at: now, ...body };
      webhooks.push(made);
      return Response.json({ ...made, secret: "whsec_shown_once" }, { status: 201 });
    }
    if (request.method === "PATCH") {
      const webhook = webhooks.find((w) => path.endsWith(`/${w.id}`))!;
      Object.assign(webhook, await request.json());
      return Response.json(webhook);
    }
    if (request.method === "DELETE") {
      webhooks.splice(webhooks.findIndex((w) => path.endsWith(`/${w.id}`)), 1);
      return new Response(null, { status: 204 });
    }
    return Response.json({ items: webhooks });
  };
  const { container } = await render(<WebhookSettings />, fetch, { language });
  await settle();
  return { container, requests };
}

async function add(container: HTMLElement, url: string, events: string[]) {
  const form = container.querySelector("form")!;
  const input = form.querySelector<HTMLInputElement>("[name=url]")!;
  await type(input, url);
  for (const box of form.querySelectorAll<HTMLInputElement>("[name=events]")) box.checked = events.includes(box.value);
  await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
  await settle();
}

describe("outbound webhooks", () => {
  it("keeps the events chosen in the list's order, and names every one in both languages", () => {
    expect(chosenEvents(["task.done", "conversation.created", "nonsense"])).toEqual(["conversation.created", "task.done"]);
    for (const type of EVENT_TYPES) {
      expect(en[`settings.webhooks.event.${type}`]).toBeTruthy();
      expect(fr[`settings.webhooks.event.${type}`]).not.toBe(en[`settings.webhooks.event.${type}`]);
    }
  });

  it("adds a webhook and shows its secret once, then lists it", async () => {
    const { container, requests } = await mount([]);
    expect(container.textContent).toContain("No webhook yet.");
    await add(container, "https://crm.example.com/hook", ["message.received"]);
    expect(requests).toContain("POST /inbox/webhooks");
    expect(container.querySelector<HTMLInputElement>(".copy-field input")!.value).toBe("whsec_shown_once");
    expect(container.querySelector(".webhook-url")!.textContent).toBe("https://crm.example.com/hook");
    await act(async () => container.querySelector<HTMLButtonElement>(".notice button:last-of-type")!.click());
    expect(container.textContent).not.toContain("whsec_shown_once");
  });

  it("asks for an event, and says a refused address in words", async () => {
    const { container, requests } = await mount([], "fr");
    await add(container, "https://crm.example.com/hook", []);
    expect(container.textContent).toContain("Choisissez au moins un événement.");
    expect(requests).not.toContain("POST /inbox/webhooks");
    await add(container, "http://crm.example.com/hook", ["task.done"]);
    expect(container.querySelector("[role=alert]")!.textContent).toMatch(/url/);
  });

  it("pauses an active webhook", async () => {
    const now = "2026-12-01T10:00:00Z";
    const hook = { id: "w1", url: "https://x.example/h", events: ["task.done" as const], enabled: true, created_at: now, updated_at: now };
    const { container, requests } = await mount([hook]);
    const pause = [...container.querySelectorAll("button")].find((b) => b.textContent === "Pause")!;
    await click(pause);
    expect(requests).toContain("PATCH /inbox/webhooks/w1");
    expect(container.textContent).toContain("Paused");
  });

  it("deletes a webhook once confirmed, in French too, and leaves the focus on the list's heading", async () => {
    const now = "2026-12-01T10:00:00Z";
    const hook = (id: string, url: string) => ({ id, url, events: ["task.done" as const], enabled: true, created_at: now, updated_at: now });
    const { container, requests } = await mount([hook("w1", "https://x.example/h"), hook("w2", "https://y.example/h")], "fr");
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const remove = () => container.querySelector<HTMLButtonElement>('.webhook:last-child button.danger[aria-describedby="webhook-w2"]')!;
    expect(remove().textContent).toBe("Supprimer");
    await click(remove());
    expect(confirm).toHaveBeenLastCalledWith("Supprimer le webhook de https://y.example/h ? Il ne recevra plus rien.");
    expect(requests).not.toContain("DELETE /inbox/webhooks/w2");
    confirm.mockReturnValue(true);
    act(() => remove().focus());
    await click(remove());
    expect(requests).toContain("DELETE /inbox/webhooks/w2");
    expect([...container.querySelectorAll(".webhook-url")].map((url) => url.textContent)).toEqual(["https://x.example/h"]);
    expect(document.activeElement).toBe(container.querySelector("#webhooks-list-title"));
    confirm.mockRestore();
  });
});
