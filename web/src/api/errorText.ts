import type { MessageKey } from "../i18n/messages";
import { ApiError } from "./client";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** What the API answers a refused request with: `{"error": {"code", "message"}}` (inbox/http/errors.py). */
interface ErrorBody {
  error?: { code?: string; message?: string };
}

// The API's codes that read the same wherever they come from; a 409 `conflict` is the caller's to
// word when it knows what it means (a draft decided meanwhile, say), else it is said generally.
const CODE_KEYS: Record<string, MessageKey> = {
  invalid_field: "api.error.invalid_field",
  bad_request: "api.error.bad_request",
  payload_too_large: "api.error.payload_too_large",
  unsupported_media_type: "api.error.unsupported_media_type",
  conflict: "api.error.conflict",
  not_found: "api.error.not_found",
  forbidden: "api.error.forbidden",
  unauthorized: "api.error.unauthorized",
  unavailable: "api.error.unavailable",
  internal: "api.error.internal",
};

/** A failed request in the interface's language, by the API's error code (else its status): the
 * field a 413 or a 422 names, and the API's own words (English) as the detail where they say what
 * exactly (which field, which limit, what conflicts). */
export function apiErrorText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) {
    // fetch's TypeError: the API could not be reached at all.
    if (error instanceof TypeError) return t("api.error.network");
    return t("api.error.other", { detail: error instanceof Error ? error.message : String(error) });
  }
  const { code, message = "" } = (error.body as ErrorBody | undefined)?.error ?? {};
  const key = (code && CODE_KEYS[code]) || statusKey(error.status);
  const whole = message || `HTTP ${error.status}`;
  // Only the wordings that say the field take it off the message; the others keep it whole, as what
  // reads like a field there may be its subject (a 409's `follow-up: …`).
  if (key !== "api.error.invalid_field" && key !== "api.error.payload_too_large") return t(key, { detail: whole });
  const named = splitField(message);
  if (named) return t(key, { field: named.field, detail: named.detail || `HTTP ${error.status}` });
  return t(key === "api.error.invalid_field" ? "api.error.invalid" : "api.error.too_large", { detail: whole });
}

function statusKey(status: number): MessageKey {
  if (status === 413) return "api.error.payload_too_large";
  if (status === 422) return "api.error.invalid_field";
  if (status === 409) return "api.error.conflict";
  if (status === 404) return "api.error.not_found";
  if (status === 403) return "api.error.forbidden";
  if (status === 429 || status === 502 || status === 503 || status === 504) return "api.error.unavailable";
  if (status >= 500) return "api.error.internal";
  return "api.error.other";
}

/** A refusal's message as the field it starts with and what it says of it (`file: over 10 MB`), null when it
 * names none; a field may name a mail header, hyphens and all (`headers.X-Secret: is not kept`, the AI
 * try's). The one reading of a field, for every screen that words a refusal (lookupRefusals, nudgeRefusal). */
export function splitField(message: string): { field: string; detail: string } | null {
  const found = /^([\w.[\]-]+): (.*)$/s.exec(message);
  return found ? { field: found[1]!, detail: found[2]! } : null;
}

/** The field a refusal names, to mark that field (`emails[1]: not an email` → `emails[1]`); with `top`,
 * only its first name (`parameters.properties.x: …` → `parameters`). 422 only unless `statuses` says more
 * (an upload's 413 names its field too). One reading for every form, so they all mark fields alike. */
export function refusedField(
  error: unknown,
  { statuses = [422], top = false }: { statuses?: readonly number[]; top?: boolean } = {},
): string | null {
  if (!(error instanceof ApiError) || !statuses.includes(error.status)) return null;
  const message = (error.body as ErrorBody | undefined)?.error?.message ?? "";
  const field = splitField(message)?.field;
  if (!field) return null;
  return top ? field.split(/[.[]/)[0]! : field;
}
