import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { refusedLookupField } from "./aiLookups";
import { lookupRefusal } from "./lookupRefusals";

const refused = (status: number, code: string, message: string) => new ApiError(status, { error: { code, message } });

describe("a lookup's refusals", () => {
  it("says a name taken (a 409: names are the tenant's alone) next to the name field", () => {
    const taken = refused(409, "conflict", "name: another lookup is named find_order");
    expect(lookupRefusal(taken)).toEqual({
      key: "settings.lookups.refused.nameTaken",
      technical: "name: another lookup is named find_order",
    });
    expect(refusedLookupField(taken)).toBe("name");
  });

  it("still words the 422s, and leaves a 409 that names no field to the general wording", () => {
    const https = refused(422, "invalid_field", "endpoint: must be an https URL");
    expect(lookupRefusal(https)?.key).toBe("settings.lookups.refused.https");
    expect(refusedLookupField(https)).toBe("endpoint");
    const full = refused(409, "conflict", "a tenant has at most 10 lookups: delete one first");
    expect(lookupRefusal(full)).toBeNull();
    expect(refusedLookupField(full)).toBeNull();
    expect(lookupRefusal(refused(409, "conflict", "endpoint: must be an https URL"))).toBeNull();
  });

  it("reads the field as the field's marking does, hyphens and all (one reading, errorText's)", () => {
    const typed = refused(422, "invalid_field", "parameters.properties.order-no: type must be one of string, integer");
    expect(lookupRefusal(typed)?.key).toBe("settings.lookups.refused.parameterType");
    expect(refusedLookupField(typed)).toBe("parameters");
  });
});
