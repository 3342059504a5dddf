"""Where a tenant's settings can make our servers connect, and where its stored secrets can go.

Every client that connects to a host a tenant chose (IMAP, SMTP, the OAuth token request, an
OpenAI-compatible server) is tried against each address class the deployment refuses, with
loopback NOT allowed (the template's default): real servers listen on 127.0.0.1, so a loopback
connection that got through would succeed. The rest of the suite allows loopback through the
same setting the template parameter feeds (OUTBOUND_ALLOW_LOOPBACK, see conftest.py).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from helpers.events import REPO, api_request, load_event, with_body
from inbox import wiring
from inbox.adapters import outbound
from inbox.adapters.ai import ChatModel
from inbox.adapters.imap import Mailbox, MailboxError, ServerSettings
from inbox.adapters.outbound import DestinationRefusedError, Destinations
from inbox.adapters.smtp import SendError, check_login
from inbox.errors import PermanentError
from inbox.models.integration_settings import OAuthClient
from inbox.services.oauth import OAuthRefusedError, exchange, post_form
from local.loopback import LoopbackServer, quiet_handler
from local.openai import FakeOpenAI

STRICT = Destinations()  # the template's defaults: no loopback, no private addresses
LOOPBACK = Destinations(allow_loopback=True)

# One of each class the deployment refuses, as a literal, a name, or an IPv6 form of an IPv4 address.
FORBIDDEN = [
    "127.0.0.1",  # loopback (the Lambda runtime API listens there)
    "localhost",  # a name: judged by what it resolves to
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped IPv6
    "0.0.0.0",  # noqa: S104 - the unspecified address reaches loopback on Linux
    "10.0.0.1",  # private
    "192.168.1.10",
    "100.64.0.1",  # carrier-grade NAT
    "169.254.169.254",  # the instance metadata service
    "fd00:ec2::254",  # its IPv6 address
    "2002:a9fe:a9fe::1",  # 6to4 wrapping 169.254.169.254
    "224.0.0.1",  # multicast
]
AI_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


@pytest.fixture
def loopback_refused(aws, monkeypatch):
    """The deployment as the template makes it by default: OutboundAllowLoopback=false."""
    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "false")
    wiring.reset()


def connection_check(api, imap: dict, smtp: dict, **extra: Any) -> tuple[int, Any]:
    body = {"kind": "email", "name": "Support", "address": "support@shop.test", "imap": imap, "smtp": smtp} | extra
    return api(api_request("POST", "/integrations/test", body))


def ai_settings_event(body: dict) -> dict:
    return api_request("PUT", "/settings/ai", body)


class Recorder:
    """An HTTP server on loopback that records each request and answers with `answer(path)`."""

    def __init__(self, answer=None):
        self.paths: list[str] = []
        self.answer = answer or (lambda path: (200, {}, b"{}"))
        self._server = LoopbackServer(quiet_handler(self.record))
        self.url = self._server.url

    def record(self, handler: BaseHTTPRequestHandler) -> None:
        self.paths.append(handler.path)
        status, headers, body = self.answer(handler.path)
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def redirect_pair() -> Iterator[tuple[Recorder, Recorder]]:
    """`elsewhere` records what reaches it; `redirecting` sends every request there with a 302."""
    elsewhere = Recorder()
    redirecting = Recorder(lambda path: (302, {"Location": f"{elsewhere.url}/stolen"}, b""))
    yield redirecting, elsewhere
    redirecting.close()
    elsewhere.close()


@pytest.fixture
def banner_server() -> Iterator[tuple[str, int]]:
    """Any TCP service that speaks first: it writes its banner, reads a line, and closes."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                peer, _ = listener.accept()
            except TimeoutError:
                continue
            with peer:
                peer.sendall(b"SSH-2.0-OpenSSH_9.6 internal-build-host-42\r\n")
                peer.settimeout(1)
                with contextlib.suppress(OSError):
                    peer.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()
    stop.set()
    thread.join()
    listener.close()


# ---------------------------------------------------------------- every forbidden address, every client


@pytest.mark.parametrize("host", FORBIDDEN)
def test_imap_refuses_every_forbidden_address_before_connecting(host):
    settings = ServerSettings(host=host, port=993, tls="implicit", username="support")
    with pytest.raises(MailboxError) as refused:
        Mailbox.open(settings, "the-mailbox-password", STRICT, timeout=3)
    assert isinstance(refused.value, PermanentError)
    assert "which this deployment does not connect to" in str(refused.value)


@pytest.mark.parametrize("host", FORBIDDEN)
def test_smtp_refuses_every_forbidden_address_before_connecting(host):
    settings = ServerSettings(host=host, port=587, tls="starttls", username="support")
    with pytest.raises(SendError) as refused:
        check_login(settings, "the-mailbox-password", STRICT, timeout=3)
    assert isinstance(refused.value, PermanentError)
    assert "which this deployment does not connect to" in str(refused.value)


@pytest.mark.parametrize("host", FORBIDDEN)
def test_oauth_token_request_refuses_every_forbidden_address_before_connecting(host):
    url = f"https://[{host}]/token" if ":" in host else f"https://{host}/token"
    with pytest.raises(DestinationRefusedError, match="which this deployment does not connect to"):
        post_form(url, {"refresh_token": "the-refresh-token"}, STRICT, timeout=3)


@pytest.mark.parametrize("host", FORBIDDEN)
def test_openai_client_refuses_every_forbidden_address_before_connecting(host):
    base_url = f"https://[{host}]/v1" if ":" in host else f"https://{host}/v1"
    model = ChatModel("sk-tenant-key", "gpt-test", base_url, timeout=3, guard=STRICT)
    with pytest.raises(PermanentError, match="which this deployment does not connect to"):
        model.complete_json([{"role": "user", "content": "hello"}], "answer", AI_SCHEMA)


def test_every_client_refuses_the_user_info_form_that_reads_as_localhost_but_goes_elsewhere():
    tricky = "http://localhost:1@evil.example/v1"
    with pytest.raises(DestinationRefusedError, match="user name or password"):
        post_form(tricky, {"refresh_token": "the-refresh-token"}, LOOPBACK)
    with pytest.raises(PermanentError, match="user name or password"):
        ChatModel("sk-key", "gpt-test", tricky, guard=LOOPBACK).complete_json([], "answer", AI_SCHEMA)
    with pytest.raises(MailboxError):
        Mailbox.open(ServerSettings("localhost:1@evil.example", 993, "implicit", "u"), "pw", LOOPBACK, timeout=3)
    with pytest.raises(SendError):
        check_login(ServerSettings("localhost:1@evil.example", 587, "starttls", "u"), "pw", LOOPBACK, timeout=3)


def test_the_api_refuses_the_user_info_form_in_every_tenant_host_and_url(api, mailbox, smtp_server):
    tricky = "http://localhost:1@evil.example/token"
    oauth = {"token_url": tricky, "client_id": "c", "refresh_token": "r"}
    imap = mailbox.imap_settings() | {"password": None}
    smtp = smtp_server.smtp_settings() | {"password": None}
    status, body = connection_check(api, imap, smtp, auth="xoauth2", oauth=oauth)
    assert (status, body["error"]["message"]) == (422, "oauth.token_url: must not contain a user name or password")

    status, body = api(ai_settings_event({"api_key": "sk-key-0123456789", "base_url": tricky}))
    assert (status, body["error"]["message"]) == (422, "base_url: must not contain a user name or password")

    status, body = connection_check(api, mailbox.imap_settings() | {"host": "localhost:1@evil.example"}, smtp)
    assert (status, body["error"]["message"]) == (422, "imap.host: must be a host name or an IP address")


def test_the_oauth_token_request_follows_no_redirect(redirect_pair):
    redirecting, elsewhere = redirect_pair
    oauth = OAuthClient(token_url=f"{redirecting.url}/token", client_id="inbox-client")

    with pytest.raises(OAuthRefusedError, match="redirect"):
        exchange(oauth, "client-secret", "the-refresh-token", _now(), lambda u, f: post_form(u, f, LOOPBACK))

    assert redirecting.paths == ["/token"]
    assert elsewhere.paths == []


def test_the_openai_client_follows_no_redirect(redirect_pair):
    redirecting, elsewhere = redirect_pair
    model = ChatModel("sk-tenant-key", "gpt-test", f"{redirecting.url}/v1", timeout=3, guard=LOOPBACK)

    with pytest.raises(PermanentError, match="redirect"):
        model.complete_json([{"role": "user", "content": "hello"}], "answer", AI_SCHEMA)

    assert redirecting.paths == ["/v1/chat/completions"]
    assert elsewhere.paths == []


def test_a_name_is_resolved_once_and_the_connection_goes_to_the_address_that_was_judged(monkeypatch):
    # GIVEN a name that answers loopback (allowed here) the first time and the metadata address after
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    real, asked = socket.getaddrinfo, []

    def rebinding(host, *args, **kwargs):
        if host != "mail.rebind.test":
            return real(host, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "169.254.169.254"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    # WHEN a client connects by that name
    with outbound.connect("mail.rebind.test", port, 3, LOOPBACK) as connection, listener.accept()[0] as accepted:
        # THEN it reached the address judged, asking the name once
        assert connection.getpeername() == accepted.getsockname()
    assert asked == ["mail.rebind.test"]
    listener.close()


# ---------------------------------------------------------------- through the API, loopback not allowed


def test_the_connection_check_cannot_reach_servers_on_loopback_when_the_deployment_says_no(
    api, loopback_refused, mailbox, smtp_server
):
    # Real Dovecot and aiosmtpd listen on 127.0.0.1 with these very settings: as an address it is
    # refused when given, as a name that resolves to it, when connecting.
    status, body = connection_check(api, mailbox.imap_settings(), smtp_server.smtp_settings())
    assert (status, body["error"]["message"]) == (
        422,
        "imap.host: 127.0.0.1 is a loopback address, which this deployment does not connect to",
    )
    by_name = {"host": "localhost"}
    status, report = connection_check(api, mailbox.imap_settings() | by_name, smtp_server.smtp_settings() | by_name)
    assert status == 200, report
    assert (report["imap_ok"], report["smtp_ok"]) == (False, False)
    assert "a loopback address" in report["imap_error"]
    assert "a loopback address" in report["smtp_error"]


def test_a_loopback_token_url_is_refused_when_the_deployment_says_no(api, loopback_refused, mailbox, smtp_server):
    from fakes.oauth import TokenEndpoint

    endpoint = TokenEndpoint("inbox-client", "client-secret", "refresh-1", access_token=mailbox.token)
    try:
        oauth = {"token_url": endpoint.url, "client_id": "inbox-client", "refresh_token": "refresh-1"}
        imap = mailbox.imap_settings() | {"password": None, "host": "localhost"}  # a name: judged at connect time
        smtp = smtp_server.smtp_settings() | {"host": "localhost"}
        status, body = connection_check(api, imap, smtp, auth="xoauth2", oauth=oauth)
    finally:
        endpoint.close()
    assert (status, body["error"]["message"]) == (422, "oauth.token_url: must be an https URL")
    assert endpoint.requests == []


def test_a_tenants_ai_server_on_loopback_is_refused_when_the_deployment_says_no(api, loopback_refused):
    with FakeOpenAI(api_key="sk-tenant-0123456789") as fake:
        status, body = api(ai_settings_event({"api_key": fake.api_key, "base_url": fake.base_url}))
        assert (status, body["error"]["message"]) == (422, "base_url: must be an https URL")
        assert fake.requests == []


def test_the_connection_check_never_repeats_what_a_remote_service_answers(api, banner_server):
    host, port = banner_server
    server = {"host": host, "port": port, "tls": "none", "username": "u", "password": "p"}
    status, report = connection_check(api, server, server)
    assert status == 200, report
    assert (report["imap_ok"], report["smtp_ok"]) == (False, False)
    for error in (report["imap_error"], report["smtp_error"]):
        assert "SSH" not in error
        assert "internal-build-host" not in error
    assert (
        report["imap_error"] == f"could not reach an IMAP server at {host}:{port} (check the host, port and TLS mode)"
    )
    assert (
        report["smtp_error"] == f"could not reach an SMTP server at {host}:{port} (check the host, port and TLS mode)"
    )


@pytest.fixture
def ports(banner_server, monkeypatch) -> dict[str, int]:
    """A port of each kind a scan tells apart: closed (refused), filtered (no answer: its connect
    times out), open with another service behind it (the banner server)."""
    with socket.create_server(("127.0.0.1", 0)) as gone:
        closed = gone.getsockname()[1]
    filtered = closed + 1 if closed < 65535 else closed - 1
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):
        if address[1] == filtered:
            raise TimeoutError("timed out")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return {"closed": closed, "filtered": filtered, "other service": banner_server[1]}


@pytest.mark.parametrize("tls", ["none", "starttls", "implicit"])
def test_the_connection_check_cannot_tell_a_closed_port_from_a_filtered_or_an_open_one(api, ports, tls):
    errors = {}
    for kind, port in ports.items():
        server = {"host": "127.0.0.1", "port": port, "tls": tls, "username": "u", "password": "p"}
        status, report = connection_check(api, server, server)
        assert status == 200, report
        errors[kind] = (report["imap_error"], report["smtp_error"])

    said = {
        (imap.replace(str(ports[kind]), "PORT"), smtp.replace(str(ports[kind]), "PORT"))
        for kind, (imap, smtp) in errors.items()
    }
    assert said == {
        (
            "could not reach an IMAP server at 127.0.0.1:PORT (check the host, port and TLS mode)",
            "could not reach an SMTP server at 127.0.0.1:PORT (check the host, port and TLS mode)",
        )
    }, errors


def test_the_connection_check_cannot_tell_ports_apart_through_the_token_url(api, ports, mailbox, smtp_server):
    not_oauth = Recorder(lambda path: (500, {}, b"internal error"))
    no_token = Recorder(lambda path: (200, {}, b"{}"))
    try:
        urls = [f"http://127.0.0.1:{port}/token" for port in ports.values()] + [
            f"{not_oauth.url}/token",
            f"{no_token.url}/token",
        ]
        errors = set()
        for url in urls:
            oauth = {"token_url": url, "client_id": "c", "refresh_token": "r"}
            imap = mailbox.imap_settings() | {"password": None}
            smtp = smtp_server.smtp_settings() | {"password": None}
            status, report = connection_check(api, imap, smtp, auth="xoauth2", oauth=oauth)
            assert status == 200, report
            errors |= {report["imap_error"], report["smtp_error"]}
    finally:
        not_oauth.close()
        no_token.close()
    assert errors == {"could not get an access token from the token endpoint (check its URL)"}


# ---------------------------------------------------------------- a forbidden address is refused when saved


def mail_server(host: str, port: int = 993, tls: str = "implicit", **extra: Any) -> dict[str, Any]:
    return {"host": host, "port": port, "tls": tls, "username": "support", "password": "pw"} | extra


def new_mailbox(imap_host: str = "imap.shop.test", smtp_host: str = "smtp.shop.test", **extra: Any) -> dict:
    body = {"kind": "email", "name": "Support", "address": "support@shop.test"}
    return body | {"imap": mail_server(imap_host), "smtp": mail_server(smtp_host, 587, "starttls")} | extra


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("fe80::1", "a link-local, multicast or unspecified address"),
        ("10.0.0.5", "a private address"),  # the tests' deployment allows loopback, not private ranges
        ("fec0::1", "a private address"),
    ],
)
def test_a_forbidden_address_is_refused_when_saved_naming_the_field(api, host, reason):
    refused = f"{host} is {reason}, which this deployment does not connect to"
    create = load_event("api/create_integration.json")

    status, body = api(with_body(create, new_mailbox(imap_host=host)))
    assert (status, body["error"]["message"]) == (422, f"imap.host: {refused}")
    status, body = api(with_body(load_event("api/create_integration.json"), new_mailbox(smtp_host=host)))
    assert (status, body["error"]["message"]) == (422, f"smtp.host: {refused}")

    url = f"https://[{host}]/token" if ":" in host else f"https://{host}/token"
    oauth = {"token_url": url, "client_id": "c", "refresh_token": "r"}
    xoauth2 = new_mailbox(auth="xoauth2", oauth=oauth)
    status, body = api(with_body(load_event("api/create_integration.json"), xoauth2))
    assert (status, body["error"]["message"]) == (422, f"oauth.token_url: {refused}")

    status, body = api(ai_settings_event({"api_key": "sk-key-0123456789", "base_url": url.replace("/token", "/")}))
    assert (status, body["error"]["message"]) == (422, f"base_url: {refused}")


def test_a_mailbox_moved_to_a_forbidden_address_is_refused_and_left_where_it_was(api):
    status, created = api(with_body(load_event("api/create_integration.json"), new_mailbox()))
    assert status == 201, created

    moved = mail_server("169.254.169.254")
    status, body = api(api_request("PUT", f"/integrations/{created['id']}", {"imap": moved}))

    assert status == 422, body
    assert body["error"]["message"].startswith("imap.host: 169.254.169.254 is a cloud metadata address")
    assert api(api_request("GET", f"/integrations/{created['id']}"))[1]["settings"]["imap"]["host"] == "imap.shop.test"


def test_a_loopback_address_is_refused_when_saved_only_where_the_deployment_says_no(api, loopback_refused):
    status, body = api(with_body(load_event("api/create_integration.json"), new_mailbox(imap_host="127.0.0.1")))
    assert (status, body["error"]["message"]) == (
        422,
        "imap.host: 127.0.0.1 is a loopback address, which this deployment does not connect to",
    )
    # A name is judged when it is resolved, at connect time: saving it needs no DNS.
    status, body = api(with_body(load_event("api/create_integration.json"), new_mailbox(imap_host="localhost")))
    assert status == 201, body


def test_unencrypted_mail_is_allowed_to_exactly_the_hosts_the_guard_calls_loopback(api):
    # The schema asks the guard's own question: `localhost.` (a fully qualified name) is loopback to both.
    for host in ("localhost.", "::ffff:127.0.0.1"):
        body = new_mailbox(imap=mail_server(host, 143, "none"), smtp=mail_server(host, 25, "none"))
        status, created = api(with_body(load_event("api/create_integration.json"), body))
        assert status == 201, (host, created)
    status, body = api(
        with_body(load_event("api/create_integration.json"), new_mailbox(imap=mail_server("a.example", 143, "none")))
    )
    assert (status, body["error"]["message"]) == (422, "imap: tls 'none' is only allowed for a loopback host")


# ---------------------------------------------------------------- a stored secret stays with its destination


def create_mailbox(api, mailbox, smtp_server) -> str:
    body = {
        "kind": "email",
        "name": "Support",
        "address": "support@shop.test",
        "imap": mailbox.imap_settings(),
        "smtp": smtp_server.smtp_settings(),
    }
    status, created = api(with_body(load_event("api/create_integration.json"), body))
    assert status == 201, created
    return created["id"]


@pytest.mark.parametrize(
    ("server", "change"),
    [
        ("imap", {"host": "imap.attacker.example"}),
        ("imap", {"port": 10993}),
        ("imap", {"username": "someone-else"}),
        ("smtp", {"host": "smtp.attacker.example"}),
        ("smtp", {"tls": "implicit", "port": 465}),
    ],
)
def test_a_mailbox_server_moved_without_its_password_is_refused_naming_it(api, mailbox, smtp_server, server, change):
    integration_id = create_mailbox(api, mailbox, smtp_server)
    current = (mailbox.imap_settings() if server == "imap" else smtp_server.smtp_settings()) | {"password": None}
    moved = {k: v for k, v in (current | change).items() if v is not None}

    status, body = api(api_request("PUT", f"/integrations/{integration_id}", {server: moved}))

    assert status == 422, body
    assert body["error"]["message"].startswith(f"{server}.password: give it again")
    stored = api(api_request("GET", f"/integrations/{integration_id}"))[1]["settings"][server]
    assert (stored["host"], str(stored["port"])) == (current["host"], str(current["port"]))


def test_a_mailbox_server_moves_with_its_password_and_other_changes_need_none(api, mailbox, smtp_server):
    integration_id = create_mailbox(api, mailbox, smtp_server)
    imap = mailbox.imap_settings()
    same_place = {k: v for k, v in imap.items() if k != "password"} | {"folders": ["INBOX", "Archives"]}
    status, body = api(api_request("PUT", f"/integrations/{integration_id}", {"imap": same_place}))
    assert status == 200, body

    status, body = api(api_request("PUT", f"/integrations/{integration_id}", {"imap": imap | {"username": "other"}}))
    assert status == 200, body
    assert body["settings"]["imap"]["username"] == "other"

    status, body = api(api_request("PUT", f"/integrations/{integration_id}", {"imap": same_place}))  # back, without it
    assert status == 422, body
    assert body["error"]["message"].startswith("imap.password: give it again")


def test_an_oauth_mailbox_moved_without_its_refresh_token_is_refused_naming_it(api, mailbox, smtp_server):
    from fakes.oauth import TokenEndpoint

    endpoint = TokenEndpoint("inbox-client", "client-secret", "refresh-1", access_token=mailbox.token)
    try:
        imap = mailbox.imap_settings() | {"password": None}
        smtp = smtp_server.smtp_settings() | {"password": None}
        body = {
            "kind": "email",
            "name": "Support",
            "address": "support@shop.test",
            "auth": "xoauth2",
            "imap": {k: v for k, v in imap.items() if v is not None},
            "smtp": {k: v for k, v in smtp.items() if v is not None},
            "oauth": {"token_url": endpoint.url, "client_id": "inbox-client", "client_secret": "client-secret",
                      "refresh_token": "refresh-1"},
        }  # fmt: skip
        status, created = api(with_body(load_event("api/create_integration.json"), body))
        assert status == 201, created
        moved = body["imap"] | {"host": "imap.attacker.example"}

        status, answer = api(api_request("PUT", f"/integrations/{created['id']}", {"imap": moved}))
        assert status == 422, answer
        assert answer["error"]["message"].startswith("oauth.refresh_token: give it again")

        elsewhere = body["oauth"] | {"token_url": "https://tokens.attacker.example/token", "refresh_token": "r-2"}
        del elsewhere["client_secret"]
        status, answer = api(api_request("PUT", f"/integrations/{created['id']}", {"oauth": elsewhere}))
        assert status == 422, answer
        assert answer["error"]["message"].startswith("oauth.client_secret: give it again")
    finally:
        endpoint.close()


def test_an_ai_key_stays_with_the_url_it_was_given_for(api):
    key = {"api_key": "sk-tenant-0123456789", "base_url": "https://llm.example.com/v1"}
    assert api(ai_settings_event(key))[0] == 200

    status, body = api(ai_settings_event({"base_url": "https://llm.attacker.example/v1"}))
    assert status == 422, body
    assert body["error"]["message"].startswith("api_key: give it again")

    assert api(ai_settings_event({"model": "llama3.1"}))[0] == 200  # not a destination
    status, body = api(ai_settings_event(key | {"base_url": "https://llm2.example.com/v1"}))
    assert (status, body["base_url"]) == (200, "https://llm2.example.com/v1")


def test_a_tenants_ai_server_that_became_forbidden_is_refused_on_the_conversation(api, aws, monkeypatch, post_webhook):
    from helpers.classify import classify_queued, conversation, create_folder, use_ai, write
    from samples import DELIVERY

    with FakeOpenAI(api_key="sk-tenant-0123456789") as fake:
        # GIVEN a tenant whose AI server is on loopback, accepted while the deployment allowed it
        create_folder(api, DELIVERY)
        use_ai(api, fake)
        aws.queued()
        # WHEN the deployment stops allowing loopback, and a message is classified
        monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "false")
        wiring.reset()
        late = write(post_webhook, "m1", "Mon colis est en retard")
        assert all(answer["batchItemFailures"] == [] for answer in classify_queued(aws))
        # THEN the model was never called and the conversation says why
        assert fake.requests == []
    note = conversation(api, late)["classification_note"]
    assert note.startswith("AI classification failed: the AI provider's URL is not allowed")


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


# ---------------------------------------------------------------- the deployment's say


def test_the_template_refuses_loopback_and_private_hosts_and_uses_vonages_own_host_by_default(template):
    parameters, environment = template["Parameters"], template["Globals"]["Function"]["Environment"]["Variables"]
    assert parameters["OutboundAllowLoopback"]["Default"] == "false"
    assert parameters["OutboundAllowPrivate"]["Default"] == "false"
    assert parameters["VonageApiBaseUrl"]["Default"] == "https://api.nexmo.com"
    assert environment["OUTBOUND_ALLOW_LOOPBACK"] == {"Ref": "OutboundAllowLoopback"}
    assert environment["OUTBOUND_ALLOW_PRIVATE"] == {"Ref": "OutboundAllowPrivate"}
    assert environment["VONAGE_API_BASE_URL"] == {"Ref": "VonageApiBaseUrl"}


def test_the_local_stack_allows_loopback_and_uses_its_fake_vonage_through_those_parameters(tmp_path):
    from types import SimpleNamespace

    from local.stack import LocalStack, Options
    from local.template import Template

    stack = LocalStack(Options(template=REPO / "template.yaml", state_dir=tmp_path))
    stack.vonage = SimpleNamespace(base_url="http://127.0.0.1:5555")
    bound = Template.load(REPO / "template.yaml", local_defaults=stack.local_parameters()).parameters
    assert (bound["OutboundAllowLoopback"], bound["VonageApiBaseUrl"]) == ("true", "http://127.0.0.1:5555")
    assert bound["OutboundAllowPrivate"] == "false"

    overridden = Template.load(
        REPO / "template.yaml", parameters={"OutboundAllowLoopback": "false"}, local_defaults=stack.local_parameters()
    ).parameters
    assert overridden["OutboundAllowLoopback"] == "false"  # a --parameter wins


def test_a_mailbox_on_loopback_is_neither_synced_nor_answered_once_the_deployment_says_no(
    api, monkeypatch, mailbox, smtp_server
):
    from helpers.mailbox import conversations, integration, mail, reply_event, run_worker
    from helpers.mailbox import create_mailbox as create_synced_mailbox

    # GIVEN a mailbox on loopback, synced while the deployment allowed it
    mailbox.append("INBOX", mail("Commande 1042"))
    integration_id = create_synced_mailbox(api, mailbox, smtp=smtp_server.smtp_settings())
    run_worker(integration_id)
    [conversation] = conversations()
    mailbox.append("INBOX", mail("Commande 1043"))

    # WHEN the deployment stops allowing loopback
    monkeypatch.setenv("OUTBOUND_ALLOW_LOOPBACK", "false")
    wiring.reset()

    # THEN the sync does not connect and says why, and a reply is not sent
    assert run_worker(integration_id) == {"batchItemFailures": []}
    assert "a loopback address" in integration(api, integration_id)["sync"]["last_error"]
    assert len(conversations()) == 1
    status, sent = api(reply_event(conversation.id, "Votre colis part demain."))
    assert (status, sent["delivery"]) == (201, "failed")
    assert "a loopback address" in sent["delivery_error"]
    assert smtp_server.messages == []
