"""Scope resolution (reference §3.2–3.3) and at_hash (§11.1)."""

from __future__ import annotations

import pytest

from recognito.domain import oauth_scopes, tokens
from recognito.domain.oauth_scopes import ScopeError, resolve_scopes, shown_attributes

ALLOWED = ["openid", "email", "api/read", "api/write"]


def test_no_scope_requested_grants_all_the_clients_scopes() -> None:
    assert resolve_scopes(None, ALLOWED, {"api/read", "api/write"}) == tuple(ALLOWED)
    assert resolve_scopes("", ALLOWED, {"api/read", "api/write"}) == tuple(ALLOWED)


def test_requested_scopes_are_granted_once_each_in_request_order() -> None:
    assert resolve_scopes("api/read openid api/read", ALLOWED, {"api/read"}) == (
        "api/read",
        "openid",
    )


def test_a_scope_the_client_may_not_have_refuses_the_request() -> None:
    with pytest.raises(ScopeError):
        resolve_scopes("openid phone", ALLOWED, {"api/read"})


def test_inactive_custom_scopes_are_dropped_in_silence() -> None:
    assert resolve_scopes(None, ALLOWED, {"api/write"}) == ("openid", "email", "api/write")
    assert resolve_scopes("api/read", ALLOWED, set()) == ()


def test_shown_attributes_follow_the_oidc_scopes() -> None:
    assert shown_attributes(["openid"]) is None
    assert shown_attributes(["openid", "profile", "email"]) is None
    assert shown_attributes(["openid", "email"]) == frozenset({"email", "email_verified"})
    assert shown_attributes(["openid", "email", "phone"]) == frozenset(
        {
            "email",
            "email_verified",
            "phone_number",
            "phone_number_verified",
        }
    )


def test_custom_scopes_are_those_outside_the_standard_ones() -> None:
    assert oauth_scopes.is_custom("https://api.example.com/read")
    assert not oauth_scopes.is_custom("aws.cognito.signin.user.admin")


def test_at_hash_is_the_left_half_of_sha256_base64url() -> None:
    # OpenID Connect Core's example (A.3): this access token's at_hash
    access = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
    assert tokens.at_hash(access) == "77QmUPtjPfzWtF2AnpK9RQ"
