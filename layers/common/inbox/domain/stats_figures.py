"""The statistics page from its counters (issue 14, item 2): pure arithmetic over the counter items
read for a period. The counters' names are `stats_counting`'s; this adds them up and reads them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from inbox.domain.ai_prices import PRICES_AS_OF, estimated_cost
from inbox.domain.stats_histogram import durations
from inbox.domain.stats_periods import StatsQuery

Counters = Mapping[str, int]

# histogram names (`.bh`: the same duration counted within business hours)
RESOLUTION = "res"
FIRST_RESPONSE = "frt"
REPLY_TIME = "rt"
PERSON, AUTO, ALL = "person", "auto", "all"  # all: the wait for any answer (a person's after an auto-reply is not)
BUSINESS = ".bh"


def merged(items: Iterable[Counters]) -> dict[str, int]:
    total: dict[str, int] = {}
    for counters in items:
        for name, value in counters.items():
            total[name] = total.get(name, 0) + int(value)
    return total


def shown(counters: Counters, name: str) -> int:
    """A count as the page shows it: never below 0. A conversation created before the counters
    existed has no creation counted; moving it takes one out of a period that never had it."""
    return max(0, int(counters.get(name, 0)))


def _hist(name: str, business_hours: bool) -> str:
    return name + (BUSINESS if business_hours else "")


def response_times(counters: Counters, kind: str, business_hours: bool) -> dict:
    person, auto = _hist(f"{kind}.{PERSON}", business_hours), _hist(f"{kind}.{AUTO}", business_hours)
    return {
        "all": durations(counters, _hist(f"{kind}.{ALL}", business_hours)),
        "person": durations(counters, person),
        "auto": durations(counters, auto),
    }


def figures(counters: Counters, business_hours: bool) -> dict:
    """The `Figures` of one period (or of the totals). The resolution rate is resolutions over
    creations in the same period, not a share of those conversations: it passes 1 when the period
    resolves conversations created before it (shown as is, not capped, so it does not hide them)."""
    created, resolved = shown(counters, "created"), shown(counters, "resolved")
    channels = sorted({name.split(":", 1)[1] for name in counters if name.startswith(("in:", "out:"))})
    return {
        "messages_in": shown(counters, "in"),
        "messages_out": shown(counters, "out"),
        "conversations_created": created,
        "resolved": resolved,
        "reopened": shown(counters, "reopened"),
        "resolution_rate": resolved / created if created else None,
        "resolution_time": durations(counters, _hist(RESOLUTION, business_hours)),
        "first_response": response_times(counters, FIRST_RESPONSE, business_hours),
        "reply_time": response_times(counters, REPLY_TIME, business_hours),
        "by_channel": {c: {"in": shown(counters, f"in:{c}"), "out": shown(counters, f"out:{c}")} for c in channels},
    }


def breakdown(counters: Counters) -> dict:
    """Conversations created, by channel, folder and status (`created:<dimension>:<value>`)."""
    parts: dict[str, dict[str, int]] = {"channel": {}, "folder": {}, "status": {}}
    for name, value in counters.items():
        kind, _, rest = name.partition(":")
        dimension, _, key = rest.partition(":")
        if kind == "created" and dimension in parts and key:
            parts[dimension][key] = parts[dimension].get(key, 0) + int(value)
    return {name: {k: n for k, n in part.items() if n} for name, part in parts.items()}  # moved away: none left


def shown_breakdown(counters: Counters) -> dict:
    """The breakdown as the page shows it: counts below 0 left out (see `shown`)."""
    return {name: {k: n for k, n in part.items() if n > 0} for name, part in breakdown(counters).items()}


def person_figures(person_id: str, counters: Counters, business_hours: bool) -> dict:
    return {
        "person_id": person_id,
        "replies": counters.get("replies", 0),
        "conversations_handled": counters.get("handled", 0),
        "first_response": durations(counters, _hist(f"{FIRST_RESPONSE}.{PERSON}", business_hours)),
        "reply_time": durations(counters, _hist(f"{REPLY_TIME}.{PERSON}", business_hours)),
    }


def usage_counters(model: str, prompt: int, cached: int, completion: int) -> dict[str, int]:
    """An AI call's tokens as the `ai` counters name them (`tok:<model>:prompt|cached|completion`)."""
    counters = {f"tok:{model}:prompt": prompt, f"tok:{model}:cached": cached, f"tok:{model}:completion": completion}
    return {name: value for name, value in counters.items() if value}


def ai_figures(counters: Counters) -> dict:
    """AI work in the range, from the `ai` counters ADDed where the AI works (`tok:<model>:<kind>`,
    `classified:<decider>:<folder>` and `corrected:<decider>:<folder>` decisions, `ai_reply:<outcome or
    status>`) and the stream's `ai.auto_replies`. Only the AI's decisions count here (`classified:ai:`):
    a rule's are not the AI's work (GET /inbox/stats/classification shows both)."""
    tokens: dict[str, dict[str, int]] = {}
    for name, value in counters.items():
        kind, _, rest = name.partition(":")
        if kind == "tok":
            model, _, part = rest.rpartition(":")
            spent = tokens.setdefault(model, {})
            spent[part] = spent.get(part, 0) + int(value)
    prompt = sum(t.get("prompt", 0) for t in tokens.values())
    cached = sum(t.get("cached", 0) for t in tokens.values())
    cost = sum(
        estimated_cost(model, t.get("prompt", 0), t.get("cached", 0), t.get("completion", 0))
        for model, t in tokens.items()
    )
    classified = sum(v for k, v in counters.items() if k.startswith("classified:ai:"))
    corrected = sum(v for k, v in counters.items() if k.startswith("corrected:ai:"))
    return {
        "classified": classified,
        "classification_kept": max(0, classified - corrected),
        "auto_replies_sent": counters.get("ai.auto_replies", 0),
        "drafts_created": counters.get("ai_reply:suggested", 0) + counters.get("ai_reply:pending", 0),
        "drafts_sent_unchanged": counters.get("ai_reply:sent_unchanged", 0),
        "drafts_sent_edited": counters.get("ai_reply:sent_edited", 0),
        "drafts_discarded": counters.get("ai_reply:discarded", 0),
        "prompt_tokens": prompt,
        "cached_tokens": cached,
        "completion_tokens": sum(t.get("completion", 0) for t in tokens.values()),
        "cached_share": cached / prompt if prompt else None,
        "estimated_cost_usd": round(cost, 6),
        "prices_as_of": PRICES_AS_OF,
    }


def report(
    query: StatsQuery,
    time_zone: str,
    periods: Mapping[date, Counters],
    totals: Counters,
    people: Mapping[str, Counters],
    ai: Counters,
) -> dict:
    """The whole page: one `Figures` per period (those with no counters are zeros), the totals and the
    breakdown of conversations created (`totals`: the dimension's counters over exactly the range: a
    week or month period may reach outside it), the people and the AI (their counters over the range)."""
    kind, _, value = query.dimension.partition(":")
    hours = query.business_hours
    return {
        "from": query.first.isoformat(),
        "to": query.last.isoformat(),
        "granularity": query.granularity.value,
        "time_zone": time_zone,
        "filter": {name: (value if kind == name else None) for name in ("folder", "channel", "assignee")},
        "business_hours": hours,
        "periods": [{"start": start.isoformat(), **figures(periods[start], hours)} for start in periods],
        "totals": figures(totals, hours),
        "breakdown": shown_breakdown(totals),
        "people": [person_figures(p, people[p], hours) for p in sorted(people)],
        "ai": ai_figures(merged([ai, {"ai.auto_replies": totals.get("ai.auto_replies", 0)}])),
    }
