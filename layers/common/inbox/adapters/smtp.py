"""Sending one email by a mailbox's SMTP server, with the headers that keep it in its thread."""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from inbox.adapters.imap import ServerSettings, tls_context, unreachable
from inbox.adapters.outbound import DestinationRefusedError, Destinations, connect
from inbox.errors import PermanentError, TransientError


class SendError(Exception):
    """Base of what sending can do wrong."""


class SendRefusedError(SendError, PermanentError):
    """The server refused for good: bad credentials, a rejected address. Retrying will not help."""


class SendUnavailableError(SendError, TransientError):
    """The server is down, slow, or answered with a temporary (4xx) failure."""


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None  # an inline image's, without <>


@dataclass(frozen=True)
class OutgoingEmail:
    sender_name: str | None
    sender_address: str
    to: list[str]
    subject: str
    text: str
    html: str | None
    message_id: str  # without <>
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    date: object | None = None
    # What threads it and says who wrote it (domain.autoreply.reply_headers: In-Reply-To, References,
    # Auto-Submitted); when given, in place of the three built from the fields above.
    headers: tuple[tuple[str, str], ...] | None = None
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()  # in the envelope only: smtplib's send_message leaves the header out
    files: tuple[OutgoingFile, ...] = ()

    def to_mime(self) -> EmailMessage:
        mime = EmailMessage()
        mime["From"] = formataddr((self.sender_name or "", self.sender_address))
        mime["To"] = ", ".join(self.to)
        if self.cc:
            mime["Cc"] = ", ".join(self.cc)
        if self.bcc:
            mime["Bcc"] = ", ".join(self.bcc)  # kept in the Sent folder's copy, as mail clients keep it
        mime["Subject"] = self.subject
        mime["Message-ID"] = f"<{self.message_id}>"
        if self.date is not None:
            mime["Date"] = format_datetime(self.date)
        if self.headers is not None:
            for name, value in self.headers:
                mime[name] = value
        else:
            if self.in_reply_to:
                mime["In-Reply-To"] = f"<{self.in_reply_to}>"
            if self.references:
                mime["References"] = " ".join(f"<{r}>" for r in self.references)
            mime["Auto-Submitted"] = "no"
        mime.set_content(self.text)
        if self.html:
            mime.add_alternative(self.html, subtype="html")
        for file in self.files:
            maintype, _, subtype = file.content_type.partition("/")
            cid = f"<{file.content_id}>" if file.content_id else None
            mime.add_attachment(file.data, maintype, subtype or "octet-stream", filename=file.filename, cid=cid)
        return mime


class _GuardedSMTP(smtplib.SMTP):
    """smtplib's client, connecting through the outbound guard."""

    def __init__(self, destinations: Destinations, **options):
        self._destinations = destinations
        super().__init__(**options)

    def _get_socket(self, host, port, timeout) -> socket.socket:
        return connect(host, port, timeout, self._destinations)


class _GuardedSMTPSSL(smtplib.SMTP_SSL):
    def __init__(self, destinations: Destinations, **options):
        self._destinations = destinations
        super().__init__(**options)

    def _get_socket(self, host, port, timeout) -> socket.socket:
        raw = connect(host, port, timeout, self._destinations)
        return self.context.wrap_socket(raw, server_hostname=self._host)


def send_email(
    settings: ServerSettings,
    password: str | None,
    email: OutgoingEmail,
    destinations: Destinations,
    timeout: float = 10,
) -> bytes:
    """Send `email`; answer the bytes sent (to append to the Sent folder)."""
    mime = email.to_mime()
    _session(settings, password, destinations, timeout, lambda server: server.send_message(mime))
    return mime.as_bytes()


def check_login(
    settings: ServerSettings, password: str | None, destinations: Destinations, timeout: float = 10
) -> None:
    """Connect, secure and log in, then leave: raises what sending would raise."""
    _session(settings, password, destinations, timeout, lambda server: None)


def _session(settings: ServerSettings, password: str | None, destinations: Destinations, timeout: float, work) -> None:
    """Whatever fails is said in our words and the server's reply code: what a server writes is
    never repeated, so a connection check cannot be used to read what any port answers."""
    try:
        context = tls_context(settings.ca_cert)
    except (ssl.SSLError, ValueError, TypeError) as error:  # checked when saved; stored before that, perhaps
        raise SendRefusedError(f"the ca_cert given for {settings.host} is not a readable PEM certificate") from error
    try:
        if settings.tls == "implicit":
            server: smtplib.SMTP = _GuardedSMTPSSL(
                destinations, host=settings.host, port=settings.port, timeout=timeout, context=context
            )
        else:
            server = _GuardedSMTP(destinations, host=settings.host, port=settings.port, timeout=timeout)
        try:
            if settings.tls == "starttls":
                server.starttls(context=context)
            if settings.auth == "xoauth2" and password:
                server.ehlo()
                bearer = f"user={settings.username}\x01auth=Bearer {password}\x01\x01"
                server.auth("XOAUTH2", lambda challenge=None: bearer, initial_response_ok=True)
            elif settings.username and password:
                server.login(settings.username, password)
            work(server)
        finally:
            # Once the server has accepted the mail, nothing that goes wrong saying goodbye is a failure:
            # treating it as one would send the reply twice.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
    except DestinationRefusedError as error:
        raise SendRefusedError(str(error)) from error
    except smtplib.SMTPNotSupportedError as error:
        raise SendRefusedError(f"{settings.host} does not offer what the settings ask for (TLS, AUTH)") from error
    except (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPServerDisconnected) as error:
        raise SendUnavailableError(unreachable("SMTP", settings)) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SendRefusedError(f"{settings.host} refused the login of {settings.username}") from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        refused = ", ".join(error.recipients)
        if all(400 <= code < 500 for code in codes):
            raise SendUnavailableError(f"{settings.host} deferred {refused}; try again") from error
        raise SendRefusedError(f"{settings.host} refused {refused}") from error
    except smtplib.SMTPResponseException as error:
        reason = f"{settings.host} answered with code {error.smtp_code}"
        if 400 <= error.smtp_code < 500:
            raise SendUnavailableError(reason) from error
        raise SendRefusedError(reason) from error
    except ssl.SSLCertVerificationError as error:  # only a TLS server can show a certificate
        raise SendRefusedError(f"the TLS certificate of {settings.host} is not trusted") from error
    except (smtplib.SMTPException, OSError) as error:
        # Unknown, refused, silent, closed, not TLS, not SMTP: one answer, so that the connection check
        # cannot tell an open port from a closed or filtered one (no port scanning through it).
        raise SendUnavailableError(unreachable("SMTP", settings)) from error
