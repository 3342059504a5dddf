import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Folder, Party, Schemas } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useConversationList, useFolders } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { useAssignee } from "./AssigneePicker";
import { BulkBar, useOutcomeText } from "./BulkBar";
import { FilterBar } from "./FilterBar";
import { ChannelIcon } from "./icons";
import { listFilter, type ListState } from "./listParams";
import { keepListed, toggleSelection } from "./multiSelect";
import { Passage } from "../search/Passage";
import { withQuery } from "../search/query";
import { SearchStatus } from "../search/SearchStatus";
import { SearchField } from "../search/SearchField";

/** A row of the list: a conversation, with the passage a search found it by (`q`). */
type Conversation = Schemas["ListedConversation"];

export function partyName(party: Party): string | null {
  return party.name || party.email || party.phone || null;
}

/** The middle pane: the filter bar, the conversations of the selection in the chosen order, loaded
 * page after page as the reader scrolls to the end, with boxes to tick for a bulk change (Shift
 * ticks a range; `x` ticks the focused row). */
export function ConversationList({
  state,
  onStateChange,
  openId,
  onOpen,
  title,
}: {
  state: ListState;
  onStateChange: (state: ListState) => void;
  openId: string | null;
  onOpen: (id: string) => void;
  title: string;
}) {
  const { t } = useI18n();
  const [query, setQuery] = useState<string | null>(null); // the search field's words: results replace the list
  const filter = useMemo(() => withQuery(listFilter(state), query), [state, query]);
  const list = useConversationList(filter);
  const end = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const outcomeText = useOutcomeText();
  const [outcome, setOutcome] = useState("");

  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel || !hasNextPage || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const order = useMemo(() => items.map((conversation) => conversation.id), [items]);
  // Another list, or one that changed: only what is still listed stays ticked.
  useEffect(() => setTicked((now) => (now.size ? keepListed(now, order) : now)), [order]);
  useEffect(() => {
    setTicked(new Set());
    setAnchor(null);
    setOutcome("");
  }, [filter]);

  const tick = (id: string, range: boolean) => {
    setTicked((now) => toggleSelection(now, order, id, anchor, range));
    setAnchor(id);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key.toLowerCase() !== "x" || event.ctrlKey || event.altKey || event.metaKey) return;
    const row = (event.target as HTMLElement).closest<HTMLElement>("[data-row-id]");
    if (!row?.dataset.rowId) return;
    event.preventDefault();
    tick(row.dataset.rowId, event.shiftKey);
  };
  const all = items.length > 0 && ticked.size === items.length;

  return (
    <section className="conversation-list" aria-label={t("list.title")} onKeyDown={onKeyDown}>
      <SearchField onQuery={setQuery} />
      <div className="list-heading">
        <input
          type="checkbox"
          className="row-check"
          aria-label={t("list.selectAll")}
          checked={all}
          ref={(box) => {
            if (box) box.indeterminate = ticked.size > 0 && !all;
          }}
          disabled={items.length === 0}
          onChange={() => setTicked(all ? new Set() : new Set(order))}
        />
        <h2 className="pane-heading">{title}</h2>
      </div>
      <FilterBar state={state} onChange={onStateChange} />
      {ticked.size > 0 && (
        <BulkBar
          ids={order.filter((id) => ticked.has(id))}
          onClear={() => setTicked(new Set())}
          onOutcome={(results) => setOutcome(outcomeText(results))}
        />
      )}
      <p className="bulk-outcome" role="status">
        {outcome}
      </p>
      {list.isPending && <p className="muted">{t("app.loading")}</p>}
      {list.isError && <p className="error">{apiErrorText(list.error, t)}</p>}
      {list.isSuccess && items.length === 0 && !hasNextPage && !query && <p className="muted">{t("list.empty")}</p>}
      <SearchStatus query={query} count={items.length} more={hasNextPage} ready={list.isSuccess} />
      <ul>
        {items.map((conversation) => (
          <Row
            key={conversation.id}
            conversation={conversation}
            open={conversation.id === openId}
            ticked={ticked.has(conversation.id)}
            onTick={(range) => tick(conversation.id, range)}
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

function Row({
  conversation,
  open,
  ticked,
  onTick,
  onOpen,
}: {
  conversation: Conversation;
  open: boolean;
  ticked: boolean;
  onTick: (range: boolean) => void;
  onOpen: () => void;
}) {
  const { t, formatTime, formatDateTime } = useI18n();
  const folders = useFolders();
  const who = partyName(conversation.contact) ?? t("list.unknownContact");
  const summary = conversation.subject || conversation.preview || t("list.noSubject");
  const folder = folderLabel(conversation, folders.data ?? [], t);
  const assignedTo = useAssignee(conversation.assignee_id);
  const assignee = assignedTo
    ? assignedTo.mine
      ? t("list.assignedToMe")
      : t("list.assignedTo", { assignee: assignedTo.name })
    : null;
  return (
    <li className={`conversation-item${ticked ? " ticked" : ""}`} data-row-id={conversation.id}>
      <input
        type="checkbox"
        className="row-check"
        checked={ticked}
        aria-label={t("list.select", { who })}
        onClick={(event) => onTick(event.shiftKey)}
        onChange={() => undefined}
      />
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
          {conversation.urgency === "high" && <span className="urgency-high">{t("list.urgencyHigh")}</span>}
          <span className={`status status-${conversation.status}`}>{t(`status.${conversation.status}`)}</span>
        </span>
        <span className="row-meta">
          <span className="folder-tag">{folder}</span>
          {assignee && <span className="assignee">{assignee}</span>}
        </span>
        {conversation.match && <Passage parts={conversation.match.snippet} />}
      </button>
    </li>
  );
}

function folderLabel(conversation: Conversation, folders: readonly Folder[], t: ReturnType<typeof useI18n>["t"]): string {
  const id = conversation.folder ?? conversation.folder_id ?? "inbox";
  if (id === "inbox") return t("folders.inbox");
  if (id === "automated") return t("folders.automated");
  return folders.find((folder) => folder.id === id)?.name ?? id;
}
