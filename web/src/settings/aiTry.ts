// Settings → AI → Try before it answers (issue 16, item 3): a sample message sent to POST /inbox/ai/try,
// which stores and sends nothing; what it answers is shown, never cached.
import { useMutation } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";
import { en, type MessageKey } from "../i18n/messages";

export type Sample = Schemas["AiTryIn"];
export type TryResult = Schemas["AiTryOut"];
export type TryDecision = Schemas["TryDecision"];
export type TryReply = Schemas["TryReply"];

export function useTryAi() {
  const api = useApi();
  return useMutation({
    mutationFn: async (body: Sample) => dataOf(await api.POST("/inbox/ai/try", { body })),
  });
}

/** The sample as the API takes it: optional fields left out when empty. */
export function sampleOf(fields: {
  channel: string;
  sender: string;
  senderName: string;
  to?: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}): Sample {
  return {
    channel: fields.channel as Sample["channel"],
    sender: fields.sender.trim(),
    ...(fields.senderName.trim() ? { sender_name: fields.senderName.trim() } : {}),
    ...(fields.to?.trim() ? { to: fields.to.trim() } : {}),
    ...(fields.subject.trim() ? { subject: fields.subject.trim() } : {}),
    text: fields.text,
    ...(fields.headers && Object.keys(fields.headers).length ? { headers: fields.headers } : {}),
  };
}

/** The mail headers a message keeps, as mail writes them, to list under the headers field: the API's
 * KEPT_HEADERS (layers/common/inbox/domain/inbound_limits.py) without `context`, which is WhatsApp's, not
 * a mail header. AiTry.test holds the two lists alike. */
export const KEPT_HEADERS = [
  "Auto-Submitted",
  "Content-Language",
  "Delivered-To",
  "Importance",
  "In-Reply-To",
  "List-Id",
  "List-Unsubscribe",
  "Organization",
  "Precedence",
  "Priority",
  "References",
  "Reply-To",
  "Return-Path",
  "Sender",
  "User-Agent",
  "X-Auto-Response-Suppress",
  "X-Autoreply",
  "X-Autorespond",
  "X-Failed-Recipients",
  "X-Forwarded-For",
  "X-Forwarded-To",
  "X-Loop",
  "X-Mailer",
  "X-Original-To",
  "X-Priority",
  "X-Spam-Flag",
  "X-Spam-Status",
] as const;

/** Why a line of the headers field is not a header: no colon, no name before it, a name a header cannot have,
 * or a name given twice. */
export type HeaderProblem = { line: number; text: string; problem: "noColon" | "emptyName" | "badName" | "twice" };

// A header's name: printable ASCII without spaces or colons (RFC 5322's field-name), such as List-Id.
const HEADER_NAME = /^[!-9;-~]+$/;

const KEPT = new Set<string>(KEPT_HEADERS.map((name) => name.toLowerCase()));

/** The headers typed or pasted as `Name: value` lines (blank lines skipped, a line starting with a space or a
 * tab continuing the header above, as mail folds them), or the first line that is not one. Headers a message
 * does not keep (Received, DKIM-Signature… of a real mail's header block) are set aside by name, not sent: no
 * rule can see them. Names are compared without case, as mail compares them. */
export function parseHeaders(
  typed: string,
): { headers: Record<string, string>; setAside: string[] } | { problem: HeaderProblem } {
  const headers: Record<string, string> = {};
  const setAside: string[] = [];
  const seen = new Set<string>();
  let last: string | null = null; // the kept header a folded line continues; "" after a set-aside one
  for (const [index, raw] of typed.split(/\r?\n/).entries()) {
    const text = raw.trim();
    if (!text) {
      last = null; // a blank line ends what a folded line could continue
      continue;
    }
    if (last !== null && /^[ \t]/.test(raw)) {
      if (last) headers[last] = `${headers[last]} ${text}`.trim();
      continue;
    }
    const at = { line: index + 1, text };
    const colon = text.indexOf(":");
    if (colon < 0) return { problem: { ...at, problem: "noColon" } };
    const name = text.slice(0, colon).trim();
    if (!name) return { problem: { ...at, problem: "emptyName" } };
    if (!HEADER_NAME.test(name)) return { problem: { ...at, problem: "badName" } };
    if (!KEPT.has(name.toLowerCase())) {
      if (!setAside.some((other) => other.toLowerCase() === name.toLowerCase())) setAside.push(name);
      last = "";
      continue;
    }
    if (seen.has(name.toLowerCase())) return { problem: { ...at, problem: "twice" } };
    seen.add(name.toLowerCase());
    headers[name] = text.slice(colon + 1).trim();
    last = name;
  }
  return { headers, setAside };
}

/** The key of `prefix.value` when the catalogue has it (the API may add a value the app does not word yet). */
export function keyOf(prefix: string, value: string | null | undefined): MessageKey | null {
  const key = `${prefix}.${value}`;
  return value && key in en ? (key as MessageKey) : null;
}

/** Why nothing filed a sample, by the API's reason_code: the words the app has for it, or null where the
 * API's technical detail says it (codes a try does not give: a person filed it, a re-sort). Typed by the
 * API's codes, so a new one fails tsc until it is listed here. */
export const WHY_UNFILED: Record<Schemas["UnfiledReason"], MessageKey | null> = {
  automated: "settings.aiTry.why.automated",
  no_rules: "settings.aiTry.why.no_rules",
  ai_not_configured: "settings.aiTry.why.ai_not_configured",
  ai_failed: "settings.aiTry.why.ai_failed",
  filed_by_person: null,
  ai_choice_stands: null,
  rules_only: null,
};
