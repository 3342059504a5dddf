import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ApiError, type Conversation } from "../api/client";
import { apiErrorText } from "../api/errorText";
import {
  draftKeys,
  useDecideDraft,
  useDrafts,
  useFolders,
  useMe,
  useSuggestReply,
  type Draft,
} from "../api/queries";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { DraftLookups } from "./DraftLookups";
import { knowledgeGiven } from "./draftKnowledge";
import { draftReason, percent, STATUS_KEYS } from "./draftReasons";

type Translate = ReturnType<typeof useI18n>["t"];

/** The AI's pending drafts of the open conversation, above the composer, each to send (as written or
 * edited) or discard; and, discreetly, why the latest customer message got no automatic reply. */
export function Drafts({ conversation, latestInboundId }: { conversation: Conversation; latestInboundId: string | null }) {
  const { t } = useI18n();
  const drafts = useDrafts(conversation.id);
  const folders = useFolders();
  const items = drafts.data ?? [];
  const pending = items.filter((draft) => draft.status === "pending");
  // How the auto-reply to the latest customer message ended, when nothing waits for a person.
  const outcome = items.find(
    (draft) =>
      draft.status !== "pending" &&
      draft.message_id === latestInboundId &&
      draft.source === "auto_reply" &&
      ["writing", "sending", "refused", "not_configured", "failed"].includes(draft.status),
  );
  if (pending.length === 0 && !outcome) return null;
  const folder = folders.data?.find((each) => each.id === conversation.folder_id);
  const threshold = folder?.auto_reply?.min_confidence_percent ?? null;
  return (
    <section className="drafts" aria-label={t("drafts.region")}>
      {pending.length === 0 && outcome && <OutcomeLine draft={outcome} conversation={conversation} />}
      {pending.map((draft) => (
        <DraftCard key={draft.id} draft={draft} conversation={conversation} thresholdPercent={threshold} />
      ))}
    </section>
  );
}

function OutcomeLine({ draft, conversation }: { draft: Draft; conversation: Conversation }) {
  const { t } = useI18n();
  const me = useMe();
  const reason = draftReason(draft, { channel: conversation.channel });
  const settings = draft.status === "not_configured" || draft.reason === "ai_refused";
  return (
    <p className={`draft-outcome draft-outcome-${draft.status}`} data-draft-status={draft.status} role="status">
      {reason
        ? t("drafts.outcome", { status: t(STATUS_KEYS[draft.status]), reason: t(reason.key, reason.values) })
        : t(STATUS_KEYS[draft.status])}
      {settings && me.data?.role === "admin" && (
        <>
          {" "}
          <a href="#settings/ai">{t("drafts.aiSettings")}</a>
        </>
      )}
    </p>
  );
}

/** One pending draft: its text (editable in place), its confidence, why it was held, the knowledge-base
 * passages it used and what of the base its prompt was given; Send and Discard. */
export function DraftCard({
  draft,
  conversation,
  thresholdPercent,
}: {
  draft: Draft;
  conversation: Conversation;
  thresholdPercent: number | null;
}) {
  const { t } = useI18n();
  const decide = useDecideDraft(conversation.id);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(draft.text ?? "");
  // The server's text the card shows: when it changes (the draft was written again), a text the person
  // has not edited follows it; an edited one stays theirs.
  const serverText = draft.text ?? "";
  const [shownServerText, setShownServerText] = useState(serverText);
  if (serverText !== shownServerText) {
    setShownServerText(serverText);
    if (text === shownServerText) setText(serverText);
  }
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);
  const reason = draftReason(draft, { channel: conversation.channel, thresholdPercent });
  const knowledge = knowledgeGiven(draft);
  const titleId = `draft-${draft.id}-title`;
  const send = () => {
    if (!text.trim() || decide.isPending) return;
    decide.mutate({ draftId: draft.id, action: "send", text: text === draft.text ? undefined : text });
  };
  return (
    <article className="draft-card" aria-labelledby={titleId} data-draft-id={draft.id} tabIndex={-1}>
      <header>
        <h3 id={titleId}>
          {t(draft.source === "suggestion" ? "drafts.suggested" : draft.source === "nudge" ? "drafts.nudge" : "drafts.title")}
        </h3>
        {draft.confidence !== null && (
          <span className="draft-confidence">{t("drafts.confidence", { percent: percent(draft.confidence) })}</span>
        )}
      </header>
      {reason && <p className="draft-reason">{t(reason.key, reason.values)}</p>}
      {editing ? (
        <textarea
          ref={field}
          className="draft-text"
          aria-label={t("drafts.text")}
          aria-describedby={`${titleId}-hint`}
          value={text}
          rows={Math.min(12, Math.max(4, text.split("\n").length + 1))}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              send();
            }
          }}
        />
      ) : (
        <p className="draft-text message-text" lang={draft.language ?? undefined}>
          {text}
        </p>
      )}
      {draft.passages.length > 0 && (
        <details className="draft-passages">
          <summary>{t("drafts.passages", { count: draft.passages.length })}</summary>
          <ul>
            {draft.passages.map((passage) => (
              <li key={`${passage.document_id}/${passage.passage_id}`}>
                <details>
                  <summary>{passage.title}</summary>
                  <p className="message-text">{passage.text}</p>
                </details>
              </li>
            ))}
          </ul>
        </details>
      )}
      <DraftLookups lookups={draft.lookups} />
      {knowledge && <p className="draft-knowledge muted">{t(knowledge.key, knowledge.values)}</p>}
      {decide.error && (
        <p role="alert" className="error">
          {decideErrorText(decide.error, t)}
        </p>
      )}
      <div className="draft-buttons">
        <button type="button" name="send-draft" onClick={send} disabled={decide.isPending || !text.trim()}>
          {decide.isPending && decide.variables?.action === "send" ? t("drafts.sending") : t("drafts.send")}
        </button>
        {!editing && (
          <button type="button" name="edit-draft" onClick={() => setEditing(true)} disabled={decide.isPending}>
            {t("drafts.edit")}
          </button>
        )}
        <button
          type="button"
          name="discard-draft"
          onClick={() => decide.mutate({ draftId: draft.id, action: "discard" })}
          disabled={decide.isPending}
        >
          {t("drafts.discard")}
        </button>
        {editing && (
          <span id={`${titleId}-hint`} className="muted hint">
            {t("drafts.sendHint")}
          </span>
        )}
      </div>
    </article>
  );
}

/** "Suggest a reply": a draft written now (one model call), shown with the others; the AI's refusal
 * in words. */
export function SuggestReplyButton({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const suggest = useSuggestReply(conversationId);
  const queryClient = useQueryClient();
  return (
    <>
      <button
        type="button"
        name="suggest"
        aria-keyshortcuts="g"
        disabled={suggest.isPending}
        onClick={() =>
          suggest.mutate(undefined, {
            onSuccess: (draft) => {
              // Shown at once (the list is read again as well), and focused for the keyboard.
              queryClient.setQueryData<Draft[]>(draftKeys.drafts(conversationId), (old) => [
                draft,
                ...(old ?? []).filter((each) => each.id !== draft.id),
              ]);
              focusWhenShown(`[data-draft-id="${draft.id}"]`);
            },
          })
        }
      >
        {suggest.isPending ? t("drafts.suggesting") : t("drafts.suggest")}
      </button>
      {suggest.isPending && <span className="visually-hidden" role="status">{t("drafts.suggesting")}</span>}
      {suggest.error && (
        <p role="alert" className="error ai-error">
          {aiErrorText(suggest.error, t, "drafts.error.waiting")}
        </p>
      )}
    </>
  );
}

/** Focuses the element once it is rendered (tried for a second). */
function focusWhenShown(selector: string, tries = 20) {
  const element = document.querySelector<HTMLElement>(selector);
  if (element) element.focus();
  else if (tries > 0) setTimeout(() => focusWhenShown(selector, tries - 1), 50);
}

/** An AI request's error in words: 409 `ai_not_configured` / `company_prompt_missing`, another 409
 * (`conflict`: worded by `conflict`), 503 unavailable, else by the API's error code (api/errorText.ts). */
export function aiErrorText(error: unknown, t: Translate, conflict: MessageKey): string {
  const code = errorCode(error);
  if (code === "ai_not_configured" || code === "company_prompt_missing") return t(`drafts.error.${code}`);
  if (code === "conflict") return t(conflict);
  if (error instanceof ApiError && error.status === 503) return t("drafts.error.unavailable");
  return apiErrorText(error, t);
}

function decideErrorText(error: unknown, t: Translate): string {
  return aiErrorText(error, t, "drafts.error.taken");
}

function errorCode(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const body = error.body as { error?: { code?: string } } | undefined;
  return body?.error?.code ?? null;
}
