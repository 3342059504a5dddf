"""How DynamoDB's refusals reach the caller: retried, answered 503, or a JSON 500 for our bugs."""

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from helpers.events import load_event
from inbox import wiring
from inbox.adapters.dynamodb import InboxStore
from inbox.errors import ConcurrentUpdateError, PermanentError, TransientError
from inbox.models import Contact, Conversation
from samples import sample_conversation


def cancelled(*reasons: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": r} for r in reasons],
        },
        "TransactWriteItems",
    )


class RefusingClient:
    def __init__(self, error: ClientError):
        self.error = error

    def transact_write_items(self, **_):
        raise self.error


def conversation(version: int = 1) -> Conversation:
    return sample_conversation(version=version)


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (("None", "TransactionConflict"), ConcurrentUpdateError),
        (("ConditionalCheckFailed", "None"), ConcurrentUpdateError),
        (("ThrottlingError", "None"), TransientError),
        (("None", "ProvisionedThroughputExceeded"), TransientError),
        (("ValidationError", "None"), PermanentError),
    ],
)
def test_store_turns_transaction_cancellations_into_retryable_errors(reasons, expected):
    store = InboxStore(RefusingClient(cancelled(*reasons)), "table")
    before = conversation()
    with pytest.raises(expected):
        store.save_conversation(before, before.model_copy(update={"unread": False}))


def test_store_says_an_item_over_400_kb_is_refused_for_good(aws):
    """DynamoDB (and moto) refuse such an item outright: retrying it would block its queue forever."""
    huge = Contact(id="c1", tenant_id="t1", name="x" * 420_000, created_at=datetime.now(UTC))
    with pytest.raises(PermanentError):
        wiring.store().create_contact(huge, ["email:huge@example.com"])


def test_api_answers_503_with_retry_after_when_dynamodb_throttles(api, post_webhook, monkeypatch):
    _, accepted = post_webhook()
    store = wiring.store()
    monkeypatch.setattr(store, "_client", RefusingClient(cancelled("ThrottlingError", "None")))
    monkeypatch.setattr(store, "get_conversation", lambda *_: conversation())
    status, body = api(load_event("api/patch_conversation.json", CONVERSATION_ID=accepted["conversation_id"]))
    assert (status, body["error"]["code"]) == (503, "unavailable")


def test_api_answers_our_own_bugs_with_a_json_500(api, monkeypatch):
    def broken(*_):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(wiring.store(), "list_conversations", broken)
    status, body = api(load_event("api/list_conversations.json"))
    assert status == 500
    assert body == {"error": {"code": "internal", "message": "something went wrong on our side"}}
