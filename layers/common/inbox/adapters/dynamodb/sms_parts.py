"""The parts of a long SMS, kept until all are here; then each keeps only its id and the
conversation it went to (TTL 2 days)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, key, put
from inbox.errors import ConflictError, DuplicateDeliveryError
from inbox.models import SmsPartItem


class SmsPartStore(Table):
    def add_sms_part(
        self, tenant_id: str, integration_id: str, group: str, part: SmsPartItem, stale_before: datetime
    ) -> list[SmsPartItem] | None:
        """Keep one part of a long SMS and return the parts of its group not assembled yet; None when
        another, recent message holds that part's place (a clash of the sender's reference numbers).
        A part delivered again is kept once; after its message was assembled, it is a duplicate."""
        pk = keys.sms_part_pk(tenant_id, integration_id, group)
        sk = keys.sms_part_sk(part.number)
        item = {"PK": pk, "SK": sk, "type": "sms_part", **asdict(part)}
        item["expires_at"] = int(part.received_at.timestamp()) + 2 * 86_400
        item["received_at"] = part.received_at.isoformat()
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
        parts = []
        for found in items:
            if found.get("assembled") or found["received_at"] < stale_before.isoformat():
                continue
            parts.append(
                SmsPartItem(
                    number=int(found["number"]),
                    provider_id=found["provider_id"],
                    text=found.get("text", ""),
                    received_at=datetime.fromisoformat(found["received_at"]),
                    raw_key=found.get("raw_key"),
                )
            )
        return parts

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
