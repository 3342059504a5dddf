import { useEffect, useRef, useState } from "react";
import type { Message, Note } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { ContactPanel } from "../contacts/ContactPanel";
import { FollowUps } from "../followups/FollowUps";
import { Snooze } from "../followups/Snooze";
import { Tasks } from "../tasks/Tasks";
import { History } from "../audit/History";
import { useChangeConversation, useConversation, useEarlierMessages } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { Composer } from "./Composer";
import { ConversationActions } from "./ConversationActions";
import { Drafts } from "./Drafts";
import { partyName } from "./ConversationList";
import { EmailFrame } from "./EmailFrame";
import { ForwardDialog } from "./ForwardDialog";
import { ChannelIcon } from "./icons";
import { AiTools } from "./Summary";

type Entry = { kind: "message"; at: string; message: Message } | { kind: "note"; at: string; note: Note };

/** Messages and internal notes in one timeline, oldest first. */
export function timeline(messages: readonly Message[], notes: readonly Note[]): Entry[] {
  const entries: Entry[] = [
    ...messages.map((message) => ({ kind: "message" as const, at: message.received_at, message })),
    ...notes.map((note) => ({ kind: "note" as const, at: note.created_at, note })),
  ];
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The right pane: one conversation, its messages and notes, and what can be done with it. */
export function ConversationView({
  id,
  onClose,
  onOpen,
}: {
  id: string;
  onClose: () => void;
  /** Open another conversation (the customer panel's history). */
  onOpen?: (id: string) => void;
}) {
  const { t } = useI18n();
  const detail = useConversation(id);
  const change = useChangeConversation();
  const markedRead = useRef<string | null>(null);
  const [forwarding, setForwarding] = useState<Message | null>(null);
  const [forwardedTo, setForwardedTo] = useState<string | null>(null);

  const conversation = detail.data?.conversation;
  const earlier = useEarlierMessages(id, detail.data?.earlier_messages);
  useEffect(() => {
    // Reading a conversation marks it read, once per opening.
    if (conversation?.unread && markedRead.current !== conversation.id) {
      markedRead.current = conversation.id;
      change.mutate({ id: conversation.id, changes: { unread: false } });
    }
  }, [conversation, change]);

  if (detail.isPending) return <section className="conversation muted">{t("app.loading")}</section>;
  if (detail.isError || !detail.data || !conversation) {
    return <section className="conversation error">{apiErrorText(detail.error, t)}</section>;
  }
  // Earlier pages come newest page first; each page is oldest first.
  const earlierMessages = [...(earlier.data?.pages ?? [])].reverse().flatMap((page) => page.messages);
  const messages = [...earlierMessages, ...detail.data.messages];
  const { notes } = detail.data;
  const moreBefore = earlier.data ? earlier.hasNextPage : Boolean(detail.data.earlier_messages);
  const latestInbound = [...messages].reverse().find((message) => message.direction === "inbound");
  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-header">
        <button type="button" className="back" onClick={onClose}>
          ← {t("conversation.close")}
        </button>
        <h2 id="conversation-title">{conversation.subject || partyName(conversation.contact) || t("list.noSubject")}</h2>
        <p className="muted">
          <ChannelIcon channel={conversation.channel} label={t(`channel.${conversation.channel}`)} />{" "}
          {partyName(conversation.contact) ?? t("list.unknownContact")}
        </p>
        <ConversationActions conversation={conversation} onGone={onClose} />
        <Snooze conversation={conversation} />
      </header>
      <ContactPanel contactId={conversation.contact_id} conversationId={conversation.id} onOpen={onOpen} />
      <AiTools conversation={conversation} latestMessageId={messages.at(-1)?.id ?? null} />
      <FollowUps conversation={conversation} />
      <Tasks conversationId={conversation.id} />
      <History conversationId={conversation.id} />
      {moreBefore && (
        <button
          type="button"
          className="link earlier"
          disabled={earlier.isFetching}
          onClick={() => void (earlier.data ? earlier.fetchNextPage() : earlier.refetch())}
        >
          {t("conversation.earlier")}
        </button>
      )}
      <ol className="timeline">
        {timeline(messages, notes).map((entry) =>
          entry.kind === "message" ? (
            <MessageItem
              key={`m-${entry.message.id}`}
              message={entry.message}
              onForward={conversation.channel === "email" ? () => setForwarding(entry.message) : undefined}
            />
          ) : (
            <NoteItem key={`n-${entry.note.id}`} note={entry.note} />
          ),
        )}
      </ol>
      {forwardedTo && (
        <p role="status" className="forwarded muted">
          {t("forward.done", { to: forwardedTo })}
        </p>
      )}
      {forwarding && (
        <ForwardDialog
          conversationId={conversation.id}
          message={forwarding}
          onClose={() => setForwarding(null)}
          onSent={(to) => {
            setForwarding(null);
            setForwardedTo(to);
          }}
        />
      )}
      <Drafts conversation={conversation} latestInboundId={latestInbound?.id ?? null} />
      <Composer key={conversation.id} conversation={conversation} messages={messages} />
    </section>
  );
}

function MessageItem({ message, onForward }: { message: Message; onForward?: () => void }) {
  const { t, formatDateTime } = useI18n();
  const sender = partyName(message.sender) ?? t("list.unknownContact");
  return (
    <li className={`message ${message.direction}`} data-message-id={message.id}>
      <header>
        <ChannelIcon channel={message.channel} label={t(`channel.${message.channel}`)} />
        <strong>{sender}</strong>
        <span className="muted">
          {t(message.direction === "inbound" ? "conversation.inbound" : "conversation.outbound")}{" "}
          <time dateTime={message.received_at}>{formatDateTime(message.received_at)}</time>
        </span>
        {message.delivery && (
          <span className={`delivery delivery-${message.delivery}`}>
            {t(`delivery.${message.delivery}`, { reason: message.delivery_error ?? "" })}
          </span>
        )}
        {onForward && (
          <button type="button" className="link forward" aria-label={t("forward.actionLabel")} onClick={onForward}>
            {t("forward.action")}
          </button>
        )}
      </header>
      {message.subject && <p className="message-subject">{message.subject}</p>}
      {message.html ? (
        <EmailFrame html={message.html} remoteImages={message.remote_images ?? false} />
      ) : (
        <p className="message-text">{message.text}</p>
      )}
      {message.attachments.length > 0 && (
        <ul className="attachments" aria-label={t("conversation.attachments")}>
          {message.attachments.map((attachment, index) => (
            <li key={index}>
              {attachment.url ? (
                <a href={attachment.url} download={attachment.filename} rel="noreferrer">
                  {attachment.filename}
                </a>
              ) : (
                attachment.filename
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function NoteItem({ note }: { note: Note }) {
  const { t, formatDateTime } = useI18n();
  return (
    <li className="note" data-note-id={note.id}>
      <header>
        <strong>{t("conversation.noteBy", { author: note.author_email ?? note.author_id })}</strong>
        <time className="muted" dateTime={note.created_at}>
          {formatDateTime(note.created_at)}
        </time>
      </header>
      <p className="message-text">{note.text}</p>
    </li>
  );
}
