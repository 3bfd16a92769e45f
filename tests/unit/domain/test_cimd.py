"""domain/cimd.py: client_id URLs, URL patterns and their matching, the cache lifetime,
the metadata document's validation and the public client it makes."""

from __future__ import annotations

import pytest

from recognito import errors
from recognito.domain import cimd
from recognito.domain.cimd import CIMDRefused
from recognito.domain.records import Client

URL = "https://tools.example/mcp/client.json"


def _url(url: str, loopback: bool = False) -> cimd.MetadataURL:
    return cimd.parse_url(url, allow_loopback=loopback)


@pytest.mark.parametrize(
    "url",
    [
        "http://tools.example/mcp/client.json",  # not https
        "http://127.0.0.1:8000/client.json",  # loopback, not allowed
        "https://tools.example",  # no path
        "https://tools.example/",
        "https://tools.example/a/../b",
        "https://tools.example/c?x=1",
        "https://tools.example/c#f",
        "https://user@tools.example/c",
        "https://tools.example/" + "a" * 250,
    ],
)
def test_client_id_urls_that_are_refused(url: str) -> None:
    with pytest.raises(CIMDRefused):
        _url(url)


def test_loopback_http_is_a_client_id_only_when_allowed() -> None:
    parsed = _url("http://127.0.0.1:8123/c.json", loopback=True)
    assert parsed.loopback and parsed.port == 8123
    assert _url(URL).port == 443 and not _url(URL).loopback


@pytest.mark.parametrize(
    ("pattern", "url", "matched"),
    [
        ("https://tools.example/mcp/*", URL, True),
        ("https://tools.example/mcp/client.json", URL, True),
        ("https://tools.example/other/*", URL, False),
        ("https://*.tools.example/mcp/*", URL, False),  # subdomains only
        ("https://*.tools.example/mcp/*", "https://a.b.tools.example/mcp/c", True),
        ("https://*.tools.example/*", "https://eviltools.example/c", False),
        ("https://tools.example:8443/*", URL, False),
        ("https://tools.example:*/*", "https://tools.example:8443/c", True),
        ("https://tools.example/*", "https://tools.example.evil.example/c", False),
        ("https://127.0.0.1:*/mcp/*", "http://127.0.0.1:9000/mcp/c.json", True),
    ],
)
def test_patterns_match(pattern: str, url: str, matched: bool) -> None:
    assert cimd.matches(pattern, _url(url, loopback=True)) is matched


@pytest.mark.parametrize(
    "pattern",
    [
        "https://*/x",
        "https://*.com/x",
        "https://a*.example/x",
        "https://example/x",
        "https://tools.example:8x/x",
        "http://tools.example/x",
    ],  # fmt: skip
)
def test_patterns_that_would_admit_any_site_are_refused(pattern: str) -> None:
    with pytest.raises(errors.InvalidParameterException):
        cimd.check_patterns([pattern])


def test_the_cache_lasts_max_age_within_a_day_and_a_year_else_the_policys() -> None:
    assert cimd.cache_seconds("public, max-age=172800", None) == 172800
    assert cimd.cache_seconds("max-age=60", 3 * 86400) == 3 * 86400  # too short
    assert cimd.cache_seconds("max-age=999999999", None) == 86400  # too long
    assert cimd.cache_seconds(None, None) == cimd.DEFAULT_CACHE


def _doc(**changes: object) -> dict[str, object]:
    return {
        "client_id": URL,
        "redirect_uris": ["http://localhost:33418/callback"],
        "token_endpoint_auth_method": "none",
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "https://other.example/c"},
        {"token_endpoint_auth_method": "client_secret_basic"},
        {"token_endpoint_auth_method": None},
        {"client_secret": "s3cret"},
        {"redirect_uris": []},
        {"redirect_uris": ["http://evil.example/cb"]},
        {"redirect_uris": ["javascript:alert(1)"]},
        {"grant_types": "authorization_code"},
    ],
)
def test_documents_that_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(CIMDRefused):
        cimd.check_document(URL, _doc(**changes))


def test_the_client_a_document_makes_is_public_and_narrowed_to_what_both_allow() -> None:
    base = Client(
        id="abc",
        pool_id="us-east-1_X",
        name="app",
        secret="s",
        config={
            "AllowedOAuthFlows": ["code", "implicit"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "CallbackURLs": ["https://app.example/cb"],
            "DefaultRedirectURI": "https://app.example/cb",
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
        },
        created_at=0.0,
        modified_at=0.0,
    )
    made = cimd.as_client(
        URL, base, cimd.check_document(URL, _doc(scope="openid email phone", client_name="Tool"))
    )
    assert made.id == URL and made.secret is None and made.name == "Tool"
    assert made.config["AllowedOAuthFlows"] == ["code"]
    assert made.config["AllowedOAuthScopes"] == ["openid", "email"]
    assert made.config["CallbackURLs"] == ["http://localhost:33418/callback"]
    assert "DefaultRedirectURI" not in made.config
    # without refresh_token among its grant types it gets no refresh grant
    assert made.config["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH"]
    refreshing = cimd.as_client(
        URL, base, _doc(grant_types=["authorization_code", "refresh_token"])
    )
    assert refreshing.config["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    no_code = cimd.as_client(URL, base, _doc(grant_types=["client_credentials"]))
    assert no_code.config["AllowedOAuthFlows"] == []
