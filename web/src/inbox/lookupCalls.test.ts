import { describe, expect, it } from "vitest";
import { en, fr } from "../i18n/messages";
import { answeredText, argumentsText, lookupFailure } from "./lookupCalls";

describe("a lookup call in words", () => {
  it("shows an answered call by its summary, without the name it starts with", () => {
    const call = {
      name: "find_order",
      arguments: { order_number: "12345" },
      ok: true,
      summary: "find_order order_number 12345: status shipped, shipped_on 2026-11-28",
    };
    expect(answeredText(call)).toBe("order_number 12345: status shipped, shipped_on 2026-11-28");
    expect(answeredText({ ...call, summary: "" })).toBe("12345");
    expect(argumentsText({ order_number: "12345", gift: true, count: 2 })).toBe("12345, true, 2");
  });

  it("says each failure the API gives in words of ours, in both languages", () => {
    const cases: [string, string, string | null][] = [
      ["no complete answer within 5 s", "settings.webhooks.failure.timeout", null],
      ["no answer within 3 s", "settings.webhooks.failure.timeout", null],
      ["refused: 10.0.0.1 is a private address", "settings.webhooks.failure.refused", "refused: 10.0.0.1 is a private address"],
      ["connection refused", "settings.webhooks.failure.connectionRefused", null],
      ["HTTP 404", "settings.webhooks.failure.http", null],
      ["the answer is larger than 16 KB", "lookups.failure.tooLarge", null],
      ["HTTP 404: order not found", "settings.webhooks.failure.http", "order not found"],
      ["HTTP 301: redirects are not followed", "settings.webhooks.failure.redirect", null],
      ["the lookup is turned off", "lookups.failure.off", null],
      ["not this tenant's lookup", "lookups.failure.unknown", null],
      ["arguments: 'order_number' is required", "lookups.failure.arguments", "arguments: 'order_number' is required"],
      ["the answer is not a JSON object", "lookups.failure.notJson", null],
      ["'order_number' is required", "lookups.failure.arguments", "'order_number' is required"],
      ["no such lookup", "lookups.failure.unknown", null],
      ["something new", "settings.webhooks.failure.other", "something new"],
    ];
    for (const [error, key, technical] of cases) {
      const failure = lookupFailure(error);
      expect([error, failure.key, failure.technical]).toEqual([error, key, technical]);
      expect(en[failure.key]).toBeTruthy();
      expect(fr[failure.key]).not.toBe(en[failure.key]);
    }
    expect(lookupFailure("HTTP 502").values.code).toBe("502");
  });
});
