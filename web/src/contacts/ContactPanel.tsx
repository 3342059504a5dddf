import { useId, useState } from "react";
import type { Conversation } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { partyName } from "../inbox/ConversationList";
import { ChannelIcon } from "../inbox/icons";
import { ContactEditor } from "./ContactEditor";
import { contactLabel } from "./contactForm";
import { MergeDialog } from "./MergeDialog";
import { useContact, type Contact } from "./queries";

// Beside the conversation when the window is wide enough to hold both (styles.css): open from the
// start there; on narrower screens it is a button under the conversation's header, closed at first.
const WIDE = "(min-width: 1280px)";

/** The customer of the open conversation: who they are (editable), and every conversation with them
 * on every channel, newest first, each opening that conversation. */
export function ContactPanel({
  contactId,
  conversationId,
  onOpen,
  startOpen = false,
  dialogHost,
}: {
  contactId: string;
  conversationId: string | null;
  onOpen?: (conversationId: string) => void;
  /** Open from the start whatever the screen (the customers' search shows one so). */
  startOpen?: boolean;
  /** The dialog this panel is shown in, if any: the merge dialog opens inside it. */
  dialogHost?: HTMLElement | null;
}) {
  const { t } = useI18n();
  const ids = useId(); // two panels may be on the page: the conversation's, the search's
  const [open, setOpen] = useState(() => startOpen || (window.matchMedia?.(WIDE).matches ?? false));
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState<{ query: string } | null>(null);
  const [merged, setMerged] = useState<number | null>(null);
  const detail = useContact(contactId, open);
  const contact = detail.data?.pages[0]?.contact;
  const name = (contact && contactLabel(contact)) ?? t("contact.unknown");

  return (
    <aside className="contact-panel" aria-label={t("contact.panel")}>
      <button
        type="button"
        className="contact-toggle"
        aria-expanded={open}
        aria-controls={`${ids}-body`}
        onClick={() => setOpen((was) => !was)}
      >
        {contact ? t("contact.toggle", { name }) : t("contact.panel")}
      </button>
      {open && (
        <div id={`${ids}-body`} className="contact-panel-body">
          {detail.isPending && <p className="muted">{t("app.loading")}</p>}
          {detail.isError && <p className="error">{apiErrorText(detail.error, t)}</p>}
          {contact &&
            (editing ? (
              <ContactEditor
                contact={contact}
                onDone={() => setEditing(false)}
                onMerge={(query) => {
                  setEditing(false);
                  setMerging({ query });
                }}
              />
            ) : (
              <ContactCard contact={contact} name={name} onEdit={() => setEditing(true)} />
            ))}
          {merged !== null && (
            <p role="status" className="contact-merged muted">
              {t("merge.done", { count: merged })}
            </p>
          )}
          {contact && !editing && (
            <button type="button" className="link contact-merge" onClick={() => setMerging({ query: "" })}>
              {t("contact.merge")}
            </button>
          )}
          {contact && (
            <section className="contact-history" aria-labelledby={`${ids}-history`}>
              <h3 id={`${ids}-history`}>{t("contact.history")}</h3>
              <History pages={detail.data?.pages ?? []} currentId={conversationId} onOpen={onOpen} />
              {detail.hasNextPage && (
                <button
                  type="button"
                  className="link"
                  disabled={detail.isFetchingNextPage}
                  onClick={() => void detail.fetchNextPage()}
                >
                  {t("contact.historyMore")}
                </button>
              )}
            </section>
          )}
        </div>
      )}
      {merging && contact && (
        <MergeDialog
          contact={contact}
          initialQuery={merging.query}
          host={dialogHost}
          onClose={() => setMerging(null)}
          onMerged={(moved) => {
            setMerging(null);
            setMerged(moved);
          }}
        />
      )}
    </aside>
  );
}

function ContactCard({ contact, name, onEdit }: { contact: Contact; name: string; onEdit: () => void }) {
  const { t } = useI18n();
  const list = (values: readonly string[]) =>
    values.length ? (
      <ul>
        {values.map((value) => (
          <li key={value}>{value}</li>
        ))}
      </ul>
    ) : (
      <span className="muted">{t("contact.none")}</span>
    );
  return (
    <div className="contact-card">
      <h3 className="contact-name">{name}</h3>
      <dl>
        <dt>{t("contact.emails")}</dt>
        <dd>{list(contact.emails)}</dd>
        <dt>{t("contact.phones")}</dt>
        <dd>{list(contact.phones)}</dd>
        <dt>{t("contact.company")}</dt>
        <dd>{contact.company || <span className="muted">{t("contact.none")}</span>}</dd>
        <dt>{t("contact.notes")}</dt>
        <dd className="contact-notes">{contact.notes || <span className="muted">{t("contact.none")}</span>}</dd>
      </dl>
      <button type="button" name="edit-contact" onClick={onEdit}>
        {t("contact.edit")}
      </button>
    </div>
  );
}

type HistoryPage = { conversations: readonly Conversation[] };

function History({
  pages,
  currentId,
  onOpen,
}: {
  pages: readonly HistoryPage[];
  currentId: string | null;
  onOpen?: (conversationId: string) => void;
}) {
  const { t, formatTime } = useI18n();
  const conversations = pages.flatMap((page) => page.conversations);
  if (!conversations.length) return <p className="muted">{t("contact.historyEmpty")}</p>;
  return (
    <ol className="contact-conversations">
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <button
            type="button"
            className="contact-conversation"
            data-conversation-id={conversation.id}
            aria-current={conversation.id === currentId ? "true" : undefined}
            onClick={() => onOpen?.(conversation.id)}
          >
            <span className="row-top">
              <ChannelIcon channel={conversation.channel} label={t(`channel.${conversation.channel}`)} />
              <span className="summary">
                {conversation.subject || conversation.preview || partyName(conversation.contact) || t("list.noSubject")}
              </span>
              <time dateTime={conversation.last_activity_at}>{formatTime(conversation.last_activity_at)}</time>
            </span>
            <span className={`status status-${conversation.status}`}>{t(`status.${conversation.status}`)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
