"""Domain models: what the inbox talks about, independent of how it is stored."""

from inbox.models.conversation import Conversation, ConversationFilter, Delivery, Message, Note
from inbox.models.core import Channel, Direction, Party, Principal, Role, Status
from inbox.models.inbound import InboundMessage
from inbox.models.integration import Contact, Integration

__all__ = [
    "Channel",
    "Contact",
    "Conversation",
    "ConversationFilter",
    "Delivery",
    "Direction",
    "InboundMessage",
    "Integration",
    "Message",
    "Note",
    "Party",
    "Principal",
    "Role",
    "Status",
]
