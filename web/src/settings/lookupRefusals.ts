// The lookup form's usual refusals in the reader's words (issue 16 review, web #12): the API says them in
// English, from fixed sentences (adapters/outbound.py's guard, models/ai_lookup.py, the name pattern), and
// for an admin who is not technical these few reasons are the whole story. Their text stays as a detail.
import { ApiError } from "../api/client";
import { splitField } from "../api/errorText";
import type { MessageKey } from "../i18n/messages";

const REFUSALS: [status: number, field: string, pattern: RegExp, key: MessageKey][] = [
  [422, "endpoint", /must be an https URL/, "settings.lookups.refused.https"],
  [422, "endpoint", /which this deployment does not connect to/, "settings.lookups.refused.private"],
  [422, "endpoint", /is not a valid host name/, "settings.lookups.refused.host"],
  [422, "endpoint", /^must /, "settings.lookups.refused.url"],
  // A name is its tenant's alone: another lookup holding it is a conflict (409), not bad input.
  [409, "name", /another lookup is named/, "settings.lookups.refused.nameTaken"],
  // Two saves of the same name at once (services/ai_lookups.py's LookupNameBusyError): saving again settles it.
  [409, "name", /being saved at the same moment/, "settings.lookups.refused.nameBusy"],
  [422, "name", /should match pattern/i, "settings.lookups.refused.namePattern"],
  [422, "parameters", /type must be one of/, "settings.lookups.refused.parameterType"],
  [422, "parameters", /a name is letters, digits and _/, "settings.lookups.refused.parameterName"],
];

/** The statuses whose message names a field of the lookup form (`name: another lookup is named x`). */
export const LOOKUP_FIELD_STATUSES = [422, 409] as const;

/** The worded reason of a 422 (or the 409 of a name taken) on the lookup form, with the API's own text as
 * its technical detail; null when it is not one the app knows (then the general wording says it). */
export function lookupRefusal(error: unknown): { key: MessageKey; technical: string } | null {
  if (!(error instanceof ApiError)) return null;
  const message = (error.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const found = splitField(message);
  if (!found) return null;
  const field = found.field.split(/[.[]/)[0]!;
  const known = REFUSALS.find(
    ([status, name, pattern]) => status === error.status && name === field && pattern.test(found.detail),
  );
  return known ? { key: known[3], technical: message } : null;
}
