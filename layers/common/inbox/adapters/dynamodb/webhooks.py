"""Outbound webhooks in the table: a tenant's webhooks in one partition (keys.webhooks_pk), each the
OutboundWebhook under its keys and nothing more (its secret sealed); and each webhook's delivery log
in its own partition (keys.webhook_log_pk), one WebhookDelivery per event rewritten by each attempt,
with `expires_at` (the table's TTL) so the log forgets by itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, marshal, put, unmarshal
from inbox.errors import ConflictError, NotFoundError
from inbox.models.outbound_webhook import OutboundWebhook, WebhookDelivery

WEBHOOK = "outbound_webhook"
DELIVERY = "webhook_delivery"
LOG_KEPT = timedelta(days=14)


class WebhookStore(Table):
    def webhooks(self, tenant_id: str) -> list[OutboundWebhook]:
        """The tenant's webhooks, oldest first (ids sort by creation)."""
        items = self._query_prefix(keys.webhooks_pk(tenant_id), keys.WEBHOOK_PREFIX, ConsistentRead=True)
        return [OutboundWebhook.model_validate(fields_of(item)) for item in items]

    def webhook(self, tenant_id: str, webhook_id: str) -> OutboundWebhook | None:
        item = self._get(keys.webhooks_pk(tenant_id), keys.webhook_sk(webhook_id))
        return OutboundWebhook.model_validate(fields_of(item)) if item else None

    def save_webhook(self, webhook: OutboundWebhook) -> None:
        item = item_of(keys.webhooks_pk(webhook.tenant_id), keys.webhook_sk(webhook.id), WEBHOOK, webhook)
        self._call("put_item", TableName=self._table, Item=marshal(item))

    def replace_webhook(self, webhook: OutboundWebhook) -> None:
        """Write a changed webhook; one deleted meanwhile (a PATCH racing a DELETE) is not brought back."""
        item = item_of(keys.webhooks_pk(webhook.tenant_id), keys.webhook_sk(webhook.id), WEBHOOK, webhook)
        try:
            self._call("put_item", **put(self._table, item, "attribute_exists(PK)")["Put"])
        except ConflictError as error:
            raise NotFoundError(f"webhook {webhook.id}") from error

    def delete_webhook(self, tenant_id: str, webhook_id: str) -> None:
        """Remove a webhook; its log expires by itself (TTL), unread: nothing lists it any more."""
        self._call(
            "delete_item", TableName=self._table, Key=key(keys.webhooks_pk(tenant_id), keys.webhook_sk(webhook_id))
        )

    def record_delivery(self, delivery: WebhookDelivery) -> None:
        pk = keys.webhook_log_pk(delivery.tenant_id, delivery.webhook_id)
        sk = keys.webhook_log_sk(delivery.event_time, delivery.id)
        expires_at = int((delivery.last_attempt_at + LOG_KEPT).timestamp())
        item = item_of(pk, sk, DELIVERY, delivery, {"expires_at": expires_at})
        self._call("put_item", TableName=self._table, Item=marshal(item))

    def deliveries(self, tenant_id: str, webhook_id: str, now: datetime, limit: int = 50) -> list[WebhookDelivery]:
        """The webhook's latest deliveries, newest event first (those past their TTL left out)."""
        page = self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            FilterExpression="expires_at > :now",
            ExpressionAttributeValues={
                ":pk": {"S": keys.webhook_log_pk(tenant_id, webhook_id)},
                ":prefix": {"S": keys.WEBHOOK_LOG_PREFIX},
                ":now": {"N": str(int(now.timestamp()))},
            },
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            WebhookDelivery.model_validate({k: v for k, v in fields_of(unmarshal(i)).items() if k != "expires_at"})
            for i in page.get("Items", [])
        ]
