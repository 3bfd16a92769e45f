"""PreTokenGeneration on the token endpoint (reference §6.2, §6.4; triggers §7.5):
TokenGeneration_HostedAuth when a code is redeemed, with the granted scopes; and
TokenGeneration_ClientCredentials for machine tokens, only with a V3_0 configuration,
with `userName` ClientCredentials and `aws_client_metadata` as its clientMetadata."""

# ruff: noqa: F811  (test_triggers' fixtures, imported, are the tests' parameters)

from __future__ import annotations

import json
from typing import Any

import httpx

from .support import ServerProcess, unique
from .support.hosted import HostedApp, code_for
from .support.lambdas import arn
from .support.tokens import fetch_jwks, verify_jwt
from .support.trigger_shapes import check_event
from .test_oauth_token import API, REDIRECT
from .test_triggers import (  # noqa: F401  (its fixtures: the same server setup)
    hooks,
    idp,
    lambda_api,
    trigger_server,
    user_in,
)
from .trigger_functions import events_of

V2 = {"LambdaVersion": "V2_0", "LambdaArn": arn("py-pretoken-v2")}
V3 = {"LambdaVersion": "V3_0", "LambdaArn": arn("py-pretoken-v2")}


def _pool_with_domain(idp: Any, config: dict[str, str]) -> tuple[str, str]:
    pool_id = idp.create_user_pool(
        PoolName=unique("oauth-pretoken"), LambdaConfig={"PreTokenGenerationConfig": config}
    )["UserPool"]["Id"]
    prefix = unique("auth")
    idp.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    return pool_id, prefix


def _access(server: ServerProcess, pool_id: str, token: str) -> dict[str, Any]:
    issuer = f"{server.base_url}/{pool_id}"
    return verify_jwt(token, fetch_jwks(server.base_url, pool_id), issuer)[1]


def test_code_redemption_runs_hosted_auth_with_the_granted_scopes(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, prefix = _pool_with_domain(idp, V2)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[REDIRECT],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]
    username = user_in(idp, pool_id)
    hosted = HostedApp(trigger_server.base_url, pool_id, client_id, None, prefix, REDIRECT)
    code = code_for(hosted, username, scope="openid email")
    response = httpx.post(
        f"{trigger_server.base_url}/_domain/{prefix}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": REDIRECT,
        },
        timeout=10.0,
    )
    assert response.status_code == 200, response.text
    access = _access(trigger_server, pool_id, response.json()["access_token"])
    assert access["tenant"] == "t-1"
    assert access["scope"] == "openid email api/read api/write"  # the function's scopes
    [event] = events_of(pool_id)
    check_event(event, "TokenGeneration_HostedAuth", pool_id, version="2")
    assert event["request"]["scopes"] == ["openid", "email"]
    assert event["userName"] == username


def _machine(idp: Any, pool_id: str) -> tuple[str, str]:
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=API,
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    return client["ClientId"], client["ClientSecret"]


def test_client_credentials_runs_the_v3_function_with_client_metadata(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, prefix = _pool_with_domain(idp, V3)
    client_id, secret = _machine(idp, pool_id)
    response = httpx.post(
        f"{trigger_server.base_url}/_domain/{prefix}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "aws_client_metadata": json.dumps({"tenant": "acme"}),
        },
        auth=(client_id, secret),
        timeout=10.0,
    )
    assert response.status_code == 200, response.text
    access = _access(trigger_server, pool_id, response.json()["access_token"])
    assert access["tenant"] == "t-1" and access["sub"] == client_id
    [event] = events_of(pool_id)
    check_event(event, "TokenGeneration_ClientCredentials", pool_id, version="3")
    assert event["userName"] == "ClientCredentials"
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["scopes"] == [f"{API}/read"]
    assert event["request"]["userAttributes"] == {}
    assert event["request"]["clientMetadata"] == {"tenant": "acme"}


def test_a_v2_function_does_not_see_machine_tokens(idp: Any, trigger_server: ServerProcess) -> None:
    pool_id, prefix = _pool_with_domain(idp, V2)
    client_id, secret = _machine(idp, pool_id)
    response = httpx.post(
        f"{trigger_server.base_url}/_domain/{prefix}/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10.0,
    )
    assert response.status_code == 200, response.text
    assert "tenant" not in _access(trigger_server, pool_id, response.json()["access_token"])
    assert events_of(pool_id) == []
