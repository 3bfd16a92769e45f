"""Malformed input is a client mistake, answered with a modelled 400 on every engine:
JSON nested too deep and strings no database can hold (NUL, unpaired surrogates)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.postgres import server_args, throwaway_database

from .support import (
    PASSWORD,
    USER_PASSWORD_FLOWS,
    App,
    MakeUser,
    open_boto_client,
    start_server,
)
from .wire import call, error_type

UNSAFE_RULE = "Member must not contain NUL characters or unpaired surrogates"

# A request body with {marker} where a bad JSON string goes (raw JSON text, escapes intact).
Body = Callable[[str], str]


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("operation", ["ListUserPools", "InitiateAuth", "SignUp", "AdminGetUser"])
def test_deeply_nested_json_is_a_serialization_error(base_url: str, operation: str) -> None:
    body = f'{{"UserPoolId": {_deep(5000)}, "MaxResults": 1}}'.encode()

    assert error_type(call(base_url, operation, body)) == "SerializationException"


def _raw(base_url: str, operation: str, text: str) -> httpx.Response:
    return call(base_url, operation, text.encode())


def _cases(app: App, username: str) -> dict[str, tuple[str, Body, str]]:
    """operation, body template, and the member path the error must name."""
    pool, client = app.pool_id, app.client_id
    return {
        "auth-parameter": (
            "InitiateAuth",
            lambda bad: (
                f'{{"ClientId": "{client}", "AuthFlow": "USER_PASSWORD_AUTH", '
                f'"AuthParameters": {{"USERNAME": "{bad}", "PASSWORD": "{PASSWORD}"}}}}'
            ),
            "authParameters",
        ),
        "attribute-value": (
            "AdminUpdateUserAttributes",
            lambda bad: (
                f'{{"UserPoolId": "{pool}", "Username": "{username}", '
                f'"UserAttributes": [{{"Name": "name", "Value": "{bad}"}}]}}'
            ),
            "userAttributes.1.member.value",
        ),
        "filter": (
            "ListUsers",
            lambda bad: f'{{"UserPoolId": "{pool}", "Filter": "username = \\"{bad}\\""}}',
            "filter",
        ),
        "username": (
            "AdminGetUser",
            lambda bad: f'{{"UserPoolId": "{pool}", "Username": "{bad}"}}',
            "username",
        ),
        "group-description": (
            "CreateGroup",
            lambda bad: (
                f'{{"UserPoolId": "{pool}", "GroupName": "g{uuid.uuid4().hex[:8]}", '
                f'"Description": "{bad}"}}'
            ),
            "description",
        ),
        "next-token": (
            "ListUsers",
            lambda bad: f'{{"UserPoolId": "{pool}", "PaginationToken": "{bad}"}}',
            "paginationToken",
        ),
        "map-key": (
            "InitiateAuth",
            lambda bad: (
                f'{{"ClientId": "{client}", "AuthFlow": "USER_PASSWORD_AUTH", '
                f'"AuthParameters": {{"USERNAME": "u", "PASSWORD": "p"}}, '
                f'"ClientMetadata": {{"{bad}": "v"}}}}'
            ),
            "clientMetadata",
        ),
    }


CASES = [
    "auth-parameter",
    "attribute-value",
    "filter",
    "username",
    "group-description",
    "next-token",
    "map-key",
]
LONE_SURROGATES = ["\\ud800", "x\\udfffy", "\\ude00\\ud83d"]  # JSON escapes, unpaired


def _assert_refused(answer: httpx.Response, path: str) -> None:
    assert error_type(answer) == "InvalidParameterException", answer.text
    message = answer.json()["message"]
    assert f"at '{path}' failed to satisfy constraint: {UNSAFE_RULE}" in message, message
    assert "\x00" not in message and not any(0xD800 <= ord(c) <= 0xDFFF for c in message)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("bad", LONE_SURROGATES)
def test_unpaired_surrogates_are_invalid_parameters(
    base_url: str, app: App, make_user: MakeUser, case: str, bad: str
) -> None:
    user = make_user(app.pool_id)
    operation, body, path = _cases(app, user.username)[case]

    _assert_refused(_raw(base_url, operation, body(bad)), path)


def test_a_paired_surrogate_is_an_ordinary_character(base_url: str, app: App) -> None:
    answer = _raw(
        base_url,
        "ListUsers",
        f'{{"UserPoolId": "{app.pool_id}", "Filter": "name = \\"\\ud83d\\ude00\\""}}',
    )

    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def postgres_server(
    log_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, App, str]]:
    """A server on PostgreSQL with a pool, a client and a user: (base URL, app, username)."""
    name = f"recognito_nul_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with throwaway_database(name) as url:
        data_dir = tmp_path_factory.mktemp("pg")
        process = start_server(data_dir, log_dir, extra_args=server_args(url, data_dir))
        try:
            with open_boto_client(process.base_url) as cognito:
                pool = cognito.create_user_pool(PoolName="nul")["UserPool"]["Id"]
                client = cognito.create_user_pool_client(
                    UserPoolId=pool, ClientName="app", ExplicitAuthFlows=USER_PASSWORD_FLOWS
                )["UserPoolClient"]["ClientId"]
                cognito.admin_create_user(
                    UserPoolId=pool, Username="nina", MessageAction="SUPPRESS"
                )
            yield process.base_url, App(pool, client), "nina"
        finally:
            process.stop()


@pytest.mark.parametrize("case", CASES)
def test_nul_is_an_invalid_parameter_on_postgresql(
    postgres_server: tuple[str, App, str], case: str
) -> None:
    base_url, app, username = postgres_server
    operation, body, path = _cases(app, username)[case]

    _assert_refused(_raw(base_url, operation, body("a\\u0000b")), path)
