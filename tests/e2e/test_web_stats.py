"""The statistics screen in a real browser (issue 14, item 2): the demo admin opens it from the header
(its code loaded only then), sees the demo's messages counted as the API counts them, asks per week and
for one channel (SMS), downloads the CSV, reads it in French; an agent has no way in; axe on the screen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers.local_stack import id_token
from helpers.web import api_get, run_browser, settled_counters

pytestmark = pytest.mark.e2e


def last_30_days(info: dict[str, Any], token: str) -> tuple[str, str]:
    """The screen's default period: the last 30 days, today being the tenant's (its business hours' zone
    once set, UTC until then)."""
    hours = api_get(info, token, "/settings/business-hours")
    zone = hours["time_zone"] if hours["configured"] else "UTC"
    today = datetime.now(ZoneInfo(zone)).date()
    return str(today - timedelta(days=29)), str(today)


def shown(number: str) -> int:
    """A count as the English screen writes it ("1,204")."""
    return int(number.replace(",", ""))


def test_an_admin_reads_the_statistics_per_week_for_a_channel_downloads_them_and_an_agent_cannot(web_stack):
    token = id_token(web_stack)
    settled_counters(web_stack, token)
    first, last = last_30_days(web_stack, token)
    period = f"/stats?from={first}&to={last}"
    before = api_get(web_stack, token, f"{period}&granularity=day")["totals"]
    sms_before = api_get(web_stack, token, f"{period}&granularity=week&channel=sms")["totals"]
    assert before["messages_in"] > 0, "the demo's messages are not counted"

    seen = run_browser(
        "stats.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "INBOX_AGENT_EMAIL": web_stack["agent"]["username"],
            "INBOX_AGENT_PASSWORD": web_stack["agent"]["password"],
        },
        timeout=240,
    )
    after = api_get(web_stack, token, f"{period}&granularity=day")["totals"]
    sms_after = api_get(web_stack, token, f"{period}&granularity=week&channel=sms")["totals"]

    assert seen["problems"] == []
    assert seen["axe"] == {"stats": [], "statsFrench": []}
    # Loaded lazily: nothing of the screen before the link is followed, its chunk once it is.
    assert (seen["chunkBeforeOpening"], seen["chunkAfterOpening"]) == (0, 1)
    assert seen["statsQueries"][0] == {"from": first, "to": last, "granularity": "day"}

    # What the screen shows is what the API counts (the demo may still be moving between the two reads).
    assert before["messages_in"] <= shown(seen["messagesIn"]) <= after["messages_in"]
    assert before["conversations_created"] <= shown(seen["created"]) <= after["conversations_created"]
    assert seen["canvases"] == 5
    assert seen["messagesChartTitle"] == "Messages received and sent"
    assert seen["headings"][:2] == ["Key figures", "Messages received and sent"]
    assert seen["dayRows"] == 30
    assert seen["weekLabels"]
    assert all(label.startswith("Week of ") for label in seen["weekLabels"])
    assert sms_before["messages_in"] <= shown(seen["smsMessagesIn"]) <= sms_after["messages_in"]
    assert {"from": first, "to": last, "granularity": "week", "channel": "sms"} in seen["statsQueries"]
    assert seen["statsHash"] == "#stats?per=week&channel=sms"

    # The CSV: the same query (per week, SMS only), one row per week under a header and a total row,
    # then the other sections after an empty line.
    assert seen["csvName"] == f"statistics-{first}-to-{last}-week-channel-sms.csv"
    rows = seen["csv"].split("\r\n\r\n")[0].splitlines()
    assert len(rows) == 1 + len(seen["weekLabels"]) + 1, seen["csv"]
    assert rows[-1].startswith("total,")
    assert seen["statsQueries"][-1] == {
        "from": first,
        "to": last,
        "granularity": "week",
        "channel": "sms",
        "format": "csv",
    }

    # French: the words and the numbers' own writing.
    french_spaces = seen["frenchMessagesIn"].replace("\u202f", " ").replace("\xa0", " ")
    assert french_spaces == seen["smsMessagesIn"].replace(",", " ")
    assert seen["frenchWeekLabel"].startswith("Sem. du ")
    assert seen["frenchCsvButton"] == "Télécharger le CSV"
    assert seen["backToInbox"] is True

    # An agent: no link, and the screen by its address refuses without asking the API.
    assert seen["agentSeesStatistics"] == 0
    assert seen["agentAsked"] == 0
