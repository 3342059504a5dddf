// The lookup form's usual refusals in the reader's words (issue 16 review, web #12): the API says them in
// English, from fixed sentences (adapters/outbound.py's guard, models/ai_lookup.py, the name pattern), and
// for an admin who is not technical these few reasons are the whole story. Their text stays as a detail.
import { ApiError } from "../api/client";
import type { MessageKey } from "../i18n/messages";

const REFUSALS: [field: string, pattern: RegExp, key: MessageKey][] = [
  ["endpoint", /must be an https URL/, "settings.lookups.refused.https"],
  ["endpoint", /which this deployment does not connect to/, "settings.lookups.refused.private"],
  ["endpoint", /is not a valid host name/, "settings.lookups.refused.host"],
  ["endpoint", /^must /, "settings.lookups.refused.url"],
  ["name", /another lookup is named/, "settings.lookups.refused.nameTaken"],
  ["name", /should match pattern/i, "settings.lookups.refused.namePattern"],
  ["parameters", /type must be one of/, "settings.lookups.refused.parameterType"],
  ["parameters", /a name is letters, digits and _/, "settings.lookups.refused.parameterName"],
];

/** The worded reason of a 422 on the lookup form, with the API's own text as its technical detail; null
 * when it is not one the app knows (then the general wording says it). */
export function lookupRefusal(error: unknown): { key: MessageKey; technical: string } | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const message = (error.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const found = /^([\w.[\]]+): (.*)$/s.exec(message);
  if (!found) return null;
  const field = found[1]!.split(/[.[]/)[0]!;
  const known = REFUSALS.find(([name, pattern]) => name === field && pattern.test(found[2]!));
  return known ? { key: known[2], technical: message } : null;
}
