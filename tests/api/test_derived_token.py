"""GetDerivedToken and the token endpoint's token-exchange grant (RFC 8693): a user's token
becomes a token bound to one audience (a resource server of the pool), signed with the
pool's keys, narrowed in scope; refused for an audience not allowed and for a client
whose ExplicitAuthFlows lack the exchange it asks for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.api.support.hosted import HostedApp, Pkce, code_for, make_hosted_app
from tests.api.support.records import App, MakeClient, MakePool, MakeUser, User
from tests.api.support.tokens import fetch_jwks, unverified_claims, verify_jwt

ORDERS = "orders"
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_URN = "urn:ietf:params:oauth:token-type:access_token"
IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"


@dataclass(frozen=True)
class Setup:
    hosted: HostedApp  # signs the user in and exchanges (impersonation and delegation)
    user: User
    machine: App  # a client_credentials client: the actor

    @property
    def issuer(self) -> str:
        return f"{self.hosted.base_url}/{self.hosted.pool_id}"


@pytest.fixture
def setup(
    cognito: Any, base_url: str, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> Setup:
    pool_id = make_pool()
    for identifier in (ORDERS, "billing"):
        cognito.create_resource_server(
            UserPoolId=pool_id, Identifier=identifier, Name=identifier,
            Scopes=[{"ScopeName": "read", "ScopeDescription": "read"},
                    {"ScopeName": "write", "ScopeDescription": "write"}],
        )  # fmt: skip
    hosted = make_hosted_app(
        cognito, base_url, pool_id,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "aws.cognito.signin.user.admin",
                            "orders/read", "orders/write", "billing/read"],
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                           IMPERSONATION, DELEGATION],
    )  # fmt: skip
    machine = make_client(
        pool_id, secret=True, AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["orders/read"],
    )  # fmt: skip
    return Setup(hosted, make_user(pool_id, email="ana@example.com"), machine)


def _oauth_access_token(setup: Setup, scope: str) -> str:
    pkce = Pkce()
    code = code_for(setup.hosted, setup.user.username, scope=scope, **pkce.params())
    answer = setup.hosted.swap_code(code, pkce.verifier)
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def _refused(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def test_a_derived_token_verifies_with_the_pools_jwks_and_is_bound_to_its_audience(
    cognito: Any, setup: Setup
) -> None:
    subject = _oauth_access_token(
        setup, "openid aws.cognito.signin.user.admin orders/read orders/write billing/read"
    )
    derived = cognito.get_derived_token(
        ClientId=setup.hosted.client_id, SubjectToken=subject, SubjectTokenType="ACCESS_TOKEN",
        Audiences=[ORDERS], Scopes=["orders/read", "billing/read"],
    )  # fmt: skip
    assert derived["IssuedTokenType"] == "ACCESS_TOKEN" and derived["TokenType"] == "Bearer"
    assert derived["Scopes"] == ["orders/read"]  # billing's scope is not for this audience
    assert 0 < derived["ExpiresIn"] <= 3600
    jwks = fetch_jwks(setup.hosted.base_url, setup.hosted.pool_id)
    _, claims = verify_jwt(derived["IssuedToken"], jwks, setup.issuer)
    original = unverified_claims(subject)
    assert claims["aud"] == ORDERS and claims["token_use"] == "access"
    assert claims["scope"] == "orders/read"
    assert claims["sub"] == original["sub"] and claims["username"] == setup.user.username
    assert claims["client_id"] == setup.hosted.client_id and "act" not in claims
    assert claims["jti"] != original["jti"] and claims["exp"] <= original["exp"]

    # no Scopes: the subject's, less Cognito's own API scope and other audiences'
    plain = cognito.get_derived_token(
        ClientId=setup.hosted.client_id, SubjectToken=subject, SubjectTokenType="ACCESS_TOKEN",
        Resources=[ORDERS],
    )  # fmt: skip
    assert plain["Scopes"] == ["openid", "orders/read", "orders/write"]
    # the derived token is for the downstream service, not for Cognito's own API
    with pytest.raises(ClientError) as exc:
        cognito.get_user(AccessToken=plain["IssuedToken"])
    assert _refused(exc)[0] == "NotAuthorizedException"


def test_an_audience_that_is_not_a_resource_server_of_the_pool_is_refused(
    cognito: Any, setup: Setup
) -> None:
    subject = _oauth_access_token(setup, "openid orders/read")
    common = {
        "ClientId": setup.hosted.client_id,
        "SubjectToken": subject,
        "SubjectTokenType": "ACCESS_TOKEN",
    }
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(**common, Audiences=["https://evil.example"])
    assert _refused(exc) == (
        "InvalidParameterException",
        "Audience https://evil.example is not allowed: it is not the identifier of a "
        f"resource server of user pool {setup.hosted.pool_id}.",
    )
    with pytest.raises(ClientError) as exc:  # one audience, never both kinds
        cognito.get_derived_token(**common, Audiences=[ORDERS], Resources=[ORDERS])
    assert _refused(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(**common, Audiences=[ORDERS, "billing"])
    assert _refused(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:  # a forged token
        cognito.get_derived_token(**{**common, "SubjectToken": subject[:-4] + "AAAA"},
                                  Audiences=[ORDERS])  # fmt: skip
    assert _refused(exc) == ("NotAuthorizedException", "Invalid subject token.")


def test_the_clients_flows_gate_impersonation_and_delegation(
    cognito: Any, setup: Setup, make_client: MakeClient
) -> None:
    subject = _oauth_access_token(setup, "openid orders/read")
    pool_id = setup.hosted.pool_id
    plain = make_client(pool_id, ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"])
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(
            ClientId=plain.client_id, SubjectToken=subject, SubjectTokenType="ACCESS_TOKEN",
            Audiences=[ORDERS],
        )  # fmt: skip
    code, message = _refused(exc)
    assert code == "NotAuthorizedException" and IMPERSONATION in message

    actor = httpx.post(
        f"{setup.hosted.url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(setup.machine.client_id, setup.machine.secret or ""),
        timeout=10,
    ).json()["access_token"]
    impersonating = make_client(pool_id, ExplicitAuthFlows=[IMPERSONATION])
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(
            ClientId=impersonating.client_id, SubjectToken=subject,
            SubjectTokenType="ACCESS_TOKEN", ActorToken=actor, ActorTokenType="ACCESS_TOKEN",
            Audiences=[ORDERS],
        )  # fmt: skip
    code, message = _refused(exc)
    assert code == "NotAuthorizedException" and DELEGATION in message

    delegated = cognito.get_derived_token(
        ClientId=setup.hosted.client_id, SubjectToken=subject, SubjectTokenType="ACCESS_TOKEN",
        ActorToken=actor, ActorTokenType="ACCESS_TOKEN", Audiences=[ORDERS],
    )  # fmt: skip
    claims = unverified_claims(delegated["IssuedToken"])
    assert claims["act"] == {
        "sub": setup.machine.client_id, "client_id": setup.machine.client_id
    }  # fmt: skip

    # a client with a secret must prove it
    secretive = make_client(pool_id, secret=True, ExplicitAuthFlows=[IMPERSONATION])
    request = {
        "ClientId": secretive.client_id, "SubjectToken": subject,
        "SubjectTokenType": "ACCESS_TOKEN", "Audiences": [ORDERS],
    }  # fmt: skip
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(**request)
    assert _refused(exc)[0] == "NotAuthorizedException"
    assert cognito.get_derived_token(**request, ClientSecret=secretive.secret)["IssuedToken"]


def test_a_signed_out_users_token_is_not_exchanged(cognito: Any, setup: Setup) -> None:
    subject = _oauth_access_token(setup, "openid aws.cognito.signin.user.admin orders/read")
    cognito.global_sign_out(AccessToken=subject)
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(
            ClientId=setup.hosted.client_id, SubjectToken=subject,
            SubjectTokenType="ACCESS_TOKEN", Audiences=[ORDERS],
        )  # fmt: skip
    assert _refused(exc) == ("NotAuthorizedException", "The subject token has been revoked.")


def test_the_token_endpoint_serves_the_token_exchange_grant(setup: Setup) -> None:
    subject = _oauth_access_token(setup, "openid orders/read orders/write")
    token_url = f"{setup.hosted.url}/oauth2/token"
    form = {
        "grant_type": EXCHANGE,
        "client_id": setup.hosted.client_id,
        "subject_token": subject,
        "subject_token_type": ACCESS_URN,
        "audience": ORDERS,
        "scope": "orders/write",
    }
    answer = httpx.post(token_url, data=form, timeout=10)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["issued_token_type"] == ACCESS_URN and body["token_type"] == "Bearer"
    assert body["scope"] == "orders/write" and "refresh_token" not in body
    jwks = fetch_jwks(setup.hosted.base_url, setup.hosted.pool_id)
    _, claims = verify_jwt(body["access_token"], jwks, setup.issuer)
    assert claims["aud"] == ORDERS and claims["scope"] == "orders/write"

    refused = httpx.post(token_url, data={**form, "audience": "nowhere"}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_target"
    refused = httpx.post(token_url, data={**form, "subject_token": "x.y.z"}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_an_id_token_is_derived_from_an_id_token_only(cognito: Any, setup: Setup) -> None:
    pkce = Pkce()
    code = code_for(setup.hosted, setup.user.username, scope="openid email", **pkce.params())
    tokens = setup.hosted.swap_code(code, pkce.verifier).json()
    derived = cognito.get_derived_token(
        ClientId=setup.hosted.client_id, SubjectToken=tokens["id_token"],
        SubjectTokenType="ID_TOKEN", RequestedTokenType="ID_TOKEN", Audiences=[ORDERS],
    )  # fmt: skip
    assert derived["IssuedTokenType"] == "ID_TOKEN" and derived["TokenType"] == "N_A"
    jwks = fetch_jwks(setup.hosted.base_url, setup.hosted.pool_id)
    _, claims = verify_jwt(derived["IssuedToken"], jwks, setup.issuer)
    assert claims["token_use"] == "id" and claims["aud"] == ORDERS
    assert claims["email"] == "ana@example.com"
    assert claims["cognito:username"] == setup.user.username
    assert "at_hash" not in claims  # it named the subject's own access token
    with pytest.raises(ClientError) as exc:
        cognito.get_derived_token(
            ClientId=setup.hosted.client_id, SubjectToken=tokens["access_token"],
            SubjectTokenType="ACCESS_TOKEN", RequestedTokenType="ID_TOKEN", Audiences=[ORDERS],
        )  # fmt: skip
    assert _refused(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:  # a token of one kind named as the other
        cognito.get_derived_token(
            ClientId=setup.hosted.client_id, SubjectToken=tokens["id_token"],
            SubjectTokenType="ACCESS_TOKEN", Audiences=[ORDERS],
        )  # fmt: skip
    assert _refused(exc) == ("NotAuthorizedException", "Invalid subject token.")
