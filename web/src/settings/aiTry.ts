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
}): Sample {
  return {
    channel: fields.channel as Sample["channel"],
    sender: fields.sender.trim(),
    ...(fields.senderName.trim() ? { sender_name: fields.senderName.trim() } : {}),
    ...(fields.to?.trim() ? { to: fields.to.trim() } : {}),
    ...(fields.subject.trim() ? { subject: fields.subject.trim() } : {}),
    text: fields.text,
  };
}

/** The key of `prefix.value` when the catalogue has it (the API may add a value the app does not word yet). */
export function keyOf(prefix: string, value: string | null | undefined): MessageKey | null {
  const key = `${prefix}.${value}`;
  return value && key in en ? (key as MessageKey) : null;
}

// Why nothing filed the sample, as a code the catalogues word (the API says it in English, from fixed
// sentences in services/classify_decision.py): its text stays only as a technical detail.
const WHY_PATTERNS: [RegExp, string][] = [
  [/^no folder has rules for it$/, "no_rules"],
  [/^AI classification not configured$/, "ai_not_configured"],
  [/^AI classification failed\b/, "ai_failed"],
  [/^automated mail\b/, "automated"],
];

/** The code of the API's reason for a `none` or `skipped` decision, null when the app does not know it. */
export function whyOf(reason: string | null | undefined): string | null {
  return WHY_PATTERNS.find(([pattern]) => pattern.test(reason ?? ""))?.[1] ?? null;
}
