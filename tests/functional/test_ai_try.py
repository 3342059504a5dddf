"""`POST /inbox/ai/try` (issue 16, item 3): a sample message is filed as classification would file it and
answered as the folder's auto-reply would answer it, through the real classifier parts, reply writer and
fake OpenAI; the table, the bucket and every queue are the same before and after, and nothing is sent."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.classify import classify_queued, conversation, create_folder, use_ai
from helpers.events import api_request, load_event
from helpers.replies import COMPANY_PROMPT, PASSAGES
from helpers.vonage import invoke, sms_event
from helpers.vonage import sms as vonage_sms
from local.openai import FakeOpenAI
from local.shop import ORDERS, DemoShop
from samples import AGENT, CUSTOMER, DELIVERY, SMS_NUMBER

SMS_AUTOMATIC = {
    "name": "SMS",
    "rules": {"any": [{"field": "channel", "op": "equals", "value": "sms"}]},
    "auto_reply": {"enabled": True, "mode": "automatic"},
}
DELIVERY_VALIDATION = DELIVERY | {"auto_reply": {"enabled": True, "mode": "validation"}}
INTRUDER = {"custom:tenant_id": "intruder"}  # an admin of another tenant


@pytest.fixture
def openai_fake():
    with FakeOpenAI(api_key="sk-test-ai-try-0123456789", hang_seconds=3) as fake:
        yield fake


@pytest.fixture
def grounded(api, aws, openai_fake, vonage_integration) -> dict[str, str]:
    """The AI on the fake OpenAI, the company prompt, a one-document knowledge base, an SMS folder that
    answers by itself and a Delivery folder the AI filter fills (validation mode)."""
    use_ai(api, openai_fake)
    status, body = api(api_request("PUT", "/settings/ai", {"company_prompt": COMPANY_PROMPT}))
    assert status == 200, body
    status, document = api(api_request("POST", "/knowledge", {"title": "Livraison", "text": PASSAGES[0].text}))
    assert status == 201, document
    return {
        "document": document["id"],
        "sms": create_folder(api, SMS_AUTOMATIC),
        "delivery": create_folder(api, DELIVERY_VALIDATION),
    }


def everything(aws) -> dict[str, Any]:
    """What a try must not change: every item of the table, every object, every queue's messages (counted
    without taking them: a receive would hide them)."""
    queues = aws.sqs.list_queues().get("QueueUrls", [])
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    return {
        "items": sorted(repr(sorted(item.items())) for item in aws.all_items()),
        "objects": sorted(aws.object_keys()),
        "queues": {
            url: aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"] for url in queues
        },
    }


def attempt(api, sample: dict[str, Any], **claims: str) -> tuple[int, Any]:
    return api(api_request("POST", "/ai/try", sample, **claims))


def sms(text: str, sender: str = CUSTOMER) -> dict[str, Any]:
    return {"channel": "sms", "sender": sender, "text": text}


def test_a_rule_files_it_and_automatic_mode_would_send_the_grounded_reply_yet_nothing_changes(
    api, aws, fake, openai_fake, grounded
):
    before = everything(aws)
    asked = len(openai_fake.completions)

    status, tried = attempt(api, sms("Ma commande passée avant 14 h sera-t-elle livrée aujourd'hui à Lyon ?"))

    assert status == 200, tried
    assert tried["decision"] == {
        "decider": "rule",
        "folder_id": grounded["sms"],
        "folder_name": "SMS",
        "reason": None,
        "reason_code": None,  # a rule filed it: nothing to explain
        "intent": None,  # a rule decided: the AI filter is not asked, as in classification
        "urgency": None,
        "spam": None,
        "confidence": None,
        "status": "new",
        "tokens": None,
    }
    reply = tried["reply"]
    assert (reply["outcome"], reply["mode"], reply["reason"]) == ("send", "automatic", None)
    proposal = reply["proposal"]
    assert "livrée le jour même" in proposal["text"]
    assert [p["document_id"] for p in proposal["passages"]] == [grounded["document"]]
    assert proposal["confidence"] >= 0.7
    assert proposal["usage"]["prompt_tokens"] > 0
    assert {"recent_reply", "rate_limited_recipient"} <= set(tried["not_checked"])
    assert len(openai_fake.completions) == asked + 1  # the reply writer's one call, for real

    # Nothing stored (no draft, no usage counted, no audit entry), nothing queued, nothing sent.
    assert everything(aws) == before
    assert fake.sent == []


def test_the_ai_filter_files_it_with_intent_and_urgency_and_validation_mode_holds_the_reply(
    api, aws, fake, openai_fake, grounded
):
    answer = {"folder": grounded["delivery"], "intent": "complaint", "urgency": "high", "spam": False}
    reason = "A parcel arrived damaged."
    openai_fake.when("colis", answer | {"confidence": "high", "reason": reason}, schema="classification")
    before = everything(aws)

    sample = {
        "channel": "email",
        "sender": "Claire.Martin@Example.fr",
        "sender_name": "Claire Martin",
        "subject": "Colis",
        "text": "Mon colis est arrivé cassé.",
    }
    status, tried = attempt(api, sample)

    assert status == 200, tried
    decision = tried["decision"]
    assert (decision["decider"], decision["folder_id"], decision["folder_name"]) == (
        "ai",
        grounded["delivery"],
        "Delivery",
    )
    assert (decision["intent"], decision["urgency"], decision["confidence"], decision["reason"]) == (
        "complaint",
        "high",
        "high",
        reason,
    )
    assert decision["status"] == "urgent"  # sure and urgent, as classification would set it
    assert decision["tokens"] > 0
    assert (tried["reply"]["outcome"], tried["reply"]["reason"]) == ("hold", "validation_mode")
    assert tried["reply"]["proposal"]["text"]
    assert everything(aws) == before  # the classification's and the reply's tokens are not counted either
    assert fake.sent == []


def test_a_reply_the_model_says_a_person_must_write_would_be_held_with_its_reason(api, aws, fake, grounded):
    before = everything(aws)
    status, tried = attempt(api, sms("Je conteste ce débit, je veux être remboursée ou je vais voir mon avocat."))
    assert status == 200, tried
    assert (tried["reply"]["outcome"], tried["reply"]["reason"]) == ("hold", "needs_person")
    assert tried["reply"]["proposal"]["needs_person"] is True
    assert everything(aws) == before
    assert fake.sent == []


def test_the_loop_guard_rules_that_need_no_history_apply_to_a_sample(api, aws, fake, openai_fake, grounded):
    asked = len(openai_fake.completions)
    status, ours = attempt(api, sms("Test depuis notre propre numéro", sender=SMS_NUMBER))
    assert status == 200, ours
    assert ours["decision"]["decider"] == "rule"
    assert (ours["reply"]["outcome"], ours["reply"]["reason"]) == ("refused", "own_address")
    assert ours["reply"]["proposal"] is None
    assert len(openai_fake.completions) == asked  # refused before any reply is written, as the consumer does

    machine = {"channel": "email", "sender": "noreply@shop.example", "text": "Votre facture est disponible."}
    status, automated = attempt(api, machine)
    assert status == 200, automated
    assert automated["decision"]["decider"] == "skipped"
    assert automated["decision"]["reason"] == "automated mail (newsletter)"
    assert automated["decision"]["reason_code"] == "automated"
    assert (automated["reply"]["outcome"], automated["reply"]["reason"]) == ("no_auto_reply", "no_folder")
    assert fake.sent == []


def test_without_a_company_prompt_the_reply_is_not_configured(api, aws, openai_fake, vonage_integration):
    use_ai(api, openai_fake)
    create_folder(api, SMS_AUTOMATIC)
    before = everything(aws)
    status, tried = attempt(api, sms("Bonjour, vous êtes ouverts dimanche ?"))
    assert status == 200, tried
    assert (tried["reply"]["outcome"], tried["reply"]["reason"]) == ("not_configured", "company_prompt_missing")
    assert everything(aws) == before


def test_no_folder_and_no_ai_leaves_it_in_the_inbox_and_says_why(api, aws):
    status, tried = attempt(api, sms("Bonjour"))
    assert status == 200, tried
    assert tried["decision"] == tried["decision"] | {"decider": "none", "folder_id": None, "status": "new"}
    assert tried["decision"]["reason"] == "no folder has rules for it"
    assert tried["decision"]["reason_code"] == "no_rules"
    assert (tried["reply"]["outcome"], tried["reply"]["reason"]) == ("no_auto_reply", "no_folder")


def test_another_tenants_folders_rules_and_ai_are_never_used(api, aws, fake, openai_fake, grounded):
    asked = len(openai_fake.completions)
    status, tried = attempt(api, sms("Ma commande sera-t-elle livrée aujourd'hui ?"), **INTRUDER)
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["folder_id"]) == ("none", None)
    assert tried["reply"]["outcome"] == "no_auto_reply"
    assert len(openai_fake.completions) == asked  # the sample tenant's model was not asked


def test_only_admins_may_try(api, aws):
    status, body = attempt(api, sms("Bonjour"), **AGENT)
    assert status == 403, body


def test_rules_on_the_sender_and_recipient_file_a_try_as_they_file_the_real_sms(api, aws, fake, vonage_integration):
    """Issue 16 review (answers #3): the same SMS, through Vonage's webhook and classification, then tried: the
    sender's number (E.164, as the webhook's parser keeps it) and our number it went to (the tenant's SMS
    number, when the try names none) meet the same rules."""
    ours = create_folder(
        api,
        {
            "name": "Mobiles to our SMS number",
            "rules": {
                "all": [
                    {"field": "from_phone", "op": "starts_with", "value": "+336"},
                    {"field": "to", "op": "contains", "value": "757000000"},
                ]
            },
        },
    )
    status, answer = invoke("sms", sms_event("sms_form", vonage_sms(fake, "Bonjour")))
    assert status == 200, answer
    classify_queued(aws)
    filed = conversation(api, answer["conversation_id"])["classified_by"]
    assert (filed["decider"], filed["folder_id"]) == ("rule", ours)

    status, tried = attempt(api, sms("Bonjour", sender=CUSTOMER))
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["folder_id"]) == ("rule", ours)
    status, elsewhere = attempt(api, sms("Bonjour", sender=CUSTOMER) | {"to": "+33757000002"})
    assert status == 200, elsewhere
    assert elsewhere["decision"]["decider"] == "none"  # sent to another of our numbers: that rule does not hold


def test_rules_on_the_address_written_to_and_on_a_header_file_an_email_try(api, aws):
    sales = create_folder(
        api, {"name": "Ventes", "rules": {"any": [{"field": "to", "op": "contains", "value": "ventes@"}]}}
    )
    lists = create_folder(
        api, {"name": "Club", "rules": {"any": [{"field": "header:Organization", "op": "contains", "value": "club"}]}}
    )
    sample = {"channel": "email", "sender": "claire@example.fr", "text": "Bonjour"}

    status, tried = attempt(api, sample | {"to": "Ventes@Shop.example"})
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["folder_id"]) == ("rule", sales)
    status, tried = attempt(api, sample | {"headers": {"Organization": "Club Shop"}})
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["folder_id"]) == ("rule", lists)
    status, tried = attempt(api, sample | {"headers": {"Auto-Submitted": "auto-replied"}})
    assert status == 200, tried
    assert tried["decision"]["decider"] == "skipped"  # the automated-mail detection reads the headers too
    decision = tried["decision"]
    assert (decision["reason_code"], decision["reason"]) == ("automated", "automated mail (auto_reply)")
    status, tried = attempt(api, sample | {"headers": {"List-Id": "<news.shop.example>"}})
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["reason_code"]) == ("skipped", "automated")


@pytest.mark.parametrize(
    ("sample", "field"),
    [
        ({"channel": "fax", "sender": CUSTOMER, "text": "Bonjour"}, "channel"),
        ({"sender": CUSTOMER, "text": "Bonjour"}, "channel"),
        (sms(""), "text"),
        (sms("x" * 10_001), "text"),
        ({"channel": "sms", "text": "Bonjour"}, "sender"),
        (sms("Bonjour", sender="not a number"), "sender"),
        ({"channel": "email", "sender": "not an address", "text": "Bonjour"}, "sender"),
        ({"channel": "email", "sender": "a@example.fr", "subject": "s" * 1_001, "text": "Bonjour"}, "subject"),
        (sms("Bonjour") | {"sender_name": "n" * 101}, "sender_name"),
        (sms("Bonjour") | {"store": True}, "store"),
        (sms("Bonjour") | {"to": "not a number"}, "to"),
        ({"channel": "email", "sender": "a@example.fr", "to": "nobody", "text": "Bonjour"}, "to"),
        ({"channel": "custom", "sender": "a@example.fr", "to": "b@example.fr", "text": "Bonjour"}, "to"),
        (sms("Bonjour") | {"headers": {"List-Id": "x"}}, "headers"),
        (
            {"channel": "email", "sender": "a@example.fr", "headers": {"X-Secret": "x"}, "text": "Bonjour"},
            "headers.X-Secret",
        ),
    ],
)
def test_a_bad_sample_is_a_422_naming_the_field(api, aws, sample, field):
    status, body = attempt(api, sample)
    assert status == 422, body
    assert body["error"]["message"].startswith(f"{field}:"), body


def test_the_sample_event_tries_a_message_a_rule_files_in_a_folder_that_does_not_answer(api, aws):
    orders = create_folder(
        api, {"name": "Commandes", "rules": {"any": [{"field": "subject", "op": "contains", "value": "commande"}]}}
    )
    before = everything(aws)
    status, tried = api(load_event("api/try_ai.json"))
    assert status == 200, tried
    assert (tried["decision"]["decider"], tried["decision"]["folder_id"]) == ("rule", orders)
    assert tried["decision"]["folder_name"] == "Commandes"
    assert (tried["reply"]["outcome"], tried["reply"]["reason"]) == ("no_auto_reply", "auto_reply_off")
    assert everything(aws) == before


def test_the_reply_tried_calls_the_tenants_lookup_and_shows_what_it_answered(api, aws, fake, grounded):
    """The seed's case 1 tried: the shop's answer in the reply and its call listed; still nothing stored."""
    shop = DemoShop()
    try:
        parameters = {"type": "object", "properties": {"order_number": {"type": "string"}}}
        lookup = {"name": "find_order", "description": "Find an order", "parameters": parameters, "endpoint": shop.url}
        status, created = api(api_request("POST", "/ai/lookups", lookup))
        assert status == 201, created
        shop.secret = created["secret"]
        before = everything(aws)

        status, tried = attempt(api, sms("Où est ma commande #12345 ?"))

        assert status == 200, tried
        assert tried["reply"]["outcome"] == "send", tried["reply"]
        proposal = tried["reply"]["proposal"]
        assert "6A12345678901" in proposal["text"]
        [call] = proposal["lookups"]
        assert (call["name"], call["arguments"], call["ok"]) == ("find_order", {"order_number": "12345"}, True)
        assert call["answer"] == ORDERS["12345"]
        assert [(c.lookup, c.body) for c in shop.calls] == [("find_order", {"order_number": "12345"})]
        # Who asks is the sample's sender, as the channel would vouch for it (issue 16 review, lookups #3).
        assert shop.calls[0].customer == {"email": None, "phone": "+33612345678"}
        assert everything(aws) == before
        assert fake.sent == []

        status, stranger = attempt(api, sms("Où est ma commande #12345 ?", sender="+33700000000"))

        assert status == 200, stranger
        assert shop.calls[-1].customer == {"email": None, "phone": "+33700000000"}
        [call] = stranger["reply"]["proposal"]["lookups"]
        assert call["ok"] is False  # not their order: the shop's 404, as for an unknown one
        assert (stranger["reply"]["outcome"], stranger["reply"]["reason"]) == ("hold", "lookup_failed")
        assert "6A12345678901" not in stranger["reply"]["proposal"]["text"]
        assert everything(aws) == before
    finally:
        shop.close()
