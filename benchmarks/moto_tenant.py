"""What the benchmarks that run the real handlers under moto share: the account built from template.yaml,
the API function called as Lambda calls it, and the fake Vonage account of the samples."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks import REPO


@contextmanager
def moto_account(env: dict[str, str] | None = None) -> Iterator[Any]:
    """A fresh moto account with template.yaml's resources, their names in the environment (plus `env`) and
    the app's clients rebuilt for it; yields the resources (helpers.aws_account.Resources)."""
    from cfn_tools import load_yaml
    from moto import mock_aws

    from helpers.aws_account import create_resources
    from inbox import wiring

    template = load_yaml((REPO / "template.yaml").read_text())
    with mock_aws():
        resources = create_resources(template["Resources"])
        os.environ.update(resources.env | (env or {}))
        wiring.reset()
        yield resources


def invoke_api(event: dict[str, Any]) -> tuple[int, Any]:
    """The API function as Lambda invokes it: (status, JSON body)."""
    from functions.api import app
    from helpers.events import LambdaContext

    response = app.lambda_handler(event, LambdaContext())
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


def api(method: str, path: str, body: Any = None) -> Any:
    """The API's answer to the samples' admin; a status of 300 or more is an error."""
    from helpers.events import api_request

    status, answer = invoke_api(api_request(method, path, body))
    if status >= 300:
        raise RuntimeError(f"{method} {path} answered {status}: {answer}")
    return answer


def fake_vonage() -> Any:
    """The samples' Vonage account (its SMS and WhatsApp numbers) on a local fake, to use as a context manager."""
    from local.vonage import FakeVonage
    from samples import SMS_NUMBER, VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_SIGNATURE_SECRET, WHATSAPP_NUMBER

    return FakeVonage(
        api_key=VONAGE_API_KEY,
        api_secret=VONAGE_API_SECRET,
        signature_secret=VONAGE_SIGNATURE_SECRET,
        numbers=[SMS_NUMBER, WHATSAPP_NUMBER],
    )
