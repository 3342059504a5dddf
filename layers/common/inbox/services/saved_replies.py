"""Saved replies (issue 16, item 4): the team's, which everyone uses and admins write, and each
person's own, which nobody else sees. `fill` puts a conversation's values in a reply's placeholders
for the composer; `fill_text` is the same fill for any text, which a `send` follow-up uses when it
fires (services/follow_ups.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from inbox.domain.ids import new_id
from inbox.domain.saved_replies import (
    MAX_PERSONAL,
    MAX_TEAM,
    MAX_TEXT,
    MAX_TITLE,
    Filled,
    fill,
    placeholders_in,
    values_for,
)
from inbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inbox.models import Conversation, Principal
from inbox.models.contact import Contact
from inbox.models.person import Person
from inbox.models.saved_reply import SavedReply, SavedReplyScope


class Store(Protocol):
    def team_replies(self, tenant_id: str) -> list[SavedReply]: ...
    def personal_replies(self, tenant_id: str, user_id: str) -> list[SavedReply]: ...
    def get_saved_reply(self, tenant_id: str, user_id: str, reply_id: str) -> SavedReply | None: ...
    def create_saved_reply(self, reply: SavedReply) -> None: ...
    def replace_saved_reply(self, reply: SavedReply) -> None: ...
    def delete_saved_reply(self, reply: SavedReply) -> None: ...


class Conversations(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...


def check_fields(title: str | None, text: str | None) -> None:
    """The limits, here too for callers other than the API (whose schema checks them first)."""
    if title is not None and not (0 < len(title.strip()) <= MAX_TITLE):
        raise InvalidInputError("title", f"must have 1 to {MAX_TITLE} characters")
    if text is not None and not text.strip():
        raise InvalidInputError("text", "must not be blank")
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidInputError("text", f"is longer than {MAX_TEXT} characters")


class SavedReplies:
    def __init__(
        self,
        store: Store,
        conversations: Conversations,
        sender: Callable[[Principal], Person | None],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._conversations = conversations
        self._sender = sender
        self._clock = clock

    def list(self, who: Principal) -> list[SavedReply]:
        """The team's and the caller's own, by title."""
        replies = self._store.team_replies(who.tenant_id) + self._store.personal_replies(who.tenant_id, who.user_id)
        return sorted(replies, key=lambda r: (r.title.casefold(), r.id))

    def get(self, who: Principal, reply_id: str) -> SavedReply:
        reply = self._store.get_saved_reply(who.tenant_id, who.user_id, reply_id)
        if reply is None:
            raise NotFoundError(f"saved reply {reply_id}")
        return reply

    def create(self, who: Principal, title: str, text: str, scope: SavedReplyScope) -> SavedReply:
        """403 for a team reply by an agent; 409 over the team's (or the person's) number of replies.
        The limits are soft: counted, then written, so two creates at once may both pass one short
        of it; they keep the composer's list short and guard nothing else."""
        check_fields(title, text)
        self._check_writer(who, scope)
        if scope is SavedReplyScope.TEAM:
            count, limit = len(self._store.team_replies(who.tenant_id)), MAX_TEAM
        else:
            count, limit = len(self._store.personal_replies(who.tenant_id, who.user_id)), MAX_PERSONAL
        if count >= limit:
            raise ConflictError(f"there are {limit} {scope} saved replies already: delete one first")
        now = self._clock()
        reply = SavedReply(
            id=new_id(now.timestamp()),
            tenant_id=who.tenant_id,
            scope=scope,
            owner_id=who.user_id,
            title=title.strip(),
            text=text,
            created_at=now,
            updated_at=now,
        )
        self._store.create_saved_reply(reply)
        return reply

    def change(self, who: Principal, reply_id: str, title: str | None = None, text: str | None = None) -> SavedReply:
        check_fields(title, text)
        before = self.get(who, reply_id)
        self._check_writer(who, before.scope)
        changes = {"title": title.strip() if title is not None else before.title, "text": text or before.text}
        if changes == {"title": before.title, "text": before.text}:
            return before
        after = before.model_copy(update=changes | {"updated_at": self._clock()})
        self._store.replace_saved_reply(after)
        return after

    def delete(self, who: Principal, reply_id: str) -> None:
        reply = self.get(who, reply_id)
        self._check_writer(who, reply.scope)
        self._store.delete_saved_reply(reply)

    def fill(self, who: Principal, reply_id: str, conversation_id: str) -> Filled:
        """The reply's text for one conversation, as the caller would send it (stores nothing)."""
        reply = self.get(who, reply_id)
        return self.fill_text(who, conversation_id, reply.text)

    def fill_text(self, who: Principal, conversation_id: str, text: str, sender: bool = True) -> Filled:
        """Any text's placeholders filled for one conversation of the caller's tenant, the caller
        being the agent (404 for a conversation not of that tenant). Without `sender` (a folder's
        nudge, which nobody sends), `agent.*` placeholders have no value."""
        conversation = self._conversations.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        names = placeholders_in(text)
        # Only what the text names is read: the sender is one Cognito call (a low quota), a burst of
        # follow-ups at 09:00 must not spend it on texts that never say who sends them.
        contact = None
        if any(name.startswith("contact.") for name in names):
            contact = self._conversations.get_contact(who.tenant_id, conversation.contact_id)
        agent = self._sender(who) if sender and any(name.startswith("agent.") for name in names) else None
        if agent is not None and agent.tenant_id != who.tenant_id:  # never another tenant's person
            agent = None
        return fill(text, values_for(conversation, contact, agent))

    @staticmethod
    def _check_writer(who: Principal, scope: SavedReplyScope) -> None:
        # The team's replies speak for the business: admins write them. A personal reply is only
        # ever reached through its owner's key, so its owner alone gets here.
        if scope is SavedReplyScope.TEAM and not who.is_admin:
            raise ForbiddenError("the team's saved replies are written by admins")
