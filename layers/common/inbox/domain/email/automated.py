"""Mail that no person wrote: bounces, auto-replies and newsletters, told apart by their headers."""

from __future__ import annotations

import re
from enum import StrEnum


class AutomatedKind(StrEnum):
    """Mail that no person wrote to us: kept, marked, and kept out of the main folders."""

    NEWSLETTER = "newsletter"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
_NOREPLY_SENDER = re.compile(r"^(?:no|do[-_.]?not|dont)[-_.]?reply(?:$|[-_.+0-9])")
_BOUNCE_SUBJECTS = (
    "undelivered mail returned to sender",
    "undeliverable:",
    "undeliverable mail",
    "undelivered mail",
    "delivery status notification",
    "mail delivery failed",
    "mail delivery failure",
    "delivery failure",
    "failure notice",
    "returned mail:",
    "message not delivered",
    "delivery has failed",
    "non remis",
    "non distribuable",
    "unzustellbar",
    "nicht zustellbar",
    "no se puede entregar",
)
_AUTO_REPLY_SUPPRESS = frozenset({"all", "oof", "autoreply"})


def classify_automated(
    headers: dict[str, list[str]], sender_email: str | None, subject: str | None, delivery_report: bool
) -> AutomatedKind | None:
    """Which kind of machine sent this, if any. `headers` holds every value by lower-cased name.

    In order, first match wins:
    1. bounce: a delivery-status report, a mailer-daemon or postmaster sender, X-Failed-Recipients,
       or a bounce subject (bounces also carry Auto-Submitted, so they are checked first);
    2. auto-reply, explicit: Auto-Submitted: auto-replied, X-Autoreply, X-Autorespond, Precedence:
       auto_reply (vacation responders often add Precedence: bulk too, so this beats newsletter);
    3. newsletter: List-Unsubscribe, List-Id, Precedence: bulk, list or junk;
    4. auto-reply, generic: any other Auto-Submitted but "no", X-Auto-Response-Suppress
       (All/OOF/AutoReply) — after the list headers, because bulk senders set these to silence
       responders, and a newsletter is not a reply;
    5. newsletter: a noreply / no-reply / donotreply sender.
    """

    def first(name: str) -> str:
        values = headers.get(name)
        return " ".join(values[0].split()).casefold() if values else ""

    local_part = sender_email.rsplit("@", 1)[0] if sender_email else ""
    folded_subject = " ".join((subject or "").split()).casefold()
    precedence = first("precedence")
    auto_submitted = first("auto-submitted").split(";")[0].strip()
    if (
        delivery_report
        or local_part in _BOUNCE_SENDERS
        or "x-failed-recipients" in headers
        or folded_subject.startswith(_BOUNCE_SUBJECTS)
    ):
        return AutomatedKind.BOUNCE
    if (
        auto_submitted == "auto-replied"
        or first("x-autoreply") not in ("", "no")
        or "x-autorespond" in headers
        or precedence in ("auto_reply", "auto-reply")
    ):
        return AutomatedKind.AUTO_REPLY
    if "list-unsubscribe" in headers or "list-id" in headers or precedence in ("bulk", "list", "junk"):
        return AutomatedKind.NEWSLETTER
    suppress = {token.strip() for token in re.split(r"[,;\s]+", first("x-auto-response-suppress"))}
    if (auto_submitted and auto_submitted != "no") or suppress & _AUTO_REPLY_SUPPRESS:
        return AutomatedKind.AUTO_REPLY
    if _NOREPLY_SENDER.match(local_part):
        return AutomatedKind.NEWSLETTER
    return None
