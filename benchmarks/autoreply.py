"""Auto-reply benchmarks (issue 12 "Speed and cost"), measured in one run.

    .venv/bin/python -m benchmarks.autoreply [--messages 20] [--stack-messages 6] [--stack-json PATH]

1. Prompt tokens per auto-reply and the share served from the prompt cache: one tenant (a company
   prompt and knowledge base of a small business, benchmarks/autoreply_tenant.py) answers its
   customers' SMS, under moto, through the real webhook, classifier, AutoReplyFunction, reply writer
   and `openai` client, against the fake OpenAI, whose usage counts characters / 4 and caches the
   longest prefix it saw before (from 1,024 tokens, in steps of 128). Goal: the stable prefix is at
   least 1,024 tokens and every call after the tenant's first is served it from the cache.
2. Model calls per inbound message, each job delivered once, twice, three times in a row or three
   times at once (as SQS may): goal exactly 1 reply call, and at most one SMS sent, per message.
3. In the local stack (`python -m local`, started here unless --stack-json names a running one):
   SMS asking for the opening hours, which the demo's automatic folder answers, sent one at a time
   through the fake Vonage's signed webhook; from the webhook's answer to the conversation being
   classified, and to the fake Vonage receiving the auto-reply: the medians and their ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.moto_tenant import invoke_api

REPLY_SCHEMA = "reply_proposal"  # inbox.domain.reply_prompt.REPLY_SCHEMA_NAME, without importing it here
CACHE_MIN, CACHE_STEP = 1_024, 128  # OpenAI caches prompts from 1,024 tokens, in steps of 128
HOURS_SMS = "Bonjour, quels sont vos horaires d'ouverture samedi ? ({tag})"  # the demo's automatic folder takes it
KEY, MODEL = "sk-bench-autoreply-0123456789", "gpt-bench"


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --------------------------------------------------------------------------- 1 and 2: one tenant under moto


@dataclass
class Answered:
    """One customer SMS, its job delivered `copies` times: what the model and the fake Vonage saw."""

    copies: int
    at_once: bool
    reply_calls: int
    other_calls: int  # the classifier's, if it asked the model
    prompt_tokens: int
    cached_tokens: int
    stable_tokens: int  # the first system message of the call, characters / 4
    draft_status: str
    draft_tokens: tuple[int | None, int | None]  # what the draft recorded (the usage as our code read it)
    sms_sent: int


def delivery_plan(n: int) -> tuple[int, bool]:
    """Once, twice, three times in a row, once, twice, three times at once, and again."""
    copies = 1 + n % 3
    return copies, copies == 3 and (n // 3) % 2 == 1


def schema_of(request: Any) -> str | None:
    body = request.body if isinstance(request.body, dict) else {}
    return ((body.get("response_format") or {}).get("json_schema") or {}).get("name")


def answer_customers(texts: list[str]) -> list[Answered]:
    """A tenant set up through the API (Vonage, AI settings, knowledge base, an SMS folder answering by
    itself), then each SMS through the webhook, the classifier and the AutoReplyFunction."""
    from benchmarks.autoreply_tenant import COMPANY_PROMPT, KNOWLEDGE
    from benchmarks.moto_tenant import api, fake_vonage, moto_account
    from helpers.autoreply import deliver, failed, queued_jobs
    from helpers.classify import classify_queued
    from helpers.vonage import create_vonage, invoke, sms_event
    from inbox import wiring
    from local.openai import FakeOpenAI
    from samples import SMS_NUMBER, TENANT

    vonage = fake_vonage()
    env = {"OUTBOUND_ALLOW_LOOPBACK": "true", "VONAGE_API_BASE_URL": vonage.base_url}
    with vonage, FakeOpenAI(api_key=KEY) as openai, moto_account(env) as aws:
        status, body = create_vonage(invoke_api, vonage)
        if status != 201:
            raise RuntimeError(f"the Vonage integration was not created: {body}")
        settings = {"api_key": KEY, "base_url": openai.base_url, "model": MODEL, "company_prompt": COMPANY_PROMPT}
        api("PUT", "/settings/ai", settings)
        for document in KNOWLEDGE:
            api("POST", "/knowledge", document | {"format": "markdown"})
        folder = {
            "name": "SMS",
            "rules": {"any": [{"field": "channel", "op": "equals", "value": "sms"}]},
            "auto_reply": {"enabled": True, "mode": "automatic"},
        }
        api("POST", "/folders", folder)
        answered = []
        for n, text in enumerate(texts):
            customer = f"336{20_000_000 + n:08d}"  # each customer writes once, from their own number
            calls_before, sent_before = len(openai.requests), len(vonage.sent)
            status, accepted = invoke("sms", sms_event("sms_form", vonage.sms_params(customer, SMS_NUMBER, text)))
            if status != 200:
                raise RuntimeError(f"the SMS webhook answered {status}: {accepted}")
            classify_queued(aws)
            jobs = queued_jobs(aws)
            if len(jobs) != 1:
                raise RuntimeError(f"message {n}: {len(jobs)} auto-reply jobs queued, not 1")
            copies, at_once = delivery_plan(n)
            if at_once:
                wiring.auto_replies()  # built once, before the threads share it
            if failed(deliver(jobs[0], copies=copies, concurrently=at_once)):
                raise RuntimeError(f"message {n}: a delivery of its job failed")
            calls = openai.requests[calls_before:]
            replies = [r for r in calls if schema_of(r) == REPLY_SCHEMA]
            usage = [r.answer.get("usage") or {} for r in replies if r.status == 200]
            first_system = replies[0].body["messages"][0]["content"] if replies else ""
            [draft] = api("GET", f"/conversations/{accepted['conversation_id']}/drafts")["items"]
            stored = wiring.store().get_draft(TENANT, accepted["conversation_id"], draft["id"])
            answered.append(
                Answered(
                    copies=copies,
                    at_once=at_once,
                    reply_calls=len(replies),
                    other_calls=len(calls) - len(replies),
                    prompt_tokens=sum(u.get("prompt_tokens", 0) for u in usage),
                    cached_tokens=sum((u.get("prompt_tokens_details") or {}).get("cached_tokens", 0) for u in usage),
                    stable_tokens=math.ceil(len(first_system) / 4),
                    draft_status=draft["status"],
                    draft_tokens=(stored.prompt_tokens, stored.cached_tokens) if stored else (None, None),
                    sms_sent=len([s for s in vonage.sent[sent_before:] if s.body.get("to") == customer]),
                )
            )
            progress(f"  message {n + 1}/{len(texts)}: {draft['status']}, {len(replies)} reply call(s)")
        wiring.reset()
    return answered


def report_tokens(answered: list[Answered]) -> bool:
    first, later = answered[0], answered[1:]
    stable = first.stable_tokens
    floor = stable // CACHE_STEP * CACHE_STEP
    prompts = [a.prompt_tokens for a in answered]
    cached_later = [a.cached_tokens for a in later]
    share_all = sum(a.cached_tokens for a in answered) / sum(prompts)
    share_later = sum(cached_later) / sum(a.prompt_tokens for a in later) if later else 0.0
    recorded = all(a.draft_tokens == (a.prompt_tokens, a.cached_tokens) for a in answered)
    ok = stable >= CACHE_MIN and first.cached_tokens == 0 and bool(later) and min(cached_later) >= floor
    print(f"1. Prompt tokens per auto-reply, one tenant, {len(answered)} customer SMS (the fake OpenAI's usage)")
    print(f"   stable prefix (instructions, company prompt, knowledge base) {stable:>7,} tokens, first in every prompt")
    print(f"   prompt tokens per reply   mean / min / max   {statistics.mean(prompts):>7,.0f} / {min(prompts):,}"
          f" / {max(prompts):,}")  # fmt: skip
    print(f"   cached, the tenant's first call             {first.cached_tokens:>7,}")
    if later:
        print(f"   cached, later calls       mean / min / max   {statistics.mean(cached_later):>7,.0f} / "
              f"{min(cached_later):,} / {max(cached_later):,}")  # fmt: skip
    print(f"   share served from the cache                   {share_all:>6.0%} of all,"
          f" {share_later:.0%} after the first")  # fmt: skip
    print(f"   usage recorded on each draft as reported      {'yes' if recorded else 'NO'}")
    print(f"   goal: stable prefix >= {CACHE_MIN:,} tokens, cached (>= {floor:,}) on every call after the first"
          f"   {verdict(ok)}")  # fmt: skip
    return ok


def report_calls(answered: list[Answered]) -> bool:
    kinds: dict[str, list[Answered]] = {}
    for a in answered:
        label = {1: "once", 2: "twice in a row"}.get(a.copies, "3 times at once" if a.at_once else "3 times in a row")
        kinds.setdefault(label, []).append(a)
    print("\n2. Model calls per inbound message, each job delivered 1-3 times")
    for label in ("once", "twice in a row", "3 times in a row", "3 times at once"):
        group = kinds.get(label, [])
        if group:
            calls = sum(a.reply_calls for a in group)
            sent = sum(a.sms_sent for a in group)
            print(f"   job delivered {label:<17} {len(group):>3} messages {calls:>3} reply calls {sent:>3} SMS sent")
    statuses: dict[str, int] = {}
    for a in answered:
        statuses[a.draft_status] = statuses.get(a.draft_status, 0) + 1
    print(f"   outcomes (one draft each)     {', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}")
    others = sum(a.other_calls for a in answered)
    print(f"   other model calls             {others:>3}   (the classifier's: the folder's rules filed every SMS)")
    per_message = sum(a.reply_calls for a in answered) / len(answered)
    ok = all(a.reply_calls == 1 for a in answered) and all(
        a.sms_sent == (1 if a.draft_status == "sent" else 0) for a in answered
    )
    print(f"   reply calls per message       {per_message:>5.2f}   goal: exactly 1 each, at most 1 SMS   {verdict(ok)}")
    return ok


# --------------------------------------------------------------------------- 3: the local stack


@dataclass
class Timed:
    classified: float  # seconds from the webhook's answer
    sent: float | None  # None: no auto-reply went out (`outcome` says why)
    sms_count: int
    outcome: str  # the auto-reply draft's status, and its reason when it was not sent


def sign_in(info: dict[str, Any]) -> str:
    import boto3

    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=info["aws_endpoint_url"],
        region_name=info["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's
    )
    result = cognito.initiate_auth(
        ClientId=info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": info["admin"]["username"], "PASSWORD": info["admin"]["password"]},
    )
    return result["AuthenticationResult"]["IdToken"]


def sent_log(vonage: dict[str, Any]) -> list[dict[str, Any]]:
    """What the stack's fake Vonage accepted to send (its own log, read with the account's key)."""
    import requests

    url = f"{vonage['base_url']}/_fake/sent"
    return requests.get(url, auth=(vonage["api_key"], vonage["api_secret"]), timeout=30).json()


def time_one_sms(info: dict[str, Any], token: str, timeout: float = 60) -> Timed:
    """One SMS through the fake Vonage's signed webhook; the two moments watched by two pollers."""
    import requests

    from local.seed import DEMO_SMS_NUMBER
    from local.vonage_webhooks import VonageWebhooks

    vonage = info["vonage"]
    hooks = VonageWebhooks()
    hooks.api_key, hooks.signature_secret, hooks.signature_method = (
        vonage["api_key"],
        vonage["signature_secret"],
        "md5hash",
    )
    customer = f"3369{secrets.randbelow(10**7):07d}"
    params = hooks.sms_params(customer, DEMO_SMS_NUMBER.lstrip("+"), HOURS_SMS.format(tag=secrets.token_hex(3)))
    response = requests.post(vonage["webhooks"]["sms"], data=params, timeout=30)
    answered = time.monotonic()
    if response.status_code != 200:
        raise RuntimeError(f"the SMS webhook answered {response.status_code}: {response.text[:300]}")
    conversation_id = response.json()["conversation_id"]
    headers = {"Authorization": f"Bearer {token}"}
    seen: dict[str, float] = {}

    def classified() -> bool:
        url = f"{info['api_url']}/conversations/{conversation_id}"
        return bool(requests.get(url, headers=headers, timeout=30).json()["conversation"].get("classified_by"))

    def sent() -> bool:
        return any(s.get("to") == customer for s in sent_log(vonage))

    def settled() -> str | None:
        """The drafts' statuses (with their reasons) once none is writing or sending; None before."""
        url = f"{info['api_url']}/conversations/{conversation_id}/drafts"
        items = requests.get(url, headers=headers, timeout=30).json()["items"]
        if not items or any(d["status"] in ("writing", "sending") for d in items):
            return None
        return ",".join(f"{d['status']} {d['reason'] or ''}".strip() for d in items)

    def watch(name: str, done: Any) -> None:
        polls = 0
        while time.monotonic() - answered < timeout and "unanswered" not in seen:
            asked = time.monotonic()
            if done():  # the moment: the middle of the first poll that saw it (an API GET takes ~0.1 s)
                seen[name] = (asked + time.monotonic()) / 2 - answered
                return
            polls += 1
            if name == "sent" and polls % 10 == 0 and (outcome := settled()) and outcome != "sent":
                seen["unanswered"] = time.monotonic() - answered  # settled without sending: stop waiting
                return
            time.sleep(0.02)

    pollers = [threading.Thread(target=watch, args=pair) for pair in (("classified", classified), ("sent", sent))]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    if "classified" not in seen or not ({"sent", "unanswered"} & set(seen)):
        raise RuntimeError(f"after {timeout} s, only {sorted(seen)} for the SMS of {customer}")
    # The SMS reaches the fake Vonage before the draft is marked sent: on a loaded machine that can take
    # longer than a second, and a draft read before it would be reported as never settled.
    settling = time.monotonic() + 15
    while settled() is None and time.monotonic() < settling:
        time.sleep(0.1)
    time.sleep(0.5)  # a second send or draft, if one came, would come now
    sms_count = sum(s.get("to") == customer for s in sent_log(vonage))
    return Timed(seen["classified"], seen.get("sent"), sms_count, settled() or "unsettled")


def measure_stack(stack_json: Path | None, count: int) -> tuple[Timed, list[Timed]]:
    from benchmarks.web_app import local_stack

    with local_stack(stack_json) as info:
        token = sign_in(info)
        progress("  warm-up SMS (the auto-reply function's first run in this stack, not counted)")
        warm = time_one_sms(info, token)
        timed = []
        for n in range(count):
            timed.append(time_one_sms(info, token))
            t = timed[-1]
            sent = f"sent +{t.sent:.2f} s" if t.sent is not None else f"not answered: {t.outcome}"
            progress(f"  SMS {n + 1}/{count}: classified +{t.classified:.2f} s, {sent}")
    return warm, timed


def report_stack(warm: Timed, timed: list[Timed]) -> bool:
    answered = [t for t in timed if t.sent is not None]
    print(f"\n3. Local stack, {len(timed)} SMS: the webhook's answer -> classified,"
          " -> the auto-reply SMS at the fake Vonage")  # fmt: skip
    for n, t in enumerate(timed, 1):
        sent = (
            f"sent {t.sent:6.2f} s   {t.sent / t.classified:5.2f}x"
            if t.sent is not None
            else f"NOT ANSWERED: {t.outcome}"
        )
        print(f"   SMS {n:<3} classified {t.classified:6.2f} s   {sent}")
    if answered:
        classified = statistics.median(t.classified for t in answered)
        sent = statistics.median(t.sent for t in answered if t.sent is not None)
        print(f"   median     classified {classified:6.2f} s   sent {sent:6.2f} s   {sent / classified:5.2f}x"
              f"   (auto-reply / classification; the {len(answered)} answered)")  # fmt: skip
    warm_sent = f"sent {warm.sent:.2f} s" if warm.sent is not None else f"not answered: {warm.outcome}"
    print(f"   warm-up (not counted): classified {warm.classified:.2f} s, {warm_sent}")
    labelled = [("warm-up", warm), *((f"SMS {n}", t) for n, t in enumerate(timed, 1))]
    wrong = [(label, t) for label, t in labelled if (t.sms_count, t.outcome) != (1, "sent")]
    print(f"   one SMS and one sent draft per message   {verdict(not wrong)}")
    for label, t in wrong:
        print(f"      {label}: {t.sms_count} SMS sent, its draft {t.outcome}")
    return not wrong


def main(argv: list[str] | None = None) -> int:
    from benchmarks.autoreply_tenant import CUSTOMER_SMS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="customer SMS of the tenant, sections 1-2 (20)")
    parser.add_argument("--stack-messages", type=int, default=6, help="SMS timed in the local stack (6; 0: skip)")
    parser.add_argument("--stack-json", type=Path, help="a running local stack's stack.json (default: start one)")
    args = parser.parse_args(argv)
    texts = [CUSTOMER_SMS[n % len(CUSTOMER_SMS)] for n in range(max(args.messages, 2))]
    progress(f"1-2. one tenant, {len(texts)} customer SMS under moto")
    with contextlib.redirect_stdout(io.StringIO()):  # Powertools prints its metrics (EMF) to stdout
        answered = answer_customers(texts)
    timing = None
    if args.stack_messages > 0:
        progress("3. the local stack")
        timing = measure_stack(args.stack_json, args.stack_messages)
    print(f"Inbox auto-reply benchmarks - {len(texts)} customer SMS of one tenant\n")
    report_tokens(answered)
    report_calls(answered)
    if timing:
        report_stack(*timing)
    return 0  # the verdicts are the report's, as in the other benchmarks


if __name__ == "__main__":
    raise SystemExit(main())
