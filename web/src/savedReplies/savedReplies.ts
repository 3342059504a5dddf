// Saved replies (issue 16, item 4): the API's hooks, the `/` search in a text field and the insert of a
// filled reply where the caret is. The fill itself is the API's (POST /saved-replies/{id}/fill), the one
// the follow-ups use too, so a reply reads the same in the composer and when a follow-up sends it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, dataOf, type ApiClient, type Schemas } from "../api/client";
import { useApi } from "../api/queries";

export type SavedReply = Schemas["SavedReplyOut"];
export type Filled = Schemas["FilledOut"];

export const SAVED_REPLIES_HASH = "#saved-replies";
export const MAX_TITLE = 200;
export const MAX_TEXT = 4000;

export const savedReplyKeys = { all: ["saved-replies"] as const };

export function isSavedRepliesHash(hash: string): boolean {
  return hash === SAVED_REPLIES_HASH || hash.startsWith(`${SAVED_REPLIES_HASH}?`);
}

/** The screen reached from a conversation's composer: its way back opens that conversation again. */
export function savedRepliesHashFrom(conversationId: string): string {
  return `${SAVED_REPLIES_HASH}?conversation=${encodeURIComponent(conversationId)}`;
}

/** The conversation the screen was reached from (savedRepliesHashFrom), null from anywhere else. */
export function conversationOfSavedRepliesHash(hash: string): string | null {
  if (!hash.startsWith(`${SAVED_REPLIES_HASH}?`)) return null;
  return new URLSearchParams(hash.slice(SAVED_REPLIES_HASH.length + 1)).get("conversation") || null;
}

/** The team's replies and the person's own, by title, with the placeholders the API fills. */
export function useSavedReplies(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: savedReplyKeys.all,
    enabled,
    staleTime: 60_000,
    queryFn: async () => dataOf(await api.GET("/inbox/saved-replies")),
  });
}

function useSavedReplyChange<T>(call: (variables: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: savedReplyKeys.all }),
  });
}

export function useCreateSavedReply() {
  const api = useApi();
  return useSavedReplyChange(async (body: Schemas["SavedReplyIn"]) =>
    dataOf(await api.POST("/inbox/saved-replies", { body })),
  );
}

export function useChangeSavedReply() {
  const api = useApi();
  return useSavedReplyChange(async ({ id, ...body }: { id: string } & Schemas["SavedReplyPatch"]) =>
    dataOf(await api.PATCH("/inbox/saved-replies/{reply_id}", { params: { path: { reply_id: id } }, body })),
  );
}

export function useDeleteSavedReply() {
  const api = useApi();
  return useSavedReplyChange(async (id: string) => {
    const { error, response } = await api.DELETE("/inbox/saved-replies/{reply_id}", {
      params: { path: { reply_id: id } },
    });
    if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
  });
}

/** A reply's text for one conversation, filled by the API. */
export async function fillSavedReply(api: ApiClient, replyId: string, conversationId: string): Promise<Filled> {
  return dataOf(
    await api.POST("/inbox/saved-replies/{reply_id}/fill", {
      params: { path: { reply_id: replyId } },
      body: { conversation_id: conversationId },
    }),
  );
}

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

/** The replies whose title has a word starting with each of the query's words ("liv" finds "Délais de
 * livraison"), those whose title starts with the query first; every reply for an empty query. */
export function matchReplies(replies: readonly SavedReply[], query: string): SavedReply[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...replies];
  const found = replies.filter((reply) => {
    const titleWords = fold(reply.title).split(/[^\p{L}\p{N}]+/u);
    return words.every((word) => titleWords.some((each) => each.startsWith(word)));
  });
  const first = fold(query.trim());
  return found.sort((a, b) => Number(!fold(a.title).startsWith(first)) - Number(!fold(b.title).startsWith(first)));
}

/** What a `/` typed at the start of a line or after a space asks for, up to the caret: `/liv` is
 * { start: index of "/", query: "liv" }; none after a line's end, another `/` or 30 characters
 * (the suggestions show only while a title matches, so a "/" in a sentence costs nothing). */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)\/((?:[^\s/][^\n/]{0,29})?)$/u.exec(before);
  if (!match) return null;
  return { start: before.length - match[1]!.length - 1, query: match[1]! };
}

/** `text` with [start, end) replaced by `insert`, and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/** The placeholders left as typed by a fill, with braces, for the person to write by hand. */
export function leftAsTyped(filled: Filled): string[] {
  return [...filled.missing, ...filled.unknown].map((name) => `{{${name}}}`);
}
