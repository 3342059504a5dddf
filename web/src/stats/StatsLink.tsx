// The way into the statistics (issue 14, item 2), in the app's first bundle: the header's link
// (admins only) and the #stats screen loaded on demand, so Chart.js and the screen's code cost the
// inbox's first load nothing.
import { lazy, Suspense } from "react";
import { useMe } from "../api/queries";
import { useI18n } from "../i18n/i18n";

export const STATS_HASH = "#stats";

export function isStatsHash(hash: string): boolean {
  return hash === STATS_HASH || hash.startsWith(`${STATS_HASH}/`) || hash.startsWith(`${STATS_HASH}?`);
}

/** "Statistics" in the header, next to Settings: admins only (the API refuses agents too). */
export function StatsLink() {
  const { t } = useI18n();
  const me = useMe();
  if (me.data?.role !== "admin") return null;
  return (
    <a className="button-link" href={STATS_HASH}>
      {t("stats.title")}
    </a>
  );
}

/** Said when the screen's code cannot be fetched (offline, or a new version deployed meanwhile). */
function Unreachable() {
  const { t } = useI18n();
  return (
    <p className="error boot-error" role="alert">
      {t("stats.error", { reason: t("api.error.network") })}{" "}
      <a href={STATS_HASH} onClick={() => window.location.reload()}>
        {t("app.retry")}
      </a>
    </p>
  );
}

const StatsScreen = lazy(() => import("./StatsScreen").catch(() => ({ default: Unreachable })));

export function LazyStatsScreen() {
  const { t } = useI18n();
  return (
    <Suspense fallback={<p className="muted boot-error">{t("app.loading")}</p>}>
      <StatsScreen />
    </Suspense>
  );
}
