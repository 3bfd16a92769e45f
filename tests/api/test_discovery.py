"""The discovery document (cognito-oauth.md §10.1) with and without a pool domain, its
opt-in PKCE extension and issuer base, and real requests reaching a domain's routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.api.support import (
    PASSWORD,
    App,
    StartServer,
    open_boto_client,
    sign_in,
    unique,
    unverified_claims,
)

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
COGNITO_KEYS = {
    "authorization_endpoint",
    "end_session_endpoint",
    "id_token_signing_alg_values_supported",
    "issuer",
    "jwks_uri",
    "response_types_supported",
    "revocation_endpoint",
    "scopes_supported",
    "subject_types_supported",
    "token_endpoint",
    "token_endpoint_auth_methods_supported",
    "userinfo_endpoint",
}


def discovery(base_url: str, pool_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{base_url}/{pool_id}/.well-known/openid-configuration", timeout=5)
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def test_pool_without_domain_lists_endpoints_under_the_issuer(base_url: str, pool_id: str) -> None:
    document = discovery(base_url, pool_id)
    issuer = f"{base_url}/{pool_id}"
    assert document == {
        "authorization_endpoint": f"{issuer}/authorize",
        "end_session_endpoint": f"{issuer}/logout",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": f"{issuer}/revoke",
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": f"{issuer}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": f"{issuer}/userInfo",
    }


def test_pool_domain_endpoints_are_advertised_and_reach_the_domain(
    cognito: Any, base_url: str, pool_id: str
) -> None:
    name = unique("auth")
    cognito.create_user_pool_domain(Domain=name, UserPoolId=pool_id)
    document = discovery(base_url, pool_id)
    assert set(document) == COGNITO_KEYS
    domain = f"{base_url}/_domain/{name}"
    assert document["authorization_endpoint"] == f"{domain}/oauth2/authorize"
    assert document["token_endpoint"] == f"{domain}/oauth2/token"
    assert document["userinfo_endpoint"] == f"{domain}/oauth2/userInfo"
    assert document["revocation_endpoint"] == f"{domain}/oauth2/revoke"
    assert document["end_session_endpoint"] == f"{domain}/logout"
    assert document["issuer"] == f"{base_url}/{pool_id}"
    # the domain is known to the router (its routes answer, none at /nothing-here), where
    # an unknown one is refused before any route
    assert httpx.get(f"{domain}/nothing-here").text != "No such domain."
    unknown = httpx.get(f"{base_url}/_domain/{unique('none')}/oauth2/authorize")
    assert (unknown.status_code, unknown.text) == (404, "No such domain.")
    port = base_url.rsplit(":", 1)[1]
    by_host = {"Host": f"{unique('none')}.auth.us-east-1.localhost:{port}"}
    unknown = httpx.get(f"{base_url}/oauth2/authorize", headers=by_host)
    assert (unknown.status_code, unknown.text) == (404, "No such domain.")


def test_custom_domain_is_advertised_when_a_pool_has_both(
    cognito: Any, base_url: str, pool_id: str
) -> None:
    prefix, custom = unique("auth"), f"{unique('login')}.example.com"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    cognito.create_user_pool_domain(
        Domain=custom, UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
    )
    document = discovery(base_url, pool_id)
    assert document["token_endpoint"] == f"{base_url}/_domain/{custom}/oauth2/token"


def test_alias_is_not_served_by_default(base_url: str, pool_id: str) -> None:
    answer = httpx.get(f"{base_url}/{pool_id}/.well-known/oauth-authorization-server")
    assert answer.status_code == 404


def test_host_form_pkce_and_cognito_issuer(private_server: StartServer, tmp_path: Path) -> None:
    server = private_server(
        tmp_path,
        extra_args=[
            "--discovery-domain-form",
            "host",
            "--discovery-pkce",
            "--issuer-base",
            "https://cognito-idp.{region}.amazonaws.com",
        ],
    )
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        port = server.base_url.rsplit(":", 1)[1]
        issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"

        document = discovery(server.base_url, pool_id)
        assert set(document) == COGNITO_KEYS | {"code_challenge_methods_supported"}
        assert document["code_challenge_methods_supported"] == ["S256"]
        assert document["issuer"] == issuer
        assert document["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
        assert document["token_endpoint"] == f"{issuer}/token"

        cognito.create_user_pool_domain(Domain="auth-demo", UserPoolId=pool_id)
        document = discovery(server.base_url, pool_id)
        host = f"http://auth-demo.auth.us-east-1.localhost:{port}"
        assert document["authorization_endpoint"] == f"{host}/oauth2/authorize"
        alias = httpx.get(f"{server.base_url}/{pool_id}/.well-known/oauth-authorization-server")
        assert alias.json() == document

        # a CIMD policy: MCP clients learn they may name themselves by metadata URL
        client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        cognito.create_cimd_policy(
            UserPoolId=pool_id, ClientId=client_id, PolicyName="mcp",
            URLPatterns=["https://tools.example/mcp/*"],
        )  # fmt: skip
        document = discovery(server.base_url, pool_id)
        assert document["client_id_metadata_document_supported"] is True

        cognito.create_user_pool_domain(
            Domain="login.example.com",
            UserPoolId=pool_id,
            CustomDomainConfig={"CertificateArn": CERTIFICATE},
        )
        document = discovery(server.base_url, pool_id)
        assert document["token_endpoint"] == f"http://login.example.com:{port}/oauth2/token"

        # the tokens carry the issuer discovery names
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        cognito.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True
        )
        tokens = sign_in(cognito, App(pool_id, client_id, None), "alice", PASSWORD)
        assert unverified_claims(tokens["IdToken"])["iss"] == issuer
        assert unverified_claims(tokens["AccessToken"])["iss"] == issuer
