"""The web app words every reason a draft can carry (web/src/inbox/draftReasons.ts): its lists are the
Python enums' (the API types `reason` as their union; these lists give the app an order and a loop)."""

import re
from pathlib import Path

from inbox.domain.autoreply.reasons import RefusalReason
from inbox.models.ai_reply import HoldReason
from inbox.models.draft import OutcomeReason

SOURCE = Path(__file__).parents[2] / "web" / "src" / "inbox" / "draftReasons.ts"


def listed(name: str) -> list[str]:
    block = re.search(rf"export const {name} = \[(.*?)\] as const;", SOURCE.read_text(), re.DOTALL)
    assert block, f"{name} is not in {SOURCE}"
    return re.findall(r'"(\w+)"', block.group(1))


def test_web_draft_reasons_list_every_loop_guard_refusal():
    assert listed("REFUSAL_REASONS") == [reason.value for reason in RefusalReason]


def test_web_draft_reasons_list_every_reason_the_auto_reply_settles_a_draft_with():
    assert listed("OUTCOME_REASONS") == [reason.value for reason in OutcomeReason]


def test_web_draft_reasons_hold_reasons_come_from_the_api_types():
    types = (SOURCE.parents[1] / "api" / "schema.d.ts").read_text()
    union = " | ".join(f'"{reason.value}"' for reason in HoldReason)
    assert f"HoldReason: {union};" in types
