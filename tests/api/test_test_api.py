"""The test-control API (`serve --test-api`) over HTTP: codes read back, the clock moved,
fixed codes, expired tokens, resets; and where it is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.api.support import (
    ServerProcess,
    StartServer,
    cognito_error,
    new_email,
    open_boto_client,
    start_server,
    unique,
)
from tests.api.support.server import run_recognito

POOL_ID = "us-east-1_TestApi01"
CLIENT = "testapiclient0000000000001"
PASSWORD = "Passw0rd!long"
SEED = {
    "Pools": [
        {
            "Id": POOL_ID,
            "PoolName": "test-api",
            "AutoVerifiedAttributes": ["email"],
            "Clients": [
                {
                    "ClientName": "app",
                    "ClientId": CLIENT,
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                }
            ],
            "Users": [{"Username": "seeded", "Password": PASSWORD}],
        }
    ]
}


@pytest.fixture(scope="module")
def test_server(tmp_path_factory: pytest.TempPathFactory, log_dir: Path) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("test-api")
    seed = folder / "seed.yaml"
    seed.write_text(yaml.safe_dump(SEED))
    args = ["--test-api", "--seed", str(seed), "--password-hashing", "fast"]
    process = start_server(folder / "data", log_dir, extra_args=args)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def api(test_server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{test_server.base_url}/_recognito", timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def idp(test_server: ServerProcess) -> Iterator[Any]:
    with open_boto_client(test_server.base_url) as client:
        yield client


def _sign_up(idp: Any) -> tuple[str, str]:
    username, email = unique("u"), new_email()
    idp.sign_up(
        ClientId=CLIENT,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    return username, email


def test_the_latest_code_confirms_a_sign_up(api: httpx.Client, idp: Any) -> None:
    username, email = _sign_up(idp)
    answer = api.get("/codes/latest", params={"poolId": POOL_ID, "username": username})
    assert answer.status_code == 200
    sent = answer.json()
    assert (sent["purpose"], sent["destination"]) == ("sign_up", email)
    by_address = api.get("/codes/latest", params={"poolId": POOL_ID, "to": email}).json()
    assert by_address["code"] == sent["code"]
    message = api.get("/messages/latest", params={"to": email}).json()
    assert sent["code"] in message["body"] and message["kind"] == "sign_up"

    idp.confirm_sign_up(ClientId=CLIENT, Username=username, ConfirmationCode=sent["code"])
    status = idp.admin_get_user(UserPoolId=POOL_ID, Username=username)["UserStatus"]
    assert status == "CONFIRMED"


def test_moving_the_clock_forward_makes_a_code_expire(api: httpx.Client, idp: Any) -> None:
    username, _ = _sign_up(idp)
    code = api.get("/codes/latest", params={"poolId": POOL_ID, "username": username}).json()
    before = api.get("/clock").json()
    moved = api.post("/clock/advance", json={"seconds": 24 * 3600 + 1}).json()
    assert moved["offset"] - before["offset"] == 24 * 3600 + 1
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        idp.confirm_sign_up(ClientId=CLIENT, Username=username, ConfirmationCode=code["code"])
    assert api.post("/clock/advance", json={"seconds": -1}).status_code == 400

    tokens = idp.initiate_auth(  # issued at the moved time: good for an hour from it
        ClientId=CLIENT,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "seeded", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "seeded"
    api.post("/clock/advance", json={"seconds": 3601})
    with cognito_error("NotAuthorizedException", "Access Token has expired"):
        idp.get_user(AccessToken=tokens["AccessToken"])


def test_a_fixed_code_is_sent_instead_of_random_ones(api: httpx.Client, idp: Any) -> None:
    assert api.put(f"/pools/{POOL_ID}/fixed-code", json={"code": "123456"}).status_code == 204
    try:
        username, _ = _sign_up(idp)
        idp.confirm_sign_up(ClientId=CLIENT, Username=username, ConfirmationCode="123456")
    finally:
        assert api.delete(f"/pools/{POOL_ID}/fixed-code").status_code == 204
    assert api.put(f"/pools/{POOL_ID}/fixed-code", json={"code": "12"}).status_code == 400
    missing = api.put("/pools/us-east-1_Nowhere00/fixed-code", json={"code": "123456"})
    assert missing.status_code == 404


def test_expired_tokens_are_refused_and_refresh_still_works(api: httpx.Client, idp: Any) -> None:
    tokens = idp.initiate_auth(
        ClientId=CLIENT,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "seeded", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert api.post(f"/pools/{POOL_ID}/users/seeded/expire-tokens").status_code == 204
    with cognito_error("NotAuthorizedException", "Access Token has expired"):
        idp.get_user(AccessToken=tokens["AccessToken"])
    fresh = idp.initiate_auth(
        ClientId=CLIENT,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == "seeded"


def test_reset_erases_the_store_and_applies_the_seed_again(api: httpx.Client, idp: Any) -> None:
    username, _ = _sign_up(idp)
    reset_pool = api.post("/reset", json={"poolId": POOL_ID}).json()
    assert reset_pool["seeded"] == [
        "created user seeded in pool test-api",
        ("set the password of user seeded in pool test-api"),
    ]
    users = [u["Username"] for u in idp.list_users(UserPoolId=POOL_ID)["Users"]]
    assert users == ["seeded"]  # the signed-up user is gone, the client kept

    other = idp.create_user_pool(PoolName=unique("other"))["UserPool"]["Id"]
    everything = api.post("/reset").json()
    assert everything["reset"] == "store"
    assert f"created pool test-api ({POOL_ID})" in everything["seeded"]
    pools = idp.list_user_pools(MaxResults=60)["UserPools"]
    assert [p["Id"] for p in pools] == [POOL_ID] and other not in str(pools)
    signed_in = idp.initiate_auth(
        ClientId=CLIENT,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "seeded", "PASSWORD": PASSWORD},
    )
    # the pool came back with its Id and new signing keys: the old ones are not cached
    access = signed_in["AuthenticationResult"]["AccessToken"]
    assert idp.get_user(AccessToken=access)["Username"] == "seeded"


def test_the_test_api_is_described_and_refuses_pages_and_other_hosts(
    api: httpx.Client,
) -> None:
    described = api.get("/openapi.json").json()
    assert described["openapi"].startswith("3.")
    assert "/_recognito/clock/advance" in described["paths"]
    assert api.get("/clock", headers={"Origin": "https://evil.example"}).status_code == 403
    assert api.get("/clock", headers={"Host": "evil.example"}).status_code == 403


def test_the_test_api_is_off_without_the_flag(tmp_path: Path, private_server: StartServer) -> None:
    plain = private_server(tmp_path, extra_args=["--workers", "1"])
    assert httpx.get(f"{plain.base_url}/_recognito/clock").status_code == 404
    done = run_recognito("serve", "--test-api", "--host", "0.0.0.0", "--port", "1")
    assert done.returncode != 0 and "loopback --host only" in done.stderr
