import { useState } from "react";
import type { Conversation } from "../api/client";
import { useSummary, type Summary } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { aiErrorText, SuggestReplyButton } from "./Drafts";

/** The conversation's AI tools, under its header: "Suggest a reply" (key g) and "Summarise", whose
 * panel shows the summary and whether newer messages came since. */
export function AiTools({ conversation, latestMessageId }: { conversation: Conversation; latestMessageId: string | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="ai-tools">
      <div className="ai-tools-buttons" role="group" aria-label={t("drafts.aiTools")}>
        <SuggestReplyButton conversationId={conversation.id} />
        <button type="button" name="summary" aria-expanded={open} onClick={() => setOpen((was) => !was)}>
          {open ? t("summary.hide") : t("summary.show")}
        </button>
      </div>
      {open && <SummaryPanel conversationId={conversation.id} latestMessageId={latestMessageId} />}
    </div>
  );
}

function SummaryPanel({ conversationId, latestMessageId }: { conversationId: string; latestMessageId: string | null }) {
  const { t } = useI18n();
  const summary = useSummary(conversationId, true);
  return (
    <section className="summary" aria-labelledby="summary-title" aria-busy={summary.isFetching}>
      <h3 id="summary-title">{t("summary.title")}</h3>
      {summary.isPending && <p className="muted" role="status">{t("summary.loading")}</p>}
      {summary.error && (
        <p role="alert" className="error">
          {aiErrorText(summary.error, t, "drafts.error.waiting")}
        </p>
      )}
      {summary.data && (
        <SummaryBody
          summary={summary.data}
          stale={latestMessageId !== null && summary.data.covers_message_id !== latestMessageId}
          updating={summary.isFetching}
          onUpdate={() => void summary.refetch()}
        />
      )}
    </section>
  );
}

export function SummaryBody({
  summary,
  stale,
  updating,
  onUpdate,
}: {
  summary: Summary;
  stale: boolean;
  updating: boolean;
  onUpdate: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const time = formatDateTime(summary.created_at);
  return (
    <div>
      <p className={`summary-state ${stale ? "stale" : "fresh"}`} data-summary-state={stale ? "stale" : "fresh"}>
        <span>{stale ? t("summary.stale", { time }) : t("summary.upToDate", { time })}</span>
        {stale && (
          <>
            {" "}
            <button type="button" name="update-summary" onClick={onUpdate} disabled={updating}>
              {updating ? t("summary.loading") : t("summary.update")}
            </button>
          </>
        )}
      </p>
      <h4>{t("summary.wants")}</h4>
      <p className="summary-wants" lang={summary.language}>{summary.customer_wants}</p>
      <h4>{t("summary.keyPoints")}</h4>
      <ul className="summary-points" lang={summary.language}>
        {summary.key_points.map((point, index) => (
          <li key={index}>{point}</li>
        ))}
      </ul>
      <h4>{t("summary.promised")}</h4>
      {summary.promised.length > 0 ? (
        <ul className="summary-promised" lang={summary.language}>
          {summary.promised.map((promise, index) => (
            <li key={index}>{promise}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("summary.nothingPromised")}</p>
      )}
    </div>
  );
}
