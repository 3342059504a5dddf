import { describe, expect, it } from "vitest";
import { click, render, settle, type } from "../test/render";
import { ContactsSearch } from "./ContactsSearch";

const at = "2026-12-01T10:00:00+00:00";
const ann = {
  id: "c1",
  name: "Ann",
  emails: ["ann@example.fr"],
  phones: [],
  company: "ACME",
  notes: null,
  merged_ids: [],
  created_at: at,
  updated_at: null,
};

async function mount() {
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname === "/inbox/contacts") {
      const q = url.searchParams.get("q") ?? "";
      return Response.json({ items: "ann".startsWith(q.toLowerCase()) ? [ann] : [], next_cursor: null });
    }
    const conversation = {
      id: "v9",
      channel: "sms",
      integration_id: "i",
      contact_id: "c1",
      contact: { name: "Ann", email: null, phone: null },
      subject: null,
      status: "resolved",
      folder_id: null,
      folder: "inbox",
      assignee_id: null,
      unread: false,
      message_count: 1,
      preview: "Merci !",
      created_at: at,
      last_activity_at: at,
    };
    return Response.json({ contact: ann, conversations: [conversation], next_cursor: null });
  };
  const opened: string[] = [];
  const { container } = await render(<ContactsSearch onOpen={(id) => opened.push(id)} />, fetch);
  return { container, requests, opened };
}

describe("the customers' search", () => {
  it("finds a customer, shows their panel and opens one of their conversations", async () => {
    const { container, requests, opened } = await mount();
    await click(container.querySelector("button[name=customers]"));
    const dialog = document.querySelector("[role=dialog]")!;
    expect(dialog.querySelector("h2")!.textContent).toBe("Customers");
    const search = dialog.querySelector<HTMLInputElement>("input[type=search]")!;
    expect(document.activeElement).toBe(search);
    await type(search, "an");
    await settle(300);
    await settle();
    expect(requests.at(-1)).toBe("/inbox/contacts?q=an&limit=20");
    const [found] = [...dialog.querySelectorAll(".merge-candidate")];
    expect(found!.textContent).toContain("ann@example.fr · ACME");

    await click(found!);
    expect(dialog.querySelector(".contact-name")!.textContent).toBe("Ann");
    await click(dialog.querySelector('.contact-conversation[data-conversation-id="v9"]'));
    expect(opened).toEqual(["v9"]);
    expect(document.querySelector("[role=dialog]")).toBeNull();
  });
});
