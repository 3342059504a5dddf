"""What a person does with contacts: find them, read one with its conversations, edit one, and
merge two into one.

A merge is written in steps, each safe to run again, so that a merge cut short (a timeout, a
crash) is finished by asking for it again:
  1. the survivor gets both contacts' details, and the other is marked `merged_into` it (one
     transaction); from then on a message from one of the other's identities finds the survivor;
  2. each identity of the other points at the survivor (a conditional put per identity);
  3. each conversation of the other names the survivor (its own versioned write), page by page;
  4. the other contact is kept as a tombstone, out of the contacts list, that says where it went.

Why a tombstone rather than deleting it: step 3 finds the other's conversations through an index
that lags (GSI5, eventually consistent), and a message ingested for the other just before step 1
may write its conversation after step 3 has read; a second read would not close that gap. Such a
conversation names a contact that still answers: reading it gives the survivor, and asking for the
merge again moves it (the merge's steps run again on a tombstone, cheaply).

A conversation's `contact` (a Party) is the customer as their last message named them, kept for
the lists. Neither a rename nor a merge rewrites it: it says who wrote, in that channel's words,
which stays true, and the next message from them refreshes it anyway; the contact panel reads
the contact itself for its current name. A rename rewriting every conversation of a contact
would also make a PATCH's cost grow with the history. A merge does rewrite each conversation's
`contact_id` (and so its GSI5 view key): without it the conversation would not be the survivor's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.domain.contacts import (
    contact_identities,
    contact_query,
    merged,
    normalize_emails,
    normalize_phones,
)
from inbox.errors import ConcurrentUpdateError, ConflictError, InvalidInputError, NotFoundError
from inbox.models import Contact, Conversation, ConversationFilter, ListOrder, Principal
from inbox.observability import logger

MAX_ATTEMPTS = 5  # a concurrent writer on one contact or conversation: read again and retry
MERGE_PAGE = 100  # conversations read per page while a merge moves them
# One request moves at most this many pages (two writes a conversation: well within API Gateway's 29 s);
# the answer says when more remain, and the same request goes on.
MAX_MERGE_PAGES = 3
MAX_MERGE_HOPS = 5  # merged into a contact merged in turn: a short chain of tombstones


class IdentityClaimedError(ConflictError):
    """An email or phone given to a contact is another contact's: merge them instead."""

    def __init__(self, field: str, identity: str, owner_id: str):
        value = identity.split(":", 1)[1]
        super().__init__(
            f"{field}: {value} is contact {owner_id}'s; merge the two contacts instead "
            f"(POST /inbox/contacts/{owner_id}/merge)"
        )
        self.field = field
        self.owner_id = owner_id


class Store(Protocol):
    def identity_owner(self, tenant_id: str, identity: str) -> str | None: ...
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...
    def list_contacts(
        self, tenant_id: str, name_prefix: str, limit: int, cursor: str | None
    ) -> tuple[list[Contact], str | None]: ...
    def save_contact(
        self, before: Contact, after: Contact, claim: Iterable[str] = (), release: Iterable[str] = ()
    ) -> None: ...
    def begin_merge(self, survivor_before: Contact, survivor_after: Contact, other: Contact) -> None: ...
    def move_identity(self, tenant_id: str, identity: str, from_id: str, to_id: str) -> bool: ...
    def release_identity(self, tenant_id: str, identity: str, contact_id: str) -> None: ...
    def retire_merged_contact(self, tenant_id: str, contact_id: str, survivor_id: str) -> None: ...
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None, order: ListOrder
    ) -> tuple[list[Conversation], str | None]: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def save_conversation(self, before: Conversation, after: Conversation) -> None: ...


@dataclass(frozen=True)
class ContactHistory:
    """A contact and a page of its conversations, across channels, newest first."""

    contact: Contact
    conversations: list[Conversation]
    next_cursor: str | None


@dataclass(frozen=True)
class MergeOutcome:
    """The survivor (as it is, or would be for a preview), the conversations this request moved,
    and whether the merge is done (False: conversations remain, ask again)."""

    contact: Contact
    moved_conversations: int
    complete: bool


class Contacts:
    def __init__(self, store: Store):
        self._store = store

    # ------------------------------------------------------------------ reading

    def find(
        self, who: Principal, text: str | None, limit: int, cursor: str | None
    ) -> tuple[list[Contact], str | None]:
        """By email or phone: the one contact that claims it (exact, normalised); else by the start
        of a name (accents and case ignored), in name order, a page at a time."""
        query = contact_query(text)
        if query.identity is None:
            return self._store.list_contacts(who.tenant_id, query.name_prefix, limit, cursor)
        owner = self._store.identity_owner(who.tenant_id, query.identity)
        contact = owner and self._store.get_contact(who.tenant_id, owner)
        return ([contact] if contact and not cursor else []), None

    def get(self, who: Principal, contact_id: str, limit: int, cursor: str | None) -> ContactHistory:
        """A contact merged into another (or being) answers as that one: a conversation that still
        names it (see the module's note) opens the customer's panel as it is now."""
        contact = self._contact(who, contact_id)
        for _ in range(MAX_MERGE_HOPS):
            if not contact.merged_into:
                break
            contact = self._store.get_contact(who.tenant_id, contact.merged_into) or contact
        where = ConversationFilter(contact_id=contact.id)
        found, next_cursor = self._store.list_conversations(who.tenant_id, where, limit, cursor, ListOrder.NEWEST)
        return ContactHistory(contact=contact, conversations=found, next_cursor=next_cursor)

    # ------------------------------------------------------------------ editing

    def change(self, who: Principal, contact_id: str, changes: dict[str, Any], now: datetime | None = None) -> Contact:
        """Set the fields given (name, emails, phones, company, notes). Each email and phone is
        normalised and claimed: one that is another contact's is a 409 naming the field."""
        fields = _cleaned(changes)
        for _ in range(MAX_ATTEMPTS):
            before = self._contact(who, contact_id)
            if before.merged_into:
                raise ConflictError(f"contact {contact_id} is being merged into {before.merged_into}")
            after = before.model_copy(update={**fields, "updated_at": now or datetime.now(UTC)})
            had, has = contact_identities(before), contact_identities(after)
            claim = [identity for identity in has if identity not in had]
            self._check_free(who.tenant_id, after, claim)
            try:
                self._store.save_contact(before, after, claim, [i for i in had if i not in has])
            except ConcurrentUpdateError:
                continue
            return after.model_copy(update={"version": before.version + 1})
        raise ConcurrentUpdateError(contact_id)

    def _check_free(self, tenant_id: str, contact: Contact, claim: list[str]) -> None:
        for identity in claim:
            owner = self._store.identity_owner(tenant_id, identity)
            if owner and owner != contact.id:
                kind, value = identity.split(":", 1)
                values = contact.emails if kind == "email" else contact.phones
                raise IdentityClaimedError(f"{kind}s[{values.index(value)}]", identity, owner)

    # ------------------------------------------------------------------ merging

    def merge(self, who: Principal, contact_id: str, other_id: str, preview: bool = False) -> MergeOutcome:
        """Merge `other_id` into `contact_id` (the survivor); `preview`: what it would be, nothing written."""
        if other_id == contact_id:
            raise InvalidInputError("other_id", "is this contact: choose another one to merge")
        tenant = who.tenant_id
        for _ in range(MAX_ATTEMPTS):
            survivor = self._contact(who, contact_id)
            other = self._store.get_contact(tenant, other_id)
            if other is None:
                if other_id in survivor.merged_ids:  # merged already: asking again is fine
                    return MergeOutcome(contact=survivor, moved_conversations=0, complete=True)
                raise NotFoundError(f"contact {other_id}")
            if survivor.merged_into:
                raise ConflictError(f"contact {contact_id} is being merged into {survivor.merged_into}")
            if other.merged_into and other.merged_into != survivor.id:
                raise ConflictError(f"contact {other_id} is being merged into {other.merged_into}")
            result = merged(survivor, other)
            if preview:
                return MergeOutcome(contact=result, moved_conversations=0, complete=False)
            if other.merged_into is None:  # step 1, unless a merge cut short did it
                try:
                    self._store.begin_merge(survivor, result, other)
                except ConcurrentUpdateError:
                    continue
                survivor = result.model_copy(update={"version": survivor.version + 1})
            return self._finish_merge(tenant, survivor, other)
        raise ConcurrentUpdateError(contact_id)

    def _finish_merge(self, tenant: str, survivor: Contact, other: Contact) -> MergeOutcome:
        kept = set(contact_identities(survivor))
        for identity in contact_identities(other):  # step 2
            if identity not in kept:  # removed from the survivor since step 1: nobody claims it now
                self._store.release_identity(tenant, identity, other.id)
            elif not self._store.move_identity(tenant, identity, other.id, survivor.id):
                logger.warning("identity of a merged contact claimed by a third", contact_id=other.id)
        moved, complete = self._move_conversations(tenant, other.id, survivor.id)  # step 3
        if complete:
            self._store.retire_merged_contact(tenant, other.id, survivor.id)  # step 4
        logger.info("contacts merged", contact_id=survivor.id, merged_id=other.id, moved=moved, complete=complete)
        return MergeOutcome(contact=survivor, moved_conversations=moved, complete=complete)

    def _move_conversations(self, tenant: str, from_id: str, to_id: str) -> tuple[int, bool]:
        where = ConversationFilter(contact_id=from_id)
        moved, cursor = 0, None
        for _ in range(MAX_MERGE_PAGES):
            page, cursor = self._store.list_conversations(tenant, where, MERGE_PAGE, cursor, ListOrder.NEWEST)
            moved += sum(self._move_conversation(tenant, c.id, from_id, to_id) for c in page)
            if not cursor:
                return moved, True
        return moved, False

    def _move_conversation(self, tenant: str, conversation_id: str, from_id: str, to_id: str) -> int:
        for _ in range(MAX_ATTEMPTS):
            before = self._store.get_conversation(tenant, conversation_id)
            if before is None or before.contact_id != from_id:  # moved already, or deleted (views lag)
                return 0
            try:
                self._store.save_conversation(before, before.model_copy(update={"contact_id": to_id}))
            except ConcurrentUpdateError:
                continue
            return 1
        raise ConcurrentUpdateError(conversation_id)

    def _contact(self, who: Principal, contact_id: str) -> Contact:
        contact = self._store.get_contact(who.tenant_id, contact_id)
        if contact is None:
            raise NotFoundError(f"contact {contact_id}")
        return contact


def _cleaned(changes: dict[str, Any]) -> dict[str, Any]:
    """The given fields, normalised: blank text is none, identities checked one by one."""
    fields: dict[str, Any] = {}
    for name in ("name", "company", "notes"):
        if name in changes:
            value = (changes[name] or "").strip()
            fields[name] = value or None
    if "emails" in changes:
        fields["emails"] = normalize_emails(changes["emails"] or [])
    if "phones" in changes:
        fields["phones"] = normalize_phones(changes["phones"] or [])
    return fields
