import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import type { Message } from "../api/client";
import type { Language } from "../i18n/messages";
import { click, render, type } from "../test/render";
import { ForwardDialog } from "./ForwardDialog";

const MESSAGE = {
  id: "m1",
  channel: "email",
  direction: "inbound",
  sender: { name: "Alice", email: "alice@client.fr", phone: null },
  to: [],
  subject: "Devis cuisine",
  text: "Bonjour",
  attachments: [{ filename: "plan.pdf", content_type: "application/pdf", size: 10, inline: false, content_id: null }],
  received_at: "2026-12-01T10:00:00Z",
} as unknown as Message;

async function mount({ answer = { status: 201, body: { id: "m2" } as unknown }, language = "en" as Language } = {}) {
  const requests: { path: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    requests.push({ path: new URL(request.url).pathname, body: await request.json().catch(() => null) });
    return Response.json(answer.body, { status: answer.status });
  };
  const onClose = vi.fn();
  const onSent = vi.fn();
  const opener = document.body.appendChild(document.createElement("button"));
  opener.focus();
  const { container } = await render(
    <ForwardDialog conversationId="c1" message={MESSAGE} onClose={onClose} onSent={onSent} />,
    fetch,
    { language },
  );
  return { container, requests, onClose, onSent };
}

function key(target: Element, name: string, shiftKey = false) {
  const event = new KeyboardEvent("keydown", { key: name, shiftKey, bubbles: true, cancelable: true });
  act(() => void target.dispatchEvent(event));
  return event;
}

describe("ForwardDialog", () => {
  it("is a labelled modal dialog saying what is forwarded, its focus on To and kept inside", async () => {
    const { container } = await mount();
    const dialog = container.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(dialog.getAttribute("aria-labelledby")!)!.textContent).toBe("Forward a message");
    expect(document.getElementById(dialog.getAttribute("aria-describedby")!)!.textContent).toContain("“Devis cuisine”");
    const to = container.querySelector<HTMLInputElement>('input[name="to"]')!;
    expect(document.activeElement).toBe(to);

    const stops = [...dialog.querySelectorAll<HTMLElement>("input, textarea, button:not([disabled])")];
    stops.at(-1)!.focus();
    expect(key(stops.at(-1)!, "Tab").defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(to); // wrapped to the first
    expect(key(to, "Tab", true).defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(stops.at(-1));
  });

  it("closes on Escape, the inbox's own keys left alone", async () => {
    const { container, onClose } = await mount();
    const outside = vi.fn();
    document.addEventListener("keydown", outside);
    key(container.querySelector('input[name="to"]')!, "Escape");
    document.removeEventListener("keydown", outside);
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(outside).not.toHaveBeenCalled();
  });

  it("forwards the message to the address with the note", async () => {
    const { container, requests, onSent } = await mount();
    await type(container.querySelector('input[name="to"]')!, " compta@shop.fr ");
    await type(container.querySelector('textarea[name="note"]')!, "Pour le devis.");
    await click(container.querySelector('button[type="submit"]'));
    expect(requests).toEqual([
      { path: "/inbox/conversations/c1/messages/m1/forward", body: { to: "compta@shop.fr", note: "Pour le devis." } },
    ]);
    expect(onSent).toHaveBeenCalledWith("compta@shop.fr");
  });

  it("says a refused address in the reader's language", async () => {
    const answer = { status: 422, body: { error: { code: "invalid_field", message: "to: 'compta' is not an email address" } } };
    const { container, onSent } = await mount({ answer, language: "fr" });
    await type(container.querySelector('input[name="to"]')!, "compta@shop");
    await click(container.querySelector('button[type="submit"]'));
    expect(container.querySelector("[role=alert]")!.textContent).toBe("Ce n'est pas une adresse e-mail.");
    expect(container.querySelector('input[name="to"]')!.getAttribute("aria-invalid")).toBe("true");
    expect(onSent).not.toHaveBeenCalled();
  });
});
