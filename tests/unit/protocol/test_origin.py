"""Who may call admin operations through a browser: trusted Host names and same origins."""

from __future__ import annotations

import pytest

from recognito.config import Settings
from recognito.protocol.origin import Boundary

DEFAULT = Boundary.of(Settings())
BEHIND_PROXY = Boundary.of(
    Settings(host="0.0.0.0", public_url="https://IdP.example.test/", allowed_hosts=("recognito",))
)


@pytest.mark.parametrize(
    "host",
    [None, "127.0.0.1:9229", "localhost", "LocalHost:1", "[::1]:9229", "10.1.2.3", "[fe80::1]"],
)
def test_loopback_names_and_addresses_are_trusted(host: str | None) -> None:
    assert DEFAULT.trusts_host(host)


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost.evil.example", "localhost.", "[abc", "host:port", ""]
)
def test_other_names_and_malformed_hosts_are_not(host: str) -> None:
    assert not DEFAULT.trusts_host(host)


def test_public_url_and_allowed_hosts_are_trusted() -> None:
    assert BEHIND_PROXY.trusts_host("idp.example.test")
    assert BEHIND_PROXY.trusts_host("recognito:9229")
    assert not BEHIND_PROXY.trusts_host("evil.example")
    assert Boundary.of(Settings(allowed_hosts=("*",))).trusts_host("evil.example")


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("http://127.0.0.1:9229", "127.0.0.1:9229", True),
        ("http://example.test", "example.test:80", True),
        ("http://127.0.0.1:3000", "127.0.0.1:9229", False),
        ("https://127.0.0.1:9229", "127.0.0.1:9229", False),  # another scheme
        ("null", "127.0.0.1:9229", False),
        ("file://", "127.0.0.1:9229", False),
        ("http://[bad", "127.0.0.1:9229", False),
        ("http://127.0.0.1:9229", None, False),
    ],
)
def test_same_origin_is_the_requests_own_host(origin: str, host: str | None, same: bool) -> None:
    assert DEFAULT.same_origin(origin, host, "http") is same


def test_the_public_url_is_a_same_origin_too() -> None:
    assert BEHIND_PROXY.same_origin("https://idp.example.test", "10.0.0.5:9229", "http")
    assert BEHIND_PROXY.same_origin("https://idp.example.test:443", None, "http")
    assert not BEHIND_PROXY.same_origin("http://idp.example.test", None, "http")
