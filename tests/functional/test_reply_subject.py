"""An email reply's subject: `Re: ` and the conversation's by default, or the one the person wrote
(the web app's email composer); a reply on another channel has none to change."""

from __future__ import annotations

from helpers.events import api_request
from helpers.mailbox import conversations, create_mailbox, mail, run_worker
from helpers.vonage import invoke, sms, sms_event


def reply(conversation_id: str, body: dict) -> dict:
    return api_request("POST", f"/conversations/{conversation_id}/messages", body)


def email_conversation(api, mailbox, smtp_server) -> str:
    mailbox.append("INBOX", mail("Commande 1042"))
    run_worker(create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings()))
    [conversation] = conversations()
    return conversation.id


def test_reply_subject_written_by_the_person_is_the_mails_and_the_stored_messages(aws, api, mailbox, smtp_server):
    conversation_id = email_conversation(api, mailbox, smtp_server)

    status, sent = api(reply(conversation_id, {"text": "Voici le devis.", "subject": "Devis pour la commande 1042"}))

    assert (status, sent["delivery"], sent["subject"]) == (201, "sent", "Devis pour la commande 1042")
    [received] = smtp_server.wait_for(1)
    assert received.message["Subject"] == "Devis pour la commande 1042"


def test_reply_without_a_subject_answers_re_the_conversations(aws, api, mailbox, smtp_server):
    conversation_id = email_conversation(api, mailbox, smtp_server)

    status, sent = api(reply(conversation_id, {"text": "Voici le devis."}))

    assert (status, sent["subject"]) == (201, "Re: Commande 1042")
    assert smtp_server.wait_for(1)[0].message["Subject"] == "Re: Commande 1042"


def test_reply_subject_on_two_lines_is_refused_before_anything_is_sent(aws, api, mailbox, smtp_server):
    conversation_id = email_conversation(api, mailbox, smtp_server)

    status, _ = api(reply(conversation_id, {"text": "x", "subject": "Devis\r\nBcc: everyone@example.com"}))

    assert status == 422
    assert smtp_server.messages == []
    [conversation] = conversations()
    assert conversation.message_count == 1


def test_reply_subject_on_an_sms_is_refused_and_nothing_is_sent(api, fake, vonage_integration):
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert status == 200, answer

    status, body = api(reply(answer["conversation_id"], {"text": "Bonjour", "subject": "Bonjour"}))

    assert (status, body["error"]["code"]) == (422, "invalid_field"), body
    assert body["error"]["message"].startswith("subject:")
    assert fake.sent == []
