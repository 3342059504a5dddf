import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { claimedIdentity, contactLabel, linesOf, refusedField } from "./contactForm";

describe("contact form", () => {
  it("labels a contact by name, else email, else phone", () => {
    expect(contactLabel({ name: "Ann", emails: ["a@b.fr"], phones: [] })).toBe("Ann");
    expect(contactLabel({ name: null, emails: ["a@b.fr"], phones: ["+33611111111"] })).toBe("a@b.fr");
    expect(contactLabel({ name: null, emails: [], phones: ["+33611111111"] })).toBe("+33611111111");
    expect(contactLabel({ name: "", emails: [], phones: [] })).toBeNull();
  });

  it("reads one address a line, commas and semicolons too", () => {
    expect(linesOf(" a@b.fr \n\nc@d.fr, e@f.fr;g@h.fr ")).toEqual(["a@b.fr", "c@d.fr", "e@f.fr", "g@h.fr"]);
    expect(linesOf("   ")).toEqual([]);
  });

  it("finds the contact that has an address from the API's 409", () => {
    const conflict = new ApiError(409, {
      error: { code: "conflict", message: "emails[1]: b@x.fr is contact 01abc's; merge the two contacts instead" },
    });
    expect(claimedIdentity(conflict)).toEqual({ field: "emails[1]", value: "b@x.fr", contactId: "01abc" });
    expect(claimedIdentity(new ApiError(409, { error: { message: "something else" } }))).toBeNull();
    expect(claimedIdentity(new Error("x"))).toBeNull();
  });

  it("names the field a 422 refuses", () => {
    const refused = new ApiError(422, { error: { code: "invalid_field", message: "phones[0]: is not a phone number" } });
    expect(refusedField(refused)).toBe("phones[0]");
    expect(refusedField(new ApiError(409, {}))).toBeNull();
  });
});
