"""Statistics of a mailbox's first sync (issue 14 review, statistics item 9): the mail it held before
it was connected is its past, not the import day's work; what arrives after is counted."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers.mailbox import create_mailbox, mail, run_worker
from helpers.stats import StreamTap, stats


def test_a_mailbox_first_sync_does_not_count_its_past_on_the_import_day(aws, api, mailbox):
    stream = StreamTap(aws)
    mailbox.append("INBOX", mail("Commande 1042"))
    mailbox.append("INBOX", mail("Devis", sender="Paul <paul@example.com>"))
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    stream.record()
    mailbox.append("INBOX", mail("Nouvelle question", sender="Ana <ana@example.es>"))
    run_worker(integration_id)
    stream.record()
    today = datetime.now(UTC).date().isoformat()
    totals = stats(api, "day", start=today, end=today)["totals"]
    assert (totals["conversations_created"], totals["messages_in"]) == (1, 1)
    assert totals["by_channel"] == {"email": {"in": 1, "out": 0}}
