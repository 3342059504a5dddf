import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { DraftLookups } from "../inbox/DraftLookups";
import { draftReason, percent } from "../inbox/draftReasons";
import { fieldNamed, keyOf, sampleOf, useTryAi, type TryDecision, type TryReply, type TryResult } from "./aiTry";

const CHANNELS = ["email", "sms", "whatsapp", "custom"] as const;
const MAX_TEXT = 10_000;

/** Settings → AI → Try before it answers (issue 16, item 3): type a message as a customer would, see the
 * folder it would go to and who decided, its intent and urgency, and the reply the folder's auto-reply
 * would write and whether it would go out by itself. Nothing is stored or sent. */
export function AiTry() {
  const { t } = useI18n();
  const tryAi = useTryAi();
  const id = useId();
  const [channel, setChannel] = useState<string>("email");
  const [sender, setSender] = useState("");
  const [senderName, setSenderName] = useState("");
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const errorId = `${id}-error`;
  const refused = tryAi.error instanceof ApiError ? (tryAi.error.body as { error?: { message?: string } }) : undefined;
  const badField = tryAi.isError ? fieldNamed(refused?.error?.message) : null;
  const invalid = (name: string) =>
    badField === name ? { "aria-invalid": true as const, "aria-describedby": errorId } : {};

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    tryAi.mutate(sampleOf({ channel, sender, senderName, subject, text }));
  };
  const phone = channel === "sms" || channel === "whatsapp";
  return (
    <section aria-labelledby={`${id}-title`} className="ai-try">
      <h2 id={`${id}-title`}>{t("settings.aiTry.title")}</h2>
      <p className="muted">{t("settings.aiTry.intro")}</p>
      <form className="settings-form ai-try-form" onSubmit={submit} aria-describedby={tryAi.isError ? errorId : undefined}>
        <label>
          {t("settings.aiTry.channel")}
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value)} {...invalid("channel")}>
            {CHANNELS.map((each) => (
              <option key={each} value={each}>
                {t(`channel.${each}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("settings.aiTry.sender")}
          <input
            name="sender"
            required
            maxLength={320}
            type={phone ? "tel" : "text"}
            autoComplete="off"
            placeholder={phone ? "+33612345678" : "claire@example.com"}
            value={sender}
            onChange={(e) => setSender(e.target.value)}
            {...invalid("sender")}
          />
          <span className="muted hint">{t(phone ? "settings.aiTry.senderHintPhone" : "settings.aiTry.senderHintEmail")}</span>
        </label>
        <label>
          {t("settings.aiTry.senderName")}
          <input
            name="sender_name"
            maxLength={100}
            autoComplete="off"
            value={senderName}
            onChange={(e) => setSenderName(e.target.value)}
            {...invalid("sender_name")}
          />
        </label>
        <label>
          {t("settings.aiTry.subject")}
          <input name="subject" maxLength={1000} value={subject} onChange={(e) => setSubject(e.target.value)} {...invalid("subject")} />
        </label>
        <label>
          {t("settings.aiTry.text")}
          <textarea
            name="text"
            required
            rows={4}
            maxLength={MAX_TEXT}
            value={text}
            onChange={(e) => setText(e.target.value)}
            {...invalid("text")}
          />
        </label>
        <div className="form-actions">
          <button type="submit" disabled={tryAi.isPending}>
            {tryAi.isPending ? t("settings.aiTry.trying") : t("settings.aiTry.submit")}
          </button>
        </div>
        {tryAi.isError && (
          <p role="alert" id={errorId} className="error">
            {apiErrorText(tryAi.error, t)}
          </p>
        )}
      </form>
      <div aria-live="polite">{tryAi.data && <TryOutcome result={tryAi.data} channel={channel} />}</div>
    </section>
  );
}

function TryOutcome({ result, channel }: { result: TryResult; channel: string }) {
  const { t } = useI18n();
  return (
    <div className="ai-try-result">
      <h3>{t("settings.aiTry.result")}</h3>
      <Decision decision={result.decision} />
      <Reply reply={result.reply} channel={channel} />
      {result.not_checked.length > 0 && (
        <div className="ai-try-not-checked">
          <p className="muted">{t("settings.aiTry.notChecked")}</p>
          <ul className="muted">
            {result.not_checked.map((rule) => {
              const key = keyOf("settings.aiTry.rule", rule);
              return <li key={rule}>{key ? t(key) : rule}</li>;
            })}
          </ul>
        </div>
      )}
      <p className="muted ai-try-nothing">{t("settings.aiTry.nothingStored")}</p>
    </div>
  );
}

function Decision({ decision }: { decision: TryDecision }) {
  const { t } = useI18n();
  const reason = decision.reason ?? "";
  const decidedBy =
    decision.decider === "rule"
      ? t("settings.aiTry.decider.rule", { folder: decision.folder_name ?? "" })
      : t(`settings.aiTry.decider.${decision.decider}` as MessageKey, { reason });
  const asked = decision.decider === "ai";
  const word = (prefix: string, value: string | null | undefined) => {
    const key = keyOf(prefix, value);
    return key ? t(key) : (value ?? "");
  };
  return (
    <dl className="ai-try-decision">
      <dt>{t("settings.aiTry.folder")}</dt>
      <dd className="ai-try-folder">{decision.folder_name ?? t("settings.aiTry.inbox")}</dd>
      <dt>{t("settings.aiTry.decidedBy")}</dt>
      <dd className="ai-try-decider" data-decider={decision.decider}>
        {decision.decider === "ai" ? <span lang="en">{decidedBy}</span> : decidedBy}
      </dd>
      <dt>{t("settings.aiTry.intent")}</dt>
      <dd className="ai-try-intent">{asked ? word("settings.aiTry.intentOf", decision.intent) : t("settings.aiTry.notAsked")}</dd>
      <dt>{t("settings.aiTry.urgency")}</dt>
      <dd className="ai-try-urgency">
        {asked ? word("settings.aiTry.urgencyOf", decision.urgency) : t("settings.aiTry.notAsked")}
        {asked && decision.confidence && (
          <span className="muted"> · {t("settings.aiTry.aiConfidence", { level: word("settings.aiTry.confidenceOf", decision.confidence) })}</span>
        )}
      </dd>
      {(decision.status === "urgent" || decision.status === "spam") && (
        <>
          <dt>{t("settings.aiTry.status")}</dt>
          <dd className="ai-try-status">{t(`settings.aiTry.status.${decision.status}`)}</dd>
        </>
      )}
    </dl>
  );
}

function Reply({ reply, channel }: { reply: TryReply; channel: string }) {
  const { t } = useI18n();
  const proposal = reply.proposal ?? null;
  return (
    <div className="ai-try-reply" data-outcome={reply.outcome}>
      <h4>{t("settings.aiTry.reply")}</h4>
      <p className="ai-try-verdict">{verdict(reply, channel, t)}</p>
      {proposal && (
        <>
          <p className="draft-confidence">{t("drafts.confidence", { percent: percent(proposal.confidence) })}</p>
          <p className="draft-text message-text ai-try-text" lang={proposal.language}>
            {proposal.text}
          </p>
          {(proposal.passages ?? []).length > 0 && (
            <details className="draft-passages">
              <summary>{t("drafts.passages", { count: proposal.passages!.length })}</summary>
              <ul>
                {proposal.passages!.map((passage) => (
                  <li key={passage.passage_id}>
                    <strong>{passage.title}</strong> {passage.text}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <DraftLookups lookups={proposal.lookups} />
        </>
      )}
    </div>
  );
}

type Translate = ReturnType<typeof useI18n>["t"];

/** What the auto-reply would do, in the interface's words: its outcome and why. */
function verdict(reply: TryReply, channel: string, t: Translate): string {
  if (reply.outcome === "send") return t("settings.aiTry.outcome.send");
  const own = keyOf("settings.aiTry.reason", reply.reason);
  const proposal = reply.proposal ?? null;
  const said = own
    ? { key: own, values: {} }
    : draftReason(
        {
          status: "pending",
          reason: (reply.reason ?? null) as Parameters<typeof draftReason>[0]["reason"],
          detail: reply.detail ?? null,
          confidence: proposal?.confidence ?? null,
          ai_reason: proposal?.reason ?? null,
          text: proposal?.text ?? null,
        },
        { channel: channel as Parameters<typeof draftReason>[1]["channel"] },
      );
  const reason = said ? t(said.key, said.values) : (reply.detail ?? "");
  return t(`settings.aiTry.outcome.${reply.outcome}` as MessageKey, { reason });
}
