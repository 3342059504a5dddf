// The conversation list with the search field atop it (inbox/ConversationList.tsx): the results replace
// the list, within the chosen folder and filters, each with its passage.
import { act } from "react";
import { describe, expect, it } from "vitest";
import { ConversationList } from "../inbox/ConversationList";
import type { ListState } from "../inbox/listParams";
import { render, settle, type } from "../test/render";

const at = "2026-12-01T10:00:00+00:00";
const conversation = (id: string, preview: string) => ({
  id,
  channel: "email",
  integration_id: "i",
  contact_id: `k-${id}`,
  contact: { name: `Customer ${id}`, email: null, phone: null },
  subject: null,
  status: "new",
  folder_id: null,
  folder: "inbox",
  assignee_id: null,
  unread: false,
  message_count: 1,
  preview,
  created_at: at,
  last_activity_at: at,
});
const found = {
  ...conversation("c2", "Bonjour"),
  match: {
    message_id: "m2",
    snippet: [
      { text: "un ", match: false },
      { text: "problème", match: true },
      { text: " de livraison", match: false },
    ],
  },
};

async function mount(state: ListState, language: "en" | "fr" = "en") {
  const asked: URLSearchParams[] = [];
  const { container } = await render(
    <ConversationList state={state} onStateChange={() => undefined} openId={null} onOpen={() => undefined} title="Inbox" />,
    (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/inbox/conversations") {
        asked.push(url.searchParams);
        const q = url.searchParams.get("q");
        const items = q === null ? [conversation("c1", "Hello")] : q.startsWith("prob") ? [found] : [];
        return Response.json({ items, next_cursor: null });
      }
      if (url.pathname === "/inbox/folders") return Response.json({ items: [] });
      return Response.json({}, { status: 404 });
    },
    { language },
  );
  await settle();
  const field = container.querySelector<HTMLInputElement>(".search-field input")!;
  const search = async (words: string) => {
    await type(field, words);
    await act(() => new Promise((resolve) => setTimeout(resolve, 300)));
    await settle();
  };
  const rows = () => [...container.querySelectorAll<HTMLElement>(".conversation-row")].map((row) => row.dataset.conversationId);
  return { container, asked, search, rows };
}

const state: ListState = { selection: { kind: "folder", id: "inbox" }, bar: { status: "new" }, sort: "urgency" };

describe("search in the conversation list", () => {
  it("replaces the list by what the words find, within the folder and filters, without the sort", async () => {
    const { container, asked, search, rows } = await mount(state);
    expect(rows()).toEqual(["c1"]);
    await search("probl");
    const last = asked.at(-1)!;
    expect(Object.fromEntries(last)).toMatchObject({ folder: "inbox", status: "new", q: "probl" });
    expect(last.has("sort")).toBe(false);
    expect(rows()).toEqual(["c2"]);
    expect(container.querySelector(".conversation-row .passage")!.textContent).toBe("un problème de livraison");
    expect([...container.querySelectorAll(".passage mark")].map((mark) => mark.textContent)).toEqual(["problème"]);
    // The count, in a status region screen readers read as it changes (issue 14 review, search item 12).
    expect(container.querySelector('[role="status"].search-status')!.textContent).toBe("1 conversation found");
  });

  it("says how many were found in French too", async () => {
    const { container, search } = await mount(state, "fr");
    await search("probl");
    expect(container.querySelector('[role="status"].search-status')!.textContent).toBe("1 conversation trouvée");
  });

  it("says when nothing is found, and shows the list again once emptied", async () => {
    const { container, search, rows } = await mount(state, "fr");
    await search("zzz");
    expect(rows()).toEqual([]);
    const status = container.querySelector('[role="status"].search-status')!;
    expect(status.textContent).toBe("Aucune conversation ne correspond à « zzz » ici."); // read out, politely
    await type(container.querySelector<HTMLInputElement>(".search-field input")!, "");
    await settle();
    expect(rows()).toEqual(["c1"]);
  });
});
