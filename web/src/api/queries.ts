import { createContext, useContext } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type ApiClient, type Channel, type Conversation, type Schemas, type Status } from "./client";

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiContext");
  return api;
}

/** The list's filters, as GET /inbox/conversations takes them. */
export interface ListFilter {
  folder?: string;
  status?: Status;
  channel?: Channel;
  /** A user id, `me` or `none`. */
  assignee?: string;
  /** A project's id. */
  project?: string;
  /** The Snoozed view: snoozed conversations only (no other list shows them). */
  snoozed?: boolean;
  /** The order; newest activity first without it. */
  sort?: "-activity" | "activity" | "urgency" | "status";
  /** Search words (web/src/search): the conversations found among those listed, best first. */
  q?: string;
}

export const keys = {
  me: ["me"] as const,
  folders: ["folders"] as const,
  conversations: ["conversations"] as const,
  list: (filter: ListFilter) => ["conversations", "list", filter] as const,
  conversation: (id: string) => ["conversations", "one", id] as const,
  users: ["users"] as const,
};

const PAGE_SIZE = 30;

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: keys.me, queryFn: async () => dataOf(await api.GET("/inbox/me")), staleTime: Infinity });
}

/** GET /inbox/folders, one request for the folders, the views' and the bell's counters; `select` picks. */
export function useFolderList<T>(select: (list: Schemas["FolderList"]) => T) {
  const api = useApi();
  return useQuery({ queryKey: keys.folders, queryFn: async () => dataOf(await api.GET("/inbox/folders")), select });
}

export function useFolders() {
  return useFolderList((list) => list.items);
}

/** The counters of the views Mine and Unassigned (issue 13), read with the folders'. */
export function useAssigneeViews() {
  return useFolderList((list) => list.views ?? null);
}

/** The tenant's people (GET /inbox/users), read only when asked for (`enabled`): a picker opened, a
 * name to show. Opening the app needs none, so it stays me + folders + the list; read once a session,
 * unless a person nobody knows shows up (see AssigneePicker's useAssigneeName). */
export function useUsers(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: keys.users,
    enabled,
    staleTime: Infinity,
    queryFn: async () => dataOf(await api.GET("/inbox/users")).items,
  });
}

export function useConversationList(filter: ListFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.list(filter),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/conversations", {
          params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam ?? undefined } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useConversation(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: keys.conversation(id ?? ""),
    enabled: id !== null,
    queryFn: async () =>
      dataOf(await api.GET("/inbox/conversations/{conversation_id}", { params: { path: { conversation_id: id! } } })),
  });
}

/** Messages before `before` (a conversation's `earlier_messages`), page after page on demand. */
export function useEarlierMessages(id: string, before: string | null | undefined) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [...keys.conversation(id), "earlier", before ?? ""] as const,
    enabled: false,
    initialPageParam: before ?? "",
    queryFn: async ({ pageParam }) =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}", {
          params: { path: { conversation_id: id }, query: { before: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.earlier_messages ?? null,
  });
}

type Patch = {
  unread?: boolean;
  status?: Status;
  folder_id?: string | null;
  assignee_id?: string | null;
  project_id?: string | null;
};

/** Change a conversation; the list, the conversation and the counters are read again after. */
export function useChangeConversation() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: string; changes: Patch }): Promise<Conversation> =>
      dataOf(
        await api.PATCH("/inbox/conversations/{conversation_id}", {
          params: { path: { conversation_id: id } },
          body: changes,
        }),
      ),
    onSettled: () => void invalidateInbox(queryClient),
  });
}

export function useReply(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // `subject`: an email reply's only (the API refuses it on other channels); `template`: WhatsApp's
    // approved template instead of text. `reply_all` has a default, which the generated type makes
    // required: false unless asked (the API takes false on every channel).
    mutationFn: async (body: Omit<Schemas["ReplyIn"], "reply_all"> & { reply_all?: boolean }) =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/messages", {
          params: { path: { conversation_id: conversationId } },
          body: { ...body, reply_all: body.reply_all ?? false },
        }),
      ),
    onSettled: () => void invalidateInbox(queryClient),
  });
}

export function useAddNote(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (text: string) =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/notes", {
          params: { path: { conversation_id: conversationId } },
          body: { text },
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) }),
  });
}

export function useDeleteConversation() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/inbox/conversations/{conversation_id}", {
        params: { path: { conversation_id: id } },
      });
      if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
    },
    // The lists and counters, not the deleted conversation itself (it would be read again, as a 404).
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: [...keys.conversations, "list"] }),
        queryClient.invalidateQueries({ queryKey: keys.folders }),
      ]),
  });
}

// Not awaited by the mutations: a change is done when the API has answered, while what shows it
// is read again (awaiting would keep "Sending…" up, and the composer busy, for those reads too).
function invalidateInbox(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: keys.conversations }),
    queryClient.invalidateQueries({ queryKey: keys.folders }),
  ]);
}

// --- AI drafts, the "Suggest a reply" button and the summary (issue 12, items 5 and 7) ---

export type Draft = Schemas["DraftOut"];
export type Summary = Schemas["SummaryOut"];

/** Under the conversation's key: a live update of the conversation (a reply sent from a draft, say),
 * a reconnection's catch-up and every change made here read them again too. */
export const draftKeys = {
  drafts: (conversationId: string) => [...keys.conversation(conversationId), "drafts"] as const,
  // Not under the conversation's key: a new message must not make a summary by itself (a model call);
  // the panel says it is out of date and the person asks.
  summary: (conversationId: string) => ["summary", conversationId] as const,
};

export function useDrafts(conversationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: draftKeys.drafts(conversationId),
    queryFn: async () =>
      dataOf(
        await api.GET("/inbox/conversations/{conversation_id}/drafts", {
          params: { path: { conversation_id: conversationId } },
        }),
      ).items,
  });
}

/** Send a pending draft as drafted (`text` undefined) or edited; discard one. */
export function useDecideDraft(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = (draftId: string) => ({ path: { conversation_id: conversationId, draft_id: draftId } });
  return useMutation({
    mutationFn: async ({ draftId, action, text }: { draftId: string; action: "send" | "discard"; text?: string }) =>
      action === "send"
        ? dataOf(
            await api.POST("/inbox/conversations/{conversation_id}/drafts/{draft_id}/send", {
              params: path(draftId),
              body: text === undefined ? {} : { text },
            }),
          ).draft
        : dataOf(
            await api.POST("/inbox/conversations/{conversation_id}/drafts/{draft_id}/discard", {
              params: path(draftId),
            }),
          ),
    // A 409 (someone else decided first) reads the drafts again too.
    onSettled: () => void invalidateInbox(queryClient),
  });
}

/** Ask the AI for a draft now (the "Copilot" button). */
export function useSuggestReply(conversationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/suggestion", {
          params: { path: { conversation_id: conversationId } },
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: draftKeys.drafts(conversationId) }),
  });
}

/** The conversation's summary, asked for when `enabled` (the panel is open); `refetch` makes it again
 * when newer messages came (the API answers the kept one, without a model call, when none did). */
export function useSummary(conversationId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: draftKeys.summary(conversationId),
    enabled,
    staleTime: Infinity,
    retry: false,
    queryFn: async () =>
      dataOf(
        await api.POST("/inbox/conversations/{conversation_id}/summary", {
          params: { path: { conversation_id: conversationId } },
        }),
      ),
  });
}
