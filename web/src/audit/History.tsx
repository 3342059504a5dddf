import { useState } from "react";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { AuditEntryItem, useNames } from "./AuditEntryItem";
import { useHistory } from "./queries";

/** A conversation's own history, under a disclosure: read when opened, newest first, entries rendered
 * as the activity renders them. */
export function History({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section className="history" aria-labelledby="history-title">
      <div className="history-head">
        <h3 id="history-title">{t("history.title")}</h3>
        <button
          type="button"
          name="history"
          aria-expanded={open}
          aria-controls="history-entries"
          onClick={() => setOpen((was) => !was)}
        >
          {open ? t("history.hide") : t("history.show")}
        </button>
      </div>
      <div id="history-entries" hidden={!open}>
        {open && <HistoryEntries conversationId={conversationId} />}
      </div>
    </section>
  );
}

function HistoryEntries({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const history = useHistory(conversationId, true);
  const entries = history.data?.pages.flatMap((page) => page.items) ?? [];
  const names = useNames(entries);
  if (history.isPending) {
    return (
      <p className="muted" role="status">
        {t("app.loading")}
      </p>
    );
  }
  if (history.isError) {
    return (
      <div className="error" role="alert">
        <p>{apiErrorText(history.error, t)}</p>
        <button type="button" onClick={() => void history.refetch()}>
          {t("app.retry")}
        </button>
      </div>
    );
  }
  if (entries.length === 0) return <p className="muted">{t("history.empty")}</p>;
  return (
    <>
      <ol className="audit-list">
        {entries.map((entry) => (
          <AuditEntryItem key={entry.id} entry={entry} names={names} />
        ))}
      </ol>
      {history.hasNextPage && (
        <button
          type="button"
          name="more-history"
          disabled={history.isFetchingNextPage}
          onClick={() => void history.fetchNextPage()}
        >
          {history.isFetchingNextPage ? t("app.loading") : t("activity.more")}
        </button>
      )}
    </>
  );
}
