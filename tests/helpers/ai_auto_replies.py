"""Auto-replies written by the real reply writer on the fake OpenAI (helpers/autoreply.py has the stub writer):
the fake, the tenant's AI and company prompt on it, and one customer's SMS auto-replied to. A fixture
module (tests/conftest.py's pytest_plugins): a test module asking for `openai_fake` gets the fake."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpers.autoreply import deliver, failed, queued_jobs
from helpers.classify import classify_queued, use_ai
from helpers.events import api_request, load_event
from helpers.replies import COMPANY_PROMPT
from helpers.vonage import invoke, sms, sms_event
from local.openai import FakeOpenAI


@pytest.fixture
def openai_fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-test-autoreply-0123456789", hang_seconds=3) as fake:
        yield fake


def use_reply_writer(api, openai_fake: FakeOpenAI) -> None:
    """The tenant's AI on the fake OpenAI, with the company prompt the replies are written under."""
    use_ai(api, openai_fake)
    status, body = api(api_request("PUT", "/settings/ai", {"company_prompt": COMPANY_PROMPT}))
    assert status == 200, body


def auto_reply_to(api, aws, fake, text: str) -> dict[str, Any]:
    """A customer's SMS, classified, its auto-reply job delivered once: the conversation's one draft."""
    status, answer = invoke("sms", sms_event("sms_form", sms(fake, text)))
    assert status == 200, answer
    classify_queued(aws)
    [job] = queued_jobs(aws)
    assert failed(deliver(job)) == 0
    status, page = api(load_event("api/list_drafts.json", CONVERSATION_ID=answer["conversation_id"]))
    assert status == 200, page
    [draft] = page["items"]
    return draft
