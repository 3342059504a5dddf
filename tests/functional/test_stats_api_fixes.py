"""`GET /inbox/stats` after the issue 14 review (statistics items 7, 8, 12, 13): what a user sees."""

from __future__ import annotations

from helpers.events import api_request
from samples import AGENT


def test_an_agent_may_not_read_the_ai_accuracy(api):
    status, _ = api(api_request("GET", "/stats/classification?days=7", **AGENT))
    assert status == 403
    assert api(api_request("GET", "/stats/classification?days=7"))[0] == 200
