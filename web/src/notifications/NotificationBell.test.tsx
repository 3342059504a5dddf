import { act } from "react";
import { describe, expect, it } from "vitest";
import { en, fr } from "../i18n/messages";
import { FolderPane } from "../inbox/FolderPane";
import { cacheEffects, parseLiveEvent } from "../live/events";
import { NotificationBell } from "./NotificationBell";
import type { Notification } from "./queries";
import { notificationSentence } from "./sentence";
import { click, render, settle } from "../test/render";

const notification = (id: string, changes: Partial<Notification> = {}): Notification => ({
  id,
  tenant_id: "t1",
  user_id: "u1",
  kind: "assigned",
  conversation_id: `c-${id}`,
  task_id: null,
  actor_id: "u2",
  text: null,
  created_at: "2026-03-02T09:00:00Z",
  read_at: null,
  ...changes,
});

/** The API as the real one answers, over `items` (the signed-in person's own, newest first). */
function fakeApi(items: Notification[]) {
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    requests.push(`${request.method} ${path}`);
    if (path === "/inbox/users") {
      return Response.json({ items: [{ id: "u2", name: "Léa Moreau", email: "lea@example.com", role: "agent", enabled: true }] });
    }
    if (path === "/inbox/me") return Response.json({ user_id: "u1", tenant_id: "t1", role: "agent" });
    if (path === "/inbox/folders") {
      return Response.json({
        items: [{ id: "inbox", name: "Inbox", system: true, position: -1, total: 4, unread: 2 }],
        views: { mine: { total: 3, unread: 1 }, unassigned: { total: 5, unread: 5 } },
        notifications_unread: items.filter((n) => !n.read_at).length,
      });
    }
    if (path === "/inbox/notifications/read") {
      // Like the API, a bounded batch per call (2 here, 100 there), saying whether more remain.
      const unread = items.filter((n) => !n.read_at);
      unread.slice(0, 2).forEach((n) => (n.read_at = "2026-03-02T10:00:00Z"));
      return Response.json({ marked: Math.min(unread.length, 2), more: unread.length > 2 });
    }
    const one = path.match(/^\/inbox\/notifications\/(.+)\/read$/);
    if (one) {
      const found = items.find((n) => n.id === one[1])!;
      found.read_at ??= "2026-03-02T10:00:00Z";
      return Response.json(found);
    }
    return Response.json({ items, unread: items.filter((n) => !n.read_at).length, next_cursor: null });
  };
  return { fetch, requests };
}

async function mount(node: React.ReactNode, items: Notification[] = []) {
  const { fetch, requests } = fakeApi(items);
  const { container } = await render(node, fetch);
  await settle();
  return { container, requests };
}

describe("notificationSentence", () => {
  const t = (catalog: Record<string, string>) => (key: string, values: Record<string, string | number> = {}) =>
    catalog[key]!.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));

  it("says each kind in English and French from its fields", () => {
    const cases: [Notification, string, string][] = [
      [notification("a"), "Léa assigned a conversation to you", "Léa vous a attribué une conversation"],
      [notification("b", { kind: "task_due", text: "Call back" }), "A task is due: Call back", "Tâche à échéance : Call back"],
      [notification("c", { kind: "follow_up_due", text: "Devis" }), "Follow-up reminder: Devis", "Rappel de relance : Devis"],
      [notification("d", { kind: "template_needed" }), en["notifications.templateNeeded"], fr["notifications.templateNeeded"]],
    ];
    for (const [item, english, french] of cases) {
      expect(notificationSentence(item, t(en), "Léa")).toBe(english);
      expect(notificationSentence(item, t(fr), "Léa")).toBe(french);
    }
    expect(notificationSentence(notification("e"), t(en), null)).toBe("A conversation was assigned to you");
    // A folder's nudge not sent (review 16b, item 2): which folder, which placeholders, that nothing went out.
    const unfilled = notification("g", { kind: "nudge_unfilled", text: "Devis", placeholders: ["contact.company"] });
    expect(notificationSentence(unfilled, t(en), null)).toBe(
      "The automatic follow-up of the folder “Devis” was not sent: {{contact.company}} has no value for this customer",
    );
    expect(notificationSentence(unfilled, t(fr), null)).toBe(
      "La relance automatique du dossier « Devis » n'a pas été envoyée : {{contact.company}} n'a pas de valeur pour ce client",
    );
    const both = { ...unfilled, placeholders: ["contact.company", "contact.first_name"] };
    expect(notificationSentence(both, t(en), null)).toBe(
      "The automatic follow-up of the folder “Devis” was not sent: {{contact.company}}, {{contact.first_name}} have no value for this customer",
    );
    expect(notificationSentence(both, t(fr), null)).toBe(
      "La relance automatique du dossier « Devis » n'a pas été envoyée : {{contact.company}}, {{contact.first_name}} n'ont pas de valeur pour ce client",
    );
    expect(notificationSentence(notification("f", { kind: "task_due" }), t(en), null)).toBe("A task of yours is due");
  });
});

describe("NotificationBell", () => {
  it("shows the unread count, lists them with who assigned, and opens the conversation chosen, marking it read", async () => {
    const opened: string[] = [];
    const items = [notification("n2"), notification("n1", { read_at: "2026-03-01T09:00:00Z" })];
    const { container, requests } = await mount(<NotificationBell onOpen={(id) => opened.push(id)} />, items);
    const bell = container.querySelector<HTMLButtonElement>("button[name=notifications]")!;
    expect(bell.getAttribute("aria-label")).toBe("Notifications, 1 unread");
    expect(bell.querySelector(".count")?.textContent).toBe("1");
    expect(requests).not.toContain("GET /inbox/notifications"); // the count came with the folders

    await click(bell);
    const rows = [...container.querySelectorAll(".notification-list li")];
    expect(rows.map((row) => row.className)).toEqual(["unread", "read"]);
    expect(rows[0]!.querySelector(".notification-text")?.textContent).toBe("Léa Moreau assigned a conversation to you");

    await click(rows[0]!.querySelector(".notification-open")!);
    expect(opened).toEqual(["c-n2"]);
    expect(requests).toContain("POST /inbox/notifications/n2/read");
    expect(container.querySelector(".notification-panel")).toBeNull(); // closed on opening the conversation
    expect(bell.querySelector(".count")).toBeNull();
    expect(bell.getAttribute("aria-label")).toBe("Notifications");
  });

  it("marks all read in as many calls as the API asks for", async () => {
    const { container, requests } = await mount(<NotificationBell onOpen={() => {}} />, [
      notification("n3"),
      notification("n2"),
      notification("n1"),
    ]);
    await click(container.querySelector<HTMLButtonElement>("button[name=notifications]")!);
    await click(container.querySelector("button[name=mark-all-read]")!);
    expect(requests.filter((r) => r === "POST /inbox/notifications/read")).toHaveLength(2);
    expect([...container.querySelectorAll(".notification-list li")].map((row) => row.className)).toEqual([
      "read",
      "read",
      "read",
    ]);
  });

  it("marks all read, and Esc closes the list back to the bell", async () => {
    const { container, requests } = await mount(<NotificationBell onOpen={() => {}} />, [
      notification("n2"),
      notification("n1"),
    ]);
    const bell = container.querySelector<HTMLButtonElement>("button[name=notifications]")!;
    await click(bell);
    await click(container.querySelector("button[name=mark-all-read]")!);
    expect(requests).toContain("POST /inbox/notifications/read");
    expect([...container.querySelectorAll(".notification-list li")].map((row) => row.className)).toEqual(["read", "read"]);
    expect(container.querySelector<HTMLButtonElement>("button[name=mark-all-read]")!.disabled).toBe(true);

    const panel = container.querySelector(".notification-panel")!;
    await act(async () => {
      panel.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    });
    expect(container.querySelector(".notification-panel")).toBeNull();
    expect(document.activeElement).toBe(bell);
  });

  it("says when there is nothing", async () => {
    const { container } = await mount(<NotificationBell onOpen={() => {}} />, []);
    await click(container.querySelector("button[name=notifications]")!);
    expect(container.querySelector(".notification-panel")?.textContent).toContain("Nothing to tell you.");
  });
});

describe("FolderPane's views", () => {
  it("count Mine and Unassigned as the API keeps them", async () => {
    const { container } = await mount(<FolderPane selection={{ kind: "folder", id: "inbox" }} onSelect={() => {}} />);
    const count = (view: string) => container.querySelector(`[data-view-id="${view}"] .count`);
    expect(count("mine")?.textContent).toBe("3");
    expect(count("mine")?.getAttribute("aria-label")).toBe("3 assigned to you");
    expect(count("unassigned")?.textContent).toBe("5");
    expect(count("all")).toBeNull();
    expect(container.querySelector('[data-folder-id="inbox"] .count')?.textContent).toBe("2");
  });
});

describe("the live events of issue 13", () => {
  it("read a new notification's list again, and the folders when the views' counters moved", () => {
    const created = parseLiveEvent(
      JSON.stringify({ type: "notifications.changed", change: "created", user_id: "u1", notification_id: "n1" }),
    );
    expect(cacheEffects(created!)).toEqual({ invalidate: [["notifications"], ["folders"]], remove: [] });
    const views = parseLiveEvent(JSON.stringify({ type: "views.changed", assignees: ["none"] }));
    expect(cacheEffects(views!)).toEqual({ invalidate: [["folders"]], remove: [] });
  });
});
