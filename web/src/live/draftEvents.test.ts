import { describe, expect, it } from "vitest";
import { draftKeys, keys } from "../api/queries";
import { cacheEffects, mergeEffects, parseLiveEvent } from "./events";

describe("drafts.changed", () => {
  it("is read from its frame and reads that conversation's drafts again, nothing else", () => {
    const event = parseLiveEvent(JSON.stringify({ type: "drafts.changed", conversation_id: "c1" }));
    expect(event).toEqual({ type: "drafts.changed", conversation_id: "c1" });
    expect(cacheEffects(event!)).toEqual({ invalidate: [draftKeys.drafts("c1")], remove: [] });
    expect(parseLiveEvent(JSON.stringify({ type: "drafts.changed" }))).toBeNull();
  });

  it("is covered by the conversation's own event in a burst (the drafts sit under its key)", () => {
    const conversation = cacheEffects({
      type: "conversation.changed",
      change: "updated",
      conversation_id: "c1",
      folder_id: "inbox",
      previous_folder_id: null,
      status: "open",
      assignee_id: null,
      unread: false,
      channel: "sms",
      message_count: 2,
      last_activity_at: "2026-12-01T10:00:00Z",
    });
    const drafts = cacheEffects({ type: "drafts.changed", conversation_id: "c1" });
    expect(mergeEffects([conversation, drafts]).invalidate).toContainEqual(keys.conversation("c1"));
    expect(mergeEffects([conversation, drafts]).invalidate).not.toContainEqual(draftKeys.drafts("c1"));
  });
});
