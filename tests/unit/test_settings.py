"""A function's settings: what its template entry forgot is named on the first invocation."""

from __future__ import annotations

import pytest

from inbox.settings import MissingSettingError, Settings, get_settings, needs

CORE = {"TABLE_NAME": "inbox", "BLOB_BUCKET": "blobs", "KEY_ID": "key", "CLASSIFY_QUEUE_URL": "https://sqs/classify"}
OPTIONAL_QUEUES = ("SYNC_QUEUE_URL", "VONAGE_QUEUE_URL", "AUTOREPLY_QUEUE_URL", "PURGE_QUEUE_URL")


@pytest.fixture
def environment(monkeypatch):
    """Only the core variables, the settings read afresh."""
    for name in (*CORE, *OPTIONAL_QUEUES):
        monkeypatch.delenv(name, raising=False)
    for name, value in CORE.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def schedule_handler(event: dict, context: object) -> dict:
    return {"ran": True}


def test_a_handler_missing_a_variable_it_needs_fails_naming_it_before_it_runs(environment):
    handler = needs("SYNC_QUEUE_URL", "PURGE_QUEUE_URL")(schedule_handler)
    environment.setenv("PURGE_QUEUE_URL", "https://sqs/purge")

    with pytest.raises(MissingSettingError, match="SYNC_QUEUE_URL") as raised:
        handler({}, None)

    assert raised.value.names == ["SYNC_QUEUE_URL"]
    assert "PURGE_QUEUE_URL" not in str(raised.value)


def test_an_empty_variable_is_missing(environment):
    environment.setenv("SYNC_QUEUE_URL", "")

    with pytest.raises(MissingSettingError, match="SYNC_QUEUE_URL"):
        needs("SYNC_QUEUE_URL")(schedule_handler)({}, None)


def test_a_handler_given_what_it_needs_runs(environment):
    environment.setenv("SYNC_QUEUE_URL", "https://sqs/sync")

    assert needs("SYNC_QUEUE_URL")(schedule_handler)({}, None) == {"ran": True}
    assert needs()(schedule_handler)({}, None) == {"ran": True}


def test_a_missing_core_variable_is_named_for_every_handler(environment):
    environment.delenv("TABLE_NAME")
    environment.delenv("KEY_ID")

    with pytest.raises(MissingSettingError) as raised:
        needs()(schedule_handler)({}, None)

    assert raised.value.names == ["TABLE_NAME", "KEY_ID"]


def test_require_names_what_a_path_outside_a_handler_lacks(environment):
    with pytest.raises(MissingSettingError, match="VONAGE_QUEUE_URL"):
        get_settings().require("VONAGE_QUEUE_URL")
    environment.setenv("VONAGE_QUEUE_URL", "https://sqs/vonage")
    get_settings.cache_clear()

    assert get_settings().require("VONAGE_QUEUE_URL") == "https://sqs/vonage"


def test_a_handler_cannot_need_a_setting_that_does_not_exist():
    with pytest.raises(ValueError, match="SYNC_QUEUE"):
        needs("SYNC_QUEUE")
    assert "sync_queue_url" in Settings.model_fields
