// The lookups a reply called (issue 16, item 1), in a person's words: "find_order 12345: shipped …",
// or why one failed. The API says a failure in English (inbox.models.ai_lookup.LookupCall.error); each
// kind it knows is a sentence of ours, its own words kept as a technical line when they say more.
import type { MessageKey } from "../i18n/messages";
import { failureKind } from "../settings/WebhookFailure";

export interface LookupCallShown {
  name: string;
  arguments?: Record<string, unknown>;
  ok: boolean;
  summary?: string;
  error?: string | null;
  duration_ms?: number | null;
}

// The model's own mistakes and the answer's, before the connection's (said as a webhook's are).
const LOOKUP_KINDS: [RegExp, "arguments" | "unknown" | "off" | "tooLarge" | "notJson"][] = [
  [/argument|is required|is not of type|is not one of|is over \d+ characters/i, "arguments"],
  [/no such lookup|unknown (tool|lookup|function)|not (this|the) tenant's|not offered/i, "unknown"],
  [/turned off|disabled/i, "off"],
  [/too large|larger than|over \d+ ?(KB|kB|bytes)|oversize/i, "tooLarge"],
  [/JSON|not an object/i, "notJson"],
];

/** The failure in words of ours (key and values), and the API's English words when they say more. */
export function lookupFailure(error: string | null | undefined): {
  key: MessageKey;
  values: Record<string, string>;
  technical: string | null;
} {
  const raw = (error ?? "").trim();
  const own = LOOKUP_KINDS.find(([pattern]) => pattern.test(raw))?.[1];
  if (own) return { key: `lookups.failure.${own}`, values: {}, technical: own === "arguments" ? raw : null };
  // "HTTP 404: order not found": the status in our words, the endpoint's own after it.
  const said = /^HTTP (\d+): (?!redirects)(.+)$/s.exec(raw);
  if (said) return { key: "settings.webhooks.failure.http", values: { code: said[1]! }, technical: said[2]! };
  const kind = failureKind(raw);
  const code = /^HTTP (\d+)/.exec(raw)?.[1] ?? "";
  return {
    key: `settings.webhooks.failure.${kind}`,
    values: { code },
    technical: (kind === "other" || kind === "refused") && raw ? raw : null,
  };
}

/** What a call was asked for, as its values ("12345"; "12345, FR" for two). */
export function argumentsText(args: Record<string, unknown> | undefined): string {
  return Object.values(args ?? {})
    .map((value) => (typeof value === "string" ? value : JSON.stringify(value)))
    .join(", ");
}

/** An answered call's line after its name: the API's summary without the name it starts with, else the
 * values asked for. */
export function answeredText(call: LookupCallShown): string {
  const summary = (call.summary ?? "").trim();
  if (!summary) return argumentsText(call.arguments);
  return summary.startsWith(`${call.name} `) || summary.startsWith(`${call.name}:`)
    ? summary.slice(call.name.length).replace(/^ /, "")
    : summary;
}
