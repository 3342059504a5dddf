"""POST a signed event to a tenant's webhook URL, through the outbound guard (adapters/outbound.py):
the address judged at connect time, no redirect followed, a short timeout, and the endpoint's answer
reduced to its status code (its body is read a little, to free the connection, and never kept)."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from inbox.adapters.outbound import DestinationRefusedError, Destinations, http_connection, parse_url

TIMEOUT_SECONDS = 5.0
USER_AGENT = "Inbox-Webhooks/1.0"


@dataclass(frozen=True)
class PostResult:
    status: int | None  # the endpoint's HTTP status; None when it never answered
    error: str | None  # why it failed, in our words (None: a 2xx)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post_event(
    url: str, body: bytes, headers: dict[str, str], destinations: Destinations, timeout: float = TIMEOUT_SECONDS
) -> PostResult:
    try:
        target = parse_url(url, destinations)
        connection = http_connection(target, destinations, timeout)
    except DestinationRefusedError as error:
        return PostResult(None, f"refused: {error}")
    sent = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        connection.request("POST", target.target, body=body, headers=sent)
        response = connection.getresponse()
        response.read(65_536)
        status = response.status
    except DestinationRefusedError as error:
        return PostResult(None, f"refused: {error}")
    except TimeoutError:
        return PostResult(None, f"no answer within {timeout:g} s")
    except ssl.SSLError:
        return PostResult(None, "TLS failed (is the certificate valid for the host?)")
    except socket.gaierror:
        return PostResult(None, "the host name does not resolve")
    except ConnectionRefusedError:
        return PostResult(None, "connection refused")
    except (OSError, http.client.HTTPException):
        return PostResult(None, "the connection failed")
    finally:
        connection.close()
    if 200 <= status < 300:
        return PostResult(status, None)
    if 300 <= status < 400:
        return PostResult(status, f"HTTP {status}: redirects are not followed")
    return PostResult(status, f"HTTP {status}")
