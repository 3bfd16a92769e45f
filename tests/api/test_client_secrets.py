"""Client secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets and
DeleteUserPoolClientSecret; SECRET_HASH and /oauth2/token take either of two secrets,
so a secret is rotated out without downtime."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.api.support import (
    PASSWORD,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    password_auth,
)
from tests.api.support.names import unique
from tests.api.support.server import ServerProcess

TOO_MANY = "The client already has the maximum of 2 client secrets."
LAST_ONE = "The last remaining client secret cannot be deleted."


def _signs_in(cognito: Any, app: App, username: str) -> bool:
    try:
        return "AuthenticationResult" in password_auth(cognito, app, username, PASSWORD)
    except cognito.exceptions.NotAuthorizedException:
        return False


def test_a_secret_is_rotated_without_downtime(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    old = make_client(make_pool(), secret=True)
    user = make_user(old.pool_id)
    ids = {"UserPoolId": old.pool_id, "ClientId": old.client_id}
    (original,) = cognito.list_user_pool_client_secrets(**ids)["ClientSecrets"]
    assert re.fullmatch(rf"{old.client_id}--\d+", original["ClientSecretId"])
    assert "ClientSecretValue" not in original

    added = cognito.add_user_pool_client_secret(**ids)["ClientSecretDescriptor"]
    new = App(old.pool_id, old.client_id, added["ClientSecretValue"])
    assert new.secret != old.secret
    listed = cognito.list_user_pool_client_secrets(**ids)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed] == [
        original["ClientSecretId"],
        added["ClientSecretId"],
    ]
    assert all("ClientSecretValue" not in s for s in listed)
    assert _signs_in(cognito, old, user.username) and _signs_in(cognito, new, user.username)

    cognito.delete_user_pool_client_secret(**ids, ClientSecretId=original["ClientSecretId"])
    assert not _signs_in(cognito, old, user.username)
    assert _signs_in(cognito, new, user.username)
    described = cognito.describe_user_pool_client(**ids)["UserPoolClient"]
    assert described["ClientSecret"] == new.secret


def test_at_most_two_secrets_and_never_none(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool(), secret=True)
    ids = {"UserPoolId": app.pool_id, "ClientId": app.client_id}
    chosen = "a" * 20 + unique("s").replace("-", "")
    added = cognito.add_user_pool_client_secret(**ids, ClientSecret=chosen)
    assert added["ClientSecretDescriptor"]["ClientSecretValue"] == chosen
    with cognito_error("LimitExceededException", TOO_MANY):
        cognito.add_user_pool_client_secret(**ids)
    for secret in cognito.list_user_pool_client_secrets(**ids)["ClientSecrets"][:1]:
        cognito.delete_user_pool_client_secret(**ids, ClientSecretId=secret["ClientSecretId"])
    (last,) = cognito.list_user_pool_client_secrets(**ids)["ClientSecrets"]
    with cognito_error("InvalidParameterException", LAST_ONE):
        cognito.delete_user_pool_client_secret(**ids, ClientSecretId=last["ClientSecretId"])
    gone = f"{app.client_id}--1"
    with cognito_error("ResourceNotFoundException", f"Client secret {gone} does not exist."):
        cognito.delete_user_pool_client_secret(**ids, ClientSecretId=gone)


def test_a_public_client_gets_no_secret(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool())
    ids = {"UserPoolId": app.pool_id, "ClientId": app.client_id}
    with cognito_error(
        "InvalidParameterException",
        "Client secrets can only be added to a client that has a secret.",
    ):
        cognito.add_user_pool_client_secret(**ids)
    assert cognito.list_user_pool_client_secrets(**ids)["ClientSecrets"] == []


def test_unknown_clients_and_pools(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    with cognito_error("ResourceNotFoundException", "User pool client nope does not exist."):
        cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId="nope")
    with cognito_error("ResourceNotFoundException"):
        cognito.list_user_pool_client_secrets(UserPoolId="us-east-1_nothere", ClientId="nope")


def test_the_token_endpoint_takes_either_secret(
    server: ServerProcess, cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    prefix = unique("auth")
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    api = unique("api")
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier=api,
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )
    app = make_client(
        pool_id,
        secret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{api}/read"],
    )
    ids = {"UserPoolId": pool_id, "ClientId": app.client_id}
    second = cognito.add_user_pool_client_secret(**ids)["ClientSecretDescriptor"]

    def token(secret: str | None) -> int:
        answer = httpx.post(
            f"{server.base_url}/_domain/{prefix}/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(app.client_id, secret or ""),
            timeout=10,
        )
        return answer.status_code

    assert token(app.secret) == 200
    assert token(second["ClientSecretValue"]) == 200
    cognito.delete_user_pool_client_secret(**ids, ClientSecretId=second["ClientSecretId"])
    assert token(second["ClientSecretValue"]) != 200
    assert token(app.secret) == 200
