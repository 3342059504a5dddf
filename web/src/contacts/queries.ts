import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { keys, useApi } from "../api/queries";

export type Contact = Schemas["ContactOut"];
export type ContactChanges = Schemas["ContactPatch"];
export type MergeResult = Schemas["MergeOut"];

export const contactKeys = {
  all: ["contacts"] as const,
  // Under the conversations' key: a change of a conversation (here, or a live update from elsewhere)
  // reads the history again, which shows their status and latest activity.
  one: (id: string) => [...keys.conversations, "contact", id] as const,
  search: (q: string) => ["contacts", "search", q] as const,
};

const HISTORY_PAGE = 10;
const MAX_MERGE_ROUNDS = 20; // each round moves up to 300 conversations; more is not one customer

/** GET /inbox/contacts/{id}: the contact and its conversations of every channel, newest first, page by page. */
export function useContact(id: string, enabled = true) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: contactKeys.one(id),
    enabled,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/contacts/{contact_id}", {
          params: { path: { contact_id: id }, query: { limit: HISTORY_PAGE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** GET /inbox/contacts?q=: by the start of a name, or exactly by an email or a phone number. */
export function useContactSearch(q: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: contactKeys.search(q),
    enabled,
    queryFn: async () =>
      dataOf(await api.GET("/inbox/contacts", { params: { query: { q: q || undefined, limit: 10 } } })).items,
  });
}

/** The customers' list: by name (from the start of one), or the one with an email or phone; page by page. */
export function useContactPages(q: string) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [...contactKeys.search(q), "pages"] as const,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/contacts", {
          params: { query: { q: q || undefined, limit: 20, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** What shows a contact is read again after a change: the panel, searches, and the conversations
 * (a merge moves them; their lists show the contact). */
function invalidateContacts(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: contactKeys.all }),
    queryClient.invalidateQueries({ queryKey: keys.conversations }),
  ]);
}

export function useChangeContact(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: ContactChanges) =>
      dataOf(await api.PATCH("/inbox/contacts/{contact_id}", { params: { path: { contact_id: id } }, body: changes })),
    onSettled: () =>
      void Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.all }),
        queryClient.invalidateQueries({ queryKey: contactKeys.one(id) }),
      ]),
  });
}

/** The merge's preview: what the contact would become, nothing written. */
export function useMergePreview(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async (otherId: string) =>
      dataOf(
        await api.POST("/inbox/contacts/{contact_id}/merge", {
          params: { path: { contact_id: id } },
          body: { other_id: otherId, preview: true },
        }),
      ),
  });
}

/** The merge itself, asked again while the API says conversations remain to move (`complete: false`). */
export function useMerge(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (otherId: string): Promise<MergeResult> => {
      let result: MergeResult | null = null;
      for (let round = 0; round < MAX_MERGE_ROUNDS && !result?.complete; round++) {
        result = dataOf(
          await api.POST("/inbox/contacts/{contact_id}/merge", {
            params: { path: { contact_id: id } },
            body: { other_id: otherId, preview: false },
          }),
        );
      }
      return result!;
    },
    onSettled: () => void invalidateContacts(queryClient),
  });
}
