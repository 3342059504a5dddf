"""The send path's own rules (issue 13 review, item 3)."""

import pytest
from test_reply_references import AGENT, Sender, Store, message

from inbox.models import Channel, Direction
from inbox.services.attachments import Outgoing
from inbox.services.send import Replies


def replies(files=None) -> tuple[Replies, Sender]:
    sender = Sender()
    store = Store([message(1, Direction.INBOUND, "first@customer.example")])
    return Replies(store, {Channel.EMAIL: lambda: sender}, files=files), sender


def test_files_without_a_file_service_are_never_dropped():
    service, sender = replies(files=None)

    with pytest.raises(RuntimeError):
        service.reply(AGENT, "c1", "Voici le devis.", outgoing=Outgoing(attachments=("u1",)))

    assert sender.sent == []
