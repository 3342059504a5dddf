// The statistics screen at #stats (issue 14, item 2; admins): the choice of period and filter, the key
// figures, the charts over the periods with their tables, the breakdowns, per person, the AI, and the
// same figures as a CSV file. Loaded lazily (StatsLink.tsx): the default export is the screen.
import { useEffect, useMemo, useState } from "react";
import type { Folder, Schemas } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useApi, useFolders, useUsers } from "../api/queries";
import { AdminScreen, AdminsOnly } from "../admin/AdminScreen";
import { useI18n } from "../i18n/i18n";
import { useBusinessHours } from "../settings/businessHours";
import { statsFormat, type StatsFormat } from "./format";
import {
  choiceFromSearch,
  choiceToSearch,
  statsQuery,
  statsZone,
  todayIn,
  type StatsChoice,
  type StatsQuery,
} from "./period";
import { downloadStatsCsv, useStats, type Stats } from "./queries";
import { StatsCharts } from "./StatsCharts";
import { StatsFilters } from "./StatsFilters";
import { STATS_HASH } from "./StatsLink";
import { AiFigures, Breakdown, KeyFigures, People } from "./StatsTables";

type Person = Schemas["UserOut"];

export default function StatsScreen() {
  const { t } = useI18n();
  return (
    <AdminScreen name="stats">
      <h1 tabIndex={-1}>{t("stats.title")}</h1>
      <AdminsOnly refusal={t("stats.adminsOnly")}>
        <StatsBody />
      </AdminsOnly>
    </AdminScreen>
  );
}

/** The choice, then what the API answers for it. */
function StatsBody() {
  const { t, language } = useI18n();
  const [choice, setChoice] = useState<StatsChoice>(() => choiceFromSearch(searchOf(window.location.hash)));
  useEffect(() => {
    // The address follows the choice (replaced, not pushed: Back leaves the screen, not each filter).
    const search = choiceToSearch(choice);
    const hash = search ? `${STATS_HASH}?${search}` : STATS_HASH;
    if (window.location.hash !== hash) window.history.replaceState(window.history.state, "", hash);
  }, [choice]);
  // Days are the tenant's (its business hours' zone, UTC until set), as the API counts them.
  const hours = useBusinessHours();
  const zone = hours.data ? statsZone(hours.data) : hours.isError ? "UTC" : null;
  const today = zone ? todayIn(zone) : null;
  const query = today ? statsQuery(choice, today) : null;
  const stats = useStats(query);
  const folders = useFolders();
  const people = useUsers(true);
  const format = useMemo(() => statsFormat(language), [language]);

  if (!today) return <p className="muted">{t("app.loading")}</p>;
  return (
    <>
      <StatsFilters
        choice={choice}
        onChange={setChoice}
        today={today}
        folders={folders.data ?? []}
        people={people.data ?? []}
      />
      {query && <CsvDownload query={query} />}
      {stats.isError ? (
        <p className="error" role="alert">
          {t("stats.error", { reason: apiErrorText(stats.error, t) })}{" "}
          <button type="button" onClick={() => void stats.refetch()}>
            {t("app.retry")}
          </button>
        </p>
      ) : !stats.data ? (
        query && <p className="muted">{t("stats.loading")}</p>
      ) : (
        <div className="stats-results" aria-busy={stats.isFetching}>
          <p className="muted">
            {t("stats.showing", {
              from: format.day(stats.data.from),
              to: format.day(stats.data.to),
              zone: stats.data.time_zone,
            })}
          </p>
          <StatsResults stats={stats.data} format={format} folders={folders.data ?? []} people={people.data ?? []} />
        </div>
      )}
    </>
  );
}

// Users and folders name what the tables hold: a failed read of them leaves ids, not an error.
function StatsResults(props: { stats: Stats; format: StatsFormat; folders: Folder[]; people: Person[] }) {
  const { t } = useI18n();
  const { stats, format } = props;
  if (isEmpty(stats)) return <p className="notice">{t("stats.empty")}</p>;
  return (
    <>
      <KeyFigures stats={stats} format={format} />
      <StatsCharts stats={stats} format={format} />
      <p className="muted">{t("stats.approximate")}</p>
      <Breakdown stats={stats} format={format} folders={props.folders} />
      <People stats={stats} format={format} people={props.people} />
      <AiFigures stats={stats} format={format} />
    </>
  );
}

/** What follows `#stats?` in an address. */
function searchOf(hash: string): string {
  const at = hash.indexOf("?");
  return at < 0 ? "" : hash.slice(at + 1);
}

/** Nothing came in, went out, was opened or resolved in the period. */
export function isEmpty(stats: Stats): boolean {
  const totals = stats.totals;
  return totals.messages_in + totals.messages_out + totals.conversations_created + totals.resolved === 0;
}

/** "Download CSV": the same query as text/csv, saved as a file. */
function CsvDownload({ query }: { query: StatsQuery }) {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <div className="stats-csv">
      <button
        type="button"
        name="csv"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailure(null);
          try {
            await downloadStatsCsv(api, query);
          } catch (error) {
            setFailure(apiErrorText(error, t));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t("stats.csv.busy") : t("stats.csv")}
      </button>
      {failure && (
        <p className="error" role="alert">
          {t("stats.csv.failed", { reason: failure })}
        </p>
      )}
    </div>
  );
}
