import type { Channel, Schemas } from "../api/client";
import type { MessageKey } from "../i18n/messages";

type Draft = Schemas["DraftOut"];
export type DraftStatus = Schemas["DraftStatus"];
export type HoldReason = Schemas["HoldReason"];

/** Why the loop guard gave no automatic reply (inbox.domain.autoreply.reasons.RefusalReason). These
 * lists give the app an order to word them in; tests/unit/test_web_draft_reasons.py checks them
 * against the Python enums. */
export const REFUSAL_REASONS = [
  "not_customer_message",
  "conversation_spam",
  "conversation_archived",
  "no_recipient",
  "own_address",
  "automated_mail",
  "automated_sender",
  "whatsapp_window_closed",
  "already_answered",
  "previous_send_failed",
  "no_human_reply_since_last_auto",
  "recent_reply",
  "rate_limited_recipient",
] as const;

/** The auto-reply's other reasons (inbox.models.draft.OutcomeReason): nothing written or sent, or a
 * send that failed. */
export const OUTCOME_REASONS = [
  "ai_not_configured",
  "company_prompt_missing",
  "interrupted_while_sending",
  "superseded",
  "auto_reply_off",
  "send_failed",
  "ai_refused",
  "gave_up",
] as const;

// Typed by the generated API types: a status or hold reason the API adds fails `tsc` here.
const HOLDS: Record<HoldReason, true> = {
  low_confidence: true,
  needs_person: true,
  unknown_link: true,
  unknown_phone: true,
  too_long: true,
  lookup_failed: true,
};
export const HOLD_REASONS = Object.keys(HOLDS) as HoldReason[];

export type DraftReason = (typeof REFUSAL_REASONS)[number] | (typeof OUTCOME_REASONS)[number] | HoldReason;
export const DRAFT_REASONS: readonly DraftReason[] = [...REFUSAL_REASONS, ...OUTCOME_REASONS, ...HOLD_REASONS];

export const STATUS_KEYS: Record<DraftStatus, MessageKey> = {
  writing: "drafts.status.writing",
  sending: "drafts.status.sending",
  pending: "drafts.status.pending",
  sent: "drafts.status.sent",
  discarded: "drafts.status.discarded",
  refused: "drafts.status.refused",
  not_configured: "drafts.status.not_configured",
  failed: "drafts.status.failed",
};

export function reasonKey(reason: DraftReason): MessageKey {
  return `drafts.reason.${reason}` as MessageKey;
}

export function isDraftReason(value: string): value is DraftReason {
  return (DRAFT_REASONS as readonly string[]).includes(value);
}

/** The characters a channel takes before a reply is held as too long (inbox.domain.reply_prompt). */
const CHANNEL_LIMITS: Partial<Record<Channel, number>> = { sms: 320, whatsapp: 4096 };

export interface ReasonText {
  key: MessageKey;
  values: Record<string, string | number>;
}

/** What a draft's reason says in the interface's words, with what it names (a percentage, the links
 * found, the model's own line); null without a reason. `thresholdPercent`: the folder's minimum
 * confidence, when known. */
export function draftReason(
  draft: Pick<Draft, "status" | "reason" | "detail" | "confidence" | "ai_reason" | "text">,
  context: { channel: Channel; thresholdPercent?: number | null },
): ReasonText | null {
  const reason = draft.reason;
  if (!reason) return null;
  if (!isDraftReason(reason)) return { key: "drafts.reason.other", values: { reason } };
  const detail = draft.detail ?? "";
  const values: Record<string, string | number> = {};
  switch (reason) {
    case "low_confidence": {
      values.confidence = percent(draft.confidence ?? 0);
      const said = /under the folder's ([\d.]+)/.exec(detail);
      values.threshold = context.thresholdPercent ?? (said ? percent(Number(said[1])) : "?");
      break;
    }
    case "needs_person":
      values.why = draft.ai_reason ?? "";
      break;
    case "unknown_link":
    case "unknown_phone":
      values.items = namedIn(detail);
      break;
    case "lookup_failed":
      // "find_order: timed out; find_booking: HTTP 500; also low_confidence: …": the lookups named
      // before each colon, up to the other holds
      values.names = detail
        .split("; also ")[0]!
        .split("; ")
        .map((part) => part.split(":")[0]!.trim())
        .filter(Boolean)
        .join(", ");
      break;
    case "too_long": {
      values.length = (draft.text ?? "").length;
      const said = /over the (\d+)/.exec(detail);
      values.limit = CHANNEL_LIMITS[context.channel] ?? (said ? Number(said[1]) : "?");
      break;
    }
  }
  return { key: reasonKey(reason), values };
}

export function percent(share: number): number {
  return Math.round(share * 100);
}

/** What a hold's detail names after its colon (the links or numbers), without the other holds it adds
 * ("; also …"). */
function namedIn(detail: string): string {
  const first = detail.split("; also ")[0] ?? "";
  const colon = first.indexOf(": ");
  return colon === -1 ? first : first.slice(colon + 2);
}
