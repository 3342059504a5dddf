import type { Folder } from "../api/client";
import type { LiveEvent } from "./events";

/** Which events a user is alerted of: `all` new conversations and every customer reply, `mine` new
 * conversations and customer replies on conversations assigned to them, `none` nothing. */
export type NotifyChoice = "all" | "mine" | "none";

export interface NotifyPreferences {
  choice: NotifyChoice;
  sound: boolean;
}

export const DEFAULT_PREFERENCES: NotifyPreferences = { choice: "mine", sound: false };

/** An alert older than this is mail caught up by a mailbox's sync, not news. */
const RECENT_MS = 10 * 60_000;

export interface Alert {
  kind: "newConversation" | "reply";
  conversationId: string;
}

/** The alert an event calls for, or null: a new conversation or a customer's reply, as the user
 * chose, never for the conversation they are reading, nor for spam, automated mail or old mail. */
export function alertFor(
  event: LiveEvent,
  context: { preferences: NotifyPreferences; me: string | null; openId: string | null; now: number },
): Alert | null {
  const { choice } = context.preferences;
  if (event.type !== "conversation.changed" || choice === "none") return null;
  if (event.change === "deleted" || !event.customer_wrote) return null;
  if (event.conversation_id === context.openId) return null;
  if (event.status === "spam" || event.folder_id === "automated") return null;
  const wroteAt = Date.parse(event.last_inbound_at ?? event.last_activity_at);
  if (!(context.now - wroteAt < RECENT_MS)) return null;
  const kind = event.change === "created" ? "newConversation" : "reply";
  const mine = context.me !== null && event.assignee_id === context.me;
  if (choice === "mine" && kind === "reply" && !mine) return null;
  return { kind, conversationId: event.conversation_id };
}

/** A customer's message on the conversation being read is read: it is marked so (as opening it
 * was), and neither counted in the tab nor notified. */
export function readOnArrival(event: LiveEvent, openId: string | null, visible: boolean): boolean {
  return (
    visible &&
    event.type === "conversation.changed" &&
    event.change !== "deleted" &&
    event.conversation_id === openId &&
    event.customer_wrote === true &&
    event.unread
  );
}

/** What the app does on a live event: mark the conversation being read as read, notify, beep
 * (only with a notification, and only when the user turned the sound on). */
export interface Reaction {
  markRead: string | null;
  alert: Alert | null;
  beep: boolean;
}

export function reactionTo(
  event: LiveEvent,
  context: { preferences: NotifyPreferences; me: string | null; openId: string | null; now: number; visible: boolean },
): Reaction {
  const markRead = readOnArrival(event, context.openId, context.visible) ? context.openId : null;
  const alert = alertFor(event, context);
  return { markRead, alert, beep: alert !== null && context.preferences.sound };
}

export function preferencesKey(userId: string): string {
  return `inbox.notifications.${userId}`;
}

export function readPreferences(storage: Pick<Storage, "getItem"> | undefined, userId: string): NotifyPreferences {
  try {
    const stored = JSON.parse(storage?.getItem(preferencesKey(userId)) ?? "null") as Partial<NotifyPreferences> | null;
    const choice = ["all", "mine", "none"].includes(stored?.choice as string)
      ? (stored!.choice as NotifyChoice)
      : DEFAULT_PREFERENCES.choice;
    return { choice, sound: stored?.sound === true };
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export function writePreferences(storage: Pick<Storage, "setItem"> | undefined, userId: string, value: NotifyPreferences) {
  try {
    storage?.setItem(preferencesKey(userId), JSON.stringify(value));
  } catch {
    // Storage full or refused (private mode): the choice lasts for this page only.
  }
}

/** The unread conversations a person has to read: every folder's unread counter but automated mail's. */
export function unreadTotal(folders: readonly Pick<Folder, "id" | "unread">[] | undefined): number {
  return (folders ?? []).reduce((sum, folder) => sum + (folder.id === "automated" ? 0 : (folder.unread ?? 0)), 0);
}

/** "(3) Inbox", or the bare title when nothing is unread. */
export function tabTitle(unread: number, title: string): string {
  return unread > 0 ? `(${badgeText(unread)}) ${title}` : title;
}

/** What the favicon's badge says: the count, "99+" past 99, nothing at 0. */
export function badgeText(unread: number): string {
  if (unread <= 0) return "";
  return unread > 99 ? "99+" : String(unread);
}
