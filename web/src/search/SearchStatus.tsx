// What a search found, said as it changes (issue 14 review, search item 12): a polite status region
// that screen readers read when the results change, "3 conversations found" or that none matched.
// Always in the page (a region added with its text is not announced), empty while nobody searches.
import { useI18n } from "../i18n/i18n";

export function SearchStatus({
  query,
  count,
  more,
  ready,
}: {
  query: string | null;
  count: number;
  more: boolean;
  ready: boolean;
}) {
  const { t } = useI18n();
  let text = "";
  if (query && ready) {
    if (count === 0 && !more) text = t("search.none", { query });
    else if (more) text = t("search.foundMore", { count });
    else text = count === 1 ? t("search.foundOne") : t("search.found", { count });
  }
  return (
    <p className="muted search-status" role="status">
      {text}
    </p>
  );
}
