"""parse_email on Zammad's 106 real-world test mails, against what Zammad's parser made of them.

The mails, the expectations and the comparison (check.py, which says which of Zammad's quirks it
forgives and why) are read in place from shared/corpora/email/zammad at run time, never copied here.
"""

import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest

from inbox.domain.email import parse_email

ZAMMAD = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "email" / "zammad"
MAILS = sorted(ZAMMAD.glob("*.box"))


@cache
def checker():
    spec = importlib.util.spec_from_file_location("zammad_check", ZAMMAD / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def expectations() -> dict[str, dict]:
    # The digest of Zammad's ymls kept beside them (check.py --write-cache): the same checks, without
    # reading 100 YAML files on every run.
    return json.loads((ZAMMAD / "expectations.json").read_text(encoding="utf-8"))


def test_email_zammad_corpus_is_there_to_read():
    assert len(MAILS) == 106, "the shared corpus moved or lost files"
    assert len(expectations()) >= 100


@pytest.mark.parametrize("path", MAILS, ids=lambda path: path.stem)
def test_email_zammad_mail_gives_the_sender_subject_text_and_files_zammad_found(path):
    # GIVEN a real mail and what another help desk read in it
    raw = path.read_bytes()
    check = checker()
    expected, spec = expectations().get(path.stem, {}), check.SPEC_EXPECTATIONS.get(path.stem, {})

    # WHEN our parser reads it
    parsed = parse_email(raw)

    # THEN it is read as mail, and every field that help desk recorded agrees
    assert not parsed.malformed, parsed.defects
    failures = [
        f"{field}: {detail}" for field, ok, detail in check.check_mail(path.stem, raw, parsed, expected, spec) if not ok
    ]
    assert failures == []
