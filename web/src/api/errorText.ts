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
  const { field, detail } = fieldOf(message);
  const values = { field, detail: detail || `HTTP ${error.status}` };
  if (!field && key === "api.error.invalid_field") return t("api.error.invalid", values);
  if (!field && key === "api.error.payload_too_large") return t("api.error.too_large", values);
  return t(key, values);
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

/** A 413's and a 422's message start with the field they are about (`file: over 10 MB`); a field may name a
 * mail header, hyphens and all (`headers.X-Secret: is not kept`, the AI try's). */
function fieldOf(message: string): { field: string; detail: string } {
  const found = /^([\w.[\]-]+): (.*)$/s.exec(message);
  return found ? { field: found[1]!, detail: found[2]! } : { field: "", detail: message };
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
  const field = /^([\w.[\]-]+): /.exec(message)?.[1];
  if (!field) return null;
  return top ? field.split(/[.[]/)[0]! : field;
}
