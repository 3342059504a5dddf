import { describe, expect, it } from "vitest";
import { replySubject } from "./Composer";

describe("replySubject", () => {
  it("answers Re: and the conversation's subject, as the API does without one", () => {
    expect(replySubject("Commande 48213")).toBe("Re: Commande 48213");
    expect(replySubject("RE: Commande 48213")).toBe("RE: Commande 48213");
    expect(replySubject(null)).toBe("Re:");
  });
});
