"""Classification benchmarks (issue 5 "Speed and cost"), measured in one run.

    .venv/bin/python -m benchmarks.classify [--messages 1000] [--seed 2026]

1. Rules: 50 folders of 10 conditions each (every operator, headers, nesting) evaluated on real-sized
   mail (the email benchmark's generated support mailbox, parsed as the sync parses it): messages and
   conditions per second, and the cost next to `parse_email` of the same messages (the ratio).
2. Model calls per 1,000 messages: a realistic folder set (tests/data/labelled_messages.json) with an
   AI-filtered folder besides; a message reaches the model only when no rule files it.
3. Prompt tokens per AI classification (goal < 1,500), with the unchanging part of the prompt first:
   the real prompt built by the classifier's own code, sent through the real client to the fake
   OpenAI, which counts tokens as ~4 characters each and reports the prefix it could cache.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import REPO
from benchmarks.mail_corpus import generate
from inbox.adapters.ai import ChatModel
from inbox.domain import classification as ai
from inbox.domain.email_message import parse_email
from inbox.domain.rules import FolderRules, Group, MessageFacts, first_match, parse_rules
from inbox.models import Channel, Direction, Folder, Message, Party
from local.openai import FakeOpenAI

PROMPT_TOKENS_GOAL = 1_500
OPS = ("equals", "contains", "starts_with", "ends_with", "matches")
FIELDS = ("from_email", "from_domain", "subject", "body", "to", "header:x-mailer")


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def facts_of(raw: bytes) -> MessageFacts:
    parsed = parse_email(raw)
    return MessageFacts(
        from_email=parsed.sender.email or "",
        from_name=parsed.sender.name or "",
        to=", ".join(p.email or "" for p in parsed.to),
        subject=parsed.subject or "",
        body=parsed.text,
        channel="email",
        headers=parsed.headers,
    )


def fifty_folders() -> list[FolderRules]:
    """50 folders of 10 conditions that (almost) never match, so every condition of every folder runs:
    the worst case of first-match evaluation."""
    folders = []
    for f in range(50):
        conditions = [
            {"field": FIELDS[(f + c) % len(FIELDS)], "op": OPS[(f + c) % len(OPS)], "value": f"zq{f}x{c}"}
            for c in range(8)
        ]
        nested = {"all": [{"field": "body", "op": "contains", "value": "commande"},
                          {"field": "subject", "op": "matches", "value": rf"\bzz{f}\d+\b"}]}  # fmt: skip
        group = {"any": [*conditions, nested]}
        folders.append(FolderRules(f"f{f}", Group.model_validate(group).check_size()))
    return folders


def measure_rules(raws: list[bytes]) -> dict[str, float]:
    started = time.perf_counter()
    facts = [facts_of(raw) for raw in raws]
    parse_seconds = time.perf_counter() - started
    folders = fifty_folders()
    for fact in facts[:50]:  # compile and fold once, as a warm function has
        first_match(folders, fact)
    facts = [facts_of(raw) for raw in raws]  # fresh facts: folding is part of the cost
    started = time.perf_counter()
    matched = sum(first_match(folders, fact) is not None for fact in facts)
    seconds = time.perf_counter() - started
    conditions = 50 * 10 * len(facts)
    return {
        "messages": len(facts),
        "matched": matched,
        "seconds": seconds,
        "per_second": len(facts) / seconds,
        "conditions_per_second": conditions / seconds,
        "ratio_to_parse": seconds / parse_seconds,
    }


def measure_model_calls(raws: list[bytes]) -> dict[str, float]:
    labelled = json.loads((REPO / "tests" / "data" / "labelled_messages.json").read_text())
    folders = [FolderRules(f["id"], parse_rules(f["rules"])) for f in labelled["folders"]]
    calls = sum(first_match(folders, facts_of(raw)) is None for raw in raws)
    return {"messages": len(raws), "calls": calls, "per_1000": calls * 1000 / len(raws)}


def measure_prompt(raws: list[bytes]) -> dict[str, float]:
    now = datetime.now(UTC)
    folders = [
        Folder(id=f"folder-{n}", tenant_id="t", name=name, ai_filter=text, created_at=now, updated_at=now)
        for n, (name, text) in enumerate(
            [
                ("Orders", "Questions about an order: stock, changes, payment, delivery dates."),
                ("Delivery", "Parcels that are late, lost or damaged in transit."),
                ("Invoices", "Invoices, receipts, refunds and double charges."),
                ("Appointments", "Visits to the showroom, home quotes, trying furniture."),
                ("Support", "Something bought does not work, is broken or missing a part."),
                ("Partners", "Suppliers, carriers and other businesses writing to us."),
            ]
        )
    ]
    schema = ai.answer_schema(folders)
    prompts, cached = [], []
    with FakeOpenAI(api_key="sk-bench") as fake:
        fake.default_answer = {"folder": None, "intent": "other", "urgency": "normal", "spam": False,
                               "confidence": "low", "reason": "benchmark"}  # fmt: skip
        model = ChatModel("sk-bench", "gpt-bench", fake.base_url, guard=None)  # as the deployment's own server
        for raw in raws[:200]:
            parsed = parse_email(raw)
            messages = [
                Message(
                    id="m",
                    tenant_id="t",
                    conversation_id="c",
                    integration_id="i",
                    channel=Channel.EMAIL,
                    direction=Direction.INBOUND,
                    sender=Party(email=parsed.sender.email),
                    subject=parsed.subject,
                    text=parsed.text,
                    received_at=now,
                )
            ]
            prompt = [
                {"role": "system", "content": ai.INSTRUCTIONS},
                {"role": "system", "content": ai.folders_prompt(folders)},
                {"role": "user", "content": ai.conversation_data(parsed.subject, "email", messages)},
            ]
            _, usage = model.complete_json(prompt, "classification", schema)
            prompts.append(usage.prompt_tokens)
            cached.append(usage.cached_tokens)
        static = (len(ai.INSTRUCTIONS) + len(ai.folders_prompt(folders))) / 4
    return {
        "calls": len(prompts),
        "mean": statistics.mean(prompts),
        "p95": sorted(prompts)[int(len(prompts) * 0.95) - 1],
        "max": max(prompts),
        "static_tokens": static,
        "cached_mean": statistics.mean(cached),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="generated messages (1000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    progress(f"generating {args.messages:,} messages")
    raws = generate(args.messages, args.seed).raws
    progress("1. rules")
    rules = measure_rules(raws)
    progress("2. model calls")
    calls = measure_model_calls(raws)
    progress("3. prompt tokens")
    prompt = measure_prompt(raws)
    ok = prompt["max"] < PROMPT_TOKENS_GOAL
    print(f"Inbox classification benchmarks - seed {args.seed}, {args.messages:,} generated support messages\n")
    print("1. Rules: 50 folders x 10 conditions, no folder matching (every condition runs)")
    print(f"   messages per second        {rules['per_second']:>12,.0f}")
    print(f"   conditions per second      {rules['conditions_per_second']:>12,.0f}")
    print(f"   rules time / parse time    {rules['ratio_to_parse']:>12.2f}   (the same messages through parse_email)")
    print("\n2. Model calls when rules settle the common cases (the labelled folder set)")
    print(f"   messages no rule filed     {calls['calls']:>12,} of {calls['messages']:,}")
    print(f"   model calls per 1,000      {calls['per_1000']:>12,.0f}")
    print("\n3. Prompt tokens per AI classification (6 folders with AI filters, fake OpenAI's count)")
    print(f"   mean / p95 / max           {prompt['mean']:>6,.0f} / {prompt['p95']:,.0f} / {prompt['max']:,.0f}"
          f"   goal < {PROMPT_TOKENS_GOAL:,}   {'PASS' if ok else 'FAIL'}")  # fmt: skip
    print(f"   unchanging prefix          {prompt['static_tokens']:>12,.0f}   tokens, first in every prompt")
    print(f"   cached tokens (mean)       {prompt['cached_mean']:>12,.0f}   (providers cache prefixes of 1,024+)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
