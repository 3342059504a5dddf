"""Data migrations: conversations stored before the urgency sort (no `priority`) reappear in the
urgency-sorted views once the migration ran; each migration runs once per table."""

from __future__ import annotations

import sys

from helpers.events import REPO
from helpers.listing import listed, seed
from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.migrations import MIGRATIONS, Migrations
from samples import TENANT

sys.path.insert(0, str(REPO / "scripts"))
import migrate


def forget_priority(aws, conversation_ids: list[str]) -> None:
    """Put the items back in the shape an earlier version stored: without `priority`."""
    for cid in conversation_ids:
        aws.dynamodb.update_item(
            TableName=aws.table,
            Key={"PK": {"S": keys.conversation_pk(TENANT, cid)}, "SK": {"S": keys.CONVERSATION}},
            UpdateExpression="REMOVE priority",
        )


def test_old_conversations_come_back_in_the_urgency_sort_after_the_migration(api, aws):
    seed(TENANT)
    before = listed(api, sort="urgency")
    forget_priority(aws, ["b", "e", "g"])
    assert listed(api, sort="urgency") == [c for c in before if c not in ("b", "e", "g")]

    changed = Migrations(aws.dynamodb, aws.table).run_pending()

    assert changed["2026-11-conversation-priority"] == 3
    assert listed(api, sort="urgency") == before
    assert listed(api, sort="urgency", status="urgent") == ["b"]


def test_a_migration_runs_once_per_table(api, aws):
    seed(TENANT)
    migrations = Migrations(aws.dynamodb, aws.table)
    assert set(migrations.run_pending()) == set(MIGRATIONS)
    forget_priority(aws, ["a"])  # a later loss is not this migration's to repair again

    assert migrations.run_pending() == {}
    assert migrations.applied() == set(MIGRATIONS)
    assert "a" not in listed(api, sort="urgency")


def test_the_migration_leaves_a_conversation_that_has_its_priority_alone(api, aws):
    seed(TENANT)
    item_key = {"PK": {"S": keys.conversation_pk(TENANT, "c")}, "SK": {"S": keys.CONVERSATION}}
    before = aws.dynamodb.get_item(TableName=aws.table, Key=item_key)["Item"]

    Migrations(aws.dynamodb, aws.table).run_pending()

    assert aws.dynamodb.get_item(TableName=aws.table, Key=item_key)["Item"] == before


def test_the_deploy_script_applies_them_to_a_table_and_says_what_it_changed(api, aws, capsys):
    seed(TENANT)
    forget_priority(aws, ["h"])

    migrate.main(["--table", aws.table])
    assert "migration 2026-11-conversation-priority: 1 items changed" in capsys.readouterr().err
    assert "h" in listed(api, sort="urgency")

    migrate.main(["--table", aws.table])
    assert "no migration pending" in capsys.readouterr().err
