import { useState, type FormEvent } from "react";
import type { Conversation } from "../api/client";
import { apiErrorText, refusedField } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { SectionHead } from "../inbox/SectionHead";
import { FollowUpSavedReply, withSavedReply } from "../savedReplies/FollowUpSavedReply";
import { FollowUpTemplate } from "../templates/FollowUpTemplate";
import type { TemplateChoice } from "../templates/queries";
import { useCancelFollowUp, useCreateFollowUp, useFollowUps, type FollowUp, type FollowUpAction } from "./queries";
import { fromLocalInput, presetTime, toLocalInput } from "./time";

export const ACTIONS: readonly FollowUpAction[] = ["remind", "reopen", "send", "draft"];

/** The conversation's follow-ups ("relances"): the scheduled ones, cancellable, what became of the
 * others, and "Follow up", a form for a new one (when, what to do, a text, only if no answer). */
export function FollowUps({ conversation }: { conversation: Conversation }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const followUps = useFollowUps(conversation.id);
  const items = followUps.data ?? [];
  return (
    <section className="follow-ups" aria-labelledby="follow-ups-title">
      <SectionHead
        className="follow-ups-head"
        titleId="follow-ups-title"
        title={t("followups.title")}
        buttonName="follow-up"
        formId="follow-up-form"
        open={open}
        showLabel={t("followups.new")}
        hideLabel={t("followups.hideForm")}
        onToggle={() => {
          setOpen((was) => !was);
          setDone(null);
        }}
      />
      {open && (
        <FollowUpForm
          conversation={conversation}
          onScheduled={(when) => {
            setOpen(false);
            setDone(when);
          }}
        />
      )}
      {done && (
        <p role="status" className="muted">
          {t("followups.scheduled", { when: done })}
        </p>
      )}
      {followUps.isError && <p className="error">{apiErrorText(followUps.error, t)}</p>}
      {items.length > 0 && (
        <ul className="follow-up-list">
          {items.map((followUp) => (
            <FollowUpItem key={followUp.id} conversationId={conversation.id} followUp={followUp} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FollowUpForm({ conversation, onScheduled }: { conversation: Conversation; onScheduled: (when: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const create = useCreateFollowUp(conversation.id);
  const [when, setWhen] = useState(() => toLocalInput(presetTime("tomorrow", new Date())));
  const [action, setAction] = useState<FollowUpAction>("remind");
  const [text, setText] = useState("");
  const [onlyIfNoAnswer, setOnlyIfNoAnswer] = useState(true);
  const [template, setTemplate] = useState<TemplateChoice | null>(null); // WhatsApp: sent if the window is closed
  const withTemplate = action === "send" && conversation.channel === "whatsapp";
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const dueAt = fromLocalInput(when);
    if (!dueAt) return setProblem(t("followups.whenRequired"));
    if (action === "send" && !text.trim() && !(withTemplate && template)) return setProblem(t("followups.textRequired"));
    setProblem(null);
    create.mutate(
      {
        due_at: dueAt,
        action,
        text: text.trim() || null,
        only_if_no_answer: onlyIfNoAnswer,
        ...(withTemplate && template ? { template } : {}),
      },
      { onSuccess: (created) => onScheduled(formatDateTime(created.due_at)) },
    );
  };
  // A refused template parameter is said after that parameter (issue 16 web review #4); the rest below the form.
  const refusedIndex = /^template\.parameters\.(\d+)$/.exec(refusedField(create.error) ?? "")?.[1];
  const refusedParameter =
    withTemplate && template && refusedIndex !== undefined && Number(refusedIndex) < (template.parameters ?? []).length
      ? { index: Number(refusedIndex), message: apiErrorText(create.error, t) }
      : undefined;
  const error = problem ?? (create.error && !refusedParameter ? apiErrorText(create.error, t) : null);
  return (
    <form id="follow-up-form" className="follow-up-form" onSubmit={submit} aria-busy={create.isPending}>
      <label>
        {t("followups.when")}
        <input type="datetime-local" name="due_at" required value={when} onChange={(e) => setWhen(e.target.value)} />
      </label>
      <label>
        {t("followups.action")}
        <select name="action" value={action} onChange={(e) => setAction(e.target.value as FollowUpAction)}>
          {ACTIONS.map((value) => (
            <option key={value} value={value}>
              {t(`followups.action.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {action === "send" ? t("followups.text.send") : t("followups.text.note")}
        <textarea
          name="text"
          rows={3}
          value={text}
          required={action === "send" && !(withTemplate && template)}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {action === "send" && <FollowUpSavedReply onPick={(reply) => setText((current) => withSavedReply(current, reply))} />}
      {withTemplate && (
        <FollowUpTemplate
          conversationId={conversation.id}
          value={template}
          onChange={setTemplate}
          refusedParameter={refusedParameter}
        />
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          name="only_if_no_answer"
          checked={onlyIfNoAnswer}
          onChange={(e) => setOnlyIfNoAnswer(e.target.checked)}
        />
        {t("followups.onlyIfNoAnswer")}
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? t("followups.scheduling") : t("followups.schedule")}
      </button>
    </form>
  );
}

function FollowUpItem({ conversationId, followUp }: { conversationId: string; followUp: FollowUp }) {
  const { t, formatDateTime } = useI18n();
  const cancel = useCancelFollowUp(conversationId);
  const when = formatDateTime(followUp.due_at);
  return (
    <li className={`follow-up follow-up-${followUp.state}`} data-follow-up-id={followUp.id}>
      <span>
        <strong>{t(`followups.action.${followUp.action}`)}</strong> · <time dateTime={followUp.due_at}>{when}</time>
        {followUp.only_if_no_answer && <span className="muted"> · {t("followups.ifNoAnswer")}</span>}
      </span>
      {followUp.text && <span className="follow-up-text">{followUp.text}</span>}
      {followUp.template && (
        <span className="muted follow-up-template">
          {t("templates.followup.item", { name: followUp.template.name })}
        </span>
      )}
      <span className="muted follow-up-state">{stateText(followUp, t)}</span>
      {followUp.outcome && followUp.detail && (
        <span className="muted follow-up-detail">
          {t("followups.technicalDetail")} <span lang="en">{followUp.detail}</span>
        </span>
      )}
      {followUp.state === "scheduled" && (
        <button
          type="button"
          className="link"
          aria-label={t("followups.cancelLabel", { when })}
          disabled={cancel.isPending}
          onClick={() => cancel.mutate(followUp.id)}
        >
          {t("followups.cancel")}
        </button>
      )}
      {cancel.error && (
        <span role="alert" className="error">
          {apiErrorText(cancel.error, t)}
        </span>
      )}
    </li>
  );
}

type T = ReturnType<typeof useI18n>["t"];

/** Where a follow-up is, in words of ours: scheduled, in progress, or what it came to (the API's
 * `detail` is English: shown apart, as a technical line, never inside the sentence). */
export function stateText(followUp: FollowUp, t: T): string {
  if (followUp.outcome) return t(`followups.outcome.${followUp.outcome}`);
  return t(followUp.state === "firing" ? "followups.state.firing" : "followups.state.scheduled");
}
