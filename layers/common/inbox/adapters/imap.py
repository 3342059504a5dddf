"""One IMAP mailbox, read without ever changing it: folders are EXAMINEd and mail is fetched
with BODY.PEEK[], so nothing is marked read or moved."""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from inbox.adapters.outbound import DestinationRefusedError, Destinations, connect
from inbox.errors import PermanentError, TransientError

TlsMode = Literal["implicit", "starttls", "none"]


class MailboxError(Exception):
    """Base of what a mailbox can do wrong; every subclass is also retryable or not."""


class MailboxLoginError(MailboxError, PermanentError):
    """The server refused the credentials."""


class MailboxTlsError(MailboxError, PermanentError):
    """The TLS handshake failed: an untrusted certificate, a wrong port or mode."""


class MailboxFolderError(MailboxError, PermanentError):
    """A folder to sync does not exist (any more) or cannot be read."""


class MailboxUnreachableError(MailboxError, TransientError):
    """The server is down, unknown, slow, or dropped the connection."""


class MailboxDestinationError(MailboxError, PermanentError):
    """The host is, or resolves to, an address this deployment does not connect to."""


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    tls: TlsMode
    username: str
    ca_cert: str | None = None  # PEM of a private certificate authority, when the server uses one
    auth: Literal["password", "xoauth2"] = "password"  # with xoauth2, the secret is an access token


@dataclass(frozen=True)
class FolderStatus:
    uidvalidity: int
    uidnext: int
    highestmodseq: int | None
    exists: int


def unreachable(protocol: str, settings: ServerSettings) -> str:
    """What a person is told when `settings` lead to no working `protocol` server, whatever the reason."""
    return (
        f"could not reach an {protocol} server at {settings.host}:{settings.port} (check the host, port and TLS mode)"
    )


def tls_context(ca_cert: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_cert:
        context.load_verify_locations(cadata=ca_cert)
    return context


class Mailbox:
    """A logged-in IMAP connection; use as a context manager, it logs out on the way out."""

    def __init__(self, client: Any):
        self._client = client

    @classmethod
    def open(
        cls,
        settings: ServerSettings,
        secret: str,
        destinations: Destinations,
        timeout: float = 20,
        factory: Callable[..., Any] | None = None,
    ) -> Mailbox:
        """Connect (through the outbound guard), secure and log in, turning every failure into a
        MailboxError whose words are ours: what a server says before login is never repeated."""
        from imapclient.exceptions import IMAPClientError, LoginError  # the sync worker pays for it, no other

        factory = factory or _guarded_client(destinations)
        try:
            context = tls_context(settings.ca_cert)
        except (ssl.SSLError, ValueError, TypeError) as error:  # checked when saved; stored before that, perhaps
            raise MailboxTlsError(f"the ca_cert given for {settings.host} is not a readable PEM certificate") from error
        try:
            client = factory(
                settings.host, port=settings.port, ssl=settings.tls == "implicit", ssl_context=context, timeout=timeout
            )
            if settings.tls == "starttls":
                client.starttls(context)
            if settings.auth == "xoauth2":
                client.oauth2_login(settings.username, secret)
            else:
                client.login(settings.username, secret)
        except DestinationRefusedError as error:
            raise MailboxDestinationError(str(error)) from error
        except LoginError as error:  # only an IMAP server that greeted us can refuse a login
            raise MailboxLoginError(f"{settings.host} refused the login of {settings.username}") from error
        except ssl.SSLCertVerificationError as error:  # only a TLS server can show a certificate
            raise MailboxTlsError(f"the TLS certificate of {settings.host} is not trusted") from error
        except (OSError, IMAPClientError) as error:
            # Unknown, refused, silent, closed, not TLS, not IMAP: one answer, so that the connection
            # check cannot tell an open port from a closed or filtered one (no port scanning through it).
            raise MailboxUnreachableError(unreachable("IMAP", settings)) from error
        return cls(client)

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *_: object) -> None:
        with contextlib.suppress(Exception):  # the session is over either way
            self._client.logout()

    def examine(self, folder: str) -> FolderStatus:
        """Open `folder` read-only and tell where it stands."""
        from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

        try:
            status = self._client.select_folder(folder, readonly=True)
        except (TimeoutError, OSError, IMAPClientAbortError) as error:
            raise MailboxUnreachableError(f"the connection broke: {error}") from error
        except IMAPClientError as error:
            raise MailboxFolderError(f"the folder {folder!r} cannot be opened: {error}") from error
        modseq = status.get(b"HIGHESTMODSEQ")
        return FolderStatus(
            uidvalidity=int(status[b"UIDVALIDITY"]),
            uidnext=int(status.get(b"UIDNEXT", 0)),
            highestmodseq=int(modseq) if modseq is not None else None,
            exists=int(status.get(b"EXISTS", 0)),
        )

    def uids_after(self, last_uid: int) -> list[int]:
        # `n:*` always matches the highest UID, even when it is below n: filter it out.
        return sorted(
            uid for uid in self._guard(lambda: self._client.search(["UID", f"{last_uid + 1}:*"])) if uid > last_uid
        )

    def uids_since(self, day: date) -> list[int]:
        return sorted(self._guard(lambda: self._client.search(["SINCE", day])))

    def sizes(self, uids: list[int]) -> dict[int, int]:
        """How big each message is, without downloading it."""
        if not uids:
            return {}
        found = self._guard(lambda: self._client.fetch(uids, ["RFC822.SIZE"]))
        return {uid: int(data.get(b"RFC822.SIZE", 0)) for uid, data in found.items()}

    def fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes, datetime | None]]:
        """Each message's raw bytes and the time the server received it, in UID order, without \\Seen."""
        return self._fetch(uids, "BODY.PEEK[]", b"BODY[]")

    def fetch_headers(self, uids: list[int]) -> Iterator[tuple[int, bytes, datetime | None]]:
        """Like `fetch`, but only each message's header block: for mail too large or too hostile to read whole."""
        return self._fetch(uids, "BODY.PEEK[HEADER]", b"BODY[HEADER]")

    def _fetch(self, uids: list[int], item: str, key: bytes) -> Iterator[tuple[int, bytes, datetime | None]]:
        found = self._guard(lambda: self._client.fetch(uids, [item, "INTERNALDATE"]))
        for uid in sorted(found):
            received = found[uid].get(b"INTERNALDATE")
            if received is not None and received.tzinfo is None:
                received = received.astimezone()  # imapclient gives the server's time as local time
            yield uid, found[uid].get(key, b""), received

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] = ("\\Seen",)) -> None:
        """File a copy (of a message we sent) in `folder`."""
        self._guard(lambda: self._client.append(folder, raw, flags=flags))

    def _guard(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except (TimeoutError, OSError) as error:
            raise MailboxUnreachableError(f"the connection broke: {error}") from error


@cache
def _guarded_client(destinations: Destinations) -> type:
    """IMAPClient whose connection goes through the outbound guard (its `_create_IMAP4` seam)."""
    from imapclient import IMAPClient, imap4, tls

    class GuardedIMAP4(imap4.IMAP4WithTimeout):
        def _create_socket(self, timeout: float | None = None) -> socket.socket:
            return connect(self.host, self.port, timeout if timeout is not None else self._timeout, destinations)

    class GuardedIMAP4TLS(tls.IMAP4_TLS):
        def open(self, host: str = "", port: int = 993, timeout: float | None = None) -> None:
            self.host, self.port = host, port
            raw = connect(host, port, timeout if timeout is not None else self._timeout, destinations)
            self.sock = tls.wrap_socket(raw, self.ssl_context, host)
            self.file = self.sock.makefile("rb")

    class GuardedIMAPClient(IMAPClient):
        def _create_IMAP4(self) -> Any:
            timeout = getattr(self._timeout, "connect", None)
            if self.ssl:
                return GuardedIMAP4TLS(self.host, self.port, self.ssl_context, timeout)
            return GuardedIMAP4(self.host, self.port, timeout)

    return GuardedIMAPClient
