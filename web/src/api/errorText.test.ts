import { describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import type { Language } from "../i18n/messages";
import { ApiError } from "./client";
import { apiErrorText, refusedField, splitField } from "./errorText";

const refused = (status: number, code: string, message: string) => new ApiError(status, { error: { code, message } });
const inFrench = (error: unknown) => apiErrorText(error, (key, values) => translate("fr", key, values));
const said = (language: Language, error: unknown) => apiErrorText(error, (key, values) => translate(language, key, values));

describe("apiErrorText", () => {
  it("words the knowledge base's refusals in French, keeping the field and the limit", () => {
    expect(inFrench(refused(413, "payload_too_large", "file: over 10 MB"))).toBe(
      "Trop volumineux (« file ») : over 10 MB",
    );
    expect(inFrench(refused(422, "invalid_field", "title: is empty"))).toBe("« title » n'a pas été accepté : is empty");
    expect(inFrench(refused(409, "conflict", "the knowledge base holds 100 documents already: remove one first"))).toBe(
      "Impossible en l'état : the knowledge base holds 100 documents already: remove one first",
    );
    expect(inFrench(refused(415, "unsupported_media_type", "body: send it as application/json"))).toBe(
      "Ce type de contenu n'est pas accepté.",
    );
    expect(inFrench(refused(404, "not_found", "no document d1"))).toBe(
      "Cet élément n'existe plus : quelqu'un l'a peut-être supprimé entre-temps.",
    );
    expect(inFrench(refused(403, "forbidden", "admins only"))).toBe("Votre rôle ne le permet pas.");
  });

  it("says the same in English", () => {
    expect(said("en", refused(413, "payload_too_large", "file: over 10 MB"))).toBe("Too large (“file”): over 10 MB");
    expect(said("en", refused(422, "invalid_field", "text: is empty: write the reply, or discard the draft"))).toBe(
      "“text” was not accepted: is empty: write the reply, or discard the draft",
    );
  });

  it("goes by the status when the answer has no code, and words a failed fetch and the server's own errors", () => {
    expect(inFrench(new ApiError(413, "<html>Request Entity Too Large</html>"))).toBe("Trop volumineux : HTTP 413");
    expect(inFrench(new ApiError(422, { error: { message: "is invalid" } }))).toBe("Refusé : is invalid");
    expect(inFrench(new ApiError(502, null))).toBe(
      "Le service est indisponible pour le moment : réessayez dans un instant.",
    );
    expect(inFrench(refused(500, "internal", "something went wrong on our side"))).toBe(
      "Une erreur est survenue de notre côté : réessayez plus tard.",
    );
    expect(inFrench(new TypeError("Failed to fetch"))).toBe(
      "Le serveur est injoignable : vérifiez votre connexion et réessayez.",
    );
    expect(inFrench(new Error("boom"))).toBe("Cela n'a pas fonctionné : boom");
  });

  it("keeps a 409's whole message, as its wording names no field: what reads like one is its subject", () => {
    expect(said("en", refused(409, "conflict", "follow-up: fired or changed meanwhile"))).toBe(
      "Not possible as things stand: follow-up: fired or changed meanwhile",
    );
    expect(inFrench(refused(409, "conflict", "name: another lookup is named find_order"))).toBe(
      "Impossible en l'état : name: another lookup is named find_order",
    );
    expect(said("en", new ApiError(409, { error: { message: "the draft was sent or discarded meanwhile" } }))).toBe(
      "Not possible as things stand: the draft was sent or discarded meanwhile",
    );
    expect(said("en", refused(400, "bad_request", "X-Request-Id: not a UUID"))).toBe(
      "The request could not be read: X-Request-Id: not a UUID",
    );
  });

  it("reads a field that names a mail header, hyphens and all", () => {
    expect(said("en", refused(422, "invalid_field", "headers.X-Secret: is not kept"))).toBe(
      "“headers.X-Secret” was not accepted: is not kept",
    );
    expect(splitField("headers.X-Secret: is not kept")).toEqual({ field: "headers.X-Secret", detail: "is not kept" });
    expect(splitField("the draft is sent, not pending")).toBeNull();
    expect(splitField("a tenant has at most 10 lookups: delete one first")).toBeNull();
  });

  it("reads the field a refusal names, whole or its first name only", () => {
    expect(refusedField(refused(422, "invalid_field", "emails[1]: is not an email address"))).toBe("emails[1]");
    expect(refusedField(refused(422, "invalid_field", "parameters.properties.x: type"), { top: true })).toBe("parameters");
    expect(refusedField(refused(422, "invalid_field", "template.parameters.1: unknown"), { top: true })).toBe("template");
    expect(refusedField(refused(413, "payload_too_large", "size: over 10 MB"))).toBeNull();
    expect(refusedField(refused(413, "payload_too_large", "size: over 10 MB"), { statuses: [422, 413] })).toBe("size");
    expect(refusedField(refused(422, "invalid_field", "is invalid"))).toBeNull();
    expect(refusedField(new Error("boom"))).toBeNull();
  });
});
