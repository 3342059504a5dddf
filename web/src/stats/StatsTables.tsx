// The statistics' figures that are not over time (issue 14, item 2): the key figures of the whole
// period, new conversations by channel, folder and status, per person, and the AI's figures.
import type { Folder, Schemas } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import type { StatsFormat } from "./format";
import type { Stats } from "./queries";

type Person = Schemas["UserOut"];

/** The whole period's main figures, as a definition list. */
export function KeyFigures({ stats, format }: { stats: Stats; format: StatsFormat }) {
  const { t } = useI18n();
  const totals = stats.totals;
  const figures: [string, string][] = [
    [t("stats.key.messagesIn"), format.count(totals.messages_in)],
    [t("stats.key.messagesOut"), format.count(totals.messages_out)],
    [t("stats.key.created"), format.count(totals.conversations_created)],
    [t("stats.key.resolutionRate"), format.percent(totals.resolution_rate)],
    [t("stats.key.firstResponse"), format.duration(totals.first_response.person.median_seconds)],
    [t("stats.key.replyTime"), format.duration(totals.reply_time.all.median_seconds)],
    [t("stats.key.resolutionTime"), format.duration(totals.resolution_time.median_seconds)],
    [t("stats.key.reopened"), format.count(totals.reopened)],
  ];
  return (
    <section aria-labelledby="stats-key-figures">
      <h2 id="stats-key-figures">{t("stats.key.title")}</h2>
      <dl className="stats-key-figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** New conversations by channel (with the messages each carried), folder and status. */
export function Breakdown({ stats, format, folders }: { stats: Stats; format: StatsFormat; folders: Folder[] }) {
  const { t } = useI18n();
  const created = stats.breakdown.channel ?? {};
  const volumes = stats.totals.by_channel ?? {};
  const channels = [...new Set([...Object.keys(created), ...Object.keys(volumes)])];
  const folderName = (id: string) =>
    id === "none" ? t("folders.inbox") : (folders.find((f) => f.id === id)?.name ?? t("stats.breakdown.deletedFolder"));
  const word = (prefix: "channel" | "status", value: string) => {
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(key) : value;
  };
  return (
    <section aria-labelledby="stats-breakdown" className="stats-breakdown">
      <h2 id="stats-breakdown">{t("stats.breakdown.title")}</h2>
      <table>
        <caption>{t("stats.breakdown.channel")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("filters.channel")}</th>
            <th scope="col">{t("stats.breakdown.conversations")}</th>
            <th scope="col">{t("stats.breakdown.in")}</th>
            <th scope="col">{t("stats.breakdown.out")}</th>
          </tr>
        </thead>
        <tbody>
          {channels.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t("stats.breakdown.none")}
              </td>
            </tr>
          )}
          {channels.map((channel) => (
            <tr key={channel}>
              <th scope="row">{word("channel", channel)}</th>
              <td>{format.count(created[channel] ?? 0)}</td>
              <td>{format.count(volumes[channel]?.in ?? 0)}</td>
              <td>{format.count(volumes[channel]?.out ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CountTable
        caption={t("stats.breakdown.folder")}
        heading={t("filters.folder")}
        counts={stats.breakdown.folder ?? {}}
        name={folderName}
        format={format}
      />
      <CountTable
        caption={t("stats.breakdown.status")}
        heading={t("filters.status")}
        counts={stats.breakdown.status ?? {}}
        name={(status) => word("status", status)}
        format={format}
      />
    </section>
  );
}

function CountTable({
  caption,
  heading,
  counts,
  name,
  format,
}: {
  caption: string;
  heading: string;
  counts: Record<string, number>;
  name: (key: string) => string;
  format: StatsFormat;
}) {
  const { t } = useI18n();
  const rows = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">{t("stats.breakdown.conversations")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={2} className="muted">
              {t("stats.breakdown.none")}
            </td>
          </tr>
        ) : (
          rows.map(([key, count]) => (
            <tr key={key}>
              <th scope="row">{name(key)}</th>
              <td>{format.count(count)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** Each person's replies, conversations handled and response times. */
export function People({ stats, format, people }: { stats: Stats; format: StatsFormat; people: Person[] }) {
  const { t } = useI18n();
  const nameOf = (id: string) => {
    const person = people.find((p) => p.id === id);
    return person ? person.name || person.email || id : t("stats.people.unknown");
  };
  return (
    <section aria-labelledby="stats-people">
      <h2 id="stats-people">{t("stats.people.title")}</h2>
      {stats.people.length === 0 ? (
        <p className="muted">{t("stats.people.none")}</p>
      ) : (
        <div className="stats-scroll">
          <table className="stats-people">
            <thead>
              <tr>
                <th scope="col">{t("stats.people.person")}</th>
                <th scope="col">{t("stats.people.handled")}</th>
                <th scope="col">{t("stats.people.replies")}</th>
                <th scope="col">{t("stats.people.firstMedian")}</th>
                <th scope="col">{t("stats.people.firstP90")}</th>
                <th scope="col">{t("stats.people.replyMedian")}</th>
                <th scope="col">{t("stats.people.replyP90")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.people.map((row) => (
                <tr key={row.person_id} data-person-id={row.person_id}>
                  <th scope="row">{nameOf(row.person_id)}</th>
                  <td>{format.count(row.conversations_handled)}</td>
                  <td>{format.count(row.replies)}</td>
                  <td>{format.duration(row.first_response.median_seconds)}</td>
                  <td>{format.duration(row.first_response.p90_seconds)}</td>
                  <td>{format.duration(row.reply_time.median_seconds)}</td>
                  <td>{format.duration(row.reply_time.p90_seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The AI's figures: classification, auto-replies, drafts and their fate, tokens and the cost. */
export function AiFigures({ stats, format }: { stats: Stats; format: StatsFormat }) {
  const { t } = useI18n();
  const ai = stats.ai;
  const kept = ai.classified ? ai.classification_kept / ai.classified : null;
  const rows: [string, string][] = [
    [t("stats.ai.classified"), format.count(ai.classified)],
    [t("stats.ai.classificationKept"), `${format.count(ai.classification_kept)} (${format.percent(kept)})`],
    [t("stats.ai.autoReplies"), format.count(ai.auto_replies_sent)],
    [t("stats.ai.draftsCreated"), format.count(ai.drafts_created)],
    [t("stats.ai.draftsUnchanged"), format.count(ai.drafts_sent_unchanged)],
    [t("stats.ai.draftsEdited"), format.count(ai.drafts_sent_edited)],
    [t("stats.ai.draftsDiscarded"), format.count(ai.drafts_discarded)],
    [t("stats.ai.promptTokens"), format.count(ai.prompt_tokens)],
    [t("stats.ai.cachedTokens"), format.count(ai.cached_tokens)],
    [t("stats.ai.cachedShare"), format.percent(ai.cached_share)],
    [t("stats.ai.completionTokens"), format.count(ai.completion_tokens)],
    [t("stats.ai.cost"), format.cost(ai.estimated_cost_usd)],
  ];
  return (
    <section aria-labelledby="stats-ai">
      <h2 id="stats-ai">{t("stats.ai.title")}</h2>
      <table className="stats-ai">
        <thead>
          <tr>
            <th scope="col">{t("stats.ai.figure")}</th>
            <th scope="col">{t("stats.ai.value")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ai.prices_as_of && <p className="muted">{t("stats.ai.pricesAsOf", { date: format.day(ai.prices_as_of) })}</p>}
    </section>
  );
}
