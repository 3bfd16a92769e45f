"""`recognito keys rotate` against a running `serve --workers 2`: the new keys are published
before they sign, the running processes notice them, and tokens signed before and after
the rotation both verify against the JWKS and are accepted by GetUser."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .support import (
    REPO_ROOT,
    USER_PASSWORD_FLOWS,
    App,
    StartServer,
    fetch_jwks,
    open_boto_client,
    server_env,
    sign_in,
    verify_jwt,
)

PASSWORD = "Passw0rd!"
NOTICED_WITHIN = 30.0  # seconds; the processes re-read a pool's keys every 10


def keys(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recognito", "keys", *args, "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _listed(data_dir: Path, pool_id: str) -> list[dict[str, Any]]:
    listed = keys(data_dir, "list", "--pool", pool_id, "--json")
    assert listed.returncode == 0, listed.stderr
    return [json.loads(line) for line in listed.stdout.splitlines()]


def _kid(token: str) -> str:
    head = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"])


def test_a_rotation_by_the_cli_is_published_then_signs_in_every_worker(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path, extra_args=["--workers", "2"])
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=USER_PASSWORD_FLOWS
        )["UserPoolClient"]["ClientId"]
        app = App(pool_id, client_id)
        cognito.admin_create_user(UserPoolId=pool_id, Username="ana", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="ana", Password=PASSWORD, Permanent=True
        )
        before = sign_in(cognito, app, "ana", PASSWORD)
        first = {_kid(before["IdToken"]), _kid(before["AccessToken"])}
        assert {k["state"] for k in _listed(tmp_path, pool_id)} == {"signing"}

        # a scheduled-style rotation: published now, signing in an hour
        later = keys(tmp_path, "rotate", "--pool", pool_id, "--key-publish-delay", "3600")
        assert later.returncode == 0, later.stderr
        pending = {k["kid"] for k in _listed(tmp_path, pool_id) if k["state"] == "pending"}
        assert len(pending) == 2
        for _ in range(4):
            assert _kid(sign_in(cognito, app, "ana", PASSWORD)["AccessToken"]) in first

        # an emergency rotation: signs at once, noticed by every worker within seconds
        now = keys(tmp_path, "rotate", "--pool", pool_id, "--now")
        assert now.returncode == 0, now.stderr
        rotated = {k["kid"] for k in _listed(tmp_path, pool_id)} - first - pending
        assert len(rotated) == 2
        deadline = time.monotonic() + NOTICED_WITHIN
        signed_by_new = 0
        while signed_by_new < 6:  # several in a row: both workers sign with the new keys
            after = sign_in(cognito, app, "ana", PASSWORD)
            if _kid(after["AccessToken"]) in rotated and _kid(after["IdToken"]) in rotated:
                signed_by_new += 1
            else:
                signed_by_new = 0
            assert time.monotonic() < deadline, "the workers did not sign with the new keys"
            time.sleep(0.2)

        states = {k["kid"]: k["state"] for k in _listed(tmp_path, pool_id)}
        assert {states[kid] for kid in first} == {"retiring"}
        assert {states[kid] for kid in rotated} == {"signing"}
        assert {states[kid] for kid in pending} == {"pending"}
        for _ in range(6):  # whichever worker answers
            published = fetch_jwks(server.base_url, pool_id)
            assert {k["kid"] for k in published["keys"]} == first | pending | rotated
            for token in (before["IdToken"], before["AccessToken"], after["AccessToken"]):
                verify_jwt(token, published, f"{server.base_url}/{pool_id}")
            for token in (before["AccessToken"], after["AccessToken"]):
                assert cognito.get_user(AccessToken=token)["Username"] == "ana"


def test_rotating_an_unknown_pool_fails(tmp_path: Path) -> None:
    result = keys(tmp_path, "rotate", "--pool", "us-east-1_NoSuchPool")
    assert result.returncode != 0
    assert "User pool us-east-1_NoSuchPool does not exist." in result.stderr
