"""Why a written reply may not go out by itself: the hold checks of automatic mode, pure.

A reply is held (kept as a draft for a person) when the model is not sure enough for the folder,
says a person is needed, gives a link, email address or phone number that neither the knowledge
base passages it was given nor the company prompt contain (a model that invents contact details,
or was talked into them by the customer, must not send them), or is longer than its channel
allows. An over-long reply is held, not trimmed: a cut reply can lose the very sentence that
answers, or the one saying a person will follow up, and a person can shorten it in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import phonenumbers

from inbox.domain.reply_prompt import channel_limit
from inbox.models import Channel
from inbox.models.ai_reply import HoldReason

DEFAULT_REGION = "FR"  # numbers written without a country code are read as French ones

_EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[a-z]{2,63}", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
# A bare domain such as acme.fr/livraison: a country code, or one of the common generic top levels
# (so "file.pdf", "M.Dupont" or "v1.2" are not read as links).
_DOMAIN = re.compile(
    r"(?<![\w@./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}))(?::\d{1,5})?(/[^\s<>\"'`]*)?",
    re.IGNORECASE,
)
_GENERIC_TLDS = frozenset(
    {"com", "org", "net", "info", "biz", "io", "app", "dev", "shop", "store", "online", "site", "xyz", "club"}
    | {"co", "me", "tv", "eu", "asia", "pro", "tech", "cloud", "link"}
)
UNKNOWN = "not in the knowledge base nor the company prompt"
_TRAILING = ".,;:!?)]}>'\"»…"


@dataclass(frozen=True)
class Hold:
    reason: HoldReason
    detail: str


@dataclass(frozen=True)
class Link:
    """A link as compared: host without `www.`, lower-cased; path without its trailing slash; query."""

    host: str
    path: str
    query: str
    written: str


def _link(written: str) -> Link | None:
    raw = written.rstrip(_TRAILING)
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    return Link(host, unquote(parts.path).rstrip("/"), parts.query, raw)


def links_in(text: str) -> list[Link]:
    """The links of a text: URLs with a scheme or www., bare domains, and email addresses (as a
    link whose host is the whole address: only the same address counts as the same)."""
    found: list[Link] = []
    for match in _EMAIL.finditer(text):
        address = match.group().rstrip(_TRAILING).lower()
        found.append(Link(address, "", "", address))
    rest = _EMAIL.sub(" ", text)
    for match in _URL.finditer(rest):
        link = _link(match.group())
        if link:
            found.append(link)
    rest = _URL.sub(" ", rest)
    for match in _DOMAIN.finditer(rest):
        tld = match.group(2).lower()
        if len(tld) == 2 or tld in _GENERIC_TLDS:
            link = _link(match.group())
            if link:
                found.append(link)
    return found


def _known(link: Link, known: list[Link]) -> bool:
    """Same host, and the same path (or a known bare host, which vouches for its whole site); a query
    only when a known link of that path has the same one (it may carry a redirect)."""
    for other in known:
        if other.host != link.host:
            continue
        if link.query:
            if (other.path, other.query) == (link.path, link.query):
                return True
        elif other.path in ("", link.path):
            return True
    return False


def unknown_links(reply: str, known_texts: Iterable[str]) -> list[str]:
    known = [link for text in known_texts for link in links_in(text)]
    return list(dict.fromkeys(link.written for link in links_in(reply) if not _known(link, known)))


def phones_in(text: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """The valid phone numbers of a text, E.164 form to the number as written."""
    found: dict[str, str] = {}
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        found.setdefault(
            phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164), match.raw_string
        )
    return found


def unknown_phones(reply: str, known_texts: Iterable[str], region: str = DEFAULT_REGION) -> list[str]:
    known = {number for text in known_texts for number in phones_in(text, region)}
    return [written for number, written in phones_in(reply, region).items() if number not in known]


def reply_holds(
    text: str,
    *,
    confidence: float,
    needs_person: bool,
    reason: str,
    min_confidence: float,
    channel: Channel,
    known_texts: Iterable[str],
    region: str = DEFAULT_REGION,
) -> list[Hold]:
    """Every reason to hold the reply, the weightiest first (empty: it may be sent).
    `known_texts`: the company prompt and the passages given to the model."""
    known = list(known_texts)
    holds: list[Hold] = []
    if needs_person:
        said = f": {reason}" if reason else ""
        holds.append(Hold(HoldReason.NEEDS_PERSON, f"the AI says a person is needed{said}"))
    if confidence < min_confidence:
        holds.append(
            Hold(HoldReason.LOW_CONFIDENCE, f"confidence {confidence:.2f}, under the folder's {min_confidence:.2f}")
        )
    links = unknown_links(text, known)
    if links:
        holds.append(Hold(HoldReason.UNKNOWN_LINK, f"{UNKNOWN}: {', '.join(links)}"))
    phones = unknown_phones(text, known, region)
    if phones:
        holds.append(Hold(HoldReason.UNKNOWN_PHONE, f"{UNKNOWN}: {', '.join(phones)}"))
    limit = channel_limit(channel)
    if len(text) > limit:
        holds.append(
            Hold(
                HoldReason.TOO_LONG,
                f"{len(text)} characters, over the {limit} of {channel.value}: held for a person to shorten, not cut",
            )
        )
    return holds


def first_hold(holds: list[Hold]) -> tuple[HoldReason | None, str | None]:
    """The hold a proposal carries: the weightiest reason, with the others named in its detail."""
    if not holds:
        return None, None
    detail = holds[0].detail
    if len(holds) > 1:
        detail += "; also " + "; ".join(f"{h.reason.value}: {h.detail}" for h in holds[1:])
    return holds[0].reason, detail
