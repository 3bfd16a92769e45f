"""What may be registered as a callback or sign-out URI, and how request URIs match."""

from __future__ import annotations

import pytest

from recognito.domain.redirect_uris import is_registered, problem

HTTPS_ONLY = "It must use https; http is allowed for localhost, 127.0.0.1 and [::1] only."


@pytest.mark.parametrize(
    "uri",
    [
        "https://app.example.com/callback",
        "https://app.example.com",
        "http://localhost",
        "http://localhost:3000/cb?x=1",
        "http://127.0.0.1:8080/",
        "http://[::1]:5173/",
        "myapp://callback",
        "com.example.app:/oauth2redirect",
        "https://xn--bcher-kva.example/cb",
    ],
)
def test_registrable(uri: str) -> None:
    assert problem(uri) is None


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("http://example.com/cb", HTTPS_ONLY),
        ("http://localhost.example.com/cb", HTTPS_ONLY),
        ("http://127.0.0.2/cb", HTTPS_ONLY),
        ("https://app.example.com/cb#", "It must not contain a fragment."),
        ("https://app.example.com/cb#x", "It must not contain a fragment."),
        ("callback", "It must be an absolute URI."),
        ("/cb", "It must be an absolute URI."),
        ("https:///cb", "It must name a host."),
        ("https://app.example.com/a b", "It must not contain white space."),
        ("javascript:alert(1)", "The javascript scheme is not allowed."),
        ("DATA:text/html,hi", "The data scheme is not allowed."),
        ("https://[::1/cb", "It is not a valid URI."),
    ],
)
def test_not_registrable(uri: str, reason: str) -> None:
    assert problem(uri) == reason


def test_matching_is_by_exact_string() -> None:
    registered = ["https://app.example.com/cb", "http://localhost:3000/cb"]
    assert is_registered("https://app.example.com/cb", registered)
    for near in (
        "https://app.example.com/cb/",
        "https://APP.example.com/cb",
        "https://app.example.com:443/cb",
        "http://localhost:3001/cb",
        "https://app.example.com/cb?x=1",
    ):
        assert not is_registered(near, registered)
