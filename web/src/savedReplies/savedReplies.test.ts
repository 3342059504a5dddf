import { describe, expect, it } from "vitest";
import {
  conversationOfSavedRepliesHash,
  insertAt,
  isSavedRepliesHash,
  leftAsTyped,
  matchReplies,
  savedRepliesHashFrom,
  slashQuery,
  type SavedReply,
} from "./savedReplies";

const reply = (title: string): SavedReply => ({
  id: title,
  scope: "team",
  owner_id: "u1",
  title,
  text: "",
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
});
const REPLIES = [reply("Délais de livraison"), reply("Livraison offerte"), reply("Merci"), reply("Remboursement")];

describe("saved replies", () => {
  it("reaches the screen from a conversation and reads that conversation back, and nothing else", () => {
    const from = savedRepliesHashFrom("01a2/b");
    expect(isSavedRepliesHash(from)).toBe(true);
    expect(conversationOfSavedRepliesHash(from)).toBe("01a2/b");
    expect(isSavedRepliesHash("#saved-replies")).toBe(true);
    expect(conversationOfSavedRepliesHash("#saved-replies")).toBeNull();
    expect(conversationOfSavedRepliesHash("#saved-replies?conversation=")).toBeNull();
    expect(conversationOfSavedRepliesHash("#saved-replies?other=1")).toBeNull();
    expect(isSavedRepliesHash("#saved-replies-x")).toBe(false);
  });

  it("finds replies by the start of their title's words, accents aside, title starts first", () => {
    expect(matchReplies(REPLIES, "liv").map((r) => r.title)).toEqual(["Livraison offerte", "Délais de livraison"]);
    expect(matchReplies(REPLIES, "delais liv").map((r) => r.title)).toEqual(["Délais de livraison"]);
    expect(matchReplies(REPLIES, "rci")).toEqual([]);
    expect(matchReplies(REPLIES, "")).toHaveLength(4);
  });

  it("reads a `/` at a line's start or after a space, up to the caret", () => {
    expect(slashQuery("/liv", 4)).toEqual({ start: 0, query: "liv" });
    expect(slashQuery("Bonjour,\n/", 10)).toEqual({ start: 9, query: "" });
    expect(slashQuery("Hi /delais de", 13)).toEqual({ start: 3, query: "delais de" });
    expect(slashQuery("Hi /liv and more", 7)).toEqual({ start: 3, query: "liv" });
    expect(slashQuery("and/or", 6)).toBeNull();
    expect(slashQuery("/ liv", 5)).toBeNull();
    expect(slashQuery("/etc/hosts", 10)).toBeNull();
    expect(slashQuery("/liv\n", 5)).toBeNull();
  });

  it("inserts in place of a range and says where the caret goes", () => {
    expect(insertAt("Hi /liv!", 3, 7, "Bonjour Marie")).toEqual({ text: "Hi Bonjour Marie!", caret: 16 });
  });

  it("names the placeholders a fill left as typed, braces included", () => {
    expect(leftAsTyped({ text: "", missing: ["contact.first_name"], unknown: ["order.number"] })).toEqual([
      "{{contact.first_name}}",
      "{{order.number}}",
    ]);
  });
});
