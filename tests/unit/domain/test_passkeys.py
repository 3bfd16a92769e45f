"""The passkey rules that need no I/O: which origins may speak for a relying party, which
RP ID a pool has, when passkeys are enabled."""

from __future__ import annotations

import pytest

from recognito.domain.passkeys import enabled, origin_allowed, relying_party_id
from recognito.domain.records import UserPoolDomain
from recognito.shapes import StoredUserPool

PASSKEYS: StoredUserPool = {
    "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
}


@pytest.mark.parametrize(
    ("origin", "rp_id"),
    [
        ("https://example.com", "example.com"),
        ("https://app.example.com:8443", "example.com"),
        ("https://EXAMPLE.com", "example.com"),
        ("http://localhost:5173", "localhost"),
        ("http://demo.auth.us-east-1.localhost:9229", "demo.auth.us-east-1.localhost"),
    ],
)
def test_https_on_the_rp_id_or_below_and_http_on_localhost_are_allowed(
    origin: str, rp_id: str
) -> None:
    assert origin_allowed(origin, rp_id)


@pytest.mark.parametrize(
    ("origin", "rp_id"),
    [
        ("http://example.com", "example.com"),  # http off localhost
        ("https://ample.com", "example.com"),  # a suffix, not a subdomain
        ("https://example.com.evil.test", "example.com"),
        ("https://example.com/path", "example.com"),  # not an origin
        ("https://user@example.com", "example.com"),
        ("https://example.com:notaport", "example.com"),
        ("ftp://example.com", "example.com"),
        ("https://localhost.evil.test", "localhost"),
        ("", "localhost"),
        ("null", "localhost"),
    ],
)
def test_other_origins_are_not(origin: str, rp_id: str) -> None:
    assert not origin_allowed(origin, rp_id)


def _domain(name: str, custom: bool) -> UserPoolDomain:
    return UserPoolDomain(name, "us-east-1_abc", custom, None, None, "d.cloudfront.net", "", 0.0)


def test_the_rp_id_is_the_configured_one_else_the_custom_domain_else_the_prefix() -> None:
    prefix, custom = _domain("demo", False), _domain("auth.example.com", True)
    configured: StoredUserPool = {"WebAuthnConfiguration": {"RelyingPartyId": "example.com"}}

    assert relying_party_id(configured, [prefix, custom]) == "example.com"
    assert relying_party_id({}, [prefix, custom]) == "auth.example.com"
    assert relying_party_id({}, [prefix]) == "demo.auth.us-east-1.amazoncognito.com"
    assert relying_party_id({}, []) is None


def test_passkeys_need_web_authn_among_the_first_factors_and_a_tier_above_lite() -> None:
    assert enabled(PASSKEYS)
    assert not enabled({})
    assert not enabled({**PASSKEYS, "UserPoolTier": "LITE"})
