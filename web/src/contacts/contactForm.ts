import { ApiError } from "../api/client";
import { refusedField as refusedFieldOf } from "../api/errorText";
import type { Contact } from "./queries";

/** A contact as people call it: its name, else its first email or phone; null when it has none. */
export function contactLabel(contact: Pick<Contact, "name" | "emails" | "phones">): string | null {
  return contact.name || contact.emails[0] || contact.phones[0] || null;
}

/** The addresses or numbers typed in a box, one a line (commas and semicolons split too). */
export function linesOf(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** An address that another contact has, from PATCH's 409 ("emails[1]: a@b.fr is contact X's; merge…"):
 * which field, the value, and the contact to merge with. */
export interface ClaimedIdentity {
  field: string;
  value: string;
  contactId: string;
}

const CLAIMED = /^((?:emails|phones)\[\d+\]): (\S+) is contact (\S+)'s;/;

export function claimedIdentity(error: unknown): ClaimedIdentity | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const message = (error.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const match = CLAIMED.exec(message);
  return match ? { field: match[1]!, value: match[2]!, contactId: match[3]! } : null;
}

/** The field a 422 names ("emails[1]: is not an email address" -> "emails[1]"), if any. */
export function refusedField(error: unknown): string | null {
  return refusedFieldOf(error);
}
