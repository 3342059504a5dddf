"""Live updates: who may open a WebSocket ($connect, $disconnect), and the fan-out of the table's
changes to every open app of the tenant they belong to (a person's notifications: to their apps alone)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.adapters.connections_api import ConnectionGoneError
from inbox.domain.live_updates import TableChange, live_events, personal_events
from inbox.errors import TransientError, UnauthorizedError
from inbox.http.auth import principal_from_claims
from inbox.models.live import Connection, LiveEvent
from inbox.observability import logger

# API Gateway closes a WebSocket after two hours at most; the TTL outlives that a little, for a
# $disconnect that never came.
CONNECTION_TTL_SECONDS = 2 * 3600 + 300
_POSTERS = 8  # connections posted to at once: a tenant's apps hear of a change together


class ConnectionsStore(Protocol):
    def save_connection(self, connection: Connection) -> None: ...
    def forget_connection(self, connection_id: str) -> str | None: ...
    def remove_connection(self, tenant_id: str, connection_id: str) -> None: ...
    def tenant_connections(self, tenant_id: str, now: int) -> list[Connection]: ...


class VerifyToken(Protocol):
    def __call__(self, token: str) -> dict[str, Any]: ...


class PostToConnection(Protocol):
    def __call__(self, connection_id: str, data: bytes) -> None: ...


class Connections:
    """$connect and $disconnect: a connection is kept only for a valid token of an inbox user."""

    def __init__(self, store: ConnectionsStore, verify: VerifyToken, clock: Callable[[], float] = time.time):
        self.store, self.verify, self.clock = store, verify, clock

    def connect(self, connection_id: str, token: str | None) -> Connection:
        """Raises UnauthorizedError (no or bad token) or ForbiddenError (no inbox group)."""
        if not token:
            raise UnauthorizedError("no token in the query string")
        who = principal_from_claims(self.verify(token))
        now = self.clock()
        connection = Connection(
            connection_id=connection_id,
            tenant_id=who.tenant_id,
            user_id=who.user_id,
            connected_at=datetime.fromtimestamp(now, UTC),
            expires_at=int(now) + CONNECTION_TTL_SECONDS,
        )
        self.store.save_connection(connection)
        return connection

    def disconnect(self, connection_id: str) -> None:
        self.store.forget_connection(connection_id)


@dataclass
class FanOut:
    """What one batch did: events built, posts made, connections found gone, posts that failed."""

    events: int = 0
    posted: int = 0
    gone: int = 0
    failed: int = 0


class LiveUpdates:
    """Tells every open app of a tenant what changed in its conversations and folder counters."""

    def __init__(self, store: ConnectionsStore, post: PostToConnection, clock: Callable[[], float] = time.time):
        self.store, self.post, self.clock = store, post, clock

    def publish(self, changes: list[TableChange]) -> FanOut:
        """Never raises for one connection's trouble: a retried batch would tell the others twice,
        and an event told late is worth less than the next one."""
        result = FanOut()
        shared = live_events(changes)
        personal = personal_events(changes)
        for tenant_id in dict.fromkeys([*shared, *(t for t, _ in personal)]):
            events = shared.get(tenant_id, [])
            mine = {user: told for (t, user), told in personal.items() if t == tenant_id}
            result.events += len(events) + sum(len(told) for told in mine.values())
            connections = self.store.tenant_connections(tenant_id, int(self.clock()))
            if connections:
                self._fan_out(tenant_id, connections, events, mine, result)
        return result

    def _fan_out(
        self,
        tenant_id: str,
        connections: list[Connection],
        events: list[LiveEvent],
        personal: dict[str, list[LiveEvent]],
        result: FanOut,
    ) -> None:
        """Every connection of the tenant hears `events`; a person's own connections hear theirs too
        (a connection knows its user: no other app ever receives another person's notifications)."""
        shared = [_message(event) for event in events]
        told = {user: [_message(event) for event in own] for user, own in personal.items()}
        connections = [c for c in connections if shared or c.user_id in told]
        if not connections:
            return
        messages = [shared + told.get(c.user_id, []) for c in connections]
        with ThreadPoolExecutor(max_workers=min(_POSTERS, len(connections))) as pool:
            outcomes = list(pool.map(self._tell, connections, messages))
        for connection, outcome, sent in zip(connections, outcomes, messages, strict=True):
            if outcome == "gone":
                result.gone += 1
                self.store.remove_connection(tenant_id, connection.connection_id)
            elif outcome == "failed":
                result.failed += 1
            else:
                result.posted += len(sent)

    def _tell(self, connection: Connection, messages: list[bytes]) -> str:
        try:
            for message in messages:
                self.post(connection.connection_id, message)
        except ConnectionGoneError:
            return "gone"
        except TransientError as error:
            logger.warning("live update not delivered: %s", error, extra={"connection_id": connection.connection_id})
            return "failed"
        return "posted"


def _message(event: LiveEvent) -> bytes:
    return event.model_dump_json().encode()
