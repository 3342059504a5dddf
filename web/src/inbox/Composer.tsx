import { useEffect, useState, type FormEvent } from "react";
import type { Conversation, Message } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useAddNote, useReply } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { useSavedReplyInsert } from "../savedReplies/ComposerSavedReplies";
import { AttachButton, AttachmentList, useFileDrop } from "./Attachments";
import { replyFileErrorText, useAttachments } from "./AttachmentsUpload";
import { EmailRecipients, recipientErrorText, replyAllCc, useRecipients } from "./ComposerRecipients";
import { smsSegments } from "./smsSegments";
import { TemplatePicker } from "./TemplatePicker";
import { whatsappWindow } from "./whatsappWindow";

/** The subject the API gives an email reply when none is sent: `Re: ` and the conversation's. */
export function replySubject(subject: string | null | undefined): string {
  const text = (subject ?? "").trim();
  return text.toLowerCase().startsWith("re:") ? text : `Re: ${text}`.trim();
}

/** The reply and note composer of the open conversation; a reply gets its channel's own parts:
 * an email its subject, an SMS the count of its parts, WhatsApp the state of the 24-hour window and its
 * approved templates (the only reply once the window is closed). An email reply also takes Cc, Bcc and
 * reply-all; an email or WhatsApp reply takes files (chosen or dropped), uploaded as soon as added. */
export function Composer({ conversation, messages }: { conversation: Conversation; messages: readonly Message[] }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [text, setText] = useState("");
  const [subject, setSubject] = useState(() => replySubject(conversation.subject));
  const reply = useReply(conversation.id);
  const note = useAddNote(conversation.id);
  const now = useMinuteClock(conversation.channel === "whatsapp");
  const pending = reply.isPending || note.isPending;
  const failed = mode === "reply" ? reply.error : note.error;
  const channel = mode === "reply" ? conversation.channel : null;
  const whatsapp = channel === "whatsapp" ? whatsappWindow(messages, now) : null;
  const blocked = whatsapp !== null && !whatsapp.open; // only a template now: the API would answer 422 to text
  const subjectMissing = channel === "email" && !subject.trim();
  const attachments = useAttachments(conversation.id, t);
  const recipients = useRecipients();
  const saved = useSavedReplyInsert(conversation.id, text, setText); // the menu and `/` (issue 16)
  const filesHere = mode === "reply" && !blocked && conversation.channel !== "sms";
  const drop = useFileDrop(filesHere, attachments.add);
  const filesPending = mode === "reply" && (attachments.uploading || attachments.failed);
  const failedText = mode === "reply" && failed
    ? (replyFileErrorText(failed, attachments.files, t) ?? recipientErrorText(failed, recipients, t))
    : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || blocked || subjectMissing || filesPending) return;
    // Cleared once sent, unless the field has been changed meanwhile (the next note, say).
    const clear = (sent: string) => setText((current) => (current === sent ? "" : current));
    if (mode === "note") {
      note.mutate(text, { onSuccess: (_, sent) => clear(sent) });
    } else {
      const files = attachments.uploadIds.length ? { attachments: attachments.uploadIds } : {};
      const body =
        channel === "email"
          ? { text, subject: subject.trim(), ...recipients.body(), ...files }
          : { text, ...files };
      reply.mutate(body, {
        onSuccess: (_, sent) => {
          clear(sent.text ?? "");
          attachments.clear();
          recipients.reset();
        },
      });
    }
  };
  return (
    <form
      className={`composer composer-${mode}${drop.dragging ? " dropping" : ""}`}
      data-channel={conversation.channel}
      onSubmit={submit}
      {...drop.handlers}
    >
      <div role="tablist" className="composer-tabs">
        {(["reply", "note"] as const).map((each) => (
          <button
            key={each}
            type="button"
            role="tab"
            data-mode={each}
            aria-selected={mode === each}
            onClick={() => setMode(each)}
          >
            {t(each === "reply" ? "compose.reply" : "compose.note")}
          </button>
        ))}
      </div>
      {channel === "email" && (
        <label className="composer-subject">
          {t("compose.subject")}
          <input name="subject" value={subject} maxLength={998} onChange={(event) => setSubject(event.target.value)} />
        </label>
      )}
      {channel === "email" && (
        <EmailRecipients recipients={recipients} replyAllTo={replyAllCc(conversation, messages)} />
      )}
      {whatsapp && (
        <p role="status" className={`whatsapp-window ${whatsapp.open ? "open" : "closed"}`}>
          {whatsapp.open ? t("compose.whatsapp.open", { hours: whatsapp.hoursLeft }) : t("compose.whatsapp.closed")}
        </p>
      )}
      {whatsapp && <TemplatePicker conversationId={conversation.id} windowOpen={whatsapp.open} />}
      {!blocked && (
        <>
          <textarea
            ref={saved.ref}
            {...saved.fieldProps}
            aria-label={t(mode === "reply" ? "compose.reply" : "compose.note")}
            placeholder={t(mode === "reply" ? "compose.replyPlaceholder" : "compose.notePlaceholder")}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              saved.track();
            }}
            onSelect={saved.track}
            onKeyDown={(event) => {
              if (saved.onKeyDown(event)) {
                // Taken by the `/` suggestions: the inbox's Escape ("leave the field") must not see it.
                event.stopPropagation();
                return;
              }
              if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
            }}
            aria-describedby={channel === "sms" ? "send-hint sms-segments" : "send-hint"}
            rows={4}
          />
          {saved.suggestions}
          {saved.notice}
          {channel === "sms" && <SmsCounter text={text} />}
          {saved.menu}
          {channel && <AttachButton channel={channel} attachments={attachments} />}
          {channel && <AttachmentList attachments={attachments} />}
          {drop.dragging && <p className="drop-hint">{t("files.dropHere")}</p>}
          {failed && <p role="alert" className="error">{failedText ?? apiErrorText(failed, t)}</p>}
          <span id="send-hint" className="muted hint">
            {t("compose.sendHint")}
          </span>
          <button type="submit" disabled={pending || !text.trim() || blocked || subjectMissing || filesPending}>
            {pending ? t("compose.sending") : t(mode === "reply" ? "compose.send" : "compose.addNote")}
          </button>
        </>
      )}
    </form>
  );
}

function SmsCounter({ text }: { text: string }) {
  const { t } = useI18n();
  const count = smsSegments(text);
  return (
    <p id="sms-segments" className="sms-segments muted" data-parts={count.parts} data-encoding={count.encoding}>
      {t("compose.sms.segments", { parts: count.parts, left: count.left, encoding: count.encoding })}
      {count.encoding === "UCS-2" && <> {t("compose.sms.ucs2")}</>}
    </p>
  );
}

/** The time now, moving on every minute while `running` (the window's "closes in" counts down). */
function useMinuteClock(running: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}
