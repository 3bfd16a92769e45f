"""Browsers: a web page of any origin may call the public operations (as Amplify and
amazon-cognito-identity-js do), but never the admin ones, neither cross-origin nor
through a DNS name rebound to this machine (a foreign Host header)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from .support import PASSWORD, App, MakeUser, ServerProcess, StartServer, unique
from .wire import call, error_type

EVIL = "https://evil.example"
BROWSER_HEADERS = "content-type,x-amz-target,x-amz-user-agent"


def test_admin_operation_from_a_foreign_origin_is_refused_without_cors(base_url: str) -> None:
    answer = call(base_url, "ListUserPools", {"MaxResults": 10}, {"Origin": EVIL})

    assert error_type(answer) == "NotAuthorizedException"
    assert "cross-origin" in answer.json()["message"]
    assert "access-control-allow-origin" not in answer.headers


def test_admin_operation_from_a_foreign_origin_does_not_run(base_url: str, cognito: Any) -> None:
    name = unique("csrf")
    answer = call(base_url, "CreateUserPool", {"PoolName": name}, {"Origin": "null"})

    assert error_type(answer) == "NotAuthorizedException"
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert name not in {pool["Name"] for pool in pools}


def test_public_operations_stay_open_to_every_origin(
    base_url: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    signed_in = call(
        base_url,
        "InitiateAuth",
        {
            "ClientId": app.client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": user.username, "PASSWORD": user.password},
        },
        {"Origin": EVIL},
    )
    signed_up = call(
        base_url,
        "SignUp",
        {"ClientId": app.client_id, "Username": unique("web"), "Password": PASSWORD},
        {"Origin": EVIL},
    )

    for answer in (signed_in, signed_up):
        assert answer.status_code == 200, answer.text
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "x-amzn-errortype" in answer.headers["access-control-expose-headers"].lower()
    assert "AccessToken" in signed_in.json()["AuthenticationResult"]


def test_errors_of_public_operations_are_readable_cross_origin(base_url: str) -> None:
    answer = call(base_url, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH"}, {"Origin": EVIL})

    assert error_type(answer) == "InvalidParameterException"
    assert answer.headers["access-control-allow-origin"] == "*"


def test_preflight_is_answered_for_any_origin(base_url: str) -> None:
    # The preflight carries no X-Amz-Target: the operation is judged on the POST.
    preflight = httpx.options(
        base_url + "/",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": BROWSER_HEADERS,
        },
    )

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    allowed = {h.strip() for h in preflight.headers["access-control-allow-headers"].split(",")}
    assert allowed >= set(BROWSER_HEADERS.split(","))
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_preflight_for_another_method_is_refused(base_url: str) -> None:
    preflight = httpx.options(
        base_url + "/",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "DELETE"},
    )

    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(
    "host", ["rebound.evil.example", "rebound.evil.example:9229", "localhost.evil.example"]
)
def test_admin_operation_with_a_foreign_host_is_refused(base_url: str, host: str) -> None:
    # DNS rebinding: a page's own name now resolves to 127.0.0.1, so it is "same-origin"
    # for the browser; only the Host header still tells the name.
    answer = call(base_url, "ListUserPools", {"MaxResults": 10}, {"Host": host})

    assert error_type(answer) == "NotAuthorizedException"


def test_public_operation_and_web_routes_accept_any_host(base_url: str, pool_id: str) -> None:
    host = {"Host": "rebound.evil.example"}

    answer = call(base_url, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH"}, host)
    assert error_type(answer) == "InvalidParameterException"
    assert httpx.get(base_url + "/health", headers=host).status_code == 200
    jwks = httpx.get(f"{base_url}/{pool_id}/.well-known/jwks.json", headers=host | {"Origin": EVIL})
    assert jwks.status_code == 200
    assert jwks.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST"])
def test_admin_operation_by_a_loopback_name_is_accepted(server: ServerProcess, name: str) -> None:
    answer = call(server.base_url, "ListUserPools", {"MaxResults": 1}, {"Host": f"{name}:1"})

    assert answer.status_code == 200, answer.text


def test_admin_operation_from_the_servers_own_origin_is_accepted(server: ServerProcess) -> None:
    answer = call(server.base_url, "ListUserPools", {"MaxResults": 1}, {"Origin": server.base_url})

    assert answer.status_code == 200, answer.text


def test_boto3_admin_calls_are_unaffected(cognito: Any, pool_id: str) -> None:
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id


def test_public_url_and_allowed_hosts_name_more_hosts(
    private_server: StartServer, tmp_path: Path
) -> None:
    process = private_server(
        tmp_path,
        extra_args=[
            "--public-url",
            "https://idp.example.test/",
            "--allowed-hosts",
            "recognito, Admin.Internal",
        ],
    )

    def list_pools(headers: dict[str, str]) -> httpx.Response:
        return call(process.base_url, "ListUserPools", {"MaxResults": 1}, headers)

    for host in ("idp.example.test", "recognito:9229", "admin.internal"):
        assert list_pools({"Host": host}).status_code == 200, host
    assert list_pools({"Origin": "https://idp.example.test"}).status_code == 200
    assert error_type(list_pools({"Host": "elsewhere.example"})) == "NotAuthorizedException"
