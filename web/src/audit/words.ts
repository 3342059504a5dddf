// An audit entry in words: who did it, what (its kind as a sentence), and each changed field's value.
// Pure, so that every kind and value is tested without the API.
import { STATUSES } from "../api/client";
import { isMessageKey, type MessageKey } from "../i18n/messages";
import type { AuditEntry } from "./types";
import { isAuditKind } from "./types";

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** What the words need from the app: the catalog, dates, and the names behind ids. Each lookup gives
 * null when it does not know the id (yet). */
export interface Names {
  t: Translate;
  formatDateTime: (iso: string) => string;
  person: (id: string) => string | null;
  folder: (id: string) => string | null;
  project: (id: string) => string | null;
}

/** How the API masks a secret's value (by field name or by the sealed-secret shape). */
export const SECRET = "••••";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const LONGEST = 160; // a long value (a prompt, a document) is cut: the entry says it changed, not all of it

/** Who acted: the person's name from the users list, or "System: classification". */
export function actorText(actor: AuditEntry["actor"], names: Names): string {
  if (actor.type === "person") return names.person(actor.id) ?? names.t("people.unknown");
  const key = `audit.system.${actor.id}`;
  const part = isMessageKey(key) ? names.t(key) : actor.id;
  return names.t("audit.system", { part });
}

/** What was done, as a sentence: one per kind; a kind this app does not know yet is named as it is. */
export function kindText(kind: string, t: Translate): string {
  return isAuditKind(kind) ? t(`audit.kind.${kind}`) : t("audit.kind.other", { kind });
}

/** A field's name for people: ours when we know it; `secrets.password` as "Secret: Password"; a
 * nested one (`settings.imap`) as "Settings: Incoming mail (IMAP)"; else the API's own. */
export function fieldText(field: string, t: Translate): string {
  const key = `audit.field.${field}`;
  if (isMessageKey(key)) return t(key);
  const dot = field.indexOf(".");
  if (dot > 0) {
    const [parent, child] = [field.slice(0, dot), field.slice(dot + 1)];
    if (parent === "secrets") return t("audit.field.secret_of", { name: fieldText(child, t) });
    return t("audit.field.nested", { parent: fieldText(parent, t), child: fieldText(child, t) });
  }
  return field;
}

/** An entry's summary in the language where it is a code: who filed a conversation (`rule`, `ai`). */
export function summaryText(entry: Pick<AuditEntry, "kind" | "summary">, t: Translate): string | null {
  if (!entry.summary) return null;
  const decider = `audit.decider.${entry.summary}`;
  if (entry.kind === "conversation.classified") return isMessageKey(decider) ? t(decider) : null;
  return entry.summary;
}

/** A field's value before or after: names rather than ids, statuses and dates in the language,
 * "none" for nothing, the mask kept visible as such. */
export function valueText(field: string, value: unknown, names: Names): string {
  const { t } = names;
  if (value === null || value === undefined || value === "") {
    return field === "folder_id" ? t("folders.inbox") : t("audit.value.none");
  }
  if (value === SECRET) return t("audit.value.secret");
  if (typeof value === "boolean") return t(value ? "audit.value.yes" : "audit.value.no");
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    if (field === "status" && (STATUSES as readonly string[]).includes(value)) return t(`status.${value}` as MessageKey);
    if (field === "channel" && isMessageKey(`channel.${value}`)) return t(`channel.${value}` as MessageKey);
    if (field === "role" && isMessageKey(`settings.people.role.${value}`)) return t(`settings.people.role.${value}` as MessageKey);
    if (field === "hold" && isMessageKey(`audit.hold.${value}`)) return t(`audit.hold.${value}` as MessageKey);
    if (field === "assignee_id" || field === "user_id" || field === "author_id") return names.person(value) ?? value;
    if (field === "folder_id") return names.folder(value) ?? value;
    if (field === "project_id") return names.project(value) ?? value;
    if (ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return names.formatDateTime(value);
    return cut(value);
  }
  return cut(JSON.stringify(value));
}

function cut(text: string): string {
  return text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text;
}
