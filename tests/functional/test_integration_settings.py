"""Integrations stored before their settings were typed still read, and write back as they were
(the real store under moto, items put as older versions of the code wrote them)."""

from __future__ import annotations

from typing import Any

import pytest

from inbox.adapters.dynamodb import InboxStore
from inbox.adapters.dynamodb.table import marshal, unmarshal
from inbox.models.integration_settings import EmailSettings, VonageSettings
from inbox.services.sync_mailbox import folders_of

TENANT = "t-older"
STAMP = "2025-01-02T03:04:05+00:00"


def put_item(aws, integration_id: str, kind: str, settings: dict[str, Any]) -> None:
    item = {
        "PK": f"T#{TENANT}",
        "SK": f"INTEGRATION#{integration_id}",
        "type": "integration",
        "id": integration_id,
        "tenant_id": TENANT,
        "kind": kind,
        "name": "Older",
        "settings": settings,
        "secrets": {},
        "created_at": STAMP,
        "updated_at": STAMP,
    }
    aws.dynamodb.put_item(TableName=aws.table, Item=marshal(item))


def stored_settings(aws, integration_id: str) -> dict[str, Any]:
    key = {"PK": {"S": f"T#{TENANT}"}, "SK": {"S": f"INTEGRATION#{integration_id}"}}
    return unmarshal(aws.dynamodb.get_item(TableName=aws.table, Key=key)["Item"])["settings"]


@pytest.fixture
def store(aws) -> InboxStore:
    return InboxStore(aws.dynamodb, aws.table)


def test_a_mailbox_stored_before_xoauth2_folders_and_ca_certs_reads_with_their_defaults(aws, store):
    # GIVEN a mailbox as the first version wrote it: no auth, folders, ca_cert, sent_folder nor oauth
    server = {"host": "imap.shop.test", "port": 993, "tls": "implicit", "username": "support"}
    old = {"address": "support@shop.test", "imap": server, "smtp": server | {"port": 587}, "initial_sync_days": 7}
    put_item(aws, "i-first", "email", old)

    # WHEN it is read
    integration = store.get_integration(TENANT, "i-first")

    # THEN it reads as what it meant
    settings = integration.settings
    assert isinstance(settings, EmailSettings)
    assert (settings.imap.host, settings.imap.port, settings.smtp.port) == ("imap.shop.test", 993, 587)
    assert (settings.imap.auth, settings.smtp.auth, settings.oauth) == ("password", "password", None)
    assert folders_of(integration) == ["INBOX"]
    assert (settings.initial_sync_days, settings.sync_interval_seconds) == (7, 60)

    # ...and a rename writes its settings back as they were: no default added, nothing dropped
    store.replace_integration(integration.model_copy(update={"name": "Renamed"}))
    assert stored_settings(aws, "i-first") == old


def test_a_mailbox_rewritten_with_its_numbers_as_text_still_reads_them_as_numbers(aws, store):
    # GIVEN a mailbox an older update wrote back with DynamoDB's numbers turned into text
    server = {"host": "imap.shop.test", "port": "993", "tls": "implicit", "username": "support", "auth": "password"}
    imap = server | {"ca_cert": None, "folders": ["INBOX", "Support"], "sent_folder": "Sent"}
    oauth = {"token_url": "https://login.example.com/token", "client_id": "c", "scope": None}
    put_item(aws, "i-text", "email", {"address": "a@shop.test", "imap": imap, "smtp": server, "oauth": oauth})

    settings = store.get_integration(TENANT, "i-text").settings

    assert (settings.imap.port, settings.smtp.port) == (993, 993)
    assert settings.imap.folders == ["INBOX", "Support"]
    assert settings.oauth.client_id == "c"
    assert settings.oauth.access_token_expires_at is None


def test_a_vonage_account_stored_with_its_own_api_host_reads_without_it(aws, store):
    # GIVEN a Vonage integration from when a tenant could name the API host (no longer used)
    old = {
        "sms_numbers": ["+33757000000"],
        "whatsapp_numbers": [],
        "api_key": "a1b2c3d4",
        "application_id": None,
        "signature_method": "sha256",
        "api_base_url": "https://api.example.com",
    }
    put_item(aws, "i-vonage", "vonage", old)

    settings = store.get_integration(TENANT, "i-vonage").settings

    assert isinstance(settings, VonageSettings)
    assert (settings.sms_numbers, settings.api_key, settings.signature_method) == (
        ["+33757000000"],
        "a1b2c3d4",
        "sha256",
    )
    assert "api_base_url" not in settings.as_stored()


def test_a_custom_webhook_reads_with_empty_settings(aws, store):
    put_item(aws, "i-custom", "custom", {})
    assert store.get_integration(TENANT, "i-custom").settings.as_stored() == {}
