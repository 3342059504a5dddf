"""The customer panel's API end to end (issue 13, item 3): contacts found by name, email or phone,
one contact with its conversations of every channel, edits that move identities, and merges that
lose nothing, run again safely, and send a later message from the merged-away address to the survivor."""

from __future__ import annotations

from helpers.events import api_request, load_event, with_body
from inbox import wiring
from inbox.models import Channel, InboundMessage, Party
from samples import TENANT

OTHER_TENANT = {"custom:tenant_id": "tenant-other"}


def arrive(external_id: str, channel: Channel = Channel.EMAIL, tenant: str = TENANT, **sender: str) -> str:
    """A customer's message through the ingest path; the id of its conversation."""
    inbound = InboundMessage(
        tenant_id=tenant,
        integration_id=f"integration-{channel}",
        channel=channel,
        external_id=external_id,
        sender=Party(**sender),
        subject=f"Message {external_id}" if channel is Channel.EMAIL else None,
        text=f"Hello ({external_id})",
    )
    return wiring.ingestor().ingest(inbound).conversation_id


def contact_of(conversation_id: str, tenant: str = TENANT) -> str:
    conversation = wiring.store().get_conversation(tenant, conversation_id)
    assert conversation is not None
    return conversation.contact_id


def answers_as(merged_away: str, survivor: str, api) -> bool:
    """A merged contact is a tombstone: reading it gives the survivor; it is listed nowhere."""
    status, detail = api(api_request("GET", f"/contacts/{merged_away}"))
    listed = api(api_request("GET", "/contacts?limit=100"))[1]["items"]
    return status == 200 and detail["contact"]["id"] == survivor and merged_away not in {c["id"] for c in listed}


def test_a_contact_is_found_by_the_start_of_its_name_its_email_or_its_phone(api):
    elodie = contact_of(arrive("e1", name="Élodie Martin", email="Elodie.Martin@example.fr"))
    contact_of(arrive("e2", name="Eloïse Petit", email="eloise@example.com"))
    bob = contact_of(arrive("s1", Channel.SMS, name="Bob", phone="+33612345678"))

    status, page = api(load_event("api/list_contacts.json"))  # q=elodie: accents and case ignored
    assert status == 200, page
    assert [c["id"] for c in page["items"]] == [elodie]
    assert page["items"][0]["emails"] == ["elodie.martin@example.fr"]

    by_name = api(api_request("GET", "/contacts?q=%C3%89LO"))[1]
    assert [c["name"] for c in by_name["items"]] == ["Élodie Martin", "Eloïse Petit"]
    assert [c["id"] for c in api(api_request("GET", "/contacts?q=ELODIE.MARTIN@EXAMPLE.FR"))[1]["items"]] == [elodie]
    assert [c["id"] for c in api(api_request("GET", "/contacts?q=%2B33%206%2012%2034%2056%2078"))[1]["items"]] == [bob]
    assert api(api_request("GET", "/contacts?q=nobody@example.fr"))[1]["items"] == []


def test_the_contacts_list_is_paginated_by_name(api):
    for n, name in enumerate(["Dora", "Anna", "Céline", "Bruno", "Émile"]):
        arrive(f"p{n}", name=name, email=f"{n}@example.fr")
    names, cursor = [], None
    while True:
        path = "/contacts?limit=2" + (f"&cursor={cursor}" if cursor else "")
        status, page = api(api_request("GET", path))
        assert status == 200, page
        names += [c["name"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == ["Anna", "Bruno", "Céline", "Dora", "Émile"]


def test_a_contact_shows_its_conversations_of_every_channel_newest_first(api):
    by_mail = arrive("m1", name="Élodie", email="elodie@example.fr", phone="+33612345678")
    by_sms = arrive("s1", Channel.SMS, phone="+33612345678")
    by_whatsapp = arrive("w1", Channel.WHATSAPP, phone="+33612345678")
    contact = contact_of(by_mail)
    assert contact_of(by_sms) == contact_of(by_whatsapp) == contact

    status, detail = api(load_event("api/get_contact.json", CONTACT_ID=contact))
    assert status == 200, detail
    assert detail["contact"]["phones"] == ["+33612345678"]
    assert [c["id"] for c in detail["conversations"]] == [by_whatsapp, by_sms, by_mail]
    assert [c["channel"] for c in detail["conversations"]] == ["whatsapp", "sms", "email"]

    first = api(api_request("GET", f"/contacts/{contact}?limit=2"))[1]
    rest = api(api_request("GET", f"/contacts/{contact}?limit=2&cursor={first['next_cursor']}"))[1]
    assert [c["id"] for c in first["conversations"] + rest["conversations"]] == [by_whatsapp, by_sms, by_mail]


def test_an_edit_normalises_and_moves_the_identities(api):
    contact = contact_of(arrive("m1", name="Elodie", email="elodie.martin@example.fr"))
    old_phone = contact_of(arrive("s0", Channel.SMS, phone="+33700000000"))

    status, changed = api(load_event("api/patch_contact.json", CONTACT_ID=contact))
    assert status == 200, changed
    assert changed["name"] == "Élodie Martin"
    assert changed["emails"] == ["elodie.martin@example.fr", "e.martin@example.com"]
    assert changed["phones"] == ["+33612345678"]
    assert (changed["company"], changed["notes"]) == ("Martin & Fils", "Prefers SMS after 18:00.")
    # A message from an address just added lands on the contact.
    assert contact_of(arrive("m2", email="E.Martin@example.com")) == contact
    assert contact_of(arrive("s1", Channel.SMS, phone="+33612345678")) == contact

    status, changed = api(api_request("PATCH", f"/contacts/{contact}", {"emails": ["e.martin@example.com"]}))
    assert (status, changed["emails"], changed["name"]) == (200, ["e.martin@example.com"], "Élodie Martin")
    # The address given up is nobody's now: its next message starts a new contact.
    assert contact_of(arrive("m3", email="elodie.martin@example.fr")) not in (contact, old_phone)


def test_an_address_of_another_contact_is_refused_naming_the_field_and_the_contact(api):
    contact = contact_of(arrive("m1", email="a@example.fr"))
    other = contact_of(arrive("m2", email="b@example.fr"))
    status, body = api(api_request("PATCH", f"/contacts/{contact}", {"emails": ["a@example.fr", "B@example.fr"]}))
    assert status == 409, body
    assert body["error"]["message"].startswith("emails[1]: b@example.fr")
    assert f"contact {other}'s; merge" in body["error"]["message"]
    assert api(api_request("GET", f"/contacts/{contact}"))[1]["contact"]["emails"] == ["a@example.fr"]


def test_bad_input_is_a_422_naming_the_field(api):
    contact = contact_of(arrive("m1", email="a@example.fr"))
    cases = [
        ({"emails": ["a@example.fr", "not an address"]}, "emails[1]"),
        ({"phones": ["call me"]}, "phones[0]"),
        ({"name": "x" * 201}, "name"),
        ({"nickname": "A"}, "nickname"),
        ({}, "body"),
    ]
    for body, field in cases:
        status, answer = api(api_request("PATCH", f"/contacts/{contact}", body))
        assert (status, answer["error"]["message"].split(":")[0]) == (422, field), (body, answer)
    status, answer = api(api_request("POST", f"/contacts/{contact}/merge", {"other_id": contact}))
    assert (status, answer["error"]["message"].split(":")[0]) == (422, "other_id")
    status, answer = api(api_request("GET", "/contacts?cursor=bm90LW91cnM"))
    assert (status, answer["error"]["message"].split(":")[0]) == (422, "cursor")


def test_another_tenants_contact_answers_404(api):
    theirs = contact_of(arrive("x1", tenant="tenant-other", email="a@example.fr"), tenant="tenant-other")
    mine = contact_of(arrive("m1", email="a@example.fr"))
    assert api(api_request("GET", f"/contacts/{theirs}"))[0] == 404
    assert api(api_request("PATCH", f"/contacts/{theirs}", {"name": "X"}))[0] == 404
    assert api(api_request("POST", f"/contacts/{mine}/merge", {"other_id": theirs}))[0] == 404
    assert api(api_request("POST", f"/contacts/{theirs}/merge", {"other_id": mine}))[0] == 404
    assert [c["id"] for c in api(api_request("GET", "/contacts", **OTHER_TENANT))[1]["items"]] == [theirs]


def test_a_merge_previews_then_keeps_every_identity_conversation_and_note(api):
    first_mail = arrive("m1", name="Élodie Martin", email="elodie@example.fr")
    survivor = contact_of(first_mail)
    sms = arrive("s1", Channel.SMS, name="E. M.", phone="+33612345678")
    mail = arrive("m2", email="elodie.work@example.com")
    other = contact_of(sms)
    assert contact_of(mail) != other
    api(api_request("PATCH", f"/contacts/{survivor}", {"notes": "VIP", "company": None}))
    api(api_request("PATCH", f"/contacts/{other}", {"emails": [], "notes": "Calls on Fridays", "company": "Martin SA"}))
    api(api_request("PATCH", f"/contacts/{other}", {"emails": ["elodie.perso@example.fr"]}))

    event = load_event("api/merge_contacts.json", CONTACT_ID=survivor, OTHER_ID=other)
    status, preview = api(event)
    assert status == 200, preview
    assert preview["preview"] is True
    merged = preview["contact"]
    assert (merged["name"], merged["company"]) == ("Élodie Martin", "Martin SA")
    assert merged["emails"] == ["elodie@example.fr", "elodie.perso@example.fr"]
    assert merged["phones"] == ["+33612345678"]
    assert merged["notes"] == "VIP\n\nCalls on Fridays\n\nAlso known as E. M."  # the other's name is kept
    assert api(api_request("GET", f"/contacts/{other}"))[0] == 200  # a preview writes nothing

    status, done = api(with_body(event, {"other_id": other}))
    assert status == 200, done
    assert (done["preview"], done["complete"], done["moved_conversations"]) == (False, True, 1)
    assert done["contact"] | {"updated_at": None} == merged | {"updated_at": None, "merged_ids": [other]}
    assert answers_as(other, survivor, api)
    detail = api(api_request("GET", f"/contacts/{survivor}"))[1]
    assert {c["id"] for c in detail["conversations"]} == {sms, first_mail}
    assert contact_of(sms) == survivor
    # The merged-away identities find the survivor: a later message lands on it.
    later_mail = arrive("m3", email="Elodie.Perso@example.fr")
    later_sms = arrive("s2", Channel.SMS, phone="+33612345678")
    assert contact_of(later_mail) == contact_of(later_sms) == survivor
    # Asked again (a client that did not see the answer), it is done already.
    assert api(with_body(event, {"other_id": other}))[1]["complete"] is True
    # The address that was a third contact's was never the other's: it stays with that contact.
    assert contact_of(arrive("m4", email="elodie.work@example.com")) == contact_of(mail) != survivor


def test_a_merge_cut_short_is_finished_by_asking_again(api, monkeypatch):
    from inbox.services import contacts as service

    survivor = contact_of(arrive("m1", name="Ann", email="ann@example.fr"))
    first = arrive("s1", Channel.SMS, phone="+33612345678")
    other = contact_of(first)
    api(api_request("PATCH", f"/contacts/{other}", {"emails": ["ann.other@example.fr"]}))
    conversations = [first, arrive("w1", Channel.WHATSAPP, phone="+33612345678")]
    conversations += [arrive(f"m{n}", email="ann.other@example.fr") for n in range(2, 5)]
    assert {contact_of(c) for c in conversations} == {other}

    moved: list[str] = []
    real_move = service.Contacts._move_conversation

    def crash_after_one(self, tenant, conversation_id, from_id, to_id):
        if moved:
            raise RuntimeError("the function timed out")
        moved.append(conversation_id)
        return real_move(self, tenant, conversation_id, from_id, to_id)

    monkeypatch.setattr(service.Contacts, "_move_conversation", crash_after_one)
    status, _ = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))
    assert status == 500
    # Mid-merge, a message from the other's address already finds the survivor.
    assert contact_of(arrive("m8", email="ann.other@example.fr")) == survivor

    monkeypatch.setattr(service.Contacts, "_move_conversation", real_move)
    status, done = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))
    assert status == 200, done
    assert done["complete"] is True
    assert done["contact"]["emails"] == ["ann@example.fr", "ann.other@example.fr"]
    assert done["contact"]["phones"] == ["+33612345678"]
    assert {contact_of(c) for c in conversations} == {survivor}
    assert answers_as(other, survivor, api)


def test_a_later_message_from_the_merged_away_identities_continues_their_conversation(api):
    survivor = contact_of(arrive("m1", name="Ann", email="ann@example.fr"))
    sms = arrive("s1", Channel.SMS, phone="+33612345678")
    other = contact_of(sms)
    api(api_request("PATCH", f"/contacts/{other}", {"emails": ["ann.other@example.fr"]}))
    order = "order 42"
    mail = (
        wiring.ingestor()
        .ingest(
            InboundMessage(
                tenant_id=TENANT,
                integration_id="integration-email",
                channel=Channel.EMAIL,
                external_id="m2",
                sender=Party(email="ann.other@example.fr"),
                subject="Order 42",
                subject_key=order,
                text="Where is it?",
            )
        )
        .conversation_id
    )
    assert contact_of(mail) == other
    assert api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))[1]["complete"] is True

    # The customer's ongoing conversations (now the survivor's) go on: no new one opens.
    assert arrive("s2", Channel.SMS, phone="+33612345678") == sms
    again = InboundMessage(
        tenant_id=TENANT,
        integration_id="integration-email",
        channel=Channel.EMAIL,
        external_id="m3",
        sender=Party(email="ann.other@example.fr"),
        subject="Re: Order 42",
        subject_key=order,
        text="Any news?",
    )
    assert wiring.ingestor().ingest(again).conversation_id == mail
    assert arrive("s3", Channel.SMS, phone="+33612345678") == sms  # now under the survivor's own key
    assert contact_of(sms) == contact_of(mail) == survivor


def test_a_merge_over_a_contacts_caps_is_refused_by_its_preview_and_writes_nothing(api):
    survivor = contact_of(arrive("m0", email="s0@example.fr"))
    other = contact_of(arrive("m1", email="o0@example.fr"))
    api(api_request("PATCH", f"/contacts/{survivor}", {"emails": [f"s{n}@example.fr" for n in range(12)]}))
    api(api_request("PATCH", f"/contacts/{other}", {"emails": [f"o{n}@example.fr" for n in range(12)]}))

    for preview in (True, False):
        status, body = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other, "preview": preview}))
        assert status == 422, body
        assert body["error"]["message"].startswith("other_id: together the two contacts have 24 emails, at most 20")
    assert api(api_request("GET", f"/contacts/{other}"))[0] == 200


def test_a_conversation_the_merge_did_not_see_still_leads_to_the_customer(api, monkeypatch):
    """The merge finds the other's conversations through an index that lags: one it did not see
    (ingested just before) names the merged contact, which answers as the survivor, and asking for
    the merge again moves it."""
    from inbox.services import contacts as service

    own = arrive("m1", email="ann@example.fr")
    survivor = contact_of(own)
    seen = arrive("s1", Channel.SMS, phone="+33612345678")
    late = arrive("w1", Channel.WHATSAPP, phone="+33612345678")
    other = contact_of(seen)
    real_list = service.Contacts._move_conversations

    def index_lags(self, tenant, from_id, to_id):
        real_page = self._store.list_conversations

        def without_late(*args, **kwargs):
            page, cursor = real_page(*args, **kwargs)
            return [c for c in page if c.id != late], cursor

        monkeypatch.setattr(self._store, "list_conversations", without_late)
        try:
            return real_list(self, tenant, from_id, to_id)
        finally:
            monkeypatch.setattr(self._store, "list_conversations", real_page)

    monkeypatch.setattr(service.Contacts, "_move_conversations", index_lags)
    status, done = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))
    assert (status, done["complete"], done["moved_conversations"]) == (200, True, 1), done
    assert contact_of(late) == other  # the conversation the merge did not see
    assert answers_as(other, survivor, api)  # its panel opens the customer as they are now

    monkeypatch.undo()
    status, again = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))
    assert (status, again["complete"], again["moved_conversations"]) == (200, True, 1), again
    assert contact_of(late) == survivor
    detail = api(api_request("GET", f"/contacts/{survivor}"))[1]
    assert {c["id"] for c in detail["conversations"]} == {own, seen, late}


def test_an_agent_may_edit_and_merge(api):
    survivor = contact_of(arrive("m1", email="a@example.fr"))
    other = contact_of(arrive("m2", email="b@example.fr"))
    agent = {"cognito:groups": "[agent]"}
    assert api(api_request("PATCH", f"/contacts/{survivor}", {"company": "ACME"}, **agent))[0] == 200
    assert api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}, **agent))[0] == 200


def test_a_contact_stored_before_the_panel_reads_as_lists_and_is_listed_after_the_migration(api, aws):
    from inbox.adapters.dynamodb import keys
    from inbox.adapters.dynamodb.migrations import Migrations

    old = {  # as ingest stored a contact until issue 13: one email, one phone, no version, not listed
        "PK": {"S": keys.contact_pk(TENANT, "old1")},
        "SK": {"S": keys.CONTACT},
        "type": {"S": "contact"},
        "id": {"S": "old1"},
        "tenant_id": {"S": TENANT},
        "name": {"S": "Zoé Ancienne"},
        "email": {"S": "zoe@example.fr"},
        "phone": {"S": "+33611111111"},
        "created_at": {"S": "2026-10-01T10:00:00+00:00"},
    }
    aws.dynamodb.put_item(TableName=aws.table, Item=old)
    detail = api(api_request("GET", "/contacts/old1"))[1]["contact"]
    assert (detail["emails"], detail["phones"]) == (["zoe@example.fr"], ["+33611111111"])
    assert api(api_request("GET", "/contacts?q=zoe"))[1]["items"] == []

    assert Migrations(aws.dynamodb, aws.table).index_contacts() == 1

    assert [c["id"] for c in api(api_request("GET", "/contacts?q=zoe"))[1]["items"]] == ["old1"]
    assert Migrations(aws.dynamodb, aws.table).index_contacts() == 0
    status, changed = api(api_request("PATCH", "/contacts/old1", {"company": "Ancienne SARL"}))
    assert (status, changed["emails"]) == (200, ["zoe@example.fr"])


def test_a_contact_with_many_conversations_is_merged_over_several_requests(api, monkeypatch):
    from inbox.services import contacts as service

    monkeypatch.setattr(service, "MERGE_PAGE", 2)
    monkeypatch.setattr(service, "MAX_MERGE_PAGES", 1)
    survivor = contact_of(arrive("m0", email="a@example.fr"))
    moved = [arrive(f"m{n}", email="b@example.fr") for n in range(1, 6)]
    other = contact_of(moved[0])

    rounds = []
    while not rounds or not rounds[-1]["complete"]:
        status, answer = api(api_request("POST", f"/contacts/{survivor}/merge", {"other_id": other}))
        assert status == 200, answer
        rounds.append(answer)
    assert [r["moved_conversations"] for r in rounds] == [2, 2, 1]
    assert {contact_of(c) for c in moved} == {survivor}
    assert answers_as(other, survivor, api)
