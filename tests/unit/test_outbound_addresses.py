"""Which addresses a tenant's host may be, and how a tenant's URL is read (no I/O)."""

from __future__ import annotations

import ipaddress

import pytest

from inbox.adapters.outbound import DestinationRefusedError, Destinations, check_host, parse_url

NEVER = [
    "169.254.169.254",  # the instance metadata service
    "169.254.170.2",  # the container credentials endpoint (link-local)
    "fd00:ec2::254",  # the metadata service over IPv6
    "::ffff:169.254.169.254",  # the same, IPv4-mapped
    "2002:a9fe:a9fe::",  # the same, 6to4
    "64:ff9b::a9fe:a9fe",  # the same, NAT64
    "100.100.100.200",  # Alibaba's metadata service, inside the shared range
    "0.0.0.0",  # noqa: S104 - the unspecified address, which reaches loopback
    "::",
    "fe80::1",  # link-local
    "224.0.0.251",  # multicast
    "ff02::1",
    "255.255.255.255",  # broadcast (reserved)
    "240.0.0.1",  # reserved
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo: the far end cannot be judged
]
LOOPBACK = ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]
PRIVATE = ["10.1.2.3", "172.16.0.1", "192.168.1.10", "100.64.0.1", "fd12:3456::1", "::ffff:10.0.0.1"]
PUBLIC = ["93.184.216.34", "2606:4700::6810:84e5", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NEVER)
def test_destinations_never_allow_metadata_link_local_multicast_or_reserved_addresses(address):
    everything = Destinations(allow_loopback=True, allow_private=True)
    assert everything.refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", LOOPBACK)
def test_destinations_allow_loopback_only_where_the_deployment_says_so(address):
    assert Destinations().refusal(ipaddress.ip_address(address)) == "a loopback address"
    assert Destinations(allow_private=True).refusal(ipaddress.ip_address(address)) == "a loopback address"
    assert Destinations(allow_loopback=True).refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", PRIVATE)
def test_destinations_allow_private_addresses_only_where_the_deployment_says_so(address):
    assert Destinations().refusal(ipaddress.ip_address(address)) == "a private address"
    assert Destinations(allow_loopback=True).refusal(ipaddress.ip_address(address)) == "a private address"
    assert Destinations(allow_private=True).refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", PUBLIC)
def test_destinations_allow_public_addresses(address):
    assert Destinations().refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://localhost:1@evil.example/token", "user name or password"),
        ("https://user:pass@auth.example.com/token", "user name or password"),
        ("https://auth.example.com\\@evil.example/", "backslashes"),
        ("https://auth.example.com /token", "spaces"),
        ("https://auth.exa%6Dple.com/token", "no escapes"),
        ("https://auth.example.com/token#frag", "no escapes"),
        ("http://auth.example.com/token", "https URL"),
        ("http://127.0.0.1:8080/token", "https URL"),  # loopback not allowed here
        ("ftp://auth.example.com/", "https URL"),
        ("https:///token", "https URL"),
        ("https://auth.example.com:99999/token", "valid host and port"),
        ("https://2130706433/token", "valid host and port"),  # an integer that resolvers read as 127.0.0.1
    ],
)
def test_parse_url_refuses_what_a_client_could_read_differently_naming_why(url, reason):
    with pytest.raises(DestinationRefusedError, match=reason):
        parse_url(url, Destinations())


def test_parse_url_reads_host_port_and_target_as_the_request_will_use_them():
    url = parse_url("https://Auth.Example.com:8443/oauth2/token?tenant=a", Destinations())
    assert (url.scheme, url.host, url.port, url.target) == ("https", "auth.example.com", 8443, "/oauth2/token?tenant=a")
    assert str(url) == "https://auth.example.com:8443/oauth2/token?tenant=a"
    v6 = parse_url("https://[2606:4700::1]/v1", Destinations())
    assert (v6.host, v6.port, str(v6)) == ("2606:4700::1", 443, "https://[2606:4700::1]/v1")


def test_parse_url_accepts_http_to_loopback_only_where_loopback_is_allowed():
    allowed = Destinations(allow_loopback=True)
    assert parse_url("http://127.0.0.1:8080/v1", allowed).port == 8080
    assert parse_url("http://localhost:8080/v1", allowed).host == "localhost"
    with pytest.raises(DestinationRefusedError):
        parse_url("http://10.0.0.1/v1", Destinations(allow_loopback=True, allow_private=True))


@pytest.mark.parametrize("host", ["localhost:1@evil.example", "imap.example.com:993", "imap.example.com/x", "a b", ""])
def test_a_mail_server_host_is_a_name_or_an_address_and_nothing_else(host):
    with pytest.raises(DestinationRefusedError):
        check_host(host)
    assert check_host("IMAP.Example.com") == "imap.example.com"
    assert check_host("::1") == "::1"


def test_destinations_refuse_site_local_ipv6_as_private():
    site_local = ipaddress.ip_address("fec0::1")  # deprecated (RFC 3879), and not global: Python's is_global says it is
    assert Destinations().refusal(site_local) == "a private address"
    assert Destinations(allow_loopback=True).refusal(site_local) == "a private address"
    assert Destinations(allow_private=True).refusal(site_local) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://auth.example.com:0/token",  # port 0 is no port, not 443
        "https://[v1.x]/token",  # IPvFuture: a bracketed host that is no IPv6 address
        "https://[v1.evil.example]/token",
    ],
)
def test_parse_url_refuses_port_zero_and_ipvfuture_hosts(url):
    with pytest.raises(DestinationRefusedError, match="valid host and port"):
        parse_url(url, Destinations(allow_loopback=True, allow_private=True))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://169.254.169.254/latest/meta-data", "a cloud metadata address"),
        ("https://[fd00:ec2::254]/", "a cloud metadata address"),
        ("https://[fe80::1]/", "link-local"),
        ("https://[::ffff:169.254.169.254]/", "a cloud metadata address"),
        ("https://127.0.0.1/", "a loopback address"),
        ("https://10.0.0.1/v1", "a private address"),
        ("https://[fec0::1]/v1", "a private address"),
    ],
)
def test_parse_url_refuses_an_address_the_guard_would_refuse_naming_its_class(url, reason):
    with pytest.raises(DestinationRefusedError, match=reason):
        parse_url(url, Destinations())


def test_parse_url_judges_an_address_by_the_deployments_settings_and_leaves_names_to_connect_time():
    assert parse_url("https://10.0.0.1/v1", Destinations(allow_private=True)).host == "10.0.0.1"
    assert parse_url("https://127.0.0.1/v1", Destinations(allow_loopback=True)).host == "127.0.0.1"
    assert parse_url("https://metadata.example/v1", Destinations()).host == "metadata.example"  # not resolved here
    with pytest.raises(DestinationRefusedError, match="a cloud metadata address"):
        parse_url("https://169.254.169.254/", Destinations(allow_loopback=True, allow_private=True))
