// The app's query cache. TanStack Query reuses a read under way for a query that has no data yet
// rather than start a new one, even when a write invalidates it: a list's first read that left
// before an "add" then answers without the addition, counts as fresh, and nothing reads it again
// (test_web_projects' CI failures; a person adding something before a list has loaded saw it too).
import { QueryClient, type InvalidateOptions, type InvalidateQueryFilters, type QueryKey } from "@tanstack/react-query";

export class AppQueryClient extends QueryClient {
  /** Invalidated as TanStack does, after cancelling the reads under way that have no data yet and
   * that the invalidation reads again: they may have left before the write (those with data are
   * cancelled already). A read the invalidation would not start again, such as a disabled query's
   * on-demand "Show earlier messages", is left to finish: cancelled, it would be lost. */
  override async invalidateQueries<TTaggedQueryKey extends QueryKey = QueryKey>(
    filters?: InvalidateQueryFilters<TTaggedQueryKey>,
    options?: InvalidateOptions,
  ): Promise<void> {
    const refetchType = filters?.refetchType ?? filters?.type ?? "active";
    const leftBefore =
      refetchType === "none"
        ? []
        : this.getQueryCache()
            .findAll({ ...filters, type: refetchType, fetchStatus: "fetching" })
            .filter((query) => query.state.data === undefined && !query.isDisabled());
    await Promise.all(leftBefore.map((query) => query.cancel({ revert: true })));
    return super.invalidateQueries(filters, options);
  }
}
