"""The web app's accounts in a real browser: a first sign-in, sign-out, a forgotten password, French."""

from __future__ import annotations

import pytest

from helpers.local_stack import create_user
from helpers.web import (
    run_browser,
)

pytestmark = pytest.mark.e2e


def test_first_sign_in_sign_out_forgotten_password_and_french(web_stack):
    email = "agent.web@demo.example.com"
    temporary, chosen, reset = "Temporary-Pass-1", "Chosen-Password-22", "Reset-Password-333"
    create_user(
        web_stack,
        email,
        tenant_id=web_stack["tenant_id"],
        group="agent",
        temporary_password=temporary,
        email_verified=True,
    )

    seen = run_browser(
        "accounts.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": email,
            "INBOX_TEMPORARY_PASSWORD": temporary,
            "INBOX_NEW_PASSWORD": chosen,
            "INBOX_RESET_PASSWORD": reset,
        },
    )

    assert seen["problems"] == []
    assert seen["firstSignIn"] == email
    assert seen["signedOut"] is True
    assert seen["wrongPassword"] == "Wrong email or password."
    assert seen["resetNotice"] == "Your password was changed: sign in with it."
    assert seen["afterReset"] == email
    assert seen["frenchSignIn"] == "Boîte de réception"
    assert seen["frenchFolders"][:2] == ["Boîte de réception", "Automatiques"]
    assert seen["frenchLang"] == "fr"
