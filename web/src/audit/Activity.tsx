import { useEffect, useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useMe, useUsers } from "../api/queries";
import { AdminScreen, AdminsOnly } from "../admin/AdminScreen";
import { useI18n } from "../i18n/i18n";
import { personLabel } from "../inbox/people";
import { AuditEntryItem, useNames } from "./AuditEntryItem";
import { ACTIVITY_HASH, conversationHref } from "./links";
import { useActivity, type AuditFilter } from "./queries";
import { dayBound } from "./time";
import { PERSON_KINDS, SYSTEM_KINDS } from "./types";
import { kindText } from "./words";

const AUTO_FOLLOWED = 3; // empty pages followed in a row without a click (each one bounded reads)

/** The header's way in: admins only (the API refuses the activity to agents). */
export function ActivityLink() {
  const { t } = useI18n();
  const me = useMe();
  if (me.data?.role !== "admin") return null;
  return (
    <a className="button-link" href={ACTIVITY_HASH}>
      {t("activity.title")}
    </a>
  );
}

/** The days picked in the period's fields, as typed (the API gets their bounds, see dayBound). */
interface Period {
  from: string;
  to: string;
}

/** The activity of the tenant (admins): every entry of the audit, newest first, with its filters. */
export function Activity() {
  return (
    <AdminScreen name="activity">
      <ActivityPanel />
    </AdminScreen>
  );
}

/** The screen's content: its title, and the entries for an admin. */
export function ActivityPanel() {
  const { t } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{t("activity.title")}</h1>
      <AdminsOnly refusal={t("activity.adminsOnly")}>
        <ActivityEntries />
      </AdminsOnly>
    </>
  );
}

function ActivityEntries() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Omit<AuditFilter, "from" | "to">>({});
  const [period, setPeriod] = useState<Period>({ from: "", to: "" });
  const from = dayBound(period.from, false);
  const to = dayBound(period.to, true);
  const query = { ...filter, ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const activity = useActivity(query);
  const entries = activity.data?.pages.flatMap((page) => page.items) ?? [];
  // A filtered read is bounded: a page can come back empty with a cursor while older entries match.
  // Such pages are followed by themselves, a few in a row, before asking the person to look further.
  const pages = activity.data?.pages ?? [];
  let emptyInARow = 0;
  while (emptyInARow < pages.length && pages[pages.length - 1 - emptyInARow]?.items.length === 0) emptyInARow += 1;
  const { hasNextPage, isFetching, fetchNextPage } = activity;
  useEffect(() => {
    if (emptyInARow > 0 && emptyInARow <= AUTO_FOLLOWED && hasNextPage && !isFetching) void fetchNextPage();
  }, [emptyInARow, hasNextPage, isFetching, fetchNextPage]);
  const names = useNames(entries);
  const filtered = Object.values(query).some(Boolean);

  return (
    <>
      <p className="muted">{t("activity.intro")}</p>
      <ActivityFilters
        filter={filter}
        period={period}
        onFilter={setFilter}
        onPeriod={setPeriod}
        onClear={() => {
          setFilter({});
          setPeriod({ from: "", to: "" });
        }}
        onRefresh={() => void activity.refetch()}
        refreshing={activity.isRefetching}
      />
      {activity.isPending && (
        <p className="muted" role="status">
          {t("app.loading")}
        </p>
      )}
      {activity.isError && (
        <div className="error activity-error" role="alert">
          <p>{apiErrorText(activity.error, t)}</p>
          <button type="button" onClick={() => void activity.refetch()}>
            {t("app.retry")}
          </button>
        </div>
      )}
      {activity.isSuccess && entries.length === 0 && (
        <p className="muted activity-empty">
          {activity.hasNextPage
            ? t("activity.noneYet")
            : t(filtered ? "activity.emptyFiltered" : "activity.empty")}
        </p>
      )}
      {entries.length > 0 && (
        <ol className="audit-list" aria-label={t("activity.title")}>
          {entries.map((entry) => (
            <AuditEntryItem key={entry.id} entry={entry} names={names}>
              {entry.conversation_id && (
                <p className="audit-links">
                  <a href={conversationHref(entry.conversation_id)}>{t("activity.openConversation")}</a>
                  {filter.conversation !== entry.conversation_id && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setFilter((was) => ({ ...was, conversation: entry.conversation_id! }))}
                    >
                      {t("activity.onlyConversation")}
                    </button>
                  )}
                </p>
              )}
            </AuditEntryItem>
          ))}
        </ol>
      )}
      {activity.hasNextPage ? (
        <button
          type="button"
          name="more"
          className="audit-more"
          disabled={activity.isFetchingNextPage}
          onClick={() => void activity.fetchNextPage()}
        >
          {activity.isFetchingNextPage ? t("app.loading") : t("activity.more")}
        </button>
      ) : (
        entries.length > 0 && <p className="muted">{t("activity.end")}</p>
      )}
    </>
  );
}

function ActivityFilters({
  filter,
  period,
  onFilter,
  onPeriod,
  onClear,
  onRefresh,
  refreshing,
}: {
  filter: Omit<AuditFilter, "from" | "to">;
  period: Period;
  onFilter: (change: (was: Omit<AuditFilter, "from" | "to">) => Omit<AuditFilter, "from" | "to">) => void;
  onPeriod: (change: (was: Period) => Period) => void;
  onClear: () => void;
  onRefresh: () => void;
  refreshing: boolean;
}) {
  const { t } = useI18n();
  const people = useUsers(true);
  // The conversation's id is applied once typed (Enter, or leaving the field), not at each key.
  const [conversation, setConversation] = useState(filter.conversation ?? "");
  useEffect(() => setConversation(filter.conversation ?? ""), [filter.conversation]);
  const set = (name: keyof typeof filter, value: string) =>
    onFilter((was) => ({ ...was, [name]: value.trim() || undefined }));
  const applyConversation = (event?: FormEvent) => {
    event?.preventDefault();
    if (conversation.trim() !== (filter.conversation ?? "")) set("conversation", conversation);
  };

  return (
    <form className="activity-filters" aria-label={t("activity.filters")} onSubmit={applyConversation}>
      <label>
        {t("activity.person")}
        <select name="person" value={filter.person ?? ""} onChange={(event) => set("person", event.target.value)}>
          <option value="">{t("activity.anyone")}</option>
          {(people.data ?? []).map((person) => (
            <option key={person.id} value={person.id}>
              {personLabel(person)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("activity.kind")}
        <select name="kind" value={filter.kind ?? ""} onChange={(event) => set("kind", event.target.value)}>
          <option value="">{t("activity.anyKind")}</option>
          <optgroup label={t("activity.byPeople")}>
            {PERSON_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindText(kind, t)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("activity.bySystem")}>
            {SYSTEM_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindText(kind, t)}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        {t("activity.conversation")}
        <input
          name="conversation"
          value={conversation}
          placeholder={t("activity.conversationHint")}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => setConversation(event.target.value)}
          onBlur={() => applyConversation()}
        />
      </label>
      <label>
        {t("activity.from")}
        <input
          type="date"
          name="from"
          value={period.from}
          max={period.to || undefined}
          onChange={(event) => onPeriod((was) => ({ ...was, from: event.target.value }))}
        />
      </label>
      <label>
        {t("activity.to")}
        <input
          type="date"
          name="to"
          value={period.to}
          min={period.from || undefined}
          onChange={(event) => onPeriod((was) => ({ ...was, to: event.target.value }))}
        />
      </label>
      <div className="activity-filter-actions">
        <button type="button" name="clear" onClick={onClear}>
          {t("activity.clear")}
        </button>
        <button type="button" name="refresh" onClick={onRefresh} disabled={refreshing}>
          {t("activity.refresh")}
        </button>
      </div>
    </form>
  );
}
