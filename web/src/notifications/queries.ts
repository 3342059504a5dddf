import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";

export type Notification = Schemas["NotificationOut"];

export const notificationKeys = { all: ["notifications"] as const };

const PAGE_SIZE = 20;
/** Where the live updates cannot reach (no WebSocket), the bell still learns of new ones. */
const POLL_MS = 5 * 60_000;

/** The signed-in person's own notifications, newest first, page after page; each page carries the
 * unread count (of all pages). */
export function useNotifications() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: notificationKeys.all,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/notifications", {
          params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
    refetchInterval: POLL_MS,
  });
}

/** Mark one read (`id`), or all of them (`id` null); the list and the count are read again after. */
export function useMarkNotificationsRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string | null) => {
      if (id === null) return dataOf(await api.POST("/inbox/notifications/read"));
      return dataOf(
        await api.POST("/inbox/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
