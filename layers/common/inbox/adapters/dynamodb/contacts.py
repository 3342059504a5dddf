"""Contacts, and the identities (an email address or an E.164 phone) that each claims with a
conditional put, so that two writers never create two contacts for one identity.

Stored forms: a contact's item holds the Contact (its version bumped by each write) and what puts
it in the contacts list (ContactItem: GSI1 by folded name); an identity holds the id of its
contact alone. A merge is written in steps that are each safe to repeat (services/contacts.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    ConditionsFailedError,
    Table,
    check_item_list_start,
    decode_cursor,
    encode,
    fields_of,
    item_of,
    key,
    put,
    unmarshal,
)
from inbox.domain.contacts import sort_name
from inbox.errors import ConcurrentUpdateError, ConflictError
from inbox.models import Contact

MAX_MERGE_HOPS = 5  # merged into a contact merged in turn: a short chain of tombstones
RETIRED_TYPE = "merged_contact"  # a merged contact's tombstone


@dataclass(frozen=True)
class ContactItem:
    """A contact as stored: the Contact's fields, and its place in the contacts list (GSI1)."""

    TYPE: ClassVar[str] = "contact"

    GSI1PK: str
    activity: str

    @classmethod
    def of(cls, contact: Contact, version: int) -> dict[str, Any]:
        listed = cls(
            GSI1PK=keys.contacts_pk(contact.tenant_id),
            activity=keys.contact_sort(sort_name(contact), contact.id),
        )
        stored = contact.model_copy(update={"version": version})
        pk = keys.contact_pk(contact.tenant_id, contact.id)
        return item_of(pk, keys.CONTACT, cls.TYPE, stored, asdict(listed))

    @classmethod
    def read(cls, item: dict[str, Any]) -> Contact:
        return Contact.model_validate(fields_of(item, cls))


class ContactStore(Table):
    def find_contact(self, tenant_id: str, identities: Iterable[str]) -> Contact | None:
        """The contact that claims the first of `identities` it finds; one merged away (or being)
        answers as the contact it is merged into, so a message arriving mid-merge lands there."""
        for identity in identities:
            owner = self.identity_owner(tenant_id, identity)
            contact = owner and self.get_contact(tenant_id, owner)
            for _ in range(MAX_MERGE_HOPS):
                if not (contact and contact.merged_into):
                    break
                contact = self.get_contact(tenant_id, contact.merged_into) or contact
            if contact:
                return contact
        return None

    def identity_owner(self, tenant_id: str, identity: str) -> str | None:
        pointer = self._get(keys.identity_pk(tenant_id, identity), keys.IDENTITY)
        return pointer["contact_id"] if pointer else None

    def create_contact(self, contact: Contact, identities: list[str]) -> bool:
        """Create the contact and claim its identities; False if another writer claimed one first."""
        writes = [put(self._table, ContactItem.of(contact, version=1), "attribute_not_exists(PK)")]
        writes += [self._claim(contact.tenant_id, identity, contact.id, only_if_free=True) for identity in identities]
        try:
            self._transact(writes)
        except ConditionsFailedError:
            return False
        return True

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        item = self._get(keys.contact_pk(tenant_id, contact_id), keys.CONTACT)
        return ContactItem.read(item) if item else None

    def list_contacts(
        self, tenant_id: str, name_prefix: str, limit: int, cursor: str | None
    ) -> tuple[list[Contact], str | None]:
        """A page of the tenant's contacts by folded name, those whose name starts with `name_prefix`."""
        partition = keys.contacts_pk(tenant_id)
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "Limit": limit,
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
        }
        if name_prefix:
            query["KeyConditionExpression"] += " AND begins_with(activity, :prefix)"
            query["ExpressionAttributeValues"][":prefix"] = {"S": name_prefix}
        if cursor:
            query["ExclusiveStartKey"] = check_item_list_start(
                decode_cursor(cursor), partition, keys.contact_pk(tenant_id, ""), keys.CONTACT
            )
        page = self._call("query", **query)
        contacts = [ContactItem.read(unmarshal(item)) for item in page.get("Items", [])]
        start = page.get("LastEvaluatedKey")
        return contacts, encode(start) if start else None

    def save_contact(
        self, before: Contact, after: Contact, claim: Iterable[str] = (), release: Iterable[str] = ()
    ) -> None:
        """Write a changed contact if nobody changed it since `before` was read, claiming the
        identities it gained and letting go of those it lost, at once. ConflictError when an
        identity to claim is another contact's; ConcurrentUpdateError when the contact changed."""
        tenant = after.tenant_id
        writes = [self._contact_write(before, after)]
        writes += [self._claim(tenant, identity, after.id) for identity in claim]
        writes += [self._release(tenant, identity, after.id) for identity in release]
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise ConcurrentUpdateError(after.id) from failed
            raise ConflictError("an email or phone was claimed by another contact meanwhile") from failed

    def begin_merge(self, survivor_before: Contact, survivor_after: Contact, other: Contact) -> None:
        """The merge's first step: the survivor holds both contacts' details, and the other says it
        is being merged into it (its identities and conversations still to move)."""
        marked = other.model_copy(update={"merged_into": survivor_after.id})
        try:
            self._transact([self._contact_write(survivor_before, survivor_after), self._contact_write(other, marked)])
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(survivor_after.id) from failed

    def move_identity(self, tenant_id: str, identity: str, from_id: str, to_id: str) -> bool:
        """Point an identity of `from_id` at `to_id` (done already: fine); False if a third owns it."""
        write = put(
            self._table,
            _pointer(tenant_id, identity, to_id),
            "attribute_not_exists(PK) OR contact_id = :from OR contact_id = :to",
            **{"from": from_id, "to": to_id},
        )
        try:
            self._transact([write])
        except ConditionsFailedError:
            return False
        return True

    def release_identity(self, tenant_id: str, identity: str, contact_id: str) -> None:
        """Let go of an identity, if `contact_id` still owns it."""
        try:
            self._transact([self._release(tenant_id, identity, contact_id)])
        except ConditionsFailedError:
            return

    def retire_merged_contact(self, tenant_id: str, contact_id: str, survivor_id: str) -> None:
        """The merge's last step: the merged contact stays as a tombstone that says where it went
        (`merged_into`), out of the contacts list and of the migration that lists contacts again
        (another type). Done already: fine."""
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(keys.contact_pk(tenant_id, contact_id), keys.CONTACT),
                UpdateExpression="SET #type = :retired REMOVE GSI1PK, activity",
                ConditionExpression="merged_into = :survivor",
                ExpressionAttributeNames={"#type": "type"},
                ExpressionAttributeValues={":survivor": {"S": survivor_id}, ":retired": {"S": RETIRED_TYPE}},
            )
        except ConflictError:
            return

    def _contact_write(self, before: Contact, after: Contact) -> dict[str, Any]:
        item = ContactItem.of(after, version=before.version + 1)
        # A contact stored before versions (version 0) has no attribute to compare.
        condition = "(attribute_exists(PK) AND (version = :version OR attribute_not_exists(version)))"
        if before.version:
            condition = "version = :version"
        return put(self._table, item, condition, version=before.version)

    def _claim(self, tenant_id: str, identity: str, contact_id: str, only_if_free: bool = False) -> dict[str, Any]:
        condition = "attribute_not_exists(PK)" if only_if_free else "attribute_not_exists(PK) OR contact_id = :id"
        values = {} if only_if_free else {"id": contact_id}
        return put(self._table, _pointer(tenant_id, identity, contact_id), condition, **values)

    def _release(self, tenant_id: str, identity: str, contact_id: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": key(keys.identity_pk(tenant_id, identity), keys.IDENTITY),
                "ConditionExpression": "attribute_not_exists(PK) OR contact_id = :id",
                "ExpressionAttributeValues": {":id": {"S": contact_id}},
            }
        }


def _pointer(tenant_id: str, identity: str, contact_id: str) -> dict[str, Any]:
    return {
        "PK": keys.identity_pk(tenant_id, identity),
        "SK": keys.IDENTITY,
        "type": "identity",
        "contact_id": contact_id,
    }
