"""The pure parts of OIDC federation: AttributeMapping applied to an IdP's claims
(reference §12.3) and which upstream URLs may be called."""

from __future__ import annotations

import pytest

from recognito.signin.federation import MAX_VALUE, FederationError, mapped_attributes
from recognito.signin.upstream import allowed_url


def test_only_mapped_claims_the_idp_sent_are_kept() -> None:
    mapping = {"email": "email", "name": "name", "username": "sub", "locale": "locale"}
    claims = {"sub": "abc", "email": "a@example.com", "name": "Ada", "extra": "dropped"}
    assert mapped_attributes(mapping, claims) == {"email": "a@example.com", "name": "Ada"}


def test_claim_values_become_attribute_strings() -> None:
    mapping = {"email_verified": "email_verified", "custom:groups": "groups", "zoneinfo": "n"}
    claims = {"email_verified": True, "groups": ["a b", "c/d", "e.f-*_"], "n": 3}
    assert mapped_attributes(mapping, claims) == {
        "email_verified": "true",
        "custom:groups": "[a%20b,c%2Fd,e.f-*_]",
        "zoneinfo": "3",
    }


def test_a_value_over_2048_characters_fails_the_sign_in() -> None:
    with pytest.raises(FederationError):
        mapped_attributes({"name": "name"}, {"name": "x" * (MAX_VALUE + 1)})


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://idp.example/oauth2/token", True),
        ("http://127.0.0.1:9229/pool/.well-known/jwks.json", True),
        ("http://localhost:8080/token", True),
        ("http://[::1]:8080/token", True),
        ("http://idp.example/token", False),
        ("ftp://idp.example/token", False),
        ("https:///nohost", False),
    ],
)
def test_upstream_urls_are_https_except_on_loopback(url: str, allowed: bool) -> None:
    assert allowed_url(url) is allowed
