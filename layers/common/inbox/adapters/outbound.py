"""Connections to hosts a tenant chose: IMAP and SMTP servers, OAuth token endpoints,
OpenAI-compatible servers.

Every one of them goes through `connect()` (or, for HTTP, a connection built on it): the name is
resolved once, every address it gives is judged by the deployment's `Destinations`, and the socket
is opened to an address that was judged, never to the name again, so a name that answers a public
address to the check and a private one to the connect (DNS rebinding) gets nowhere. TLS still
checks the certificate against the name.

A tenant's URL is read by `parse_url()` alone, strictly enough (no user info, no escapes, no
spaces or backslashes) that every HTTP client reads the same host in it; and the host a client
finally connects to is judged again at connect time whatever it read.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from functools import cache
from typing import Any

from inbox.errors import PermanentError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never, whatever the deployment allows: the instance metadata services (AWS's IPv4 and its
# fd00:ec2::/32 services, Alibaba's, which sits in the shared range).
METADATA = tuple(ipaddress.ip_network(n) for n in ("169.254.169.254/32", "fd00:ec2::/32", "100.100.100.200/32"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}\.?$){_LABEL}(?:\.{_LABEL})*\.?$")
LOCALHOST = "localhost"


class DestinationRefusedError(PermanentError, ValueError):
    """A tenant's host or URL is one this deployment does not connect to. Also a ValueError, so
    that an input validator turns it into a 422 naming the field."""


@dataclass(frozen=True)
class Destinations:
    """Which addresses a tenant's host may resolve to, as the deployment says (template parameters
    `OutboundAllowLoopback`, `OutboundAllowPrivate`). Link-local, multicast, reserved and metadata
    addresses are never allowed."""

    allow_loopback: bool = False
    allow_private: bool = False

    @classmethod
    def from_settings(cls) -> Destinations:
        from inbox.settings import get_settings

        settings = get_settings()
        return cls(settings.outbound_allow_loopback, settings.outbound_allow_private)

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` is no place to connect to for a tenant; None when it is one."""
        address = _embedded_ipv4(address)
        if address is None:
            return "a tunnelling address"
        if any(address in network for network in METADATA):
            return "a cloud metadata address"
        if address.is_unspecified or address.is_link_local or address.is_multicast:
            return "a link-local, multicast or unspecified address"
        if address.is_loopback:
            return None if self.allow_loopback else "a loopback address"
        if address.is_reserved:
            return "a reserved address"
        if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
            return None if self.allow_private else "a private address"  # fec0::/10, which is_global misses
        if address.is_global:
            return None
        return None if self.allow_private else "a private address"


def _embedded_ipv4(address: IPAddress) -> IPAddress | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), else the address itself; None
    for Teredo, whose far end cannot be judged."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo is not None:
        return None
    return address


def check_host(host: str) -> str:
    """A host as a person types it (a name or an IP address), lower-cased; anything else (a port,
    a user, a path, an escape) is refused rather than guessed at."""
    host = host.strip().lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _HOST_NAME.match(host) or host.replace(".", "").isdigit():
        raise DestinationRefusedError("must be a host name or an IP address")
    return host


def refuse_literal(host: str, destinations: Destinations) -> str:
    """`host` back, unless it is an IP address of a class `destinations` refuses: said when the host
    is saved, by the same judgement the guard makes at connect time. A name is judged only when it is
    resolved, at connect time (what it resolves to can change)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    reason = destinations.refusal(address)
    if reason:
        raise DestinationRefusedError(f"{host} is {reason}, which this deployment does not connect to")
    return host


def is_loopback_host(host: str) -> bool:
    if host.rstrip(".").lower() == LOCALHOST:
        return True
    try:
        return _embedded_ipv4(ipaddress.ip_address(host)).is_loopback  # type: ignore[union-attr]
    except (ValueError, AttributeError):
        return False


@dataclass(frozen=True)
class Url:
    """A tenant's URL as read by `parse_url`; `str()` gives it back in that reading."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as in the request line
    explicit_port: bool = False

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.explicit_port else ""
        return f"{self.scheme}://{host}{port}{self.target}"


def parse_url(value: str, destinations: Destinations) -> Url:
    """The one reading of a tenant's URL: https (http only to loopback where loopback is allowed),
    no user name or password, no escapes in the host, nothing a client could read differently."""
    if not value or any(c <= " " or c in "\\\x7f" or ord(c) > 126 for c in value):
        raise DestinationRefusedError("must be a URL without spaces, backslashes or non-ASCII characters")
    parts = urllib.parse.urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.netloc:
        raise DestinationRefusedError("must be an https URL")
    if "@" in parts.netloc:
        raise DestinationRefusedError("must not contain a user name or password")
    if "%" in parts.netloc or parts.fragment:
        raise DestinationRefusedError("must be a plain URL (no escapes in the host, no #fragment)")
    try:
        port = parts.port
        host = check_host(parts.hostname or "")
        if "[" in parts.netloc:  # brackets hold an IPv6 address, never an IPvFuture `[v1.x]` read as a name
            ipaddress.IPv6Address(host)
        if port == 0:
            raise ValueError("port 0")
    except ValueError as error:
        raise DestinationRefusedError("must be an https URL with a valid host and port") from error
    if scheme == "http" and not (destinations.allow_loopback and is_loopback_host(host)):
        raise DestinationRefusedError("must be an https URL")
    refuse_literal(host, destinations)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if scheme == "https" else 80
    return Url(scheme, host, port or default, target, explicit_port=port is not None)


def resolve(host: str, port: int, destinations: Destinations, deadline: float | None = None) -> list[str]:
    """The addresses of `host` to connect to, every one judged; refused when any is not allowed
    (a name that gives a private address next to a public one is not a mail server to trust).
    An unknown name raises socket.gaierror, as a plain connect would. With a `deadline`
    (time.monotonic()), a resolution not done by then raises TimeoutError."""
    try:
        found = _addresses_of(host, port, deadline)
    except UnicodeError as error:
        raise DestinationRefusedError(f"{host} is not a valid host name") from error
    addresses = list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in found))
    for address in addresses:
        reason = destinations.refusal(ipaddress.ip_address(address))
        if reason:
            raise DestinationRefusedError(f"{host} is {reason}, which this deployment does not connect to")
    return addresses


def _addresses_of(host: str, port: int, deadline: float | None) -> list[Any]:
    """getaddrinfo, given up at the deadline: it has no timeout of its own, and a slow authoritative
    server holds it for the resolver's whole timeout. It runs in a thread of its own (left to finish
    alone if late) rather than a pool's, which late resolutions would fill."""
    if deadline is None:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        except Exception as error:  # handed to the caller, whatever it is
            outcome.append((False, error))

    worker = threading.Thread(target=run, name="resolve", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if not outcome:
        raise TimeoutError(f"{host}: not resolved before the deadline")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def connect(
    host: str, port: int, timeout: float | None, destinations: Destinations, deadline: float | None = None
) -> socket.socket:
    """A TCP connection to `host` through the guard: to one of the addresses `resolve` judged. With a
    `deadline` (a time.monotonic() instant), the name's resolution and each try get at most what is
    left of it, and none starts after it: a name with many unreachable addresses does not multiply the
    timeout."""
    last: OSError | None = None
    for address in resolve(host, port, destinations, deadline):
        wait = timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{host}: no connection before the deadline")
            wait = left if timeout is None else min(timeout, left)
        try:
            return socket.create_connection((address, port), wait)
        except OSError as error:
            last = error
    raise last or OSError(f"{host} has no address")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, url: Url, destinations: Destinations, timeout: float, deadline: float | None = None):
        super().__init__(url.host, url.port, timeout=timeout)
        self._destinations = destinations
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = connect(self.host, self.port, self.timeout, self._destinations, self._deadline)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, url: Url, destinations: Destinations, timeout: float, deadline: float | None = None):
        self._tls = ssl.create_default_context()
        super().__init__(url.host, url.port, timeout=timeout, context=self._tls)
        self._destinations = destinations
        self._deadline = deadline

    def connect(self) -> None:
        raw = connect(self.host, self.port, self.timeout, self._destinations, self._deadline)
        if self._deadline is not None:  # the handshake too ends by the deadline
            raw.settimeout(max(0.001, min(self.timeout, self._deadline - time.monotonic())))
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)
        self.sock.settimeout(self.timeout)


def http_connection(
    url: Url, destinations: Destinations, timeout: float, deadline: float | None = None
) -> http.client.HTTPConnection:
    """An HTTP connection to `url`'s host through the guard. http.client follows no redirect: a 3xx
    comes back as the answer. `deadline` (time.monotonic()) bounds the connect across addresses."""
    kind = _GuardedHTTPSConnection if url.scheme == "https" else _GuardedHTTPConnection
    return kind(url, destinations, timeout, deadline)


def http_client(destinations: Destinations, timeout: float) -> Any:
    """An httpx client (what the openai package takes as `http_client`) whose every connection goes
    through the guard, that follows no redirect and reads no proxy from the environment."""
    import httpx2

    return httpx2.Client(
        transport=_guarded_transport_class()(destinations), follow_redirects=False, trust_env=False, timeout=timeout
    )


@cache
def _guarded_transport_class() -> type:
    import httpcore2
    import httpx2

    class GuardedBackend(httpcore2.SyncBackend):
        def __init__(self, destinations: Destinations):
            self._destinations = destinations

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, *args: Any, **kwargs: Any) -> Any:
            last: Exception | None = None
            for address in resolve(host, port, self._destinations):
                try:
                    return super().connect_tcp(address, port, timeout, *args, **kwargs)
                except httpcore2.ConnectError as error:
                    last = error
            raise last or httpcore2.ConnectError(f"{host} has no address")

    class GuardedTransport(httpx2.HTTPTransport):
        """httpx's own transport (its error mapping included) over a pool whose network backend is
        the guard: httpx has no public hook for name resolution, so the pool is rebuilt with one."""

        def __init__(self, destinations: Destinations):
            super().__init__(trust_env=False)
            self._pool.close()
            self._pool = httpcore2.ConnectionPool(
                ssl_context=httpx2.create_ssl_context(trust_env=False),
                max_connections=10,
                network_backend=GuardedBackend(destinations),
            )

    return GuardedTransport


def refusal_in(error: BaseException) -> DestinationRefusedError | None:
    """The guard's refusal a client wrapped in its own error, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DestinationRefusedError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
