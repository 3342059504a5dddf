"""The email benchmark's second measure (benchmarks/email_sync.py): the bytes on the wire of a poll of an
unchanged mailbox, MailboxSync's own code through a counting TCP proxy, next to the floor of any poll
(the TLS handshake and the server's greeting alone)."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from benchmarks.email_throughput import LOOPBACK, TENANT, MemorySyncStore, imap_settings
from benchmarks.wire import CountingProxy, Flow
from inbox.adapters.imap import FolderStatus, Mailbox
from inbox.models import FolderCursor, Integration, SyncState
from inbox.services.sync_mailbox import MailboxSync
from servers.dovecot import Mailbox as DovecotUser


@dataclass
class IdlePoll:
    flows: list[Flow]

    @property
    def sent(self) -> int:
        return sum(f.sent for f in self.flows)

    @property
    def received(self) -> int:
        return sum(f.received for f in self.flows)

    @property
    def total(self) -> int:
        return self.sent + self.received


class _RememberedSync(MemorySyncStore):
    """The SyncStore of a mailbox synced up to `last_uid`: what a full sync leaves behind."""

    def __init__(self, integration: Integration, status: FolderStatus, last_uid: int):
        cursor = FolderCursor(uidvalidity=status.uidvalidity, last_uid=last_uid)
        state = SyncState(
            tenant_id=integration.tenant_id,
            integration_id=integration.id,
            folders={"INBOX": cursor},
            next_sync_at=datetime.now(UTC),
        )
        super().__init__(integration, state)

    def checkpoint_folder(self, *_: Any) -> None:
        raise AssertionError("an unchanged mailbox has nothing to checkpoint")


class _NothingToIngest:
    def ingest(self, inbound: Any) -> Any:
        raise AssertionError("an unchanged mailbox has nothing to ingest")


def poll_unchanged(user: DovecotUser, proxy: CountingProxy, status: FolderStatus, last_uid: int) -> IdlePoll:
    """MailboxSync's own code on the big mailbox, its cursor at the end: login, EXAMINE, compare, logout."""
    now = datetime.now(UTC)
    integration = Integration(
        id="bench-idle",
        tenant_id=TENANT,
        kind="email",
        name="Support",
        settings={
            "address": "support@shop.test",
            "imap": {"host": proxy.host, "port": proxy.port, "tls": "implicit", "username": user.username},
            "smtp": {"host": proxy.host, "port": 587, "tls": "starttls", "username": user.username},  # never used
        },
        created_at=now,
        updated_at=now,
    )
    store = _RememberedSync(integration, status, last_uid)

    def open_mailbox(integration: Integration) -> Mailbox:
        return Mailbox.open(imap_settings(user, proxy.port), user.password, LOOPBACK)

    mark = proxy.mark()
    report = MailboxSync(store, _NothingToIngest(), open_mailbox).sync(TENANT, integration.id, lambda: 300)
    if (report.outcome, report.imported) != ("synced", 0):
        raise RuntimeError(f"the poll of an unchanged mailbox ended {report}")
    return IdlePoll(proxy.flows_since(mark))


def tls_and_greeting(user: DovecotUser, proxy: CountingProxy) -> IdlePoll:
    """Only the TLS handshake (with the session tickets) and the server's greeting: the floor of any poll."""
    mark = proxy.mark()
    context = ssl.create_default_context(cadata=user.ca_pem)
    with (
        socket.create_connection((proxy.host, proxy.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=user.host) as tls,
    ):
        greeting = b""
        while not greeting.endswith(b"\r\n"):
            greeting += tls.recv(4096)
    return IdlePoll(proxy.flows_since(mark))
