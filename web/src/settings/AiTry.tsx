import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useFieldErrors } from "../forms/FieldError";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { DraftLookups } from "../inbox/DraftLookups";
import { draftReason, percent } from "../inbox/draftReasons";
import {
  KEPT_HEADERS,
  keyOf,
  parseHeaders,
  sampleOf,
  useTryAi,
  WHY_UNFILED,
  type HeaderProblem,
  type TryDecision,
  type TryReply,
  type TryResult,
} from "./aiTry";

const CHANNELS = ["email", "sms", "whatsapp", "custom"] as const;
const MAX_TEXT = 10_000;
// The fields a 422 may name that have a place in the form; another one is said under the form.
const FORM_FIELDS = ["channel", "sender", "sender_name", "to", "subject", "text", "headers"] as const;

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
  const [to, setTo] = useState("");
  const [subject, setSubject] = useState("");
  const [text, setText] = useState("");
  const [typedHeaders, setTypedHeaders] = useState("");
  const [headerProblem, setHeaderProblem] = useState<HeaderProblem | null>(null);
  const [leftOut, setLeftOut] = useState<string[]>([]); // headers of the block a message does not keep
  const headersField = useRef<HTMLTextAreaElement>(null);
  const headersHint = `${id}-headers-hint`;
  const hintOf = (name: string) => (name === "headers" ? headersHint : undefined);
  const { invalid, fieldError, general } = useFieldErrors(tryAi.isError ? tryAi.error : null, FORM_FIELDS, { hintOf });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Only an email carries headers; a line that is not `Name: value` is said next to the field, nothing sent.
    const parsed = channel === "email" ? parseHeaders(typedHeaders) : { headers: {}, setAside: [] };
    if ("problem" in parsed) {
      tryAi.reset();
      setLeftOut([]);
      setHeaderProblem(parsed.problem);
      headersField.current?.focus();
      return;
    }
    setHeaderProblem(null);
    setLeftOut(parsed.setAside);
    const headers = parsed.headers;
    tryAi.mutate(sampleOf({ channel, sender, senderName, to: channel === "custom" ? "" : to, subject, text, headers }));
  };
  const problemId = `${id}-headers-problem`;
  const phone = channel === "sms" || channel === "whatsapp";
  return (
    <section aria-labelledby={`${id}-title`} className="ai-try">
      <h2 id={`${id}-title`}>{t("settings.aiTry.title")}</h2>
      <p className="muted">{t("settings.aiTry.intro")}</p>
      <form className="settings-form ai-try-form" onSubmit={submit}>
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
        {fieldError("channel")}
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
        {fieldError("sender")}
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
        {fieldError("sender_name")}
        {/* Rules on `to` see the address or number written to; a custom webhook's message has none. */}
        {channel !== "custom" && (
          <>
            <label>
              {t("settings.aiTry.to")}
              <input
                name="to"
                maxLength={320}
                type={phone ? "tel" : "text"}
                autoComplete="off"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                {...invalid("to")}
              />
              <span className="muted hint">{t(phone ? "settings.aiTry.toHintPhone" : "settings.aiTry.toHintEmail")}</span>
            </label>
            {fieldError("to")}
          </>
        )}
        <label>
          {t("settings.aiTry.subject")}
          <input name="subject" maxLength={1000} value={subject} onChange={(e) => setSubject(e.target.value)} {...invalid("subject")} />
        </label>
        {fieldError("subject")}
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
        {fieldError("text")}
        {/* Mail headers, for rules on `header:<Name>` and the automated-mail detection (Auto-Submitted, List-Id). */}
        {channel === "email" && (
          <>
            <label>
              {t("settings.aiTry.headers")}
              <textarea
                name="headers"
                ref={headersField}
                rows={3}
                spellCheck={false}
                autoComplete="off"
                placeholder="Auto-Submitted: auto-replied"
                value={typedHeaders}
                onChange={(e) => {
                  setTypedHeaders(e.target.value);
                  setHeaderProblem(null);
                  setLeftOut([]);
                }}
                {...(headerProblem
                  ? { "aria-invalid": true, "aria-describedby": `${headersHint} ${problemId}` }
                  : invalid("headers"))}
              />
            </label>
            {headerProblem ? (
              <p id={problemId} role="alert" className="error field-error">
                {t(`settings.aiTry.headersProblem.${headerProblem.problem}`, {
                  line: headerProblem.line,
                  text: headerProblem.text,
                })}
              </p>
            ) : (
              fieldError("headers")
            )}
            {leftOut.length > 0 && (
              <p role="status" className="muted ai-try-left-out">
                {t("settings.aiTry.headersLeftOut", { names: leftOut.join(", ") })}
              </p>
            )}
            <p id={headersHint} className="muted hint">
              {t("settings.aiTry.headersHint")}
            </p>
            {/* On demand, not in the field's description: a screen reader would read the whole list at each visit. */}
            <details className="ai-try-kept-headers">
              <summary>{t("settings.aiTry.keptHeaders")}</summary>
              <p className="muted">{KEPT_HEADERS.join(", ")}</p>
            </details>
          </>
        )}
        <div className="form-actions">
          <button type="submit" disabled={tryAi.isPending}>
            {tryAi.isPending ? t("settings.aiTry.trying") : t("settings.aiTry.submit")}
          </button>
        </div>
        {general && (
          <p role="alert" className="error">
            {general}
          </p>
        )}
      </form>
      {/* The channel the try was made with: the form's may have changed since (a reply's limits depend on it). */}
      {tryAi.data && <TryOutcome result={tryAi.data} channel={tryAi.variables?.channel ?? channel} />}
    </section>
  );
}

function TryOutcome({ result, channel }: { result: TryResult; channel: string }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  // A new result takes the focus, so its reader starts there; only one line of it is announced.
  useEffect(() => heading.current?.focus(), [result]);
  return (
    <div className="ai-try-result">
      <h3 tabIndex={-1} ref={heading}>
        {t("settings.aiTry.result")}
      </h3>
      <p role="status" className="ai-try-summary">
        {summary(result, t)}
      </p>
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
  // A code the API added since this build (not in the map) reads as one with no words of its own.
  const whyKey = decision.reason_code ? (WHY_UNFILED[decision.reason_code] ?? null) : null;
  // Without words of its own, the technical detail says why; without that either, that no reason was given.
  const why = whyKey ? t(whyKey) : reason ? t("settings.aiTry.why.unknown") : t("settings.aiTry.why.unsaid");
  // Why nothing filed it is worded by the API's reason_code; its English reason is kept as a marked detail.
  const technical = reason && decision.decider !== "ai" && (
    <span className="muted ai-try-technical">
      {" "}
      {t("settings.aiTry.technicalDetail")} <span lang="en">{reason}</span>
    </span>
  );
  const decidedBy =
    decision.decider === "rule" ? (
      t("settings.aiTry.decider.rule", { folder: decision.folder_name ?? "" })
    ) : decision.decider === "ai" ? (
      <>
        {t("settings.aiTry.decider.aiLabel")} <span lang="en">{reason}</span>
      </>
    ) : decision.decider === "skipped" ? (
      <>
        {t("settings.aiTry.decider.skipped", { reason: why })}
        {technical}
      </>
    ) : (
      <>
        {t("settings.aiTry.decider.none", { reason: why })}
        {technical}
      </>
    );
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
        {decidedBy}
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
          <p>
            <span className="draft-confidence">{t("drafts.confidence", { percent: percent(proposal.confidence) })}</span>
          </p>
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

/** The one line announced when a result arrives: where it would go and what the reply would do. */
function summary(result: TryResult, t: Translate): string {
  const folder = result.decision.folder_name;
  const where = folder ? t("settings.aiTry.summary.folder", { folder }) : t("settings.aiTry.summary.inbox");
  const outcome = result.reply.outcome;
  const what =
    outcome === "send"
      ? t("settings.aiTry.summary.send")
      : outcome === "hold"
        ? t("settings.aiTry.summary.hold")
        : t("settings.aiTry.summary.none");
  return `${where} ${what}`;
}
