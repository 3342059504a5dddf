"""The real mail servers the email-channel tests run against behave like the servers they stand for.

If one of these fails, an email test failing next to it says nothing about the sync or send code.
"""

from __future__ import annotations

import datetime
import smtplib
import socket
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from servers.dovecot import Dovecot

# ---------------------------------------------------------------- IMAP (Dovecot)


def raw_message(n: int, subject: str = "Order question") -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\n"
        "To: support@shop.test\r\n"
        f"Subject: {subject} {n}\r\n"
        f"Message-ID: <msg-{n}@example.com>\r\n"
        "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
        "\r\n"
        f"Hello, this is message {n}.\r\n"
    ).encode()


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_imap_login_over_tls_trusting_the_test_ca(mailbox, tls):
    with mailbox.client(tls) as imap:
        assert isinstance(imap.socket(), ssl.SSLSocket)
        assert imap.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"] == 0


def test_certificate_is_valid_for_localhost_too(mailbox):
    context = ssl.create_default_context(cadata=mailbox.ca_pem)
    with IMAPClient("localhost", mailbox.imaps_port, ssl_context=context, timeout=5) as imap:
        imap.login(mailbox.username, mailbox.password)


def test_client_without_the_test_ca_fails_tls_verification(mailbox):
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(mailbox.host, mailbox.imaps_port, ssl_context=ssl.create_default_context(), timeout=5)
    imap = IMAPClient(mailbox.host, mailbox.imap_port, ssl=False, timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        imap.starttls(ssl.create_default_context())


def test_wrong_password_is_a_login_error(mailbox):
    with pytest.raises(LoginError), mailbox.server.client(mailbox.username, "not-the-password"):
        pass


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_oauth_access_token_logs_in_and_a_wrong_token_does_not(mailbox, mechanism):
    for token, works in ((mailbox.token, True), ("expired-token", False)):
        context = ssl.create_default_context(cadata=mailbox.ca_pem)
        with IMAPClient(mailbox.host, mailbox.imaps_port, ssl_context=context, timeout=5) as imap:
            assert imap.has_capability(f"AUTH={mechanism}")
            if mechanism == "XOAUTH2":
                login = lambda imap=imap, token=token: imap.oauth2_login(mailbox.username, token)  # noqa: E731
            else:
                login = lambda imap=imap, token=token: imap.oauthbearer_login(mailbox.username, token)  # noqa: E731
            if works:
                login()
                assert imap.folder_status("INBOX", ["MESSAGES"])
            else:
                with pytest.raises(LoginError):
                    login()


def test_body_peek_leaves_the_message_unread_and_body_marks_it_read(mailbox):
    peeked = mailbox.append("INBOX", raw_message(1))
    read = mailbox.append("INBOX", raw_message(2))
    with mailbox.client() as imap:
        imap.select_folder("INBOX")
        assert imap.fetch([peeked], ["BODY.PEEK[]"])[peeked][b"BODY[]"] == raw_message(1)
        imap.fetch([read], ["BODY[]"])  # the contrast: a plain BODY[] fetch sets \Seen
    flags = mailbox.fetch_flags()
    assert b"\\Seen" not in flags[peeked]
    assert b"\\Seen" in flags[read]


def test_append_keeps_flags_and_internal_date(mailbox):
    when = datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC)
    uid = mailbox.append("INBOX", raw_message(1), flags=[r"\Seen", r"\Flagged"], when=when)
    assert set(mailbox.fetch_flags()[uid]) >= {b"\\Seen", b"\\Flagged"}
    with mailbox.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        internal = imap.fetch([uid], ["INTERNALDATE"])[uid][b"INTERNALDATE"]
    assert internal.astimezone(datetime.UTC) == when


def test_new_mailbox_has_special_use_folders_and_folders_can_be_managed(mailbox):
    with mailbox.client() as imap:
        assert imap.find_special_folder(b"\\Sent") == "Sent"
    mailbox.create_folder("Archive/2026")
    mailbox.append("Archive/2026", raw_message(1))
    assert mailbox.message_count("Archive/2026") == 1
    mailbox.delete_folder("Archive/2026")
    assert "Archive/2026" not in mailbox.folders()


@pytest.mark.parametrize("folder", ["INBOX", "Sent"])
def test_reset_uidvalidity_keeps_the_messages_under_new_uids(mailbox, folder):
    when = datetime.datetime(2026, 2, 1, 8, 0, tzinfo=datetime.UTC)
    before = {mailbox.append(folder, raw_message(n), flags=[r"\Seen"] if n == 1 else [], when=when) for n in (1, 2, 3)}
    old, new = mailbox.reset_uidvalidity(folder)
    assert old != new
    assert mailbox.uidvalidity(folder) == new
    with mailbox.client() as imap:
        imap.select_folder(folder, readonly=True)
        after = imap.fetch("1:*", ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
    assert sorted(m[b"BODY[]"] for m in after.values()) == sorted(raw_message(n) for n in (1, 2, 3))
    assert not before & set(after), "the messages should come back under new UIDs"
    assert sum(b"\\Seen" in m[b"FLAGS"] for m in after.values()) == 1
    assert {m[b"INTERNALDATE"].astimezone(datetime.UTC) for m in after.values()} == {when}


def test_condstore_and_qresync_report_only_what_changed(mailbox):
    first, second = mailbox.append("INBOX", raw_message(1)), mailbox.append("INBOX", raw_message(2))
    with mailbox.client("implicit") as imap:
        assert imap.has_capability("CONDSTORE")
        assert imap.has_capability("QRESYNC")
        imap.enable("QRESYNC")
        modseq = imap.select_folder("INBOX", readonly=True)[b"HIGHESTMODSEQ"]
    mailbox.set_flags("INBOX", [second], [r"\Seen"])
    with mailbox.client("implicit") as imap:
        imap.enable("QRESYNC")
        imap.select_folder("INBOX", readonly=True)
        changed = imap.fetch("1:*", ["FLAGS"], modifiers=[f"CHANGEDSINCE {modseq}"])
    assert set(changed) == {second}
    assert first not in changed


def test_stopped_server_refuses_connections_and_start_brings_it_back(mailbox):
    mailbox.append("INBOX", raw_message(1))
    mailbox.server.stop()
    try:
        for port in (mailbox.imap_port, mailbox.imaps_port):
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((mailbox.host, port), timeout=2)
    finally:
        mailbox.server.start()
    assert mailbox.message_count() == 1


def test_mbsync_pulls_the_same_mailbox(mailbox, tmp_path):
    """Debian's isync is the benchmark's yardstick: it must be able to sync from this server."""
    mailbox.append_many("INBOX", [raw_message(n) for n in range(5)])
    result = subprocess.run(
        ["mbsync", "-c", str(mailbox.mbsync_config(tmp_path)), "-a"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    pulled = [p for sub in ("cur", "new") for p in (tmp_path / "mail" / "INBOX" / sub).iterdir()]
    assert len(pulled) == 5


def test_server_cleans_up_its_process_and_files():
    with Dovecot() as server:
        root, imap_port = server.root, server.imap
        assert root is not None
        assert root.exists()
    assert not Path(root).exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, imap_port), timeout=2)


# ---------------------------------------------------------------- SMTP (aiosmtpd)


def reply(to: str = "customer@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Shop <support@shop.test>"
    message["To"] = to
    message["Subject"] = "Re: Order question"
    message["Message-ID"] = "<reply-1@shop.test>"
    message["In-Reply-To"] = "<msg-1@example.com>"
    message.set_content("Your order ships tomorrow. Merci !")
    return message


def test_smtp_starttls_and_auth_receive_the_message_with_its_envelope(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.ehlo()
        assert not client.has_extn("auth"), "AUTH must wait for TLS"
        client.starttls(context=smtp_server.client_context())
        client.login(smtp_server.username, smtp_server.password)
        client.send_message(reply(), from_addr="support@shop.test", to_addrs=["customer@example.com"])
    [received] = smtp_server.wait_for(1)
    assert received.mail_from == "support@shop.test"
    assert received.rcpt_tos == ("customer@example.com",)
    assert received.authenticated_as == smtp_server.username
    assert received.tls
    assert received.message["In-Reply-To"] == "<msg-1@example.com>"
    assert received.message.get_content().strip() == "Your order ships tomorrow. Merci !"


def test_smtp_requires_auth_and_rejects_a_wrong_password(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.starttls(context=smtp_server.client_context())
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.send_message(reply(), from_addr="support@shop.test", to_addrs=["customer@example.com"])
        assert refused.value.smtp_code == 530
        with pytest.raises(smtplib.SMTPAuthenticationError) as failed:
            client.login(smtp_server.username, "wrong")
        assert failed.value.smtp_code == 535
    assert smtp_server.messages == []


def test_smtps_with_implicit_tls(smtp_server_factory):
    server = smtp_server_factory(tls="implicit")
    with pytest.raises(ssl.SSLCertVerificationError):
        smtplib.SMTP_SSL(server.host, server.port, context=ssl.create_default_context(), timeout=5)
    with smtplib.SMTP_SSL(server.host, server.port, context=server.client_context(), timeout=5) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("support@shop.test", ["customer@example.com"], reply().as_bytes())
        assert refused.value.smtp_code == 530
        client.login(server.username, server.password)
        client.send_message(reply(), from_addr="support@shop.test", to_addrs=["customer@example.com"])
    assert server.wait_for(1)[0].tls


def test_plain_smtp_without_auth(smtp_server_factory):
    server = smtp_server_factory(tls="none", username=None)
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        assert not client.has_extn("starttls")
        client.send_message(reply(), from_addr="support@shop.test", to_addrs=["customer@example.com"])
    [received] = server.wait_for(1)
    assert not received.tls
    assert received.authenticated_as is None


def test_refused_recipients_get_the_configured_reply(smtp_server):
    smtp_server.refuse("gone@example.com")
    smtp_server.refuse("Busy@Example.com", "451 4.3.0 Try again later")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.starttls(context=smtp_server.client_context())
        client.login(smtp_server.username, smtp_server.password)
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.send_message(reply("gone@example.com"), from_addr="support@shop.test", to_addrs=["gone@example.com"])
        assert refused.value.recipients["gone@example.com"][0] == 550
        partly = client.send_message(
            reply(), from_addr="support@shop.test", to_addrs=["customer@example.com", "busy@example.com"]
        )
    assert partly == {"busy@example.com": (451, b"4.3.0 Try again later")}
    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ("customer@example.com",)
    assert [address for address, _ in smtp_server.refused] == ["gone@example.com", "busy@example.com"]


def test_wait_for_fails_within_its_timeout_when_nothing_arrives(smtp_server):
    with pytest.raises(AssertionError, match="expected 1 message"):
        smtp_server.wait_for(1, timeout=0.2)
