"""Token lifetimes and claims (behaviour reference §4.2, §10)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from recognito.domain.records import User
from recognito.domain.tokens import (
    SCOPE,
    ClaimChanges,
    Customization,
    GroupOverride,
    Issuance,
    access_claims,
    challenge_user_attributes,
    id_claims,
    lifetime,
)
from recognito.shapes import StoredUserPoolClient, TimeUnitsType
from tests.records import a_user

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
CLIENT_ID = "6h89qn2bfglbmvfebq9aaknqk0"
SUB = "34c84488-e0e1-70ae-d2ee-991ad1a898c8"
NOW = 1_783_203_683
AUTH_TIME = NOW - 600
ISSUANCE = Issuance(
    issuer=ISSUER,
    client_id=CLIENT_ID,
    origin_jti="origin-1",
    event_id="event-1",
    auth_time=AUTH_TIME,
    now=NOW,
)


def make_user(attributes: dict[str, str]) -> User:
    return a_user(id=7, sub=SUB, attributes=attributes)


ATTRIBUTES = {
    "sub": SUB,
    "email": "alice@example.com",
    "email_verified": "true",
    "phone_number": "+14155550123",
    "phone_number_verified": "false",
    "name": "Alice",
    "custom:level": "3",
}


def ids(user: User, readable: set[str] | None = None) -> dict[str, Any]:
    return id_claims(user, ISSUANCE, jti="jti-1", ttl=3600, readable=readable)


def access(user: User) -> dict[str, Any]:
    return access_claims(user, ISSUANCE, jti="jti-2", ttl=1800)


# --- lifetime ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "seconds"), [("access", 3600), ("id", 3600), ("refresh", 30 * 86400)]
)
def test_lifetime_defaults(token: str, seconds: int) -> None:
    assert lifetime({}, token) == seconds


def test_lifetime_default_units_are_hours_for_access_and_id_and_days_for_refresh() -> None:
    config: StoredUserPoolClient = {
        "AccessTokenValidity": 2,
        "IdTokenValidity": 3,
        "RefreshTokenValidity": 4,
    }
    assert lifetime(config, "access") == 2 * 3600
    assert lifetime(config, "id") == 3 * 3600
    assert lifetime(config, "refresh") == 4 * 86400


def test_lifetime_empty_units_use_the_defaults() -> None:
    config: StoredUserPoolClient = {"AccessTokenValidity": 2, "TokenValidityUnits": {}}
    assert lifetime(config, "access") == 2 * 3600


@pytest.mark.parametrize(
    ("unit", "seconds"),
    [("seconds", 900), ("minutes", 900 * 60), ("hours", 900 * 3600), ("days", 900 * 86400)],
)
def test_lifetime_units(unit: TimeUnitsType, seconds: int) -> None:
    config: StoredUserPoolClient = {
        "AccessTokenValidity": 900,
        "IdTokenValidity": 900,
        "RefreshTokenValidity": 900,
        "TokenValidityUnits": {"AccessToken": unit, "IdToken": unit, "RefreshToken": unit},
    }
    assert lifetime(config, "access") == seconds
    assert lifetime(config, "id") == seconds
    assert lifetime(config, "refresh") == seconds


def test_lifetime_units_apply_per_token() -> None:
    config: StoredUserPoolClient = {
        "AccessTokenValidity": 5,
        "IdTokenValidity": 5,
        "TokenValidityUnits": {"AccessToken": "minutes"},
    }
    assert lifetime(config, "access") == 300
    assert lifetime(config, "id") == 5 * 3600


# --- id token claims -----------------------------------------------------------------------------


def test_id_claims_verified_flags_are_json_booleans() -> None:
    claims = ids(make_user(ATTRIBUTES))
    assert claims["email_verified"] is True
    assert claims["phone_number_verified"] is False
    encoded = json.dumps(claims)
    assert '"email_verified": true' in encoded
    assert '"phone_number_verified": false' in encoded


def test_id_claims_verified_flag_is_case_insensitive() -> None:
    claims = ids(make_user({**ATTRIBUTES, "email_verified": "True"}))
    assert claims["email_verified"] is True


def test_id_claims_other_attributes_stay_strings() -> None:
    claims = ids(make_user(ATTRIBUTES))
    assert claims["email"] == "alice@example.com"
    assert claims["phone_number"] == "+14155550123"
    assert claims["custom:level"] == "3"


def test_id_claims_identity_and_use() -> None:
    claims = ids(make_user(ATTRIBUTES))
    assert claims["sub"] == SUB
    assert claims["cognito:username"] == "alice"
    assert claims["aud"] == CLIENT_ID
    assert claims["token_use"] == "id"
    assert claims["iss"] == ISSUER
    assert claims["origin_jti"] == "origin-1"
    assert claims["jti"] == "jti-1"
    assert claims["event_id"] == "event-1"


def test_id_claims_times() -> None:
    claims = ids(make_user(ATTRIBUTES))
    assert claims["auth_time"] == AUTH_TIME
    assert claims["iat"] == NOW
    assert claims["exp"] == NOW + 3600


def test_id_claims_have_no_access_token_claims() -> None:
    claims = ids(make_user(ATTRIBUTES))
    assert "client_id" not in claims
    assert "scope" not in claims
    assert "username" not in claims


def test_id_claims_respect_read_attributes() -> None:
    claims = ids(make_user(ATTRIBUTES), readable={"sub", "email", "email_verified"})
    assert claims["email"] == "alice@example.com"
    assert claims["email_verified"] is True
    for hidden in ("phone_number", "phone_number_verified", "name", "custom:level"):
        assert hidden not in claims
    assert claims["sub"] == SUB
    assert claims["cognito:username"] == "alice"


def test_id_claims_sub_comes_from_the_user_even_if_unreadable() -> None:
    claims = ids(make_user(ATTRIBUTES), readable={"email"})
    assert claims["sub"] == SUB


def test_id_token_leaves_developer_only_attributes_out() -> None:
    user = a_user(attributes={"email": "a@example.com", "dev:custom:tier": "gold", "custom:x": "1"})
    issuance = Issuance("iss", "client", "origin", "event", 0, 0)
    for readable in (None, {"email", "dev:custom:tier", "custom:x"}):
        claims = id_claims(user, issuance, jti="j", ttl=60, readable=readable)
        assert "dev:custom:tier" not in claims
        assert claims["custom:x"] == "1"


# --- access token claims -------------------------------------------------------------------------


def test_access_claims_scope_and_client() -> None:
    claims = access(make_user(ATTRIBUTES))
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    assert SCOPE == "aws.cognito.signin.user.admin"
    assert claims["client_id"] == CLIENT_ID
    assert claims["token_use"] == "access"


def test_access_claims_have_no_aud() -> None:
    assert "aud" not in access(make_user(ATTRIBUTES))


def test_access_claims_identity_and_times() -> None:
    claims = access(make_user(ATTRIBUTES))
    assert claims["sub"] == SUB
    assert claims["username"] == "alice"
    assert claims["iss"] == ISSUER
    assert claims["origin_jti"] == "origin-1"
    assert claims["jti"] == "jti-2"
    assert claims["auth_time"] == AUTH_TIME
    assert claims["iat"] == NOW
    assert claims["exp"] == NOW + 1800


def test_access_claims_carry_no_user_attributes() -> None:
    claims = access(make_user(ATTRIBUTES))
    for name in ("email", "email_verified", "phone_number", "name", "custom:level"):
        assert name not in claims


# --- NEW_PASSWORD_REQUIRED userAttributes --------------------------------------------------------


def test_challenge_user_attributes_exclude_sub() -> None:
    decoded = json.loads(challenge_user_attributes(make_user(ATTRIBUTES)))
    assert "sub" not in decoded
    assert decoded["email_verified"] == "true"
    assert decoded["email"] == "alice@example.com"


def test_pre_token_customization_keeps_protected_claims_and_rewrites_groups() -> None:
    identity = {
        "sub": SUB,
        "iss": ISSUER,
        "token_use": "id",
        "email": "a@x",
        "cognito:groups": ["g"],
    }
    access = {"sub": SUB, "client_id": CLIENT_ID, "scope": SCOPE, "cognito:groups": ["g"]}
    custom = Customization(
        id_token=ClaimChanges({"sub": "x", "tier": "gold", "email": "b@x"}, ("email", "iss")),
        access_token=ClaimChanges({"client_id": "x", "scope": "x", "n": 1}, ("sub",)),
        scopes_to_add=("api/read",),
        scopes_to_suppress=(SCOPE,),
        groups=GroupOverride(("h",), ("arn:role",), "arn:role"),
    )

    custom.apply(identity, access)

    assert identity == {
        "sub": SUB,
        "iss": ISSUER,
        "token_use": "id",
        "tier": "gold",  # email: added and suppressed, so suppressed
        "cognito:groups": ["h"],
        "cognito:roles": ["arn:role"],
        "cognito:preferred_role": "arn:role",
    }
    assert access == {
        "sub": SUB,
        "client_id": CLIENT_ID,
        "scope": "api/read",
        "cognito:groups": ["h"],
        "n": 1,
    }


def test_an_empty_group_override_removes_the_groups_and_no_scope_left_no_claim() -> None:
    identity: dict[str, Any] = {"cognito:groups": ["g"], "cognito:roles": ["r"]}
    access: dict[str, Any] = {"cognito:groups": ["g"], "scope": SCOPE}

    Customization(scopes_to_suppress=(SCOPE,), groups=GroupOverride()).apply(identity, access)

    assert identity == {} and access == {}
