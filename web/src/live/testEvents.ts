// Live events as the tests of web/src/live/ build them: a customer's message on c1 two seconds before NOW.
import type { ConversationChanged } from "./events";

export const NOW = Date.parse("2026-12-01T14:00:00Z");

export function changed(overrides: Partial<ConversationChanged> = {}): ConversationChanged {
  return {
    type: "conversation.changed",
    change: "updated",
    conversation_id: "c1",
    folder_id: "inbox",
    previous_folder_id: null,
    status: "open",
    assignee_id: null,
    unread: true,
    channel: "email",
    message_count: 2,
    last_activity_at: "2026-12-01T13:59:58Z",
    last_inbound_at: "2026-12-01T13:59:58Z",
    customer_wrote: true,
    ...overrides,
  };
}
