"""README's "Data (one DynamoDB table)" table names every item of the table's layout and every GSI1
partition beyond the conversations' views, as the layout docstring of `inbox.adapters.dynamodb` has them
(the docstring is the source; placeholders may be spelled differently, the constant parts may not)."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import inbox.adapters.dynamodb as table_layout

README = Path(__file__).resolve().parents[2] / "README.md"
CONVERSATION_VIEWS = {"T#t#CONVS"}  # GSI1..GSI7's views of conversations: README's Design says how they work


def _shape(key: str) -> str:
    """A key with each placeholder segment (a lower-case word: t, id, <time>, email:x) as `*`."""
    return "#".join(s if re.fullmatch(r"[A-Z0-9_|]*", s) else "*" for s in key.split("#"))


def _docstring_items() -> tuple[set[tuple[str, str]], set[str]]:
    doc = table_layout.__doc__
    layout = doc[doc.index("Layout") : doc.index("(h: ")]
    items = set()
    for line in layout.splitlines():
        columns = re.split(r"\s{2,}", line.strip())
        if line.startswith("  ") and not line.startswith("   ") and len(columns) >= 3 and columns[0] != "PK":
            items.add((_shape(columns[0]), _shape(columns[1])))
    gsi1 = {m.group(1) for m in re.finditer(r"^  GSI1\s+(\S+)", doc, re.MULTILINE)}
    return items, {_shape(p) for p in gsi1 - CONVERSATION_VIEWS}


def _readme_rows() -> list[tuple[str, list[str], list[str]]]:
    """Each row's first cell as written, and the keys (in backquotes) of its first two cells."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Data (one DynamoDB table)") :]
    section = section[: section.index("\n## ", 1)]
    rows = []
    for line in section.splitlines():
        cells = line.replace("\\|", "|").split(" | ")
        if line.startswith("| `") and len(cells) >= 3:
            keys = [re.findall(r"`([^`]+)`", cell) for cell in cells[:2]]
            rows.append((cells[0], *keys))
    return rows


def test_every_item_of_the_layout_has_a_row():
    items, _ = _docstring_items()
    listed = {(_shape(pk), _shape(sk)) for _, pks, sks in _readme_rows() for pk, sk in product(pks, sks)}
    assert len(items) > 30
    assert sorted(items - listed) == []


def test_every_gsi1_partition_but_the_conversations_views_has_a_row():
    _, partitions = _docstring_items()
    listed = {_shape(pk) for cell, pks, _ in _readme_rows() if "(GSI1" in cell for pk in pks}
    assert {"T#*#CONTACTS", "T#*#TASKS#*#OPEN|DONE", "T#*#FOLLOWUPS#*"} <= partitions
    assert sorted(partitions - listed) == []
