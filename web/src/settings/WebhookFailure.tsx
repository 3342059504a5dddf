// Why a webhook delivery failed, in the person's language. The API gives its reason in English words
// (adapters/webhook_http.py: "refused: …", "HTTP 500", "connection refused", …): each known one is a
// sentence of ours; an unknown one a sentence of ours too, its English words only as a technical line.
import { useI18n } from "../i18n/i18n";

type T = ReturnType<typeof useI18n>["t"];

export type FailureKind =
  | "refused"
  | "timeout"
  | "tls"
  | "dns"
  | "connectionRefused"
  | "connectionFailed"
  | "redirect"
  | "http"
  | "other";

const KINDS: [RegExp, FailureKind][] = [
  [/^refused:/, "refused"],
  [/^no (complete )?answer within/, "timeout"],
  [/^TLS failed/, "tls"],
  [/^the host name does not resolve/, "dns"],
  [/^connection refused/, "connectionRefused"],
  [/^the connection failed/, "connectionFailed"],
  [/^HTTP \d+: redirects/, "redirect"],
  [/^HTTP \d+$/, "http"],
];

export function failureKind(error: string): FailureKind {
  return KINDS.find(([pattern]) => pattern.test(error))?.[1] ?? "other";
}

/** The reason in words of ours, and the API's own words when they are not known (else null). */
export function webhookFailure(error: string | null | undefined, t: T): { reason: string; technical: string | null } {
  const raw = (error ?? "").trim();
  const kind = failureKind(raw);
  const code = /^HTTP (\d+)/.exec(raw)?.[1] ?? "";
  return {
    reason: t(`settings.webhooks.failure.${kind}`, { code }),
    technical: kind === "other" && raw ? raw : null,
  };
}

/** The API's words, apart from our sentence, marked as English. */
export function TechnicalLine({ text }: { text: string | null }) {
  const { t } = useI18n();
  if (!text) return null;
  return (
    <span className="muted webhook-technical">
      {" "}
      {t("settings.webhooks.technicalDetail")} <span lang="en">{text}</span>
    </span>
  );
}
