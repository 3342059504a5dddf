"""Issue 15, item 1: every message of the shared corpora reads the same through the fast path as through the
standard library alone (the old path), field by field: sender, subject, text, attachments and the rest.

The corpora are read in place from shared/corpora/email at run time, never copied here. A difference is
allowed only if benchmarks/parse_compare.EXPLAINED_DIFFERENCES names it with its reason; none is today,
because fast_mime.py avoids, or declines for the standard library, every shape where the two were seen
to differ:
- quoted-printable: mailparse reads a soft line break at a part's very end as a line break (26 of the
  corpora's messages: `...</html>=` before the boundary) and deletes blanks at line ends (zammad mail001)
  where the standard library keeps them; so the fast path decodes quoted-printable parts itself, from
  where the boundaries put them, with binascii as the standard library does;
- a quoted file name holding a `;` (freescout/message-1symbols.eml): mailparse cuts the name there, so
  a name the two read differently is declined.
"""

import random
from pathlib import Path

import pytest

from benchmarks.parse_compare import EXPLAINED_DIFFERENCES, differences
from inbox.domain.email.parse import parse_email, parse_email_traced

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "email"
HELPDESKS = sorted(CORPORA.glob("*/*.eml"))
ZAMMAD = sorted(CORPORA.glob("zammad/*.box"))


def test_both_shared_corpora_are_there_to_read():
    assert len(HELPDESKS) >= 48, "the shared corpora moved or lost files"
    assert len(ZAMMAD) == 106, "the shared corpora moved or lost files"


@pytest.mark.parametrize("path", HELPDESKS + ZAMMAD, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_real_message_reads_the_same_through_the_fast_path_as_through_the_standard_library(path):
    # GIVEN a real message
    raw = path.read_bytes()

    # WHEN it is read by the new path (fast, falling back) and by the old one (the standard library only)
    new, fallback = parse_email_traced(raw)
    old = parse_email(raw, fast=False)

    # THEN the sender, subject, text and attachments (names, types, sizes, bytes) are the same, and so is every
    # other field, unless the difference is listed with its reason
    corpus = "zammad" if path.suffix == ".box" else "help desks (chatwoot, freescout)"
    explained = EXPLAINED_DIFFERENCES.get((corpus, path.name), {})
    unexplained = [(name, detail) for name, detail in differences(old, new) if name not in explained]
    assert unexplained == [], f"fast path: {fallback or 'taken'}"
    assert (new.sender, new.subject, new.text) == (old.sender, old.subject, old.text) or explained
    assert [(a.filename, a.content_type, a.size, a.data) for a in new.attachments] == [
        (a.filename, a.content_type, a.size, a.data) for a in old.attachments
    ] or "attachments" in explained


def test_most_real_messages_take_the_fast_path():
    # A count, not a timing: if the fast path stopped being taken, the comparison above would prove nothing.
    taken = sum(parse_email_traced(path.read_bytes())[1] is None for path in HELPDESKS + ZAMMAD)
    assert taken >= 80, taken


def _mutated(raw: bytes, rng: random.Random) -> bytes:
    """The message with one thing broken as mail gets broken: cut short, a line lost, added, cut or changed."""
    lines = raw.split(b"\n")
    index = rng.randrange(len(lines))
    kind = rng.randrange(6)
    if kind == 0:
        return raw[: rng.randrange(len(raw))]
    if kind == 1:
        del lines[index]
    elif kind == 2:
        lines.insert(index, rng.choice([b"", b"\r", b"--", b"=", b"  x", b"X: y", b"--" + lines[index][:10]]))
    elif kind == 3:
        lines[index] += rng.choice([b" ", b"\t", b"=", b"=\r", b"\x00", b"\xe9", b"\x12"])
    elif kind == 4:
        position = rng.randrange(len(raw))
        return raw[:position] + bytes([rng.randrange(256)]) + raw[position + 1 :]
    else:
        lines[index] = lines[index][: len(lines[index]) // 2]
    return b"\n".join(lines)


def test_broken_copies_of_real_messages_read_the_same_through_both_paths_too():
    # GIVEN 400 copies of the corpora's messages, each broken in one place (a fixed seed: the same copies each run)
    rng = random.Random(15)
    originals = [path.read_bytes() for path in HELPDESKS + ZAMMAD]
    broken = [_mutated(rng.choice(originals), rng) for _ in range(400)]

    # WHEN each is read by both paths
    # THEN those the fast path takes read exactly as the standard library reads them
    taken, different = 0, []
    for number, raw in enumerate(broken):
        new, fallback = parse_email_traced(raw)
        if fallback is None:
            taken += 1
            different += [(number, name) for name, _ in differences(parse_email(raw, fast=False), new)]
    assert different == []
    assert taken >= 150, taken
