"""Integrations, the routes that find their tenant from a webhook (by integration id, or by the
phone number a provider names), a mailbox's sync state, and the tenant's AI settings.

Stored forms: an integration's item is the Integration under its keys (its settings as its kind
has them, its secrets as ciphertext), nothing more, and so are the AI settings; a route holds its
tenant and integration alone; a sync state's item holds what puts it in the SYNC#DUE view beyond
the SyncState (SyncItem)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    ConditionsFailedError,
    Table,
    fields_of,
    item_of,
    key,
    marshal,
    put,
    serializer,
)
from inbox.errors import ConflictError
from inbox.models import Channel, FolderCursor, Integration, NumberRoute, SyncState

# Each number is a route item per kind (one for SMS, one for WhatsApp) written in the integration's
# transaction; DynamoDB takes 100 writes in one, and a change of numbers deletes the old routes and
# writes the new ones in the same transaction: at most 40 routes, counting a number once per kind.
# The API refuses more (http/schemas/integrations.py).
MAX_NUMBERS = 40


@dataclass(frozen=True)
class SyncItem:
    """A mailbox's sync state as stored: the SyncState's fields, and these, which put it in the one
    cross-tenant view (GSI1 under SYNC#DUE, sorted by when its next sync is due)."""

    TYPE: ClassVar[str] = "sync"

    GSI1PK: str
    activity: str

    @classmethod
    def of(cls, state: SyncState) -> dict[str, Any]:
        due = cls(
            GSI1PK=keys.SYNC_DUE, activity=keys.sync_due(state.next_sync_at, state.tenant_id, state.integration_id)
        )
        return item_of(keys.tenant(state.tenant_id), keys.sync_sk(state.integration_id), cls.TYPE, state, asdict(due))

    @classmethod
    def read(cls, item: dict[str, Any]) -> SyncState:
        return SyncState.model_validate(fields_of(item, cls))


class IntegrationStore(Table):
    # ------------------------------------------------------------------ integrations

    def create_integration(self, integration: Integration, numbers: Iterable[NumberRoute] = ()) -> None:
        """The integration, the route from its id in webhook URLs, and one route per (kind, phone
        number) it owns: a number belongs, for SMS or for WhatsApp, to one integration of one tenant,
        or the create fails."""
        numbers = list(numbers)
        writes = [
            put(self._table, self._integration_item(integration), "attribute_not_exists(PK)"),
            put(
                self._table, _route(keys.integration_route_pk(integration.id), integration), "attribute_not_exists(PK)"
            ),
            *(self._number_route(integration, *number) for number in numbers),
        ]
        self._transact_numbers(writes, numbers, first=2)

    def replace_integration(
        self,
        integration: Integration,
        add_numbers: Iterable[NumberRoute] = (),
        remove_numbers: Iterable[NumberRoute] = (),
    ) -> None:
        add_numbers, remove_numbers = list(add_numbers), list(remove_numbers)
        write = put(self._table, self._integration_item(integration), "attribute_exists(PK)")
        if not (add_numbers or remove_numbers):
            self._call("put_item", **write["Put"])
            return
        writes = [
            write,
            *(self._number_route(integration, *number) for number in add_numbers),
            *(self._number_route_delete(integration.id, *number) for number in remove_numbers),
        ]
        self._transact_numbers(writes, add_numbers, first=1)

    def delete_integration(self, tenant_id: str, integration_id: str, numbers: Iterable[NumberRoute] = ()) -> None:
        route_pk, sync_sk = keys.integration_route_pk(integration_id), keys.sync_sk(integration_id)
        self._transact(
            [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": key(keys.tenant(tenant_id), keys.integration_sk(integration_id)),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {"Delete": {"TableName": self._table, "Key": key(route_pk, keys.ROUTE)}},
                # A mailbox's sync goes with it, or the scheduler would queue it forever.
                {"Delete": {"TableName": self._table, "Key": key(keys.tenant(tenant_id), sync_sk)}},
                *(self._number_route_delete(integration_id, *number) for number in numbers),
            ]
        )

    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None:
        item = self._get(keys.tenant(tenant_id), keys.integration_sk(integration_id))
        return Integration.model_validate(fields_of(item)) if item else None

    def list_integrations(self, tenant_id: str) -> list[Integration]:
        items = self._query_prefix(keys.tenant(tenant_id), keys.INTEGRATION_PREFIX)
        return [Integration.model_validate(fields_of(item)) for item in items]

    def save_access_token(self, integration: Integration, sealed: dict[str, str], expires_at: datetime) -> bool:
        """Keep a fresh access token (and a rotated refresh token) without touching anything else, only
        if the integration is still the one `integration` was read as: an edit in between (a moved
        host, a new refresh token) bumps `updated_at`, and a token got for the settings before must
        not be stored on the settings after. False when it was not stored."""
        names = {f"#s{i}": field for i, field in enumerate(sealed)}
        values = {f":s{i}": {"S": value} for i, value in enumerate(sealed.values())}
        read_at = integration.model_dump(mode="json", include={"updated_at"})["updated_at"]
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(keys.tenant(integration.tenant_id), keys.integration_sk(integration.id)),
                UpdateExpression="SET "
                + ", ".join(f"secrets.#s{i} = :s{i}" for i in range(len(sealed)))
                + ", settings.oauth.access_token_expires_at = :expires",
                ConditionExpression="attribute_exists(PK) AND updated_at = :read_at",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    **values,
                    ":expires": {"S": expires_at.isoformat()},
                    ":read_at": {"S": read_at},
                },
            )
        except ConflictError:
            return False
        return True

    @staticmethod
    def _integration_item(integration: Integration) -> dict[str, Any]:
        return item_of(
            keys.tenant(integration.tenant_id), keys.integration_sk(integration.id), "integration", integration
        )

    # ------------------------------------------------------------------ routes

    def tenant_of_integration(self, integration_id: str) -> str | None:
        item = self._get(keys.integration_route_pk(integration_id), keys.ROUTE)
        return item["tenant_id"] if item else None

    def integration_by_number(self, kind: Channel, number: str) -> tuple[str, str] | None:
        """(tenant, integration) that owns an E.164 number for `kind` (sms or whatsapp): how a
        provider's webhook finds its tenant."""
        item = self._get(keys.number_route_pk(kind, number), keys.ROUTE)
        return (item["tenant_id"], item["integration_id"]) if item else None

    def _number_route(self, integration: Integration, kind: Channel, number: str) -> dict[str, Any]:
        return put(self._table, _route(keys.number_route_pk(kind, number), integration), "attribute_not_exists(PK)")

    def _number_route_delete(self, integration_id: str, kind: Channel, number: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": key(keys.number_route_pk(kind, number), keys.ROUTE),
                # Only our own route: another tenant's claim on the number is not ours to drop.
                "ConditionExpression": "attribute_not_exists(PK) OR integration_id = :mine",
                "ExpressionAttributeValues": {":mine": {"S": integration_id}},
            }
        }

    def _transact_numbers(self, writes: list[dict[str, Any]], numbers: list[NumberRoute], first: int) -> None:
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            taken = [numbers[i - first] for i in failed.indexes if first <= i < first + len(numbers)]
            if taken:
                kind, number = taken[0]
                raise ConflictError(f"{number} is already connected to another integration for {kind}") from failed
            raise

    # ------------------------------------------------------------------ mailbox sync

    def schedule_sync(self, state: SyncState) -> None:
        """Start following a mailbox (on creation): its sync is due at `next_sync_at`."""
        self._call("put_item", **put(self._table, SyncItem.of(state), "attribute_not_exists(PK)")["Put"])

    def get_sync_state(self, tenant_id: str, integration_id: str) -> SyncState | None:
        item = self._get(keys.tenant(tenant_id), keys.sync_sk(integration_id))
        return SyncItem.read(item) if item else None

    def mailboxes_due(self, now: datetime, limit: int = 1000) -> list[tuple[str, str]]:
        """(tenant, integration) of every mailbox whose sync is due, oldest first."""
        page = self._call(
            "query",
            TableName=self._table,
            IndexName="GSI1",
            Limit=limit,
            KeyConditionExpression="GSI1PK = :due AND activity <= :now",
            ExpressionAttributeValues={":due": {"S": keys.SYNC_DUE}, ":now": {"S": keys.sync_due_until(now)}},
        )
        return [(i["tenant_id"]["S"], i["integration_id"]["S"]) for i in page.get("Items", [])]

    def reschedule_sync(self, tenant_id: str, integration_id: str, at: datetime) -> None:
        """Make a mailbox due at `at`, forgetting its failures' backoff."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(keys.tenant(tenant_id), keys.sync_sk(integration_id)),
            UpdateExpression="SET next_sync_at = :at, activity = :due, failures = :zero",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={
                ":at": {"S": at.isoformat()},
                ":due": {"S": keys.sync_due(at, tenant_id, integration_id)},
                ":zero": {"N": "0"},
            },
        )

    def acquire_sync_lease(
        self, tenant_id: str, integration_id: str, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Take the mailbox for one run; False while another run holds an unexpired lease."""
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(keys.tenant(tenant_id), keys.sync_sk(integration_id)),
                UpdateExpression="SET lease_owner = :owner, lease_until = :until, running = :true",
                ConditionExpression="attribute_exists(PK) AND "
                "(attribute_not_exists(lease_until) OR lease_until < :now)",
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":until": {"S": keys.stamp(until)},
                    ":now": {"S": keys.stamp(now)},
                    ":true": {"BOOL": True},
                },
            )
        except ConflictError:
            return False
        return True

    def checkpoint_folder(
        self, tenant_id: str, integration_id: str, owner: str, folder: str, cursor: FolderCursor
    ) -> None:
        """Record how far a folder was read, only while this run still holds the lease."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(keys.tenant(tenant_id), keys.sync_sk(integration_id)),
            UpdateExpression="SET folders.#folder = :cursor",
            ConditionExpression="lease_owner = :owner",
            ExpressionAttributeNames={"#folder": folder},
            ExpressionAttributeValues={
                ":cursor": serializer.serialize(cursor.model_dump(mode="json")),
                ":owner": {"S": owner},
            },
        )

    def finish_sync(self, state: SyncState, owner: str) -> None:
        """Write the run's outcome and release the lease (if it is still ours)."""
        item = SyncItem.of(state.model_copy(update={"lease_owner": None, "lease_until": None, "running": False}))
        self._call("put_item", **put(self._table, item, "lease_owner = :owner", owner=owner)["Put"])

    # ------------------------------------------------------------------ the tenant's AI settings

    def get_ai_settings(self, tenant_id: str) -> dict[str, Any] | None:
        item = self._get(keys.tenant(tenant_id), keys.AI_SETTINGS)
        return fields_of(item) if item else None

    def save_ai_settings(self, tenant_id: str, settings: dict[str, Any]) -> None:
        item = {"PK": keys.tenant(tenant_id), "SK": keys.AI_SETTINGS, "type": "settings", **settings}
        self._call("put_item", TableName=self._table, Item=marshal(item))


def _route(pk: str, integration: Integration) -> dict[str, Any]:
    """A route (by integration id, or by number and kind) to the integration and its tenant."""
    return {
        "PK": pk,
        "SK": keys.ROUTE,
        "type": "route",
        "tenant_id": integration.tenant_id,
        "integration_id": integration.id,
    }
