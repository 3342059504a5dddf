import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { keys, useApi, useFolderList } from "../api/queries";

export type Notification = Schemas["NotificationOut"];

export const notificationKeys = { all: ["notifications"] as const };

const PAGE_SIZE = 20;

/** The signed-in person's own notifications, newest first, page after page, read once the bell is
 * opened (`enabled`): the count on the bell comes with the folders' counters (useUnreadNotifications),
 * so opening the app asks the API for nothing more. */
export function useNotifications(enabled: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: notificationKeys.all,
    enabled,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/notifications", {
          params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** The bell's count: the person's unread notifications, as GET /inbox/folders answers them. */
export function useUnreadNotifications(): number {
  return useFolderList((list) => list.notifications_unread ?? 0).data ?? 0;
}

/** Calls of "mark all read" at most: the API marks up to 100 per call and says whether more remain. */
const MARK_ALL_CALLS = 20;

/** Mark one read (`id`), or all of them (`id` null); the list and the count are read again after. */
export function useMarkNotificationsRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string | null) => {
      if (id === null) {
        let answer = dataOf(await api.POST("/inbox/notifications/read"));
        for (let call = 1; answer.more && call < MARK_ALL_CALLS; call++) {
          answer = dataOf(await api.POST("/inbox/notifications/read"));
        }
        return answer;
      }
      return dataOf(
        await api.POST("/inbox/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }),
      );
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
        queryClient.invalidateQueries({ queryKey: keys.folders }),
      ]),
  });
}
