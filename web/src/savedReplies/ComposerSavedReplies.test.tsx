import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import { Composer } from "../inbox/Composer";
import { click, render, settle, type, until } from "../test/render";

const SMS = { id: "c1", channel: "sms", subject: null, contact: { phone: "+33600000000" } } as Conversation;
const reply = (id: string, title: string, text: string, scope = "team") => ({
  id,
  scope,
  owner_id: "u1",
  title,
  text,
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
});
const REPLIES = [
  reply("r1", "Délais de livraison", "Bonjour {{contact.first_name}}, comptez 3 jours."),
  reply("r2", "Merci", "Merci {{contact.first_name}} !", "personal"),
];

/** The composer of an SMS conversation over an API that lists REPLIES and fills them for c1: the
 * first name is missing there (an SMS contact without a name). */
async function mount({ fillDelay = 0 } = {}) {
  const fills: string[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path.endsWith("/fill")) {
      const id = path.split("/").at(-2)!;
      fills.push(`${id} ${(await request.json()).conversation_id}`);
      if (fillDelay) await new Promise((done) => setTimeout(done, fillDelay));
      const text = REPLIES.find((each) => each.id === id)!.text;
      return Response.json({ text, missing: ["contact.first_name"], unknown: [] });
    }
    return Response.json({ items: REPLIES, placeholders: ["contact.first_name", "agent.name"] });
  };
  const { container } = await render(<Composer conversation={SMS} messages={[]} />, fetch);
  return { container, fills, field: container.querySelector("textarea")! };
}

async function key(element: Element, name: string, options: KeyboardEventInit = {}) {
  await act(async () => {
    element.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true, ...options }));
  });
  await settle();
}

describe("saved replies in the composer", () => {
  it("offers the replies a `/` and a few letters name, and inserts the one chosen, filled, in place", async () => {
    const { container, fills, field } = await mount();
    await type(field, "Hello /mer");
    await settle();
    const options = () => [...container.querySelectorAll("[role=option]")].map((o) => o.querySelector(".saved-reply-title")!.textContent);
    expect(options()).toEqual(["Merci"]);
    expect(field.getAttribute("aria-activedescendant")).toBe("saved-reply-suggestions-c1-0");

    await type(field, "Hello /");
    await settle();
    expect(options()).toEqual(["Délais de livraison", "Merci"]);
    await key(field, "ArrowDown");
    expect(container.querySelector("[aria-selected=true] .saved-reply-title")!.textContent).toBe("Merci");
    await key(field, "Enter");

    expect(fills).toEqual(["r2 c1"]);
    expect(field.value).toBe("Hello Merci {{contact.first_name}} !");
    expect(container.querySelector("[role=option]")).toBeNull();
    expect(container.querySelector(".saved-reply-left")!.textContent).toBe(
      "To write by hand, no value here: {{contact.first_name}}",
    );
  });

  it("selects the placeholder left even when the next frame comes before the insert is rendered (a busy page)", async () => {
    const { field } = await mount();
    const frame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => {
      callback(performance.now()); // at once, before React has put the reply in the field
      return 0;
    };
    try {
      await type(field, "Hello /mer");
      await settle();
      await key(field, "Enter");
      await until(() => expect(field.value).toBe("Hello Merci {{contact.first_name}} !"));
    } finally {
      window.requestAnimationFrame = frame;
    }
    expect(field.value.slice(field.selectionStart, field.selectionEnd)).toBe("{{contact.first_name}}");
  });

  it("closes the suggestions on Escape, leaving the text as typed", async () => {
    const { container, field } = await mount();
    await type(field, "/del");
    await settle();
    expect(container.querySelectorAll("[role=option]")).toHaveLength(1);
    await key(field, "Escape");
    expect(container.querySelector("[role=option]")).toBeNull();
    expect(field.value).toBe("/del");
  });

  it("keeps the focus in the field when Escape closes the suggestions (the inbox's Escape leaves it)", async () => {
    const { container, field } = await mount();
    // The inbox's shortcuts listen on the document: Escape in a field blurs it.
    const leave = (event: KeyboardEvent) => event.key === "Escape" && (event.target as HTMLElement).blur();
    document.addEventListener("keydown", leave);
    try {
      field.focus();
      await type(field, "/del");
      await settle();
      await key(field, "Escape");
      expect(container.querySelector("[role=listbox]")).toBeNull();
      expect(document.activeElement).toBe(field);
      await key(field, "Escape"); // nothing open now: the inbox's Escape as before
      expect(document.activeElement).not.toBe(field);
    } finally {
      document.removeEventListener("keydown", leave);
    }
  });

  it("inserts from the menu where the caret is", async () => {
    const { container, fills, field } = await mount();
    await type(field, "Bonjour. À bientôt");
    field.setSelectionRange(9, 9);
    const menu = [...container.querySelectorAll("button")].find((b) => b.textContent === "Saved replies")!;
    await click(menu);
    expect(menu.getAttribute("aria-expanded")).toBe("true");
    const choices = [...container.querySelectorAll(".saved-reply-choices button")];
    expect(choices.map((b) => b.textContent)).toEqual(["Délais de livraison", "MerciOnly me"]);
    await click(choices[0]);

    expect(fills).toEqual(["r1 c1"]);
    expect(field.value).toBe("Bonjour. Bonjour {{contact.first_name}}, comptez 3 jours.À bientôt");
    expect(container.querySelector("#saved-reply-menu")).toBeNull();
  });

  it("offers the way to the screen (which leaves the inbox) only while the field is empty, back to this conversation", async () => {
    const { container, field } = await mount();
    const menu = [...container.querySelectorAll("button")].find((b) => b.textContent === "Saved replies")!;
    const manage = () => container.querySelector("#saved-reply-menu a[href='#saved-replies?conversation=c1']");
    await click(menu);
    expect(manage()!.textContent).toBe("Manage saved replies");
    await click(menu);
    await type(field, "Half a reply");
    await click(menu);
    expect(container.querySelector("#saved-reply-menu")).not.toBeNull();
    expect(manage()).toBeNull();
  });

  it("tells a screen reader that suggestions are offered, and how many", async () => {
    const { container, field } = await mount();
    const announce = () => container.querySelector(".saved-reply-announce")!;
    expect(announce().getAttribute("role")).toBe("status");
    expect(announce().textContent).toBe("");
    await type(field, "Hello /mer");
    await settle();
    expect(announce().textContent).toBe(
      "Saved replies that match: 1. ↑ ↓ to choose, Enter or Tab to insert, Escape to close.",
    );
  });

  it("lets Shift+Tab leave the field without inserting", async () => {
    const { fills, field } = await mount();
    await type(field, "/mer");
    await settle();
    await key(field, "Tab", { shiftKey: true });
    expect(fills).toEqual([]);
    await key(field, "Tab");
    expect(fills).toEqual(["r2 c1"]);
  });

  it("names what is left to write by hand only while it is still in the text", async () => {
    const { container, field } = await mount();
    await type(field, "/mer");
    await settle();
    await key(field, "Enter");
    expect(container.querySelector(".saved-reply-left")).not.toBeNull();
    await type(field, "Merci Jeanne !"); // written over
    expect(container.querySelector(".saved-reply-left")).toBeNull();
    await type(field, ""); // or sent: the field is emptied
    expect(container.querySelector(".saved-reply-left")).toBeNull();
  });

  it("inserts once when Enter is pressed again while the fill is on its way, where the `/` was", async () => {
    const { container, fills, field } = await mount({ fillDelay: 100 });
    await type(field, "/mer");
    await until(() => expect(container.querySelector("[role=option]")).not.toBeNull()); // the list has come
    await act(async () => {
      field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    });
    await act(async () => {
      field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    });
    await type(field, "Oui. /mer"); // typed meanwhile, before the `/`
    await until(() => expect(field.value).toBe("Oui. Merci {{contact.first_name}} !"));
    await settle(200); // a second insert would have come by now
    expect(fills).toEqual(["r2 c1"]);
    expect(field.value).toBe("Oui. Merci {{contact.first_name}} !");
  });

  it("closes the menu when the focus leaves it", async () => {
    const { container, field } = await mount();
    const menu = [...container.querySelectorAll("button")].find((b) => b.textContent === "Saved replies")!;
    await click(menu);
    expect(container.querySelector("#saved-reply-menu")).not.toBeNull();
    await act(async () => field.focus());
    expect(container.querySelector("#saved-reply-menu")).toBeNull();
    expect(menu.getAttribute("aria-expanded")).toBe("false");
  });
});
