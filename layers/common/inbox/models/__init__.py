"""Domain models: what the inbox talks about, independent of how it is stored."""

from inbox.models.contact import Contact
from inbox.models.conversation import (
    Attachment,
    ClassifiedBy,
    Conversation,
    ConversationFilter,
    ConversationRemains,
    Delivery,
    DeliveryState,
    ListOrder,
    Message,
    Note,
    PendingMedia,
)
from inbox.models.core import Channel, Direction, Party, Principal, Role, Status
from inbox.models.folder import AutoReply, Folder, Nudge
from inbox.models.inbound import InboundAttachment, InboundMessage, SmsPartItem
from inbox.models.integration import Integration, NumberRoute
from inbox.models.jobs import SyncJob
from inbox.models.sync import FolderCursor, SyncState

__all__ = [
    "Attachment",
    "AutoReply",
    "Channel",
    "ClassifiedBy",
    "Contact",
    "Conversation",
    "ConversationFilter",
    "ConversationRemains",
    "Delivery",
    "DeliveryState",
    "Direction",
    "Folder",
    "FolderCursor",
    "InboundAttachment",
    "InboundMessage",
    "Integration",
    "ListOrder",
    "Message",
    "Note",
    "Nudge",
    "NumberRoute",
    "Party",
    "PendingMedia",
    "Principal",
    "Role",
    "SmsPartItem",
    "Status",
    "SyncJob",
    "SyncState",
]
