// The saved replies' screen (#saved-replies, issue 16, item 4), for everyone: a person writes their own
// replies, an admin the team's too; each is a title and a text with placeholders the composer fills.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { AdminScreen } from "../admin/AdminScreen";
import { apiErrorText } from "../api/errorText";
import { conversationHref } from "../audit/links";
import { useMe } from "../api/queries";
import { useFieldErrors } from "../forms/FieldError";
import { useI18n } from "../i18n/i18n";
import {
  conversationOfSavedRepliesHash,
  insertAt,
  MAX_TEXT,
  MAX_TITLE,
  useChangeSavedReply,
  useCreateSavedReply,
  useDeleteSavedReply,
  useSavedReplies,
  type SavedReply,
} from "./savedReplies";

/** The screen at `hash`: reached from a conversation's composer, its way back opens that conversation. */
export function SavedRepliesScreen({ hash }: { hash: string }) {
  const { t } = useI18n();
  const from = conversationOfSavedRepliesHash(hash);
  const back = from ? { href: conversationHref(from), label: t("savedReplies.backToConversation") } : undefined;
  return (
    <AdminScreen name="saved-replies" back={back}>
      <SavedReplies />
    </AdminScreen>
  );
}

export function SavedReplies() {
  const { t } = useI18n();
  const me = useMe();
  const replies = useSavedReplies();
  const admin = me.data?.role === "admin";
  const items = replies.data?.items ?? [];
  const placeholders = replies.data?.placeholders ?? [];
  const sections = [
    { scope: "team" as const, title: t("savedReplies.team"), items: items.filter((r) => r.scope === "team") },
    { scope: "personal" as const, title: t("savedReplies.mine"), items: items.filter((r) => r.scope === "personal") },
  ];
  return (
    <section aria-labelledby="saved-replies-title" className="saved-replies">
      <h1 id="saved-replies-title" tabIndex={-1}>
        {t("savedReplies.title")}
      </h1>
      <p className="muted">{t(admin ? "savedReplies.intro.admin" : "savedReplies.intro.agent")}</p>
      <SavedReplyForm admin={admin} placeholders={placeholders} />
      {replies.isPending && <p className="muted">{t("app.loading")}</p>}
      {replies.isError && <p className="error">{apiErrorText(replies.error, t)}</p>}
      {replies.isSuccess &&
        sections.map((section) => (
          <section key={section.scope} aria-labelledby={`saved-replies-${section.scope}`}>
            <h2 id={`saved-replies-${section.scope}`} tabIndex={-1}>
              {section.title}
            </h2>
            {section.items.length === 0 && <p className="muted">{t("savedReplies.empty")}</p>}
            <ul className="saved-reply-list">
              {section.items.map((reply) => (
                <SavedReplyItem
                  key={reply.id}
                  reply={reply}
                  editable={reply.scope === "personal" || admin}
                  placeholders={placeholders}
                />
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}

function SavedReplyItem({
  reply,
  editable,
  placeholders,
}: {
  reply: SavedReply;
  editable: boolean;
  placeholders: readonly string[];
}) {
  const { t } = useI18n();
  const remove = useDeleteSavedReply();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The button that had the focus goes away on Edit, Delete and Cancel: where the focus goes next.
  const [focusNext, setFocusNext] = useState<"edit" | "delete" | "confirm" | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const titleId = `saved-reply-${reply.id}`;
  useEffect(() => {
    if (!focusNext) return;
    ({ edit: editButton, delete: deleteButton, confirm: confirmButton })[focusNext].current?.focus();
    setFocusNext(null);
  }, [focusNext]);
  if (editing) {
    return (
      <li className="saved-reply">
        <SavedReplyForm
          reply={reply}
          placeholders={placeholders}
          onDone={() => {
            setEditing(false);
            setFocusNext("edit");
          }}
        />
      </li>
    );
  }
  return (
    <li className="saved-reply">
      <h3 id={titleId}>{reply.title}</h3>
      <p className="saved-reply-text">{reply.text}</p>
      {editable && (
        <div className="form-actions">
          <button ref={editButton} type="button" aria-describedby={titleId} onClick={() => setEditing(true)}>
            {t("savedReplies.edit")}
          </button>
          {confirming ? (
            <>
              <span role="status">{t("savedReplies.deleteConfirm")}</span>
              <button
                ref={confirmButton}
                type="button"
                className="danger"
                aria-describedby={titleId}
                disabled={remove.isPending}
                onClick={() =>
                  // Gone with its item: the focus goes to its section's heading.
                  remove.mutate(reply.id, {
                    onSuccess: () => document.getElementById(`saved-replies-${reply.scope}`)?.focus(),
                  })
                }
              >
                {t("savedReplies.deleteYes")}
              </button>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setConfirming(false);
                  setFocusNext("delete");
                }}
              >
                {t("savedReplies.cancel")}
              </button>
            </>
          ) : (
            <button
              ref={deleteButton}
              type="button"
              aria-describedby={titleId}
              onClick={() => {
                setConfirming(true);
                setFocusNext("confirm");
              }}
            >
              {t("savedReplies.delete")}
            </button>
          )}
        </div>
      )}
      {remove.isError && (
        <p role="alert" className="error">
          {apiErrorText(remove.error, t)}
        </p>
      )}
    </li>
  );
}

/** Writes a new reply (its scope chosen: the team's for admins), or changes `reply` (then `onDone`). */
function SavedReplyForm({
  reply,
  admin = false,
  placeholders,
  onDone,
}: {
  reply?: SavedReply;
  admin?: boolean;
  placeholders: readonly string[];
  onDone?: () => void;
}) {
  const { t } = useI18n();
  const create = useCreateSavedReply();
  const change = useChangeSavedReply();
  const saving = reply ? change : create;
  const [title, setTitle] = useState(reply?.title ?? "");
  const [text, setText] = useState(reply?.text ?? "");
  const [scope, setScope] = useState<"personal" | "team">("personal");
  const [placeholder, setPlaceholder] = useState(""); // chosen, inserted by its button (arrows only choose)
  const field = useRef<HTMLTextAreaElement>(null);
  const titleField = useRef<HTMLInputElement>(null);
  const changing = reply !== undefined;
  useEffect(() => {
    if (changing) titleField.current?.focus(); // opened by Edit, whose button is gone
  }, [changing]);
  const idPrefix = reply ? `saved-reply-form-${reply.id}` : "saved-reply-new";
  // A refusal naming a field is said right after it, the field marked; any other under the form.
  const refused = useFieldErrors(saving.isError ? saving.error : null, ["title", "text", "scope"] as const, {
    hintOf: (name) => (name === "text" ? `${idPrefix}-count` : undefined),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reply) {
      change.mutate({ id: reply.id, title: title.trim(), text }, { onSuccess: onDone });
    } else {
      create.mutate(
        { title: title.trim(), text, scope },
        {
          onSuccess: () => {
            setTitle("");
            setText("");
          },
        },
      );
    }
  };
  const addPlaceholder = (name: string) => {
    if (!name) return;
    const at = field.current?.selectionStart ?? text.length;
    const end = field.current?.selectionEnd ?? at;
    const placed = insertAt(text, at, end, `{{${name}}}`);
    setText(placed.text);
    requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.setSelectionRange(placed.caret, placed.caret);
    });
  };
  const heading = t(reply ? "savedReplies.editTitle" : "savedReplies.add");
  return (
    <form className="settings-form saved-reply-form" onSubmit={submit} aria-label={heading}>
      {!reply && <h2>{heading}</h2>}
      <label>
        {t("savedReplies.field.title")}
        <input
          ref={titleField}
          name="title"
          required
          maxLength={MAX_TITLE}
          value={title}
          autoComplete="off"
          {...refused.invalid("title")}
          onChange={(event) => setTitle(event.target.value)}
        />
      </label>
      {refused.fieldError("title")}
      <label>
        {t("savedReplies.field.text")}
        <textarea
          ref={field}
          name="text"
          required
          rows={5}
          maxLength={MAX_TEXT}
          value={text}
          {...refused.invalid("text")}
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      {refused.fieldError("text")}
      <span id={`${idPrefix}-count`} className="muted hint">
        {t("savedReplies.count", { count: text.length, max: MAX_TEXT })}
      </span>
      {placeholders.length > 0 && (
        <div className="saved-reply-placeholder">
          <label>
            {t("savedReplies.placeholder")}
            <select value={placeholder} onChange={(event) => setPlaceholder(event.target.value)}>
              <option value="">{t("savedReplies.placeholder.choose")}</option>
              {placeholders.map((name) => (
                <option key={name} value={name}>
                  {`{{${name}}}`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={!placeholder} onClick={() => addPlaceholder(placeholder)}>
            {t("savedReplies.placeholder.insertButton")}
          </button>
        </div>
      )}
      {!reply && admin && (
        <fieldset className="saved-reply-scope" {...refused.invalid("scope")}>
          <legend>{t("savedReplies.scope")}</legend>
          {(["personal", "team"] as const).map((each) => (
            <label key={each} className="checkbox">
              <input
                type="radio"
                name="scope"
                value={each}
                checked={scope === each}
                onChange={() => setScope(each)}
              />
              {t(`savedReplies.scope.${each}`)}
            </label>
          ))}
          {refused.fieldError("scope")}
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" disabled={saving.isPending || !title.trim() || !text.trim()}>
          {t(reply ? "savedReplies.save" : "savedReplies.create")}
        </button>
        {onDone && (
          <button type="button" className="link" onClick={onDone}>
            {t("savedReplies.cancel")}
          </button>
        )}
      </div>
      {refused.general && (
        <p role="alert" className="error">
          {refused.general}
        </p>
      )}
    </form>
  );
}
