// The audit's reads: the tenant's activity (admins) and one conversation's history (whoever reads it).
import { useInfiniteQuery } from "@tanstack/react-query";
import { dataOf } from "../api/client";
import { keys, useApi } from "../api/queries";
import type { AuditKind } from "./types";

const PAGE_SIZE = 50;

/** The activity's filters, as GET /inbox/audit takes them (`from` and `to` are datetimes). */
export interface AuditFilter {
  person?: string;
  kind?: AuditKind;
  conversation?: string;
  from?: string;
  to?: string;
}

export const auditKeys = {
  activity: (filter: AuditFilter) => ["audit", filter] as const,
  // Under the conversation's key: whatever reads the conversation again (a change made here, a live
  // update) reads its open history again too.
  history: (conversationId: string) => [...keys.conversation(conversationId), "history"] as const,
};

export function useActivity(filter: AuditFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: auditKeys.activity(filter),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/audit", {
          params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** A conversation's entries, read once its history is opened (`enabled`). */
export function useHistory(conversationId: string, enabled: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: auditKeys.history(conversationId),
    enabled,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/history", {
          params: { path: { conversation_id: conversationId }, query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}
