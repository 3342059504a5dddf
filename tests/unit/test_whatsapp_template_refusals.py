"""Vonage refusing the list of WhatsApp templates (issue 16 review, answers #9): a 401 is the application's
credentials (its id and private key), a 422 naming `application_id`; a 403/404 is the WABA id's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from inbox.adapters.vonage import Credentials, VonageClient, VonageCredentialsError, VonageRejectedError
from inbox.errors import InvalidInputError
from inbox.services.whatsapp_templates import WhatsAppTemplates


def client_answering(status: int) -> VonageClient:
    client = VonageClient("https://api.nexmo.test", Credentials("key", "secret", "app", "pem"))
    client._request = lambda *args, **kwargs: (status, {}, b'{"title": "Unauthorized"}')  # type: ignore[method-assign]
    return client


@pytest.mark.parametrize(("status", "error"), [(401, VonageCredentialsError), (403, VonageRejectedError)])
def test_the_adapter_tells_credentials_from_the_account(status, error):
    with pytest.raises(error) as raised:
        client_answering(status).whatsapp_templates("123456")
    assert (status == 401) == isinstance(raised.value, VonageCredentialsError)


class Lists:
    def get_listed_templates(self, tenant_id: str, integration_id: str):
        return None

    def save_listed_templates(self, listed) -> None:
        raise AssertionError("nothing listed")


@pytest.mark.parametrize(("status", "field"), [(401, "application_id"), (404, "whatsapp_business_account_id")])
def test_a_refused_list_is_a_422_on_the_field_to_fix(status, field):
    integration = SimpleNamespace(id="i1", tenant_id="t1")  # what a fetch reads of it
    templates = WhatsAppTemplates(store=None, lists=Lists(), account=lambda _: client_answering(status))  # type: ignore[arg-type]

    with pytest.raises(InvalidInputError) as refused:
        templates._fetch(integration, "123456")  # type: ignore[arg-type]

    assert refused.value.field == field
