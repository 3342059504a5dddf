import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff";
import { CATCH_UP, cacheEffects, mergeEffects, parseLiveEvent } from "./events";
import {
  alertFor,
  badgeText,
  DEFAULT_PREFERENCES,
  readOnArrival,
  readPreferences,
  tabTitle,
  unreadTotal,
  writePreferences,
  type NotifyPreferences,
} from "./notifications";
import { changed, NOW } from "./testEvents";

describe("reconnectDelay", () => {
  it("doubles from half a second, between half the step and the step", () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(2, () => 0.5)).toBe(1500);
  });

  it("stops growing at the cap, whatever the attempt", () => {
    expect(reconnectDelay(10, () => 1)).toBe(30_000);
    expect(reconnectDelay(1_000, () => 0)).toBe(15_000);
    expect(reconnectDelay(3, () => 1, { baseMs: 100, capMs: 500 })).toBe(500);
  });

  it("spreads the apps of a tenant over the step", () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });
});

describe("parseLiveEvent", () => {
  it("reads the two events and ignores the rest", () => {
    expect(parseLiveEvent(JSON.stringify(changed()))).toEqual(changed());
    expect(parseLiveEvent('{"type":"counters.changed","folder_ids":["inbox"]}')).toEqual({
      type: "counters.changed",
      folder_ids: ["inbox"],
    });
    for (const other of ['{"type":"pong"}', "not json", "null", '{"type":"conversation.changed"}', 42]) {
      expect(parseLiveEvent(other)).toBeNull();
    }
  });
});

describe("cacheEffects", () => {
  it("a changed conversation makes every list and itself stale", () => {
    expect(cacheEffects(changed({ conversation_id: "c9" }))).toEqual({
      invalidate: [
        ["conversations", "list"],
        ["conversations", "one", "c9"],
      ],
      remove: [],
    });
  });

  it("a deleted one is dropped, not read again; the lists and counters are", () => {
    expect(cacheEffects(changed({ change: "deleted" }))).toEqual({
      invalidate: [["conversations", "list"], ["folders"]],
      remove: [["conversations", "one", "c1"]],
    });
  });

  it("counters make the folders stale", () => {
    expect(cacheEffects({ type: "counters.changed", folder_ids: ["inbox", "f1"] })).toEqual({
      invalidate: [["folders"]],
      remove: [],
    });
  });

  it("a burst reads each list once, and a reconnection reads everything", () => {
    const burst = mergeEffects([
      cacheEffects(changed({ conversation_id: "a" })),
      cacheEffects(changed({ conversation_id: "b" })),
      cacheEffects({ type: "counters.changed", folder_ids: ["inbox"] }),
      cacheEffects(changed({ conversation_id: "a" })),
    ]);
    expect(burst.invalidate).toEqual([
      ["conversations", "list"],
      ["conversations", "one", "a"],
      ["conversations", "one", "b"],
      ["folders"],
    ]);
    expect(mergeEffects([burst, { invalidate: CATCH_UP, remove: [] }]).invalidate).toEqual([
      ["folders"],
      ["conversations"],
    ]);
  });
});

describe("alertFor", () => {
  const context = (preferences: Partial<NotifyPreferences> = {}, openId: string | null = null) => ({
    preferences: { ...DEFAULT_PREFERENCES, ...preferences },
    me: "u-me",
    openId,
    now: NOW,
  });

  it("a new conversation alerts with all and mine, not with none", () => {
    const created = changed({ change: "created", message_count: 1 });
    expect(alertFor(created, context({ choice: "all" }))).toEqual({ kind: "newConversation", conversationId: "c1" });
    expect(alertFor(created, context({ choice: "mine" }))).toEqual({ kind: "newConversation", conversationId: "c1" });
    expect(alertFor(created, context({ choice: "none" }))).toBeNull();
  });

  it("a customer's reply alerts with mine only when it is assigned to me", () => {
    expect(alertFor(changed({ assignee_id: "u-me" }), context())).toEqual({ kind: "reply", conversationId: "c1" });
    expect(alertFor(changed({ assignee_id: "u-other" }), context())).toBeNull();
    expect(alertFor(changed({ assignee_id: null }), context())).toBeNull();
    expect(alertFor(changed({ assignee_id: "u-other" }), context({ choice: "all" }))).toEqual({
      kind: "reply",
      conversationId: "c1",
    });
  });

  it("nothing for the conversation I am reading", () => {
    expect(alertFor(changed({ assignee_id: "u-me" }), context({ choice: "all" }, "c1"))).toBeNull();
    expect(alertFor(changed({ assignee_id: "u-me" }), context({ choice: "all" }, "c2"))).not.toBeNull();
  });

  it("nothing but a customer's new message: not our answers, status changes, deletions, spam, automated or old mail", () => {
    const all = context({ choice: "all" });
    expect(alertFor(changed({ customer_wrote: false }), all)).toBeNull();
    expect(alertFor(changed({ customer_wrote: undefined }), all)).toBeNull(); // a server before the field
    expect(alertFor(changed({ change: "deleted" }), all)).toBeNull();
    expect(alertFor(changed({ status: "spam" }), all)).toBeNull();
    expect(alertFor(changed({ folder_id: "automated" }), all)).toBeNull();
    expect(alertFor(changed({ last_inbound_at: "2026-11-20T10:00:00Z" }), all)).toBeNull(); // a sync's old mail
    expect(alertFor({ type: "counters.changed", folder_ids: ["inbox"] }, all)).toBeNull();
  });
});

describe("readOnArrival", () => {
  it("a customer's message on the conversation I am reading, in a visible tab, is read", () => {
    expect(readOnArrival(changed(), "c1", true)).toBe(true);
    expect(readOnArrival(changed(), "c1", false)).toBe(false); // the tab is hidden: nobody reads it
    expect(readOnArrival(changed(), "c2", true)).toBe(false);
    expect(readOnArrival(changed(), null, true)).toBe(false);
    expect(readOnArrival(changed({ customer_wrote: false }), "c1", true)).toBe(false); // "mark unread" stays
    expect(readOnArrival(changed({ unread: false }), "c1", true)).toBe(false);
    expect(readOnArrival(changed({ change: "deleted" }), "c1", true)).toBe(false);
    expect(readOnArrival({ type: "counters.changed", folder_ids: [] }, "c1", true)).toBe(false);
  });
});

describe("preferences", () => {
  it("are kept per user, with the default for a stranger or anything unreadable", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    writePreferences(storage, "u1", { choice: "all", sound: true });
    expect(readPreferences(storage, "u1")).toEqual({ choice: "all", sound: true });
    expect(readPreferences(storage, "u2")).toEqual(DEFAULT_PREFERENCES);
    store.set("inbox.notifications.u3", "{not json");
    expect(readPreferences(storage, "u3")).toEqual(DEFAULT_PREFERENCES);
    store.set("inbox.notifications.u4", '{"choice":"loud","sound":"yes"}');
    expect(readPreferences(storage, "u4")).toEqual({ choice: "mine", sound: false });
    expect(readPreferences(undefined, "u1")).toEqual(DEFAULT_PREFERENCES);
  });
});

describe("the unread count in the tab", () => {
  it("counts every folder but automated mail", () => {
    const folders = [
      { id: "inbox", unread: 3 },
      { id: "automated", unread: 40 },
      { id: "f1", unread: 2 },
    ];
    expect(unreadTotal(folders)).toBe(5);
    expect(unreadTotal(undefined)).toBe(0);
  });

  it("shows in the title and the badge", () => {
    expect(tabTitle(3, "Inbox")).toBe("(3) Inbox");
    expect(tabTitle(0, "Inbox")).toBe("Inbox");
    expect(tabTitle(250, "Boîte de réception")).toBe("(99+) Boîte de réception");
    expect([0, 7, 99, 100].map(badgeText)).toEqual(["", "7", "99", "99+"]);
  });
});
