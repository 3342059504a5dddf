"""Email as a channel to answer on: SMTP from the mailbox's address, a copy in its Sent folder."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.adapters.imap import MailboxError, ServerSettings
from inbox.adapters.smtp import OutgoingEmail, OutgoingFile, SendError
from inbox.domain.autoreply.email_headers import reply_headers
from inbox.domain.references import in_header_order
from inbox.errors import PermanentError
from inbox.models import Integration, Message, Party
from inbox.models.integration_settings import ImapServer, MailServer
from inbox.observability import logger

Credential = Callable[[Integration, str], str]  # (integration, "imap" or "smtp") -> password or access token


class MailboxFolders(Protocol):
    """A mailbox's IMAP server, logged in."""

    def examine(self, folder: str) -> Any: ...
    def append(self, folder: str, raw: bytes) -> None: ...


class OpenMailbox(Protocol):
    """Log in to an IMAP server (through the outbound guard); the connection logs out when left."""

    def __call__(self, server: ServerSettings, secret: str) -> AbstractContextManager[MailboxFolders]: ...


class SendEmail(Protocol):
    """Send by SMTP (through the outbound guard); the bytes sent, to file a copy of."""

    def __call__(self, server: ServerSettings, secret: str, email: OutgoingEmail) -> bytes: ...


class CheckLogin(Protocol):
    """Log in to an SMTP server and leave, raising what sending would raise."""

    def __call__(self, server: ServerSettings, secret: str) -> None: ...


def server_settings(server: MailServer) -> ServerSettings:
    """What the IMAP and SMTP clients need to reach and log in to a mailbox's server."""
    return ServerSettings(
        host=server.host,
        port=server.port,
        tls=server.tls,
        username=server.username,
        ca_cert=server.ca_cert,
        auth=server.auth,
    )


class EmailSender:
    def __init__(
        self,
        credential: Credential,
        send_email: SendEmail,
        open_mailbox: OpenMailbox,
        read_blob: Callable[[str], bytes] | None = None,
    ):
        self._credential = credential
        self._send_email = send_email
        self._open_mailbox = open_mailbox
        self._read_blob = read_blob  # a reply's files, from the blob store

    def sender_party(self, integration: Integration, parent: Message | None = None) -> Party:
        return Party(name=integration.name, email=integration.settings.address)

    def message_id(self, integration: Integration, message_id: str) -> str:
        return f"{message_id}@{integration.settings.address.rpartition('@')[2]}"

    def send(self, integration: Integration, message: Message) -> None:
        email = OutgoingEmail(
            sender_name=integration.name,
            sender_address=integration.settings.address,
            to=[p.email for p in message.to if p.email],
            subject=message.subject or "",
            text=message.text,
            html=message.html,
            message_id=message.message_id or "",
            date=datetime.now(UTC),
            in_reply_to=message.references[0] if message.references else None,
            references=tuple(in_header_order(message)),
            headers=tuple(reply_headers(message).items()),
            cc=tuple(p.email for p in message.cc if p.email),
            bcc=tuple(p.email for p in message.bcc if p.email),
            files=tuple(self._files(message)),
        )
        smtp = integration.settings.smtp
        sent = self._send_email(server_settings(smtp), self._credential(integration, "smtp"), email)
        self._file_in_sent(integration, sent)

    def _files(self, message: Message) -> list[OutgoingFile]:
        if message.attachments and self._read_blob is None:
            raise PermanentError("this sender cannot read the reply's files")
        return [
            OutgoingFile(a.filename, a.content_type, self._read_blob(a.key), a.content_id)  # type: ignore[misc]
            for a in message.attachments
        ]

    def _file_in_sent(self, integration: Integration, raw: bytes) -> None:
        """Best effort: the customer has the reply either way; a missing copy is only logged."""
        imap = integration.settings.imap
        folder = imap.sent_folder
        if not folder:
            return
        try:
            credential = self._credential(integration, "imap")
            with self._open_mailbox(server_settings(imap), credential) as mailbox:
                mailbox.append(folder, raw)
        except Exception as error:  # the mail is delivered: nothing here may make it look failed
            logger.warning("reply not filed in the Sent folder", reason=str(error), integration_id=integration.id)


def check_connection(
    imap: ImapServer,
    imap_password: str,
    smtp: MailServer,
    smtp_password: str,
    open_mailbox: OpenMailbox,
    check_login: CheckLogin,
) -> dict[str, str | None]:
    """Log in to both servers as a sync and a reply would; None where it worked, else the reason,
    in our words (never what the remote end wrote: this must not read other services' banners)."""
    report: dict[str, str | None] = {"imap": None, "smtp": None}
    try:
        with open_mailbox(server_settings(imap), imap_password) as mailbox:
            for folder in imap.folders:
                mailbox.examine(folder)
    except MailboxError as error:
        report["imap"] = str(error)
    try:
        check_login(server_settings(smtp), smtp_password)
    except SendError as error:
        report["smtp"] = str(error)
    return report
