import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type Schemas } from "../api/client";
import { keys, useApi } from "../api/queries";

export type Task = Schemas["TaskOut"];
export type NewTask = { title: string; due_at: string; assignee_id?: string | null };
export type TaskChanges = { done?: boolean; title?: string; due_at?: string; assignee_id?: string };

const MY_TASKS_PAGE = 50;

/** A conversation's under the conversation's key (a live update of it reads them again); "My tasks" apart. */
export const taskKeys = {
  ofConversation: (conversationId: string) => [...keys.conversation(conversationId), "tasks"] as const,
  mine: ["tasks", "mine"] as const,
};

export function useConversationTasks(conversationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: taskKeys.ofConversation(conversationId),
    queryFn: async () =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/tasks", {
          params: { path: { conversation_id: conversationId } },
        }),
      ).items,
  });
}

/** The open tasks assigned to me, soonest due first, a page at a time. */
export function useMyTasks() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: taskKeys.mine,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/tasks", {
          params: { query: { assignee: "me", status: "open", limit: MY_TASKS_PAGE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useCreateTask(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewTask) =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/tasks", {
          params: { path: { conversation_id: conversationId } },
          body,
        }),
      ),
    onSettled: () => invalidate(queryClient, conversationId),
  });
}

/** Complete, reopen or change a task (`conversationId`: whose list to read again). */
export function useChangeTask(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: string; changes: TaskChanges }) =>
      dataOf(await api.PATCH("/inbox/tasks/{task_id}", { params: { path: { task_id: id } }, body: changes })),
    // The changed task at once in the conversation's list (no flicker back before it is read again).
    onSuccess: (changed) =>
      queryClient.setQueryData<Task[]>(taskKeys.ofConversation(conversationId), (tasks) =>
        tasks?.map((task) => (task.id === changed.id ? changed : task)),
      ),
    onSettled: () => invalidate(queryClient, conversationId),
  });
}

export function useDeleteTask(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/tasks/{task_id}", { params: { path: { task_id: id } } });
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    onSettled: () => invalidate(queryClient, conversationId),
  });
}

function invalidate(queryClient: ReturnType<typeof useQueryClient>, conversationId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: taskKeys.ofConversation(conversationId) }),
    queryClient.invalidateQueries({ queryKey: taskKeys.mine }),
  ]);
}

/** Overdue: open and due before `now`. */
export function isOverdue(task: Pick<Task, "done" | "due_at">, now: Date): boolean {
  return !task.done && new Date(task.due_at).getTime() < now.getTime();
}
