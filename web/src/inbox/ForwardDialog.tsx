import { useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Message } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { keys, useApi } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { refusedField } from "./AttachmentsUpload";
import { useFocusTrap } from "./focusTrap";

/** POST …/messages/{message_id}/forward: the message (its files too) to one address, the note above it. */
export function useForward(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ messageId, to, note }: { messageId: string; to: string; note: string }) =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/messages/{message_id}/forward", {
          params: { path: { conversation_id: conversationId, message_id: messageId } },
          body: note.trim() ? { to: to.trim(), note } : { to: to.trim() },
        }),
      ),
    // The forward is a message of the conversation: read it again to show it.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) }),
  });
}

/** A modal dialog forwarding one message: to whom, an optional note; the focus stays inside while it is
 * open and goes back to the message's Forward button when it closes (Escape, Cancel or sent). */
export function ForwardDialog({
  conversationId,
  message,
  onClose,
  onSent,
}: {
  conversationId: string;
  message: Message;
  onClose: () => void;
  onSent: (to: string) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const forward = useForward(conversationId);
  useFocusTrap(dialog, first);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!to.trim() || forward.isPending) return;
    forward.mutate({ messageId: message.id, to, note }, { onSuccess: () => onSent(to.trim()) });
  };
  const field = refusedField(forward.error);
  const error = forward.error
    ? field === "to"
      ? t("forward.error.to")
      : field === "message_id"
        ? t("forward.error.tooLarge")
        : apiErrorText(forward.error, t)
    : null;
  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialog}
        className="forward-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="forward-title"
        aria-describedby="forward-what"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          // The inbox's shortcuts (Escape closes the conversation, r replies…) are not for keys typed here.
          event.stopPropagation();
          if (event.key === "Escape") onClose();
        }}
      >
        <h2 id="forward-title">{t("forward.title")}</h2>
        <p id="forward-what" className="muted">
          {t("forward.what", {
            subject: message.subject || message.text.slice(0, 60),
            date: formatDateTime(message.received_at),
          })}
          {message.attachments.length > 0 && (
            <> {t("forward.files", { names: message.attachments.map((file) => file.filename).join(", ") })}</>
          )}
        </p>
        <form onSubmit={submit}>
          <label>
            {t("forward.to")}
            <input
              ref={first}
              type="email"
              name="to"
              required
              autoComplete="email"
              value={to}
              aria-invalid={field === "to" || undefined}
              aria-describedby={error ? "forward-error" : undefined}
              onChange={(event) => setTo(event.target.value)}
            />
          </label>
          <label>
            {t("forward.note")}
            <textarea
              name="note"
              rows={3}
              maxLength={20000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          {error && (
            <p id="forward-error" role="alert" className="error">
              {error}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" onClick={onClose}>
              {t("forward.cancel")}
            </button>
            <button type="submit" disabled={!to.trim() || forward.isPending}>
              {forward.isPending ? t("forward.sending") : t("forward.send")}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
