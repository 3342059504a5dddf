// A folder's nudge refused for its placeholders (issue 16, second session): the API says it in English on the
// field (`nudge.text` or `nudge.template.parameters.<n>`), from two fixed sentences in
// layers/common/inbox/services/nudges.py (`_refuse_unfillable`); the form says it next to that field, worded.
import { ApiError, type Schemas } from "../api/client";
import { splitField } from "../api/errorText";
import type { MessageKey } from "../i18n/messages";

export interface NudgeRefusal {
  /** "text", or the template parameter's index (0-based, as the API counts). */
  field: "text" | number;
  key: MessageKey;
  /** The placeholders named, braces and all: `{{agent.name}}`. */
  names: string;
}

const REASONS: [pattern: RegExp, key: MessageKey][] = [
  [/^has placeholders a nudge cannot fill/, "settings.nudge.refused.sender"],
  [/^has placeholders we do not know/, "settings.nudge.refused.unknown"],
];

/** The nudge's refused placeholders in a save's error; null for any other error (said as usual). */
export function nudgeRefusal(error: unknown): NudgeRefusal | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const message = (error.body as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const named = splitField(message);
  const found = named && /^nudge\.(text|template\.parameters\.(\d+))$/.exec(named.field);
  if (!named || !found) return null;
  const known = REASONS.find(([pattern]) => pattern.test(named.detail));
  if (!known) return null;
  const names = (named.detail.match(/\{\{[^}]*\}\}/g) ?? []).join(", ");
  return { field: found[2] === undefined ? "text" : Number(found[2]), key: known[1], names };
}

/** Whether the nudge's fieldset says `error` next to its field (then the form does not say it again): the text
 * always shows, a template parameter only while that template is on screen (an automatic nudge that is on). */
export function saidByNudge(error: unknown, nudge: Schemas["Nudge"]): boolean {
  const refusal = nudgeRefusal(error);
  if (refusal === null) return false;
  if (refusal.field === "text") return true;
  return Boolean(nudge.enabled && nudge.mode === "automatic" && refusal.field < (nudge.template?.parameters?.length ?? 0));
}
