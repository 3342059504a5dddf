/** The longest query the API takes in `q` (inbox/http/schemas/search.py). */
export const MAX_QUERY = 200;

// A letter or a digit in any script: what the index has words of. A query without one has nothing
// to search (the API would answer 422 on `q`), so the list stays as it is while only such is typed.
const SEARCHABLE = /[\p{L}\p{N}]/u;

/** What is sent as `q` for what the person typed: trimmed, or null when there is nothing to search
 * (blank, punctuation alone, or longer than the API takes, which the field's maxLength prevents). */
export function searchQuery(typed: string): string | null {
  const query = typed.trim();
  if (!query || query.length > MAX_QUERY || !SEARCHABLE.test(query)) return null;
  return query;
}

/** The list's filter with the query: the order is relevance then recency, so the chosen sort goes. */
export function withQuery<F extends { sort?: unknown }>(filter: F, query: string | null): F & { q?: string } {
  if (query === null) return filter;
  const { sort: _sort, ...kept } = filter;
  return { ...kept, q: query } as F & { q?: string };
}
