"""An SMTP server for tests (aiosmtpd) that records what it receives, on a free loopback port.

It speaks plain SMTP with STARTTLS (the submission port's usual mode), implicit TLS (SMTPS) or plain
SMTP only, checks AUTH PLAIN/LOGIN against one configured account, and can be told to refuse given
recipients with any reply (550 for a permanent failure, 451 for a temporary one).
"""

from __future__ import annotations

import base64
import email
import email.policy
import secrets
import shutil
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from .dovecot import HOST, free_port
from .tls import certificates

TlsMode = Literal["starttls", "implicit", "none"]


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope as the client gave it and the bytes after DATA."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    authenticated_as: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


class SmtpServer:
    """`with SmtpServer() as smtp: ...; smtp.wait_for(1)[0].message["Subject"]`.

    tls: "starttls" (plain port offering STARTTLS), "implicit" (SMTPS) or "none".
    username/password: the one account AUTH accepts (a random password by default); with username=None
    no AUTH is offered or needed.
    auth_require_tls: whether AUTH waits for TLS. Default: yes with "starttls" (AUTH only after STARTTLS);
    no with "implicit" (the session is TLS from the first byte, but aiosmtpd does not count it as TLS)
    and with "none" (a loopback server taking AUTH in clear, to test clients configured without TLS).
    """

    host = HOST

    def __init__(
        self,
        tls: TlsMode = "starttls",
        username: str | None = "sender@shop.test",
        password: str | None = None,
        auth_require_tls: bool | None = None,
        data_size_limit: int = 64 * 1024 * 1024,
    ) -> None:
        if tls not in ("starttls", "implicit", "none"):
            raise ValueError(f"unknown tls mode {tls!r}")
        self.tls, self.username = tls, username
        self.password = password if password is not None else secrets.token_urlsafe(12)
        self.token = secrets.token_urlsafe(16)  # the access token XOAUTH2 accepts
        self.auth_require_tls = (tls == "starttls") if auth_require_tls is None else auth_require_tls
        self.data_size_limit = data_size_limit
        self.port = 0
        self.messages: list[Received] = []
        self.refused: list[tuple[str, str]] = []  # (address, reply) for every refused RCPT
        self._refusals: dict[str, str] = {}
        self._changed = threading.Condition()
        self._controller: Controller | None = None
        self._tmp: Path | None = None

    @property
    def ca_pem(self) -> str:
        return certificates().ca_pem

    def smtp_settings(self, trust_ca: bool = True) -> dict[str, Any]:
        """The `smtp` part of an email integration, as POST /inbox/integrations takes it."""
        settings = {"host": self.host, "port": self.port, "tls": self.tls}
        settings |= {"username": self.username, "password": self.password}
        if trust_ca and self.tls != "none":
            settings["ca_cert"] = self.ca_pem
        return settings

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts the test CA."""
        return certificates().client_context()

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> SmtpServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        self._tmp = Path(tempfile.mkdtemp(prefix="smtp-"))
        context = certificates().server_context(self._tmp)
        options: dict[str, Any] = {
            "server_hostname": "smtp.test",
            "data_size_limit": self.data_size_limit,
            "auth_require_tls": self.auth_require_tls,
        }
        if self.username is not None:
            options["authenticator"] = self._authenticate
        if self.tls == "starttls":
            options["tls_context"] = context
        # A port picked by free_port() can be taken before the server binds it: then pick again.
        for attempt in range(3):
            self.port = free_port()
            controller = _Controller(
                self.username is not None,
                _Handler(self),
                hostname=HOST,
                port=self.port,
                ssl_context=context if self.tls == "implicit" else None,
                **options,
            )
            try:
                controller.start()
            except OSError:
                if attempt == 2:
                    raise
                continue
            self._controller = controller
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # ------------------------------------------------------------------ behaviour and assertions

    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        """Answer `reply` to RCPT TO for `address` (case-insensitive), e.g. "451 4.3.0 Try again later"."""
        self._refusals[address.lower()] = reply

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Block until at least `count` messages arrived (or fail after `timeout` seconds); returns them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"expected {count} message(s) within {timeout}s, got {len(self.messages)}")
            return list(self.messages)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.username
            and auth_data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

    def _record(self, received: Received) -> None:
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()


class _Controller(Controller):
    """Requires AUTH before MAIL when asked to, set after aiosmtpd's constructor.

    aiosmtpd does not count implicit TLS as TLS for AUTH, so SMTPS needs auth_require_tls=False, and
    its constructor then warns that AUTH is required without TLS, which is not the case here.
    """

    def __init__(self, auth_required: bool, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auth_required = auth_required

    def factory(self) -> SMTP:
        smtp = super().factory()
        smtp._auth_required = self.auth_required
        return smtp


class _Handler:
    """aiosmtpd handler hooks: refusals at RCPT, recording at DATA."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """SASL XOAUTH2 as Gmail and Microsoft 365 take it: `user=<u>^Aauth=Bearer <token>^A^A`, base64."""
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        fields = dict(
            part.split("=", 1)
            for part in base64.b64decode(args[1]).decode(errors="replace").split("\x01")
            if "=" in part
        )
        accepted = fields.get("user") == self.server.username and fields.get("auth") == f"Bearer {self.server.token}"
        return AuthResult(success=accepted, handled=False, auth_data=fields.get("user"))

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self.server._refusals.get(address.lower())
        if reply is not None:
            self.server.refused.append((address, reply))
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        self.server._record(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                raw=raw if isinstance(raw, bytes) else raw.encode(),
                authenticated_as=session.auth_data if session.authenticated else None,
                tls=session.ssl is not None or self.server.tls == "implicit",
            )
        )
        return "250 2.0.0 Message accepted for delivery"
