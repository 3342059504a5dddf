// The activity's own place (#activity) and its way into a conversation of the inbox (#conversation/<id>).

export const ACTIVITY_HASH = "#activity";

export function isActivityHash(hash: string): boolean {
  return hash === ACTIVITY_HASH;
}

/** A link that opens the conversation in the inbox (see conversationInHash). */
export function conversationHref(id: string): string {
  return `#conversation/${encodeURIComponent(id)}`;
}

/** The conversation a link asks the inbox to open, from a location's hash; null for any other hash. */
export function conversationInHash(hash: string): string | null {
  const match = /^#conversation\/([^/?#]{1,128})$/.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

/** Forgets the link once the inbox has opened its conversation, so that closing it is not undone by a
 * reload (replaced: Back still returns to the activity). */
export function clearConversationHash(): void {
  if (conversationInHash(window.location.hash) === null) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, "", `${pathname}${search}`);
}
