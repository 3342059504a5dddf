import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, settle, type } from "../test/render";
import { ActivityLink, ActivityPanel as Activity } from "./Activity";
import { History } from "./History";
import type { AuditEntry } from "./types";

const people = [
  { id: "u1", name: "Ada Admin", email: "ada@example.com", role: "admin", enabled: true },
  { id: "u2", name: "Léa Moreau", email: "lea@example.com", role: "agent", enabled: true },
];

const statusChange: AuditEntry = {
  id: "e2",
  at: new Date(Date.now() - 5 * 60_000).toISOString(),
  actor: { type: "person", id: "u1" },
  kind: "conversation.status",
  conversation_id: "c1",
  target: { type: "conversation", id: "c1" },
  changes: [{ field: "status", before: "open", after: "resolved" }],
  summary: null,
};
const classified: AuditEntry = {
  id: "e1",
  at: new Date(Date.now() - 3 * 3600_000).toISOString(),
  actor: { type: "system", id: "classify" },
  kind: "conversation.classified",
  conversation_id: "c1",
  target: { type: "conversation", id: "c1" },
  changes: [{ field: "folder_id", before: null, after: "f1" }],
  summary: null,
};
const integration: AuditEntry = {
  id: "e0",
  at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  actor: { type: "person", id: "u2" },
  kind: "integration.changed",
  conversation_id: null,
  target: { type: "integration", id: "i1" },
  changes: [{ field: "password", before: "••••", after: "••••" }],
  summary: "Support",
};

/** An API answering as the real one: the audit's pages (one entry a page, the cursor the next index),
 * filtered by kind; `fail` answers 500 until turned off. */
function api({ role = "admin", entries = [statusChange, classified, integration], fail = { on: false } } = {}) {
  const requests: URL[] = [];
  const fetch = (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    if (url.pathname === "/inbox/me") return Response.json({ user_id: "u1", tenant_id: "t1", role, email: "ada@example.com" });
    if (url.pathname === "/inbox/users") return Response.json({ items: people });
    if (url.pathname === "/inbox/folders") return Response.json({ items: [{ id: "f1", name: "Billing" }] });
    if (fail.on) return Response.json({ error: { code: "internal", message: "boom" } }, { status: 500 });
    const kind = url.searchParams.get("kind");
    const matching = entries.filter((entry) => !kind || entry.kind === kind);
    if (url.pathname.endsWith("/history")) return Response.json({ items: matching, next_cursor: null });
    const at = Number(url.searchParams.get("cursor") ?? 0);
    const next = at + 1 < matching.length ? String(at + 1) : null;
    return Response.json({ items: matching.slice(at, at + 1), next_cursor: next });
  };
  return { fetch, requests };
}

const texts = (container: HTMLElement, selector: string) =>
  [...container.querySelectorAll(selector)].map((node) => node.textContent);
const button = (container: HTMLElement, name: string) => container.querySelector<HTMLButtonElement>(`button[name=${name}]`)!;
const click = async (element: HTMLElement) => {
  await act(async () => element.click());
  await settle();
};
const audits = (requests: URL[]) => requests.filter((url) => url.pathname === "/inbox/audit");

describe("Activity", () => {
  it("lists who did what and when, the fields before → after, and loads more on the cursor", async () => {
    const { fetch, requests } = api();
    const { container } = await render(<Activity />, fetch);
    await settle();
    expect(texts(container, ".audit-who")).toEqual(["Ada Admin"]);
    expect(texts(container, ".audit-what")).toEqual(["Changed the status"]);
    expect(texts(container, ".audit-when time")).toEqual(["5 minutes ago"]);
    expect(container.querySelector(".audit-date")!.textContent).toMatch(/\d{4}/); // the absolute date too
    expect(texts(container, ".audit-changes > div")).toEqual(["StatusOpen →  becomes Resolved"]);
    const link = container.querySelector<HTMLAnchorElement>(".audit-links a")!;
    expect([link.textContent, link.getAttribute("href")]).toEqual(["Open the conversation", "#conversation/c1"]);

    await click(button(container, "more"));
    await click(button(container, "more"));
    expect(texts(container, ".audit-who")).toEqual(["Ada Admin", "System: classification", "Léa Moreau"]);
    expect(texts(container, ".audit-changes dd")).toEqual([
      "Open →  becomes Resolved",
      "Inbox →  becomes Billing",
      "•••• (hidden) →  becomes •••• (hidden)",
    ]);
    expect(texts(container, ".audit-summary")).toEqual(["Support"]);
    expect(audits(requests).map((url) => url.searchParams.get("cursor"))).toEqual([null, "1", "2"]);
    expect(container.querySelector("button[name=more]")).toBeNull();
    expect(container.textContent).toContain("That is all.");
  });

  it("follows empty pages with a cursor by itself, a few, then says none is found yet", async () => {
    const requests: URL[] = [];
    const base = api().fetch;
    // A filtered read that finds nothing in its bounded reads: empty pages with a cursor, the match older.
    const fetch = (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/inbox/audit") return base(request);
      requests.push(url);
      const at = Number(url.searchParams.get("cursor") ?? 0);
      const found = at === 2 ? [classified] : [];
      return Response.json({ items: found, next_cursor: String(at + 1) });
    };
    const { container } = await render(<Activity />, fetch);
    await settle();
    await settle();
    expect(texts(container, ".audit-what")).toEqual(["Classified the conversation"]); // read on by itself
    expect(requests.map((url) => url.searchParams.get("cursor"))).toEqual([null, "1", "2"]);

    const empty = (_: Request) => Response.json({ items: [], next_cursor: "more" });
    const quiet: URL[] = [];
    const { container: none } = await render(<Activity />, (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/inbox/audit") return base(request);
      quiet.push(url);
      return empty(request);
    });
    await settle();
    await settle();
    expect(quiet.length).toBe(4); // the first page and three more, then it waits for a click
    expect(none.querySelector(".activity-empty")!.textContent).toMatch(/^None found yet/);
    expect(none.querySelector("button[name=more]")).not.toBeNull();
  });

  it("filters by kind, person, conversation and period, and says when nothing matches", async () => {
    const { fetch, requests } = api();
    const { container } = await render(<Activity />, fetch);
    await settle();
    await type(container.querySelector<HTMLSelectElement>("select[name=kind]")!, "conversation.classified");
    await settle();
    expect(texts(container, ".audit-what")).toEqual(["Classified the conversation"]);
    await type(container.querySelector<HTMLSelectElement>("select[name=person]")!, "u2");
    await type(container.querySelector<HTMLInputElement>("input[name=from]")!, "2026-11-01");
    await type(container.querySelector<HTMLInputElement>("input[name=to]")!, "2026-11-30");
    await settle();
    const last = audits(requests).at(-1)!.searchParams;
    expect(last.get("kind")).toBe("conversation.classified");
    expect(last.get("person")).toBe("u2");
    expect(new Date(last.get("from")!).getDate()).toBe(1);
    expect(new Date(last.get("to")!).getHours()).toBe(23);

    // The conversation's id, typed, applies when the form is sent (not at each key).
    const field = container.querySelector<HTMLInputElement>("input[name=conversation]")!;
    await type(field, "c9");
    expect(audits(requests).at(-1)!.searchParams.get("conversation")).toBeNull();
    await act(async () => void field.form!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
    await settle();
    expect(audits(requests).at(-1)!.searchParams.get("conversation")).toBe("c9");

    await type(container.querySelector<HTMLSelectElement>("select[name=kind]")!, "sync.failed");
    await settle();
    expect(container.querySelector(".activity-empty")!.textContent).toBe("Nothing recorded matches these filters.");

    await click(button(container, "clear"));
    expect([...audits(requests).at(-1)!.searchParams.keys()].sort()).toEqual(["limit"]);
  });

  it("offers one conversation's entries from an entry", async () => {
    const { fetch, requests } = api();
    const { container } = await render(<Activity />, fetch);
    await settle();
    await click(container.querySelector<HTMLButtonElement>(".audit-links button")!);
    expect(audits(requests).at(-1)!.searchParams.get("conversation")).toBe("c1");
    expect(container.querySelector<HTMLInputElement>("input[name=conversation]")!.value).toBe("c1");
    expect(container.querySelector(".audit-links button")).toBeNull(); // already this conversation's only
  });

  it("says when nothing is recorded, and an error with a way to try again", async () => {
    const empty = api({ entries: [] });
    const first = await render(<Activity />, empty.fetch);
    await settle();
    expect(first.container.querySelector(".activity-empty")!.textContent).toBe("Nothing recorded yet.");
    document.body.innerHTML = "";

    const fail = { on: true };
    const broken = api({ fail });
    const { container } = await render(<Activity />, broken.fetch, { language: "fr" });
    await settle();
    expect(container.querySelector("[role=alert]")).not.toBeNull();
    fail.on = false;
    await click(container.querySelector<HTMLButtonElement>("[role=alert] button")!);
    expect(container.querySelector("[role=alert]")).toBeNull();
    expect(texts(container, ".audit-what")).toEqual(["A changé le statut"]);
    expect(texts(container, ".audit-changes dd")).toEqual(["Ouverte →  devient Résolue"]);
    expect(container.querySelector(".audit-when time")!.textContent).toBe("il y a 5 minutes");
  });

  it("is for admins: an agent has no link and is told, and the audit is not asked for", async () => {
    const { fetch, requests } = api({ role: "agent" });
    const { container } = await render(
      <>
        <ActivityLink />
        <Activity />
      </>,
      fetch,
    );
    await settle();
    expect(container.querySelector("a[href='#activity']")).toBeNull();
    expect(container.textContent).toContain("Only admins see the activity.");
    expect(audits(requests)).toEqual([]);
  });
});

describe("History", () => {
  it("reads a conversation's entries once opened, rendered as the activity renders them", async () => {
    const { fetch, requests } = api({ role: "agent", entries: [statusChange] });
    const { container } = await render(<History conversationId="c1" />, fetch);
    await settle();
    expect(requests.filter((url) => url.pathname.endsWith("/history"))).toEqual([]);
    const toggle = button(container, "history");
    expect([toggle.textContent, toggle.getAttribute("aria-expanded")]).toEqual(["Show the history", "false"]);
    await click(toggle);
    expect(requests.filter((url) => url.pathname === "/inbox/conversations/c1/history")).toHaveLength(1);
    expect(texts(container, ".audit-entry .audit-head > strong, .audit-entry .audit-what")).toEqual([
      "Ada Admin",
      "Changed the status",
    ]);
    expect(container.querySelector(".audit-links")).toBeNull(); // already in the conversation
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
  });

  it("says when nothing is recorded yet", async () => {
    const { fetch } = api({ entries: [] });
    const { container } = await render(<History conversationId="c1" />, fetch, { language: "fr" });
    await click(button(container, "history"));
    expect(container.querySelector("#history-entries")!.textContent).toBe(
      "Rien n'est encore enregistré pour cette conversation.",
    );
  });
});
