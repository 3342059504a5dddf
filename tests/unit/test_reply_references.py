"""The References of our email replies: the customer's mail program must show one thread."""

from datetime import UTC, datetime, timedelta

from inbox.domain.references import MAX_REFERENCES, in_header_order
from inbox.models import Channel, Conversation, Direction, Integration, Message, Party, Principal, Role
from inbox.services.send import Replies

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CUSTOMER = Party(name="Ann Smith", email="ann@example.com")
SHOP = Party(name="Shop", email="shop@example.com")
AGENT = Principal(user_id="u1", tenant_id="t1", role=Role.AGENT)


class Store:
    """The conversation's messages in memory, paged like the table pages them (latest first, cursor back)."""

    def __init__(self, messages: list[Message]):
        self.messages = messages
        self.conversation = Conversation(
            id="c1",
            tenant_id="t1",
            channel=Channel.EMAIL,
            integration_id="i1",
            contact_id="k1",
            contact=CUSTOMER,
            subject="Order 1042",
            created_at=START,
            last_activity_at=START,
        )

    def get_conversation(self, tenant_id, conversation_id):
        return self.conversation

    def get_integration(self, tenant_id, integration_id):
        server = {"host": "mail.example.com", "port": 993, "tls": "implicit", "username": "shop"}
        settings = {"address": "shop@example.com", "imap": server, "smtp": server}
        return Integration(
            id="i1", tenant_id="t1", kind="email", name="Shop", settings=settings, created_at=START, updated_at=START
        )

    def get_messages(self, tenant_id, conversation_id, limit, before=None):
        end = int(before) if before else len(self.messages)
        start = max(0, end - limit)
        return self.messages[start:end], (str(start) if start else None)

    def commit_outbound(self, message, before, after):
        self.messages.append(message)

    def set_delivery(self, message):
        pass


class Sender:
    def __init__(self):
        self.sent: list[Message] = []

    def send(self, integration, message):
        self.sent.append(message)

    def sender_party(self, integration, parent):
        return SHOP

    def message_id(self, integration, message_id):
        return f"{message_id}@example.com"


def message(number: int, direction: Direction, message_id: str, references: list[str] | None = None) -> Message:
    return Message(
        id=f"m{number:03}",
        tenant_id="t1",
        conversation_id="c1",
        integration_id="i1",
        channel=Channel.EMAIL,
        direction=direction,
        sender=CUSTOMER if direction is Direction.INBOUND else SHOP,
        message_id=message_id,
        references=references or [],  # as stored: In-Reply-To first, then References newest first
        received_at=START + timedelta(minutes=number),
    )


def reply_to(messages: list[Message]) -> Message:
    store, sender = Store(messages), Sender()
    Replies(store, {Channel.EMAIL: lambda: sender}).reply(AGENT, "c1", "It left our warehouse today.")
    (sent,) = sender.sent
    return sent


def test_reply_to_a_message_without_references_names_the_first_message_and_the_latest_ones():
    # GIVEN a conversation whose latest mail came from a client that dropped References (joined by subject)
    messages = [
        message(1, Direction.INBOUND, "first@customer.example"),
        message(2, Direction.OUTBOUND, "answer@example.com", ["first@customer.example"]),
        message(3, Direction.INBOUND, "again@customer.example"),
    ]

    # WHEN a person answers it
    sent = reply_to(messages)

    # THEN the reply threads under the conversation's first mail, our answer, and the mail answered, last
    assert in_header_order(sent) == ["first@customer.example", "answer@example.com", "again@customer.example"]


def test_reply_in_a_long_conversation_still_names_its_first_message():
    messages = [message(1, Direction.INBOUND, "first@customer.example")]
    messages += [
        message(n, Direction.OUTBOUND if n % 2 else Direction.INBOUND, f"m{n}@x.example") for n in range(2, 60)
    ]
    messages.append(message(60, Direction.INBOUND, "latest@customer.example"))

    sent = reply_to(messages)

    assert in_header_order(sent)[0] == "first@customer.example"
    assert in_header_order(sent)[-1] == "latest@customer.example"
    assert "m59@x.example" in in_header_order(sent)
    assert len(in_header_order(sent)) <= MAX_REFERENCES


def test_reply_to_a_message_with_references_sends_them_oldest_first_with_the_answered_one_last():
    # GIVEN the customer's client sent In-Reply-To: answer, References: root first answer (stored newest first)
    messages = [
        message(1, Direction.INBOUND, "first@customer.example", ["root@customer.example"]),
        message(2, Direction.OUTBOUND, "answer@example.com", ["root@customer.example", "first@customer.example"]),
        message(
            3,
            Direction.INBOUND,
            "again@customer.example",
            ["answer@example.com", "first@customer.example", "root@customer.example"],
        ),
    ]

    sent = reply_to(messages)

    assert in_header_order(sent) == [
        "root@customer.example",
        "first@customer.example",
        "answer@example.com",
        "again@customer.example",
    ]
