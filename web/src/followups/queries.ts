import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Conversation, type Schemas } from "../api/client";
import { keys, useApi } from "../api/queries";

export type FollowUp = Schemas["FollowUpOut"];
export type FollowUpAction = Schemas["FollowUpAction"];
export type NewFollowUp = {
  due_at: string;
  action: FollowUpAction;
  text?: string | null;
  only_if_no_answer: boolean;
  template?: Schemas["TemplateChoice"] | null; // WhatsApp `send`: sent if the window is closed (issue 16)
};

/** Under the conversation's key: a live update of the conversation reads them again (a fire changes it). */
export const followUpKeys = {
  ofConversation: (conversationId: string) => [...keys.conversation(conversationId), "follow-ups"] as const,
  mine: ["follow-ups", "mine"] as const,
};

export function useFollowUps(conversationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: followUpKeys.ofConversation(conversationId),
    queryFn: async () =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/follow-ups", {
          params: { path: { conversation_id: conversationId } },
        }),
      ).items,
  });
}

export function useCreateFollowUp(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewFollowUp) =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/follow-ups", {
          params: { path: { conversation_id: conversationId } },
          body,
        }),
      ),
    onSettled: () => invalidate(queryClient, conversationId),
  });
}

export function useCancelFollowUp(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (followUpId: string) =>
      dataOf(
        await api.DELETE("/inbox/conversations/{conversation_id}/follow-ups/{follow_up_id}", {
          params: { path: { conversation_id: conversationId, follow_up_id: followUpId } },
        }),
      ),
    onSettled: () => invalidate(queryClient, conversationId),
  });
}

/** Snooze until `until` (ISO), or unsnooze (`until` null); the lists, counters and conversation are read again. */
export function useSnooze(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (until: string | null): Promise<Conversation> => {
      const path = { params: { path: { conversation_id: conversationId } } };
      return until === null
        ? dataOf(await api.DELETE("/inbox/conversations/{conversation_id}/snooze", path))
        : dataOf(await api.POST("/inbox/conversations/{conversation_id}/snooze", { ...path, body: { until } }));
    },
    onSettled: () =>
      void Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.conversations }),
        queryClient.invalidateQueries({ queryKey: keys.folders }),
      ]),
  });
}

function invalidate(queryClient: ReturnType<typeof useQueryClient>, conversationId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: followUpKeys.ofConversation(conversationId) }),
    queryClient.invalidateQueries({ queryKey: followUpKeys.mine }),
  ]);
}
