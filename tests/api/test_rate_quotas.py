"""Request-rate quotas over the wire: a server with --quotas FILE driven past each
category's limit answers TooManyRequestsException (HTTP 400, "Rate exceeded"); public
calls are limited per address; the developer default is not throttled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from recognito.domain.rate_quotas import Category
from tests.api.support.server import run_recognito
from tests.postgres import server_args, throwaway_database

from .support import PASSWORD, USER_PASSWORD_FLOWS, ServerProcess, StartServer
from .support.clients import REGION
from .support.server import REPO_ROOT, server_env, start_server
from .wire import JSON_TYPE, TARGET_PREFIX, race

RATE = 3  # requests per second of every category on the throttled server
THROTTLED = ("TooManyRequestsException", "Rate exceeded")
T = TypeVar("T")


def _client(server: ServerProcess) -> Any:
    """boto3 without retries: botocore retries TooManyRequestsException by itself."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=server.base_url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def _throttled(error: ClientError) -> bool:
    found = error.response["Error"]
    if found["Code"] != THROTTLED[0]:
        return False
    assert found["Message"] == THROTTLED[1], found
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return True


def patiently(call: Callable[[], T]) -> T:
    """The set-up calls share the allowances they are not testing: wait a second when
    throttled."""
    for _ in range(10):
        try:
            return call()
        except ClientError as error:
            if not _throttled(error):
                raise
        time.sleep(1.0)
    raise AssertionError("still throttled after 10 s")


@dataclass(frozen=True)
class World:
    client: Any
    pool_id: str
    client_id: str
    username: str
    access_token: str
    refresh_token: str


@pytest.fixture(scope="module")
def throttled_server(
    tmp_path_factory: pytest.TempPathFactory, log_dir: Path
) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("quotas")
    quotas = folder / "quotas.toml"
    rates = "".join(f"{category.value} = {RATE}\n" for category in Category)
    quotas.write_text(rates + 'per_ip = "unlimited"\n')
    process = start_server(
        folder / "data",
        log_dir,
        extra_args=["--quotas", str(quotas), "--password-hashing", "fast"],
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def world(throttled_server: ServerProcess) -> Iterator[World]:
    cognito = _client(throttled_server)
    pool_id = patiently(lambda: cognito.create_user_pool(PoolName="quotas"))["UserPool"]["Id"]
    client_id = patiently(
        lambda: cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=USER_PASSWORD_FLOWS
        )
    )["UserPoolClient"]["ClientId"]
    username = "quota-user"
    patiently(
        lambda: cognito.admin_create_user(
            UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS"
        )
    )
    patiently(
        lambda: cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
        )
    )
    patiently(lambda: cognito.create_group(UserPoolId=pool_id, GroupName="g"))
    tokens = patiently(
        lambda: cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
    )["AuthenticationResult"]
    yield World(
        cognito, pool_id, client_id, username, tokens["AccessToken"], tokens["RefreshToken"]
    )
    cognito.close()


def _one_call(category: Category, w: World) -> Callable[[], object]:
    """A call of `category`; failing ones count as well, once their input is valid."""
    c, pool, user = w.client, w.pool_id, w.username
    calls: dict[Category, Callable[[], object]] = {
        Category.USER_AUTHENTICATION: lambda: c.initiate_auth(
            ClientId=w.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": w.refresh_token},
        ),
        Category.USER_CREATION: lambda: c.sign_up(
            ClientId=w.client_id, Username=uuid.uuid4().hex, Password=PASSWORD
        ),
        Category.USER_ACCOUNT_RECOVERY: lambda: c.admin_set_user_password(
            UserPoolId=pool, Username=user, Password=PASSWORD, Permanent=True
        ),
        Category.USER_READ: lambda: c.get_user(AccessToken=w.access_token),
        Category.USER_UPDATE: lambda: c.admin_update_user_attributes(
            UserPoolId=pool, Username=user, UserAttributes=[{"Name": "name", "Value": "Q"}]
        ),
        Category.USER_TOKEN: lambda: c.revoke_token(Token="not-a-token", ClientId=w.client_id),
        Category.USER_RESOURCE_READ: lambda: c.admin_list_groups_for_user(
            UserPoolId=pool, Username=user
        ),
        Category.USER_RESOURCE_UPDATE: lambda: c.admin_set_user_settings(
            UserPoolId=pool, Username=user, MFAOptions=[]
        ),
        Category.USER_LIST: lambda: c.list_users(UserPoolId=pool),
        Category.USER_POOL_READ: lambda: c.describe_user_pool(UserPoolId=pool),
        Category.USER_POOL_UPDATE: lambda: c.update_user_pool(UserPoolId=pool),
        Category.USER_POOL_RESOURCE_READ: lambda: c.list_groups(UserPoolId=pool),
        Category.USER_POOL_RESOURCE_UPDATE: lambda: c.update_group(
            UserPoolId=pool, GroupName="g", Description="d"
        ),
        Category.USER_POOL_CLIENT_READ: lambda: c.describe_user_pool_client(
            UserPoolId=pool, ClientId=w.client_id
        ),
        Category.USER_POOL_CLIENT_UPDATE: lambda: c.update_user_pool_client(
            UserPoolId=pool, ClientId=w.client_id, ExplicitAuthFlows=USER_PASSWORD_FLOWS
        ),
    }
    return calls[category]


# the categories no cognito-idp API operation of this model falls in
WITHOUT_API_CALLS = {
    Category.USER_FEDERATION,
    Category.CLIENT_AUTHENTICATION,
    Category.LIMIT_MANAGEMENT,
}


def drive(call: Callable[[], object], most: int = 40) -> tuple[int, int, int]:
    """Call until throttled (or `most` times): (admitted, throttled, windows spanned)."""
    admitted = throttled = 0
    started = time.time()
    for _ in range(most):
        try:
            call()
        except ClientError as error:
            if _throttled(error):
                throttled += 1
                break
        admitted += 1
    windows = int(time.time()) - int(started) + 1
    return admitted, throttled, windows


@pytest.mark.parametrize("category", [c for c in Category if c not in WITHOUT_API_CALLS], ids=str)
def test_each_category_past_its_limit_is_throttled(world: World, category: Category) -> None:
    admitted, throttled, windows = drive(_one_call(category, world))

    assert throttled == 1
    assert admitted <= RATE * windows  # set-up calls of the same second leave fewer


def test_another_pool_has_an_allowance_of_its_own(world: World) -> None:
    cognito = world.client
    admitted, throttled, _ = drive(lambda: cognito.list_groups(UserPoolId=world.pool_id))
    assert throttled == 1
    other = patiently(lambda: cognito.create_user_pool(PoolName="other"))["UserPool"]["Id"]
    cognito.list_groups(UserPoolId=other)  # not throttled: its pool's own allowance


def test_a_throttled_server_says_so_at_start(throttled_server: ServerProcess) -> None:
    assert "quotas: " in throttled_server.stdout()
    assert "quotas.toml, per pool and category" in throttled_server.stdout()


def _post(base_url: str, operation: str, body: bytes, source: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=10.0) as http:
        return http.post(
            base_url + "/",
            content=body,
            headers={"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET_PREFIX + operation},
        )


def test_public_calls_are_limited_per_address(private_server: StartServer, tmp_path: Path) -> None:
    quotas = tmp_path / "quotas.toml"
    quotas.write_text("per_ip = 2\n")  # categories at Cognito's defaults
    server = private_server(tmp_path / "data", extra_args=["--quotas", str(quotas)])
    cognito = _client(server)
    pool_id = cognito.create_user_pool(PoolName="ip")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=USER_PASSWORD_FLOWS
    )["UserPoolClient"]["ClientId"]
    body = json.dumps(
        {
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x"},
        }
    ).encode()

    answers = []
    started = time.time()
    for _ in range(10):
        answers.append(_post(server.base_url, "InitiateAuth", body, "127.0.0.1"))
    windows = int(time.time()) - int(started) + 1
    kinds = [a.json()["__type"] for a in answers]
    assert "TooManyRequestsException" in kinds
    assert len(kinds) - kinds.count("TooManyRequestsException") <= 2 * windows
    refused = answers[kinds.index("TooManyRequestsException")]
    assert (refused.status_code, refused.json()["message"]) == (400, "Rate exceeded")
    # another address has its own allowance (loopback answers on all of 127/8)
    other = _post(server.base_url, "InitiateAuth", body, "127.0.0.2")
    assert other.json()["__type"] != "TooManyRequestsException"
    # admin calls are not limited per address
    for _ in range(10):
        cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    cognito.close()


def test_the_developer_default_is_not_throttled(server: ServerProcess) -> None:
    assert "quotas: off (the developer default" in server.stdout()
    cognito = _client(server)
    pool_id = cognito.create_user_pool(PoolName="unthrottled")["UserPool"]["Id"]
    for _ in range(60):  # UserPoolRead is 15 a second on Cognito
        cognito.describe_user_pool(UserPoolId=pool_id)
    cognito.close()


def test_admin_credentials_turn_cognitos_defaults_on(tmp_path: Path, log_dir: Path) -> None:
    credentials = tmp_path / "credentials.toml"
    subprocess.run(
        [sys.executable, "-m", "recognito", "credentials", "create", "--file", str(credentials)],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        check=True,
    )
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "recognito",
            "quotas",
            "show",
            "--admin-credentials",
            str(credentials),
        ],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "quotas: Cognito's defaults" in shown
    assert "UserAuthentication" in shown and "120/s" in shown
    server = start_server(
        tmp_path / "data", log_dir, extra_args=["--admin-credentials", str(credentials)]
    )
    try:
        assert "quotas: Cognito's defaults" in server.stdout()
    finally:
        server.stop()


def test_a_quotas_file_that_does_not_parse_stops_the_server(tmp_path: Path) -> None:
    quotas = tmp_path / "quotas.toml"
    quotas.write_text("UserReed = 5\n")
    done = run_recognito(
        "serve", "--data-dir", str(tmp_path / "data"), "--port", "0", "--quotas", str(quotas)
    )
    assert done.returncode != 0
    assert f"recognito: --quotas {quotas}: UserReed is not a quota category" in done.stderr


def test_the_limit_holds_across_nodes_and_their_processes(
    private_server: StartServer, tmp_path: Path
) -> None:
    """Two nodes (two worker processes each) on one PostgreSQL database, raced together:
    the calls admitted in a second, over all four processes, stay within the limit."""
    limit = 7
    quotas = tmp_path / "quotas.toml"
    quotas.write_text(f"UserPoolRead = {limit}\n")
    with throwaway_database(f"recognito_quotas_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        shared = server_args(url, tmp_path / "key")  # the nodes share the database and its key
        shared += ["--workers", "2", "--quotas", str(quotas)]
        nodes = [private_server(tmp_path / name, extra_args=shared) for name in ("a", "b")]
        cognito = _client(nodes[0])
        pool_id = cognito.create_user_pool(PoolName="nodes")["UserPool"]["Id"]
        cognito.close()
        started = time.time()
        outcomes = race([n.base_url for n in nodes], "DescribeUserPool", {"UserPoolId": pool_id})
        windows = int(time.time()) - int(started) + 1
        for node in nodes:
            node.stop()

    assert set(outcomes) == {"ok", "TooManyRequestsException"}, outcomes
    assert outcomes["ok"] <= limit * windows, (outcomes, windows)
