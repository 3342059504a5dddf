"""Drafts: the AI's replies under their conversation, each written by one attempt at a time; when
auto-replies went to a recipient; the summary kept on a conversation.

Exactly one outcome per customer message: an automatic reply's draft item is keyed by the message
it answers and created with a condition, so a job delivered again finds it. An attempt holds the
draft by its `attempt` id and a lease (`lease_until`, epoch milliseconds); every write of that
attempt is conditional on still holding it, and another attempt takes it over only once the lease
has run out (the holder crashed or gave the job back to the queue).

Stored forms: a draft's item is the Draft under its keys plus its DraftLease; an auto-reply's
item its time and draft id (TTL); the summary's item the ConversationSummary; the SUGGESTING item a
lease.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.statistics import StatisticsStore
from inbox.adapters.dynamodb.table import fields_of, item_of, key, put, unmarshal
from inbox.errors import ConflictError

if TYPE_CHECKING:  # the AI's models load with its first draft or summary: every function's store has these methods
    from inbox.models.ai_reply import ConversationSummary
    from inbox.models.draft import Draft, DraftStatus

_AUTO_REPLIED_KEPT = timedelta(hours=25)  # the caps look 24 hours back; DynamoDB's TTL is not exact


@dataclass(frozen=True)
class DraftLease:
    """Who works on a draft and until when (epoch ms): only the table reads these."""

    TYPE: ClassVar[str] = "draft"

    attempt: str
    lease_until: int

    @classmethod
    def of(cls, draft: Draft, attempt: str, lease_until: int) -> dict[str, Any]:
        pk = keys.conversation_pk(draft.tenant_id, draft.conversation_id)
        item = item_of(pk, keys.draft_sk(draft.id), cls.TYPE, draft, asdict(cls(attempt, lease_until)))
        # The lookups' answers are any JSON (floats deep inside): kept as JSON text, read back as it was.
        item["lookups"] = json.dumps(item.get("lookups") or [], ensure_ascii=False, separators=(",", ":"))
        # DynamoDB takes no float: the confidence and the edit ratio go as decimals (read back as floats).
        return {name: Decimal(str(value)) if isinstance(value, float) else value for name, value in item.items()}

    @classmethod
    def read(cls, item: dict[str, Any]) -> tuple[Draft, DraftLease]:
        from inbox.models.draft import Draft

        fields = fields_of(item, cls)
        if isinstance(fields.get("lookups"), str):
            fields["lookups"] = json.loads(fields["lookups"])
        return Draft.model_validate(fields), cls(str(item["attempt"]), int(item["lease_until"]))


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class DraftStore(StatisticsStore):
    # ------------------------------------------------------------------ one attempt at a time

    def claim_draft(self, draft: Draft, attempt: str, now: datetime, lease: timedelta) -> tuple[Draft | None, bool]:
        """The draft, and whether `attempt` now holds it: created as `draft` when there is none, or
        taken over from an attempt whose lease ran out (it comes back as that attempt left it, its
        status `writing` or `sending`). A settled draft, or one another attempt holds, is answered
        with False; None when it went meanwhile (its conversation deleted)."""
        until = millis(now + lease)
        try:
            fresh = DraftLease.of(draft, attempt, until)
            self._call("put_item", **put(self._table, fresh, "attribute_not_exists(PK)")["Put"])
            return draft, True
        except ConflictError:
            pass
        found = self._get(keys.conversation_pk(draft.tenant_id, draft.conversation_id), keys.draft_sk(draft.id))
        if found is None:
            return None, False
        held, their = DraftLease.read(found)
        from inbox.models.draft import SETTLED

        if held.status in SETTLED or their.lease_until >= millis(now):
            return held, False
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(found["PK"], found["SK"]),
                UpdateExpression="SET attempt = :mine, lease_until = :until",
                ConditionExpression="attempt = :theirs AND lease_until = :their_until",
                ExpressionAttributeValues={
                    ":mine": {"S": attempt},
                    ":until": {"N": str(until)},
                    ":theirs": {"S": their.attempt},
                    ":their_until": {"N": str(their.lease_until)},
                },
            )
        except ConflictError:
            return held, False  # a third attempt was quicker
        return held, True

    def save_draft(self, draft: Draft, attempt: str, lease_until: datetime | None = None) -> None:
        """Write the draft if `attempt` still holds it (ConflictError if not); a settled draft drops
        its lease, so nothing takes it over."""
        from inbox.models.draft import SETTLED

        until = millis(lease_until) if lease_until and draft.status not in SETTLED else 0
        item = DraftLease.of(draft, attempt, until)
        self._call("put_item", **put(self._table, item, "attempt = :mine", mine=attempt)["Put"])

    def release_draft(self, draft: Draft, attempt: str) -> None:
        """Give the draft back at once (the job goes back to the queue): its next delivery takes it over."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(keys.conversation_pk(draft.tenant_id, draft.conversation_id), keys.draft_sk(draft.id)),
            UpdateExpression="SET lease_until = :zero",
            ConditionExpression="attempt = :mine",
            ExpressionAttributeValues={":zero": {"N": "0"}, ":mine": {"S": attempt}},
        )

    # ------------------------------------------------------------------ people's decisions

    def get_draft(self, tenant_id: str, conversation_id: str, draft_id: str) -> Draft | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.draft_sk(draft_id))
        return DraftLease.read(item)[0] if item else None

    def list_drafts(self, tenant_id: str, conversation_id: str, limit: int = 20) -> list[Draft]:
        """The conversation's latest drafts, newest first."""
        page = self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.conversation_pk(tenant_id, conversation_id)},
                ":prefix": {"S": keys.DRAFT_PREFIX},
            },
            ConsistentRead=True,
        )
        drafts = [DraftLease.read(unmarshal(item))[0] for item in page.get("Items", [])]
        return sorted(drafts, key=lambda d: d.created_at, reverse=True)[:limit]

    def create_draft(self, draft: Draft) -> None:
        """A suggestion, written once by the request that asked for it."""
        item = DraftLease.of(draft, draft.id, 0)
        self._call("put_item", **put(self._table, item, "attribute_not_exists(PK)")["Put"])

    def decide_draft(self, after: Draft, attempt: str, expected: DraftStatus | None = None) -> None:
        """A person's step on a draft (sending it, discarding it): written only if the draft is still
        `expected`, pending unless said (ConflictError if not: someone else decided first)."""
        from inbox.models.draft import DraftStatus

        expected = expected or DraftStatus.PENDING
        item = DraftLease.of(after, attempt, 0)
        write = put(self._table, item, "#status = :expected", expected=expected.value)["Put"]
        self._call("put_item", **write, ExpressionAttributeNames={"#status": "status"})

    def lock_suggestion(self, tenant_id: str, conversation_id: str, now: datetime, until: datetime) -> bool:
        """One suggestion written at a time per conversation: False while another holds the lease."""
        return self._lock(keys.conversation_pk(tenant_id, conversation_id), keys.SUGGESTING, now, until)

    def unlock_suggestion(self, tenant_id: str, conversation_id: str) -> None:
        self._unlock(keys.conversation_pk(tenant_id, conversation_id), keys.SUGGESTING)

    def lock_auto_reply(self, tenant_id: str, conversation_id: str, now: datetime, until: datetime) -> bool:
        """One auto-reply judged, written and sent at a time per conversation (two messages' jobs at
        once would each find no reply yet): False while another holds the lease."""
        return self._lock(keys.conversation_pk(tenant_id, conversation_id), keys.AUTO_REPLYING, now, until)

    def unlock_auto_reply(self, tenant_id: str, conversation_id: str) -> None:
        self._unlock(keys.conversation_pk(tenant_id, conversation_id), keys.AUTO_REPLYING)

    def _lock(self, pk: str, sk: str, now: datetime, until: datetime) -> bool:
        item = {"PK": pk, "SK": sk, "type": sk.lower(), "lease_until": millis(until)}
        try:
            self._call(
                "put_item",
                **put(self._table, item, "attribute_not_exists(PK) OR lease_until < :now", now=millis(now))["Put"],
            )
        except ConflictError:
            return False
        return True

    def _unlock(self, pk: str, sk: str) -> None:
        self._call("delete_item", TableName=self._table, Key=key(pk, sk))

    def count_ai_replies(self, tenant_id: str, day: str, counters: dict[str, int]) -> None:
        """The day's AI reply outcomes: how drafts ended (the AI reply accuracy)."""
        self._add_to_day(tenant_id, day, counters)

    # ------------------------------------------------------------------ auto-replies per recipient

    def record_auto_reply(self, tenant_id: str, recipient: str, at: datetime, draft_id: str) -> None:
        item = {
            "PK": keys.auto_replied_pk(tenant_id, recipient),
            "SK": keys.auto_replied_sk(at, draft_id),
            "type": "auto_replied",
            "at": keys.stamp(at),
            "expires_at": int((at + _AUTO_REPLIED_KEPT).timestamp()),
        }
        self._call("put_item", **put(self._table, item)["Put"])

    def auto_replies_to(self, tenant_id: str, recipient: str, since: datetime) -> list[datetime]:
        """When auto-replies went to `recipient` since `since`, in any conversation: one Query."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK >= :since",
            ExpressionAttributeValues={
                ":pk": {"S": keys.auto_replied_pk(tenant_id, recipient)},
                ":since": {"S": keys.auto_replied_since(since)},
            },
            ConsistentRead=True,
        )
        return [datetime.fromisoformat(item["at"]) for item in items]

    # ------------------------------------------------------------------ the summary kept

    def get_summary(self, tenant_id: str, conversation_id: str) -> ConversationSummary | None:
        from inbox.models.ai_reply import ConversationSummary

        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.SUMMARY)
        return ConversationSummary.model_validate(fields_of(item)) if item else None

    def save_summary(self, tenant_id: str, conversation_id: str, summary: ConversationSummary) -> None:
        pk = keys.conversation_pk(tenant_id, conversation_id)
        self._call("put_item", **put(self._table, item_of(pk, keys.SUMMARY, "summary", summary))["Put"])
