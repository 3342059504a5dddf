"""The stored form of a conversation and a message, attribute by attribute: items already in a table
must read the same after any change of the store's code, so a drift in what is written fails here.
A new field of Conversation or Message changes the stored form too: add it here on purpose."""

from inbox import wiring
from inbox.adapters.dynamodb import keys
from inbox.models import Channel, Direction, Message, Party
from samples import NOW, sample_conversation

# The Conversation's fields that are set (None is not stored), then what only the table reads.
CONVERSATION_ITEM = {
    *("id", "tenant_id", "channel", "integration_id", "contact_id", "contact", "status", "folder_id"),
    *("assignee_id", "unread", "message_count", "preview", "created_at", "last_activity_at", "folder_pinned"),
    "version",
    *("PK", "SK", "type", "activity", "priority", "folder_key", "assignee_key"),
    *("GSI1PK", "GSI2PK", "GSI3PK", "GSI4PK", "GSI5PK", "GSI6PK"),
    "changed_by",  # issue 14, item 3: who wrote it last, for the audit trail (inbox.actor)
    # issue 14, item 2: created by a mailbox's imported past (not counted); opened by the customer (statistics)
    *("history", "opened_by_customer"),
}
MESSAGE_ITEM = {
    *("id", "tenant_id", "conversation_id", "integration_id", "channel", "direction", "external_id", "sender"),
    *("subject", "text", "to", "part_raw_keys", "message_id", "references", "defects", "headers"),
    *("attachments", "pending_media", "received_at"),
    "auto_reply",  # issue 12: whether the auto-reply sent it, which the loop guard reads
    *("cc", "bcc"),  # issue 13, item 4: a reply's Cc and Bcc (empty lists on every other message)
    "first_response",  # issue 14, item 2: whether a reply was the conversation's first (statistics)
    # issue 14, item 2: a person's first reply (after an automatic one), the message that opened its
    # conversation, and a mailbox's imported past (not counted)
    *("first_person_response", "opens_conversation", "history"),
    *("PK", "SK", "type", "thread_pk"),
    "changed_by",  # issue 14, item 3: who wrote it last, for the audit trail (inbox.actor)
}


def test_a_conversation_and_its_message_are_stored_with_these_attributes(aws):
    store = wiring.store()
    conversation = sample_conversation(tenant_id="t1", folder_id="f1", assignee_id="u1", message_count=1)
    message = Message(
        id="m1",
        tenant_id="t1",
        conversation_id=conversation.id,
        integration_id=conversation.integration_id,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        external_id="<m1@example.net>",
        message_id="<m1@example.net>",
        sender=Party(email="a@b.co"),
        subject="Hello",
        text="Hello",
        received_at=NOW,
    )
    store.commit_inbound(message, None, conversation, thread_key="thread-1", thread_was=None)

    def raw(pk: str, sk: str) -> dict:
        return store._client.get_item(TableName=store._table, Key={"PK": {"S": pk}, "SK": {"S": sk}})["Item"]

    pk = keys.conversation_pk("t1", conversation.id)
    stored_conversation = raw(pk, keys.CONVERSATION)
    stored_message = raw(pk, keys.message_sk(NOW, "m1"))
    assert set(stored_conversation) == CONVERSATION_ITEM
    assert set(stored_message) == MESSAGE_ITEM
    assert stored_conversation["type"] == {"S": "conversation"}
    assert stored_conversation["activity"] == {"S": f"{keys.stamp(NOW)}#{conversation.id}"}
    assert stored_conversation["assignee_key"] == {"S": "u1"}
    assert stored_message["type"] == {"S": "message"}
    assert stored_message["thread_pk"] == {"S": keys.thread_pk("t1", conversation.integration_id, "thread-1")}
    # and they read back as they were written
    assert store.get_conversation("t1", conversation.id) == conversation.model_copy(update={"version": 1})
    assert store.get_message("t1", conversation.id, NOW, "m1") == message
