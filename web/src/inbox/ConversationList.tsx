import { useEffect, useRef } from "react";
import type { Conversation, Party } from "../api/client";
import { useConversationList, type ListFilter } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { ChannelIcon } from "./icons";

export function partyName(party: Party): string | null {
  return party.name || party.email || party.phone || null;
}

/** The middle pane: the conversations of the selection, newest activity first, loaded page after
 * page as the reader scrolls to the end. */
export function ConversationList({
  filter,
  openId,
  onOpen,
  title,
}: {
  filter: ListFilter;
  openId: string | null;
  onOpen: (id: string) => void;
  title: string;
}) {
  const { t } = useI18n();
  const list = useConversationList(filter);
  const end = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel || !hasNextPage || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="conversation-list" aria-label={t("list.title")}>
      <h2 className="pane-heading">{title}</h2>
      {list.isPending && <p className="muted">{t("app.loading")}</p>}
      {list.isError && <p className="error">{t("app.error", { message: String(list.error) })}</p>}
      {list.isSuccess && items.length === 0 && <p className="muted">{t("list.empty")}</p>}
      <ul>
        {items.map((conversation) => (
          <Row
            key={conversation.id}
            conversation={conversation}
            open={conversation.id === openId}
            onOpen={() => onOpen(conversation.id)}
          />
        ))}
        <li ref={end} className="list-end muted" aria-hidden={!isFetchingNextPage}>
          {isFetchingNextPage ? t("list.more") : hasNextPage ? "" : items.length ? t("list.end") : ""}
        </li>
      </ul>
    </section>
  );
}

function Row({ conversation, open, onOpen }: { conversation: Conversation; open: boolean; onOpen: () => void }) {
  const { t, formatTime, formatDateTime } = useI18n();
  const who = partyName(conversation.contact) ?? t("list.unknownContact");
  const summary = conversation.subject || conversation.preview || t("list.noSubject");
  return (
    <li>
      <button
        type="button"
        className={`conversation-row${conversation.unread ? " unread" : ""}`}
        aria-current={open ? "true" : undefined}
        data-conversation-id={conversation.id}
        onClick={onOpen}
      >
        <span className="row-top">
          {conversation.unread ? <span className="unread-dot" aria-label={t("list.unread")} /> : null}
          <ChannelIcon channel={conversation.channel} label={t(`channel.${conversation.channel}`)} />
          <span className="contact">{who}</span>
          <time dateTime={conversation.last_activity_at} title={formatDateTime(conversation.last_activity_at)}>
            {formatTime(conversation.last_activity_at)}
          </time>
        </span>
        <span className="row-bottom">
          <span className="summary">{summary}</span>
          <span className={`status status-${conversation.status}`}>{t(`status.${conversation.status}`)}</span>
        </span>
      </button>
    </li>
  );
}
