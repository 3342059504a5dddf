import type { QueryKey } from "@tanstack/react-query";
import { draftKeys, keys } from "../api/queries";
import { notificationKeys } from "../notifications/queries";

/** What the WebSocket API tells (layers/common/inbox/models/live.py): what changed, never what it
 * says; the app reads what it shows again through the API. */
export interface ConversationChanged {
  type: "conversation.changed";
  change: "created" | "updated" | "deleted";
  conversation_id: string;
  folder_id: string;
  previous_folder_id: string | null;
  status: string;
  assignee_id: string | null;
  unread: boolean;
  channel: string;
  message_count: number;
  last_activity_at: string;
  last_inbound_at?: string | null;
  /** This change brought a message from the customer. */
  customer_wrote?: boolean;
}

export interface CountersChanged {
  type: "counters.changed";
  folder_ids: string[];
}

/** An AI draft of the conversation was written, sent, discarded or refused. */
export interface DraftsChanged {
  type: "drafts.changed";
  conversation_id: string;
}

/** The counters of the views by assignee (Mine, Unassigned) moved: a user's id, or `none`. */
export interface ViewsChanged {
  type: "views.changed";
  assignees: string[];
}

/** One of this person's notifications was created or read (sent to that person's apps only). */
export interface NotificationsChanged {
  type: "notifications.changed";
  change: "created" | "read";
  user_id: string;
  notification_id: string;
}

export type LiveEvent = ConversationChanged | CountersChanged | DraftsChanged | ViewsChanged | NotificationsChanged;

/** A frame's event, or null for anything else (a pong, an error, a shape this app does not know). */
export function parseLiveEvent(text: unknown): LiveEvent | null {
  if (typeof text !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const event = value as Record<string, unknown>;
  if (event.type === "conversation.changed" && typeof event.conversation_id === "string") {
    return event as unknown as ConversationChanged;
  }
  if (event.type === "counters.changed" && Array.isArray(event.folder_ids)) {
    return event as unknown as CountersChanged;
  }
  if (event.type === "drafts.changed" && typeof event.conversation_id === "string") {
    return event as unknown as DraftsChanged;
  }
  if (event.type === "views.changed" && Array.isArray(event.assignees)) return event as unknown as ViewsChanged;
  if (event.type === "notifications.changed" && typeof event.notification_id === "string") {
    return event as unknown as NotificationsChanged;
  }
  return null;
}

/** What an event makes stale in TanStack Query's cache: `invalidate` is read again (if shown),
 * `remove` is dropped (a deleted conversation would be read again as a 404). */
export interface CacheEffects {
  invalidate: QueryKey[];
  remove: QueryKey[];
}

const LISTS: QueryKey = [...keys.conversations, "list"];

export function cacheEffects(event: LiveEvent): CacheEffects {
  if (event.type === "counters.changed") return { invalidate: [keys.folders], remove: [] };
  if (event.type === "drafts.changed") return { invalidate: [draftKeys.drafts(event.conversation_id)], remove: [] };
  if (event.type === "views.changed") return { invalidate: [keys.folders], remove: [] };
  // The list (read again only if the bell is open) and the bell's count, which comes with the folders'.
  if (event.type === "notifications.changed") return { invalidate: [notificationKeys.all, keys.folders], remove: [] };
  // Every list: which lists hold it depends on each list's filter (folder, status, assignee), and
  // the one it left must lose it. Only the lists on screen are read again.
  if (event.change === "deleted") {
    return { invalidate: [LISTS, keys.folders], remove: [keys.conversation(event.conversation_id)] };
  }
  return { invalidate: [LISTS, keys.conversation(event.conversation_id)], remove: [] };
}

/** After a reconnection anything may have changed: the counters, every list, every conversation. */
export const CATCH_UP: QueryKey[] = [keys.folders, keys.conversations];

/** Merges effects (a burst of events reads each list once), dropping keys already covered by a
 * shorter one (`["conversations"]` covers `["conversations", "one", "c1"]`). */
export function mergeEffects(all: CacheEffects[]): CacheEffects {
  const pick = (lists: QueryKey[][]) => {
    const unique = new Map(lists.flat().map((key) => [JSON.stringify(key), key]));
    const chosen = [...unique.values()];
    return chosen.filter((key) => !chosen.some((other) => other !== key && covers(other, key)));
  };
  return { invalidate: pick(all.map((e) => e.invalidate)), remove: pick(all.map((e) => e.remove)) };
}

function covers(prefix: QueryKey, key: QueryKey): boolean {
  return prefix.length < key.length && prefix.every((part, index) => JSON.stringify(part) === JSON.stringify(key[index]));
}
