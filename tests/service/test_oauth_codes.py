"""Authorization codes (reference §6.2): digest-only storage, binding to client and
redirect URI, 5 minutes, single use under concurrency, PKCE; and the tokens they buy."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from recognito.crypto import jwt
from recognito.domain.records import Client, Pool
from recognito.signin import oauth
from recognito.store.tables import authorization_codes
from tests.service.conftest import Service

REDIRECT = "https://app.example.com/callback"
VERIFIER = "v" * 64


@pytest.fixture
def parties(service: Service, pool: dict[str, Any]) -> dict[str, Any]:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ana",
        UserAttributes=[
            {"Name": "email", "Value": "ana@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": "+15550100"},
            {"Name": "name", "Value": "Ana"},
        ],
        MessageAction="SUPPRESS",
    )
    return pool


def _grant(pool: dict[str, Any], **changes: Any) -> oauth.CodeGrant:
    fields: dict[str, Any] = {
        "pool_id": pool["pool_id"],
        "client_id": pool["client_id"],
        "username": "ana",
        "redirect_uri": REDIRECT,
        "scopes": ("openid", "email"),
        "nonce": "n-0S6_WzA2Mj",
        "code_challenge": oauth.s256(VERIFIER),
        "auth_time": 1_700_000_000,
        **changes,
    }
    return oauth.CodeGrant(**fields)


def _records(service: Service, pool: dict[str, Any]) -> tuple[Pool, Client]:
    with service.services.store.read() as tx:
        found_pool = tx.pools.get(pool["pool_id"])
        client = tx.clients.get(pool["client_id"])
    assert found_pool is not None and client is not None
    return found_pool, client


def _redeem(
    service: Service,
    pool: dict[str, Any],
    code: str,
    redirect_uri: str | None = REDIRECT,
    verifier: str | None = VERIFIER,
) -> dict[str, Any]:
    found_pool, client = _records(service, pool)
    return oauth.redeem_code(service.services, found_pool, client, code, redirect_uri, verifier)


def _refused(call: Any) -> tuple[str, str | None]:
    with pytest.raises(oauth.OAuthError) as caught:
        call()
    return caught.value.error, caught.value.description


def test_a_code_is_stored_only_as_its_keyed_digest(
    service: Service, parties: dict[str, Any]
) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    assert code == code.lower() and len(code) == 36
    with service.services.store.read() as tx:
        stored = [row.digest for row in tx.conn.execute(select(authorization_codes))]
    assert stored and code not in stored and all(len(d) == 64 for d in stored)


def test_a_code_buys_tokens_carrying_its_scopes_nonce_and_auth_time(
    service: Service, parties: dict[str, Any]
) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    answer = _redeem(service, parties, code)
    assert set(answer) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    access = jwt.unverified_claims(answer["access_token"])
    identity = jwt.unverified_claims(answer["id_token"])
    assert access["scope"] == "openid email" and access["version"] == 2
    assert access["auth_time"] == identity["auth_time"] == 1_700_000_000
    assert identity["nonce"] == "n-0S6_WzA2Mj"
    # `email` limits the attributes to email and email_verified
    assert identity["email"] == "ana@example.com" and identity["email_verified"] is True
    assert "phone_number" not in identity and "name" not in identity


def test_a_code_is_single_use(service: Service, parties: dict[str, Any]) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    _redeem(service, parties, code)
    assert _refused(lambda: _redeem(service, parties, code)) == ("invalid_grant", None)


def test_a_code_expires_after_five_minutes(service: Service, parties: dict[str, Any]) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    service.clock.advance(301)
    assert _refused(lambda: _redeem(service, parties, code)) == ("invalid_grant", None)


def test_a_code_is_bound_to_its_redirect_uri_and_client(
    service: Service, parties: dict[str, Any]
) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    wrong = REDIRECT + "/"
    assert _refused(lambda: _redeem(service, parties, code, wrong)) == (
        "unauthorized_client",
        "invalid_redirect",
    )
    other = service("CreateUserPoolClient", UserPoolId=parties["pool_id"], ClientName="other")
    foreign = {**parties, "client_id": other["UserPoolClient"]["ClientId"]}
    assert _refused(lambda: _redeem(service, foreign, code)) == ("invalid_grant", None)
    # neither refusal spent it
    assert "access_token" in _redeem(service, parties, code)


def test_pkce_needs_the_right_verifier(service: Service, parties: dict[str, Any]) -> None:
    code = oauth.issue_code(service.services, _grant(parties))
    assert _refused(lambda: _redeem(service, parties, code, verifier=None))[0] == "invalid_grant"
    assert _refused(lambda: _redeem(service, parties, code, verifier="w" * 64))[0] == (
        "invalid_grant"
    )
    plain = oauth.issue_code(service.services, _grant(parties, code_challenge=None))
    # a verifier for a code issued without a challenge is ignored
    assert "access_token" in _redeem(service, parties, plain, verifier="anything-at-all")


def test_concurrent_redemptions_of_one_code_have_one_winner(
    service: Service, parties: dict[str, Any]
) -> None:
    code = oauth.issue_code(service.services, _grant(parties))

    def one(_: int) -> str:
        try:
            _redeem(service, parties, code)
        except oauth.OAuthError as refused:
            return refused.error
        return "ok"

    with ThreadPoolExecutor(20) as racers:
        outcomes = Counter(racers.map(one, range(20)))
    assert outcomes == Counter({"ok": 1, "invalid_grant": 19})


def test_implicit_tokens_have_no_refresh_token_and_an_id_token_only_with_openid(
    service: Service, parties: dict[str, Any]
) -> None:
    answer = oauth.implicit_tokens(service.services, _grant(parties))
    assert set(answer) == {"id_token", "access_token", "expires_in", "token_type"}
    identity = jwt.unverified_claims(str(answer["id_token"]))
    assert identity["nonce"] == "n-0S6_WzA2Mj" and "at_hash" in identity
    bare = oauth.implicit_tokens(
        service.services, _grant(parties, scopes=("aws.cognito.signin.user.admin",))
    )
    assert set(bare) == {"access_token", "expires_in", "token_type"}
    # the token works on the JSON API: its scopes include the admin scope
    user = service("GetUser", AccessToken=bare["access_token"])
    assert user["Username"] == "ana"


def test_an_oauth_refresh_token_works_with_refresh_token_auth_and_keeps_scopes(
    service: Service, parties: dict[str, Any]
) -> None:
    code = oauth.issue_code(service.services, _grant(parties, resource="https://api.example.com"))
    answer = _redeem(service, parties, code)
    refreshed = service(
        "InitiateAuth",
        ClientId=parties["client_id"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": answer["refresh_token"]},
    )["AuthenticationResult"]
    access = jwt.unverified_claims(refreshed["AccessToken"])
    assert access["scope"] == "openid email" and access["aud"] == "https://api.example.com"
    assert access["auth_time"] == 1_700_000_000
    identity = jwt.unverified_claims(refreshed["IdToken"])
    assert "nonce" not in identity and "at_hash" in identity
