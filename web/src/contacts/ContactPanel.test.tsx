import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import type { Language } from "../i18n/messages";
import { click, render, settle, type } from "../test/render";
import { ContactPanel } from "./ContactPanel";
import type { Contact } from "./queries";

const at = "2026-12-01T10:00:00+00:00";
const contact = (id: string, fields: Partial<Contact>): Contact => ({
  id,
  name: null,
  emails: [],
  phones: [],
  company: null,
  notes: null,
  merged_ids: [],
  created_at: at,
  updated_at: null,
  ...fields,
});
const conversation = (id: string, channel: Conversation["channel"], subject: string | null): Conversation =>
  ({
    id,
    channel,
    integration_id: "i",
    contact_id: "c1",
    contact: { name: "Ann", email: null, phone: null },
    subject,
    status: "open",
    folder_id: null,
    folder: "inbox",
    assignee_id: null,
    unread: false,
    message_count: 1,
    preview: "Hello",
    created_at: at,
    last_activity_at: at,
  }) as Conversation;

const error = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

/** The panel over an API holding two contacts: Ann (c1, two conversations) and Bob (c2). */
async function mount(language: Language = "en") {
  const contacts: Record<string, Contact> = {
    c1: contact("c1", { name: "Ann", emails: ["ann@example.fr"], notes: "VIP" }),
    c2: contact("c2", { name: "Bob", emails: ["bob@example.fr"], phones: ["+33611111111"], company: "ACME" }),
  };
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const id = url.pathname.split("/")[3] ?? "";
    if (request.method === "PATCH") {
      const body = (await request.json()) as Partial<Contact>;
      if (body.emails?.includes("bob@example.fr")) {
        return error(409, "conflict", "emails[1]: bob@example.fr is contact c2's; merge the two contacts instead");
      }
      Object.assign(contacts[id]!, body);
      return Response.json(contacts[id]);
    }
    if (url.pathname.endsWith("/merge")) {
      const body = (await request.json()) as { other_id: string; preview: boolean };
      const other = contacts[body.other_id]!;
      const merged = { ...contacts[id]!, emails: [...contacts[id]!.emails, ...other.emails], company: other.company };
      if (!body.preview) Object.assign(contacts[id]!, merged);
      return Response.json({ contact: merged, preview: body.preview, moved_conversations: 1, complete: !body.preview });
    }
    if (url.pathname === "/inbox/contacts") {
      return Response.json({ items: Object.values(contacts), next_cursor: null });
    }
    return Response.json({
      contact: contacts[id],
      conversations: [conversation("v2", "whatsapp", null), conversation("v1", "email", "Order 1042")],
      next_cursor: null,
    });
  };
  const opened: string[] = [];
  const { container } = await render(
    <ContactPanel contactId="c1" conversationId="v1" onOpen={(id) => opened.push(id)} />,
    fetch,
    { language },
  );
  await settle();
  return { container, requests, opened };
}

const button = (text: string) =>
  [...document.querySelectorAll("button")].find((b) => b.textContent?.includes(text) || b.getAttribute("aria-label")?.includes(text)) ?? null;

describe("the customer panel", () => {
  it("opens on demand and shows the customer and every conversation with them, newest first", async () => {
    const { container, requests, opened } = await mount();
    expect(requests).toEqual([]); // closed on a narrow screen: nothing read
    await click(container.querySelector(".contact-toggle"));
    expect(container.querySelector(".contact-toggle")!.getAttribute("aria-expanded")).toBe("true");
    expect(container.querySelector(".contact-name")!.textContent).toBe("Ann");
    expect(container.querySelector(".contact-card")!.textContent).toContain("ann@example.fr");
    const history = [...container.querySelectorAll<HTMLButtonElement>(".contact-conversation")];
    expect(history.map((b) => b.dataset.conversationId)).toEqual(["v2", "v1"]);
    expect(history[1]!.getAttribute("aria-current")).toBe("true");
    expect(history[0]!.textContent).toContain("WhatsApp");
    await click(history[0]!);
    expect(opened).toEqual(["v2"]);
  });

  it("saves the edited details, one address a line", async () => {
    const { container, requests } = await mount();
    await click(container.querySelector(".contact-toggle"));
    await click(container.querySelector("button[name=edit-contact]"));
    await type(container.querySelector<HTMLTextAreaElement>("textarea[name=emails]")!, "ann@example.fr\nann@work.fr");
    await type(container.querySelector<HTMLInputElement>("input[name=company]")!, "Martin SA");
    await click(container.querySelector(".contact-editor button[type=submit]"));
    expect(requests).toContain("PATCH /inbox/contacts/c1");
    expect(container.querySelector(".contact-editor")).toBeNull();
    expect(container.querySelector(".contact-card")!.textContent).toContain("ann@work.fr");
    expect(container.querySelector(".contact-card")!.textContent).toContain("Martin SA");
  });

  it("offers the merge when an address is another customer's, and shows the preview before merging", async () => {
    const { container, requests } = await mount("fr");
    await click(container.querySelector(".contact-toggle"));
    await click(container.querySelector("button[name=edit-contact]"));
    await type(container.querySelector<HTMLTextAreaElement>("textarea[name=emails]")!, "ann@example.fr\nbob@example.fr");
    await click(container.querySelector(".contact-editor button[type=submit]"));
    expect(container.querySelector(".contact-claimed")!.textContent).toContain("bob@example.fr appartient à un autre client");

    await click(button("Fusionner avec ce client"));
    const dialog = document.querySelector("[role=dialog]")!;
    expect((dialog.querySelector("input[type=search]") as HTMLInputElement).value).toBe("bob@example.fr");
    await settle(300);
    const candidates = [...dialog.querySelectorAll(".merge-candidate")];
    expect(candidates.map((c) => c.querySelector("strong")!.textContent)).toEqual(["Bob"]); // not Ann herself
    await click(candidates[0]!);
    expect(requests.filter((r) => r.startsWith("POST"))).toEqual(["POST /inbox/contacts/c1/merge"]);
    expect(dialog.querySelector(".merge-preview")!.textContent).toContain("ann@example.fr, bob@example.fr");
    expect(dialog.querySelector(".merge-preview")!.textContent).toContain("ACME");

    await click(dialog.querySelector("button[name=confirm-merge]"));
    expect(requests.filter((r) => r.startsWith("POST"))).toHaveLength(2);
    expect(document.querySelector("[role=dialog]")).toBeNull();
    expect(container.querySelector(".contact-merged")!.textContent).toBe("Fusionné : 1 conversation(s) déplacée(s).");
  });
});
