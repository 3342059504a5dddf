"""Whether a conversation found by search belongs in a list (issue 14, item 1), pure: the list's
filters applied to the conversation as it is now, as the list's views apply them
(adapters/dynamodb/conversations.py): a snoozed conversation is only in the Snoozed view, and in a
contact's or a project's list, which are its history."""

from __future__ import annotations

from inbox.domain.conversations import view_folder
from inbox.models import Conversation, ConversationFilter


def in_list(conversation: Conversation, where: ConversationFilter) -> bool:
    snoozed = conversation.snoozed_until is not None
    if where.snoozed != snoozed and (where.snoozed or not (where.contact_id or where.project_id)):
        return False
    assignee = conversation.assignee_id
    checks = (
        (where.folder_id, view_folder(conversation)),
        (where.status, conversation.status),
        (where.channel, conversation.channel),
        (where.contact_id, conversation.contact_id),
        (where.project_id, conversation.project_id),
        (where.assignee_id, assignee),
    )
    if any(wanted is not None and wanted != actual for wanted, actual in checks):
        return False
    return not (where.unassigned and assignee is not None)
