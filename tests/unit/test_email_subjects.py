"""normalize_subject: the threading key of last resort must not merge or split conversations by accident."""

import pytest

from inbox.domain.email_message import normalize_subject


@pytest.mark.parametrize(
    "subject",
    [
        "Order 42 is late",
        "Re: Order 42 is late",
        "RE: Order 42 is late",
        "re:Order 42 is late",
        "Re: RE: Fwd: Order 42 is late",
        "Re[2]: Order 42 is late",
        "Re(3): Order 42 is late",
        "Re^2: Order 42 is late",
        "Fw: Order 42 is late",
        "FWD: Order 42 is late",
        "TR : Order 42 is late",  # French typography puts a space before the colon
        "Réf : Order 42 is late",
        "AW: WG: Order 42 is late",
        "SV: VS: Order 42 is late",
        "RV: Order 42 is late",
        "Antw: Order 42 is late",
        "ENC: RES: Order 42 is late",
        "回复\uff1aOrder 42 is late",  # full-width colon
        "答复: 转发: Order 42 is late",
        "[EXTERNAL] Re: Order 42 is late",
        "Re: [EXTERNAL] RE: Order 42 is late",
        "*EXTERNAL* Order 42 is late",
        "  Re:   Order   42\tis late  ",
        "\uff32\uff45\uff1a ORDER 42 IS LATE",  # full-width letters
    ],
)
def test_subject_replies_and_forwards_share_the_original_key(subject):
    assert normalize_subject(subject) == "order 42 is late"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Regarding the invoice", "regarding the invoice"),  # "Re" without a colon is a word
        ("Research: first results", "research: first results"),
        ("Fwd the report to Anna", "fwd the report to anna"),
        ("[Ticket #42] Printer down", "[ticket #42] printer down"),  # a sender's tag is part of the subject
        ("Ticket: Re: printer", "ticket: re: printer"),  # only leading markers go
        ("Straße", "strasse"),
    ],
)
def test_subject_keeps_what_is_not_a_reply_marker(subject, expected):
    assert normalize_subject(subject) == expected


@pytest.mark.parametrize("subject", [None, "", "   ", "Re:", "Re: Fwd: "])
def test_subject_that_is_empty_or_only_markers_gives_an_empty_key(subject):
    assert normalize_subject(subject) == ""


def test_subject_different_subjects_stay_different():
    assert normalize_subject("Re: Order 42") != normalize_subject("Re: Order 43")
