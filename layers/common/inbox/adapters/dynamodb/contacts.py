"""Contacts, and the identities (an email address or an E.164 phone) that each claims with a
conditional put, so that two writers never create two contacts for one identity.

Stored forms: a contact's item is the Contact under its keys, nothing more; an identity holds
the id of its contact alone."""

from __future__ import annotations

from collections.abc import Iterable

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import ConditionsFailedError, Table, fields_of, item_of, put
from inbox.models import Contact


class ContactStore(Table):
    def find_contact(self, tenant_id: str, identities: Iterable[str]) -> Contact | None:
        for identity in identities:
            pointer = self._get(keys.identity_pk(tenant_id, identity), keys.IDENTITY)
            if pointer:
                return self.get_contact(tenant_id, pointer["contact_id"])
        return None

    def create_contact(self, contact: Contact, identities: list[str]) -> bool:
        """Create the contact and claim its identities; False if another writer claimed one first."""
        item = item_of(keys.contact_pk(contact.tenant_id, contact.id), keys.CONTACT, "contact", contact)
        writes = [put(self._table, item)]
        for identity in identities:
            pointer = {
                "PK": keys.identity_pk(contact.tenant_id, identity),
                "SK": keys.IDENTITY,
                "type": "identity",
                "contact_id": contact.id,
            }
            writes.append(put(self._table, pointer, "attribute_not_exists(PK)"))
        try:
            self._transact(writes)
        except ConditionsFailedError:
            return False
        return True

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        item = self._get(keys.contact_pk(tenant_id, contact_id), keys.CONTACT)
        return Contact.model_validate(fields_of(item)) if item else None
