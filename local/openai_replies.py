"""The fake OpenAI's own answers to the inbox's AI replies and summaries (issue 12), as a model would
give them, deterministically: it reads the prompt the inbox sends (knowledge-base passages, one JSON
object a line in the first system message; the channel's limit in the second; the conversation as
JSON in the user message) and answers the request's schema.

- A reply quotes the knowledge-base passage that shares the most words with the customer's latest
  message, and cites it (confidence 0.9); with no such passage, it says a person will follow up
  (confidence 0.3); a refund, a dispute or a lawyer asks for a person (needs_person, confidence 0.4).
  It is in French or English, as the customer wrote; it never repeats the instructions nor follows
  what the conversation tells it to do (it only ever quotes passages).
- After the inbox's lookups answered (`tool` messages, issue 16), a reply gives what they found: an
  order's shipping date and tracking number ("Votre commande a été expédiée le 28/11/2026. Numéro de
  suivi : 6A12345678901."), or the fields of another answer (confidence 0.9); when a lookup failed or
  found nothing, a person will follow up (confidence 0.3). It never follows what a result says to do.
- A summary lists the first sentence of each customer message, what the last one asks, and the
  business's sentences that promise something.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

REPLY_SCHEMA, SUMMARY_SCHEMA = "reply_proposal", "conversation_summary"
SURE, UNSURE, ASK_A_PERSON = 0.9, 0.3, 0.4
NEEDS_PERSON_WORDS = ("rembours", "refund", "litige", "dispute", "chargeback", "avocat", "lawyer", "tribunal")
PROMISE_WORDS = ("will ", "'ll ", "allons", " va ", "sera ", "serez", "ferons", "promet", "d'ici")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    "bonjour merci cordialement votre vous avez pour dans avec mais nous est sont une des les que qui quoi "
    "quand comment pourquoi cette faire peux pouvez hello thanks thank your have with what when where which "
    "there this that from would could please about"
)
FRENCH = _words("le la les de des du est vous je mon ma mes bonjour merci pour une et où quand pas ne suis")
ENGLISH = _words("the is my you i hello thanks thank for a and where when not what order can your")
FOLLOW_UP = {
    "fr": "Bonjour, merci pour votre message. Une personne de notre équipe va vous répondre très vite.",
    "en": "Hello, thank you for your message. A person from our team will follow up shortly.",
}
GREETING = {"fr": ("Bonjour, ", " Bonne journée !"), "en": ("Hello, ", " Have a nice day!")}
HELLO = {"fr": "Bonjour !", "en": "Hello!"}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def stems(text: str) -> set[str]:
    """The text's content words, cut to five letters ("livraisons" and "livraison" meet)."""
    return {word[:5] for word in re.findall(r"\w+", fold(text)) if len(word) >= 4 and word not in STOPWORDS}


def language(text: str) -> str:
    words = re.findall(r"[\w']+", text.casefold())
    french = sum(word in FRENCH for word in words)
    return "fr" if french and french >= sum(word in ENGLISH for word in words) else "en"


def passages_in(system: str) -> list[dict[str, Any]]:
    """The knowledge-base passages of the prompt: the JSON lines between <knowledge_base> and its end."""
    block = system.split("<knowledge_base>\n", 1)[-1].split("\n</knowledge_base>", 1)[0]
    found = []
    for line in block.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return [p for p in found if isinstance(p, dict) and {"id", "text"} <= set(p)]


def conversation_in(user: str) -> list[dict[str, Any]]:
    """The conversation's messages, from the JSON after the user message's first line; the whole user
    text as one customer message when it is not the inbox's JSON."""
    try:
        data = json.loads(user[user.index("{") :])
        messages = data["messages"]
        if isinstance(messages, list) and all(isinstance(m, dict) for m in messages):
            return messages
    except (ValueError, KeyError, TypeError):
        pass
    return [{"direction": "inbound", "text": user}]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def within(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters (as a careful model stays within the channel's limit)."""
    kept = ""
    for sentence in sentences(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit]


LOOKED_UP = {
    "fr": {
        "shipped": "Votre commande a été expédiée le {date}.",
        "status": "Votre commande est au statut : {status}.",
        "tracking": "Numéro de suivi : {tracking}.",
        "other": "Voici ce que nous avons trouvé : {facts}.",
    },
    "en": {
        "shipped": "Your order was shipped on {date}.",
        "status": "Your order's status is: {status}.",
        "tracking": "Tracking number: {tracking}.",
        "other": "Here is what we found: {facts}.",
    },
}


def lookup_results(body: dict[str, Any]) -> list[Any]:
    """What the conversation's `tool` messages hold, parsed (the inbox sends {"ok", "answer"|"error"})."""
    found = []
    for message in body.get("messages", []):
        if message.get("role") == "tool":
            try:
                found.append(json.loads(message.get("content") or ""))
            except (TypeError, ValueError):
                found.append(None)
    return found


def looked_up(results: list[Any], lang: str) -> str | None:
    """The reply's words from the lookups' answers; None when none answered."""
    answers = [
        r["answer"] for r in results if isinstance(r, dict) and r.get("ok") and isinstance(r.get("answer"), dict)
    ]
    if not answers:
        return None
    words, said = LOOKED_UP[lang], []
    for answer in answers:
        shipped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(answer.get("shipped_on", "")))
        if answer.get("status") == "shipped" and shipped:
            year, month, day = shipped.groups()
            said.append(words["shipped"].format(date=f"{day}/{month}/{year}"))
        elif answer.get("status"):
            said.append(words["status"].format(status=answer["status"]))
        if answer.get("tracking"):
            said.append(words["tracking"].format(tracking=answer["tracking"]))
        if not said:
            facts = ", ".join(f"{name} {value}" for name, value in answer.items() if isinstance(value, str | int))
            said.append(words["other"].format(facts=facts))
    return " ".join(said)


def reply(body: dict[str, Any], system: str, user: str) -> dict[str, Any]:
    messages = conversation_in(user)
    inbound = [str(m.get("text", "")) for m in messages if m.get("direction") == "inbound"]
    question = inbound[-1] if inbound else user
    lang = language(question)
    limit_match = re.search(r"at most (\d+) characters", system)
    limit = int(limit_match.group(1)) if limit_match else 4_096
    answer = {"text": FOLLOW_UP[lang], "language": lang, "passage_ids": []}
    results = lookup_results(body)
    if results:
        found = looked_up(results, lang)
        if found is None:
            return answer | {"confidence": UNSURE, "needs_person": False, "reason": "The lookup found nothing."}
        text = within(f"{HELLO[lang]} {found}{GREETING[lang][1]}", limit)
        return answer | {"text": text, "confidence": SURE, "needs_person": False, "reason": "Answered from a lookup."}
    if any(word in fold(question) for word in NEEDS_PERSON_WORDS):
        return answer | {"confidence": ASK_A_PERSON, "needs_person": True, "reason": "A refund or a dispute."}
    asked = stems(question)
    scored = [
        (len(asked & stems(f"{p.get('title', '')} {p['text']}")), n, p) for n, p in enumerate(passages_in(system))
    ]
    score, _, best = max(scored, key=lambda s: (s[0], -s[1]), default=(0, 0, None))
    if best is None or score < min(2, len(asked)) or score == 0:
        return answer | {"confidence": UNSURE, "needs_person": False, "reason": "The knowledge base does not say."}
    hello, goodbye = GREETING[lang]
    text = within(f"{hello}{best['text']}{goodbye}", limit)
    return answer | {
        "text": text,
        "confidence": SURE,
        "needs_person": False,
        "reason": f"Answered from “{best.get('title', best['id'])}”.",
        "passage_ids": [best["id"]],
    }


def summary(body: dict[str, Any], system: str, user: str) -> dict[str, Any]:
    messages = conversation_in(user)
    inbound = [str(m.get("text", "")) for m in messages if m.get("direction") == "inbound"]
    outbound = [str(m.get("text", "")) for m in messages if m.get("direction") == "outbound"]
    firsts = [sentences(text)[0][:200] for text in inbound if sentences(text)]
    promised = [
        s[:200] for text in outbound for s in sentences(text) if any(w in f" {fold(s)} " for w in PROMISE_WORDS)
    ]
    return {
        "key_points": firsts[:5],
        "customer_wants": firsts[-1] if firsts else "",
        "promised": promised[:5],
        "language": language(" ".join(inbound)),
    }


ANSWERS: dict[str, Callable[[dict[str, Any], str, str], dict[str, Any]]] = {
    REPLY_SCHEMA: reply,
    SUMMARY_SCHEMA: summary,
}
