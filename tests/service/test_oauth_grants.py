"""The other grants and endpoints of the token plane on both stores: client_credentials
with resource-server scopes, userInfo, and revocation of an OAuth grant."""

from __future__ import annotations

from typing import Any

import pytest

from recognito.crypto import jwt
from recognito.domain.records import Client, Pool
from recognito.signin import oauth
from tests.service.conftest import Service

API = "https://api.example.com"


def _records(service: Service, pool_id: str, client_id: str) -> tuple[Pool, Client]:
    with service.services.store.read() as tx:
        pool = tx.pools.get(pool_id)
        client = tx.clients.get(client_id)
    assert pool is not None and client is not None
    return pool, client


@pytest.fixture
def machine(service: Service, pool: dict[str, Any]) -> tuple[Pool, Client]:
    service(
        "CreateResourceServer",
        UserPoolId=pool["pool_id"],
        Identifier=API,
        Name="api",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "r"},
            {"ScopeName": "write", "ScopeDescription": "w"},
        ],
    )
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool["pool_id"],
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read", f"{API}/write"],
    )["UserPoolClient"]
    return _records(service, pool["pool_id"], client["ClientId"])


def test_client_credentials_grants_active_custom_scopes(
    service: Service, machine: tuple[Pool, Client]
) -> None:
    pool, client = machine
    answer = oauth.client_credentials(service.services, pool, client, f"{API}/write", None)
    claims = jwt.unverified_claims(str(answer["access_token"]))
    assert claims["scope"] == f"{API}/write" and claims["sub"] == client.id
    assert claims["iat"] == int(service.clock.now()) and answer["expires_in"] == 3600
    service(
        "UpdateResourceServer",
        UserPoolId=pool.id,
        Identifier=API,
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}],
    )
    every = oauth.client_credentials(service.services, pool, client, None, None)
    assert jwt.unverified_claims(str(every["access_token"]))["scope"] == f"{API}/read"
    with pytest.raises(oauth.OAuthError) as refused:
        oauth.client_credentials(service.services, pool, client, f"{API}/write", None)
    assert refused.value.error == "invalid_scope"


def _signed_in(service: Service, pool: dict[str, Any]) -> tuple[Pool, Client, dict[str, Any]]:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ana",
        UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
        MessageAction="SUPPRESS",
    )
    found_pool, client = _records(service, pool["pool_id"], pool["client_id"])
    grant = oauth.CodeGrant(
        pool["pool_id"], pool["client_id"], "ana", "https://app/cb", ("openid",), None, None, 1
    )
    code = oauth.issue_code(service.services, grant)
    tokens = oauth.redeem_code(service.services, found_pool, client, code, "https://app/cb", None)
    return found_pool, client, tokens


def test_userinfo_and_revocation(service: Service, pool: dict[str, Any]) -> None:
    found_pool, client, tokens = _signed_in(service, pool)
    access = str(tokens["access_token"])
    info = oauth.user_info(service.services, found_pool.id, access)
    assert info["email"] == "ana@example.com" and info["username"] == "ana"
    # the pool's own tokens only
    with pytest.raises(oauth.OAuthError) as elsewhere:
        oauth.user_info(service.services, "us-east-1_other", access)
    assert elsewhere.value.status == 401
    oauth.revoke(service.services, client, str(tokens["refresh_token"]))
    with pytest.raises(oauth.OAuthError) as revoked:
        oauth.user_info(service.services, found_pool.id, access)
    assert (revoked.value.error, revoked.value.status) == ("invalid_token", 401)
    with pytest.raises(oauth.OAuthError) as refresh:
        oauth.refresh(service.services, found_pool, client, str(tokens["refresh_token"]))
    assert refresh.value.error == "invalid_grant"


def test_userinfo_refuses_expired_tokens(service: Service, pool: dict[str, Any]) -> None:
    found_pool, _, tokens = _signed_in(service, pool)
    service.clock.advance(3601)
    with pytest.raises(oauth.OAuthError) as expired:
        oauth.user_info(service.services, found_pool.id, str(tokens["access_token"]))
    assert expired.value.description == oauth.USERINFO_REFUSED
