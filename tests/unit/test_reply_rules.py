"""What every reply must hold, whoever sends it (the API, a follow-up, a draft): the send path's rules,
not the handler's (issue 13 review, items 3 and 4)."""

import pytest
from test_reply_references import AGENT, Sender, Store, message

from inbox.domain.whatsapp_templates import TemplateRequest
from inbox.errors import InvalidInputError
from inbox.models import Channel, Direction
from inbox.services.attachments import Outgoing
from inbox.services.send import Replies


def replies(files=None) -> tuple[Replies, Sender]:
    sender = Sender()
    store = Store([message(1, Direction.INBOUND, "first@customer.example")])
    return Replies(store, {Channel.EMAIL: lambda: sender}, files=files), sender


class Files:
    """The file service, refusing like services/attachments.py would after these checks: never reached here."""

    def plan(self, tenant_id, conversation, outgoing):
        raise AssertionError("the reply's own rules come first")


@pytest.mark.parametrize(
    ("text", "html", "template", "files", "field"),
    [
        ("", None, None, (), "text"),  # nothing to send
        ("Hi", None, TemplateRequest(name="welcome_back"), (), "text"),  # a template has no text of its own
        ("", "<p>Hi</p>", TemplateRequest(name="welcome_back"), (), "html"),
        ("", None, TemplateRequest(name="welcome_back"), ("u1",), "attachments"),  # nor files
    ],
)
def test_a_reply_without_what_it_must_hold_is_a_422_naming_the_field(text, html, template, files, field):
    service, sender = replies(Files)
    outgoing = Outgoing(attachments=files) if files else None

    with pytest.raises(InvalidInputError) as refused:
        service.reply(AGENT, "c1", text, html, template=template, outgoing=outgoing)

    assert refused.value.field == field
    assert sender.sent == []


def test_files_without_a_file_service_are_never_dropped():
    service, sender = replies(files=None)

    with pytest.raises(RuntimeError):
        service.reply(AGENT, "c1", "Voici le devis.", outgoing=Outgoing(attachments=("u1",)))

    assert sender.sent == []
