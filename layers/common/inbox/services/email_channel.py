"""Email as a channel to answer on: SMTP from the mailbox's address, a copy in its Sent folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from inbox.adapters.imap import Mailbox, MailboxError, ServerSettings
from inbox.adapters.outbound import Destinations
from inbox.adapters.smtp import OutgoingEmail, SendError, check_login, send_email
from inbox.domain.references import in_header_order
from inbox.models import Integration, Message, Party
from inbox.models.integration_settings import ImapServer, MailServer
from inbox.observability import logger

Credential = Callable[[Integration, str], str]  # (integration, "imap" or "smtp") -> password or access token


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
    def __init__(self, credential: Credential, destinations: Destinations):
        self._credential = credential
        self._destinations = destinations

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
        )
        smtp = integration.settings.smtp
        sent = send_email(server_settings(smtp), self._credential(integration, "smtp"), email, self._destinations)
        self._file_in_sent(integration, sent)

    def _file_in_sent(self, integration: Integration, raw: bytes) -> None:
        """Best effort: the customer has the reply either way; a missing copy is only logged."""
        imap = integration.settings.imap
        folder = imap.sent_folder
        if not folder:
            return
        try:
            credential = self._credential(integration, "imap")
            with Mailbox.open(server_settings(imap), credential, self._destinations, timeout=10) as mailbox:
                mailbox.append(folder, raw)
        except Exception as error:  # the mail is delivered: nothing here may make it look failed
            logger.warning("reply not filed in the Sent folder", reason=str(error), integration_id=integration.id)


def check_connection(
    imap: ImapServer, imap_password: str, smtp: MailServer, smtp_password: str, destinations: Destinations
) -> dict[str, str | None]:
    """Log in to both servers as a sync and a reply would; None where it worked, else the reason,
    in our words (never what the remote end wrote: this must not read other services' banners)."""
    report: dict[str, str | None] = {"imap": None, "smtp": None}
    try:
        with Mailbox.open(server_settings(imap), imap_password, destinations, timeout=10) as mailbox:
            for folder in imap.folders:
                mailbox.examine(folder)
    except MailboxError as error:
        report["imap"] = str(error)
    try:
        check_login(server_settings(smtp), smtp_password, destinations)
    except SendError as error:
        report["smtp"] = str(error)
    return report
