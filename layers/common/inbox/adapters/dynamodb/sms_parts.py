"""The parts of a long SMS, kept until all are here; then each keeps only its id and the
conversation it went to (TTL 2 days).

Stored form: a part's item holds more than the SmsPartItem, and its time in another form
(SmsPartRecord)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, key, put
from inbox.errors import ConflictError, DuplicateDeliveryError
from inbox.models import SmsPartItem

_KEPT_SECONDS = 2 * 86_400  # a part's item expires (DynamoDB TTL) two days after it arrived


@dataclass(frozen=True)
class SmsPartRecord:
    """A part of a long SMS as stored: the SmsPartItem's fields, its `received_at` as ISO text
    (compared as text with a time before which a part is stale), and these, which only the table
    reads: when DynamoDB may expire it, and once its message is assembled, that it is (its text
    removed) and the conversation it went to, so that a part delivered again is a duplicate."""

    TYPE: ClassVar[str] = "sms_part"

    expires_at: int
    assembled: bool | None = None
    conversation_id: str | None = None

    @classmethod
    def of(cls, pk: str, part: SmsPartItem) -> dict[str, Any]:
        expiry = cls(expires_at=int(part.received_at.timestamp()) + _KEPT_SECONDS)
        item = {"PK": pk, "SK": keys.sms_part_sk(part.number), "type": cls.TYPE, **asdict(part), **asdict(expiry)}
        return item | {"received_at": part.received_at.isoformat()}

    @staticmethod
    def read(item: dict[str, Any]) -> SmsPartItem:
        return SmsPartItem(
            number=int(item["number"]),
            provider_id=item["provider_id"],
            text=item.get("text", ""),
            received_at=datetime.fromisoformat(item["received_at"]),
            raw_key=item.get("raw_key"),
        )


class SmsPartStore(Table):
    def add_sms_part(
        self, tenant_id: str, integration_id: str, group: str, part: SmsPartItem, stale_before: datetime
    ) -> list[SmsPartItem] | None:
        """Keep one part of a long SMS and return the parts of its group not assembled yet; None when
        another, recent message holds that part's place (a clash of the sender's reference numbers).
        A part delivered again is kept once; after its message was assembled, it is a duplicate."""
        pk = keys.sms_part_pk(tenant_id, integration_id, group)
        sk = keys.sms_part_sk(part.number)
        item = SmsPartRecord.of(pk, part)
        try:
            self._call(
                "put_item",
                **put(
                    self._table,
                    item,
                    "attribute_not_exists(PK) OR (provider_id <> :id AND (assembled = :yes OR received_at < :stale))",
                    id=part.provider_id,
                    yes=True,
                    stale=stale_before.isoformat(),
                )["Put"],
            )
        except ConflictError:
            held = self._get(pk, sk) or {}
            if held.get("provider_id") != part.provider_id:
                return None
            if held.get("assembled"):
                raise DuplicateDeliveryError(part.provider_id, conversation_id=held.get("conversation_id")) from None
        return self.sms_parts(tenant_id, integration_id, group, stale_before)

    def sms_parts(self, tenant_id: str, integration_id: str, group: str, stale_before: datetime) -> list[SmsPartItem]:
        """The recent parts of a long SMS that no message holds yet."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.sms_part_pk(tenant_id, integration_id, group)}},
            ConsistentRead=True,
        )
        return [
            SmsPartRecord.read(found)
            for found in items
            if not found.get("assembled") and found["received_at"] >= stale_before.isoformat()
        ]

    def mark_sms_parts_assembled(
        self, tenant_id: str, integration_id: str, group: str, parts: list[SmsPartItem], conversation_id: str
    ) -> None:
        """The parts are in a message now: each keeps its id (a part delivered again is a duplicate)
        and the conversation it went to, not its text, which lives on only in the message (and goes
        when its conversation is deleted)."""
        pk = keys.sms_part_pk(tenant_id, integration_id, group)
        for part in parts:
            try:
                self._call(
                    "update_item",
                    TableName=self._table,
                    Key=key(pk, keys.sms_part_sk(part.number)),
                    UpdateExpression="SET assembled = :yes, conversation_id = :conversation REMOVE #text",
                    ConditionExpression="provider_id = :id",
                    ExpressionAttributeNames={"#text": "text"},
                    ExpressionAttributeValues={
                        ":yes": {"BOOL": True},
                        ":id": {"S": part.provider_id},
                        ":conversation": {"S": conversation_id},
                    },
                )
            except ConflictError:
                continue  # a newer message took the place: it is not ours to mark
