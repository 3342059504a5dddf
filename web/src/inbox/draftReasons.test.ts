import { describe, expect, it } from "vitest";
import { en, fr } from "../i18n/messages";
import { DRAFT_REASONS, HOLD_REASONS, STATUS_KEYS, draftReason, reasonKey, type DraftStatus } from "./draftReasons";

const draft = (fields: Partial<Parameters<typeof draftReason>[0]>) => ({
  status: "pending" as DraftStatus,
  reason: null,
  detail: null,
  confidence: null,
  ai_reason: null,
  text: null,
  ...fields,
});

describe("draft reasons", () => {
  it("word every reason and status the API can return, in English and in French", () => {
    expect(HOLD_REASONS).toEqual([
      "low_confidence",
      "needs_person",
      "unknown_link",
      "unknown_phone",
      "too_long",
      "lookup_failed",
    ]);
    const keys = [...DRAFT_REASONS.map(reasonKey), ...Object.values(STATUS_KEYS)];
    expect(keys).toHaveLength(DRAFT_REASONS.length + 8);
    for (const key of keys) {
      expect(en[key], key).toBeTruthy();
      expect(fr[key], key).toBeTruthy();
      expect(fr[key], key).not.toBe(en[key]);
    }
  });

  it("say how sure the AI was against the folder's threshold", () => {
    const held = draft({ reason: "low_confidence", confidence: 0.42, detail: "confidence 0.42, under the folder's 0.70" });
    expect(draftReason(held, { channel: "email", thresholdPercent: 75 })).toEqual({
      key: "drafts.reason.low_confidence",
      values: { confidence: 42, threshold: 75 },
    });
    // Without the folder (moved, or not read yet), the threshold the detail names.
    expect(draftReason(held, { channel: "email" })?.values).toEqual({ confidence: 42, threshold: 70 });
  });

  it("name the links or numbers found nowhere, and the AI's own line when it asks for a person", () => {
    const links = draft({
      reason: "unknown_link",
      detail:
        "not in the knowledge base nor the company prompt: evil.example/pay, www.x.fr; also unknown_phone: not in the knowledge base nor the company prompt: 06 12 34 56 78",
    });
    expect(draftReason(links, { channel: "email" })?.values).toEqual({ items: "evil.example/pay, www.x.fr" });
    const person = draft({ reason: "needs_person", ai_reason: "The customer asks for a refund." });
    expect(draftReason(person, { channel: "sms" })).toEqual({
      key: "drafts.reason.needs_person",
      values: { why: "The customer asks for a refund." },
    });
  });

  it("count an over-long reply against its channel's limit", () => {
    const long = draft({ reason: "too_long", text: "x".repeat(400), detail: "400 characters, over the 320 of sms" });
    expect(draftReason(long, { channel: "sms" })?.values).toEqual({ length: 400, limit: 320 });
  });

  it("name the lookups that did not answer", () => {
    const failed = draft({
      reason: "lookup_failed",
      detail: "find_order: no answer within 3 s; find_booking: HTTP 500; also low_confidence: confidence 0.30",
    });
    expect(draftReason(failed, { channel: "sms" })).toEqual({
      key: "drafts.reason.lookup_failed",
      values: { names: "find_order, find_booking" },
    });
  });

  it("tell a missing company prompt from a missing model, and keep a reason it does not know", () => {
    const prompt = draft({ status: "not_configured", reason: "company_prompt_missing" });
    expect(draftReason(prompt, { channel: "email" })?.key).toBe("drafts.reason.company_prompt_missing");
    const model = draft({ status: "not_configured", reason: "ai_not_configured" });
    expect(draftReason(model, { channel: "email" })?.key).toBe("drafts.reason.ai_not_configured");
    // an API newer than the app: a reason it has no words for yet
    expect(draftReason(draft({ reason: "something_new" as never }), { channel: "email" })).toEqual({
      key: "drafts.reason.other",
      values: { reason: "something_new" },
    });
    expect(draftReason(draft({}), { channel: "email" })).toBeNull();
  });
});
