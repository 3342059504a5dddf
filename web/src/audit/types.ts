// The audit's entries as the API gives them (GET /inbox/audit, GET /inbox/conversations/{id}/history).
import type { Schemas } from "../api/client";
export type AuditEntry = Schemas["AuditEntry"];
export type AuditPage = Schemas["AuditPage"];
export type AuditChange = Schemas["AuditChangeOut"];
export type AuditKind = Schemas["AuditKind"];

/** Every kind of entry the API records (its AuditKind), in the order the kind filter offers them:
 * what people do, then what the system does. */
export const PERSON_KINDS = [
  "message.replied",
  "message.noted",
  "conversation.status",
  "conversation.assigned",
  "conversation.moved",
  "conversation.project",
  "conversation.snoozed",
  "conversation.deleted",
  "settings.changed",
  "integration.changed",
  "folder.changed",
  "user.changed",
  "knowledge.changed",
  "webhook.changed",
  "ai_lookup.changed",
  "saved_reply.changed",
  "task.changed",
  "follow_up.changed",
] as const satisfies readonly AuditKind[];
export const SYSTEM_KINDS = [
  "conversation.classified",
  "auto_reply.sent",
  "auto_reply.held",
  "follow_up.fired",
  "sync.failed",
] as const satisfies readonly AuditKind[];
export const AUDIT_KINDS: readonly AuditKind[] = [...PERSON_KINDS, ...SYSTEM_KINDS];

export function isAuditKind(kind: string): kind is AuditKind {
  return (AUDIT_KINDS as readonly string[]).includes(kind);
}
