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

/** Why a line of the headers field is not a header: no colon, a name a header cannot have, or a name given twice. */
export type HeaderProblem = { line: number; text: string; problem: "noColon" | "badName" | "twice" };

// A header's name: printable ASCII without spaces or colons (RFC 5322's field-name), such as List-Id.
const HEADER_NAME = /^[!-9;-~]+$/;

/** The headers typed as `Name: value` lines (blank lines skipped), or the first line that is not one. Which
 * names a message keeps is the API's to say (a 422 naming `headers.<Name>`); names are compared without case,
 * as mail compares them. */
export function parseHeaders(typed: string): { headers: Record<string, string> } | { problem: HeaderProblem } {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  const lines = typed.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const text = raw.trim();
    if (!text) continue;
    const at = { line: index + 1, text };
    const colon = text.indexOf(":");
    if (colon < 0) return { problem: { ...at, problem: "noColon" } };
    const name = text.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) return { problem: { ...at, problem: "badName" } };
    if (seen.has(name.toLowerCase())) return { problem: { ...at, problem: "twice" } };
    seen.add(name.toLowerCase());
    headers[name] = text.slice(colon + 1).trim();
  }
  return { headers };
}

/** The key of `prefix.value` when the catalogue has it (the API may add a value the app does not word yet). */
export function keyOf(prefix: string, value: string | null | undefined): MessageKey | null {
  const key = `${prefix}.${value}`;
  return value && key in en ? (key as MessageKey) : null;
}
