"""Two Recognito nodes on one PostgreSQL database behave as one service: what one node
issues, the other accepts, and what one revokes, the other refuses at once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.support import (
    PASSWORD,
    App,
    StartServer,
    awaiting_reset,
    cognito_error,
    fetch_jwks,
    free_port,
    open_boto_client,
    verify_jwt,
)
from tests.api.wire import race
from tests.postgres import server_args, throwaway_database


@pytest.fixture
def two_nodes(private_server: StartServer, tmp_path: Path) -> Iterator[tuple[Any, Any, str]]:
    """boto3 clients of two nodes behind one public URL, and that URL."""
    with throwaway_database(f"recognito_nodes_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        public = f"http://127.0.0.1:{free_port()}"  # the load balancer's address
        # the nodes share the database, so its key too
        shared = [*server_args(url, tmp_path), "--public-url", public]
        a = private_server(tmp_path / "a", extra_args=shared)
        b = private_server(tmp_path / "b", extra_args=shared)
        with open_boto_client(a.base_url) as node_a, open_boto_client(b.base_url) as node_b:
            yield node_a, node_b, public
            for process in (a, b):
                process.stop()


def test_what_one_node_issues_the_other_honours_and_revokes(
    two_nodes: tuple[Any, Any, str],
) -> None:
    node_a, node_b, public = two_nodes
    pool_id = node_a.create_user_pool(PoolName="shared")["UserPool"]["Id"]
    client_id = node_b.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    app = App(pool_id, client_id)
    node_a.admin_create_user(UserPoolId=pool_id, Username="nina", MessageAction="SUPPRESS")
    node_b.admin_set_user_password(
        UserPoolId=pool_id, Username="nina", Password=PASSWORD, Permanent=True
    )
    tokens = node_a.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "nina", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    _, claims = verify_jwt(tokens["IdToken"], _jwks(node_b, pool_id), f"{public}/{pool_id}")
    assert claims["cognito:username"] == "nina"
    assert node_b.get_user(AccessToken=tokens["AccessToken"])["Username"] == "nina"
    node_b.global_sign_out(AccessToken=tokens["AccessToken"])
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        node_a.get_user(AccessToken=tokens["AccessToken"])
    with cognito_error("NotAuthorizedException", "Refresh Token has been revoked"):
        node_a.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def _jwks(node: Any, pool_id: str) -> dict[str, Any]:
    return fetch_jwks(node.meta.endpoint_url, pool_id)


def test_wrong_codes_racing_across_both_nodes_are_judged_five_times(
    two_nodes: tuple[Any, Any, str],
) -> None:
    """100 wrong reset codes at once, half to each node: the count lives in the shared
    database, locked while judged, so exactly 5 are judged."""
    node_a, node_b, _ = two_nodes
    pool_id = node_a.create_user_pool(PoolName="shared")["UserPool"]["Id"]
    client_id = node_a.create_user_pool_client(UserPoolId=pool_id, ClientName="app")[
        "UserPoolClient"
    ]["ClientId"]
    awaiting_reset(node_a, pool_id, "nina", PASSWORD)
    request = {
        "ClientId": client_id,
        "Username": "nina",
        "ConfirmationCode": "1234567",  # seven digits: never the six-digit code sent
        "Password": "N3w-Passw0rd!",
    }
    urls = [node.meta.endpoint_url for node in (node_a, node_b)]

    outcomes = race(urls, "ConfirmForgotPassword", request)

    assert outcomes == {"CodeMismatchException": 5, "LimitExceededException": 95}
