"""Recognito in an app's test suite: a pytest plugin that starts a throwaway
`recognito serve --test-api` on a free port and hands the tests a small client.

    # conftest.py
    pytest_plugins = ["recognito.testing"]

    # a test
    def test_sign_up(recognito):
        idp = recognito.boto3_client()          # cognito-idp at the server
        ...
        code = recognito.latest_code(pool_id, username="alice")

The server is started once per test session (per pytest-xdist worker), with its own data
folder, fast password hashing and the seed file the `recognito_seed` ini option (or an
overriding `recognito_seed` fixture) names; `recognito.reset()` brings it back to the seed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 30.0


class RecognitoError(Exception):
    """The test API refused a call: `status` and Recognito's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class Recognito:
    """A running test server: its endpoint URL (for boto3 and the AWS CLI) and the test
    API's calls."""

    def __init__(self, endpoint_url: str, region: str = "us-east-1") -> None:
        self.endpoint_url = endpoint_url
        self.region = region

    def boto3_client(self) -> Any:
        """A boto3 `cognito-idp` client of this server (any credentials do on it)."""
        import boto3

        return boto3.client(
            "cognito-idp",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.endpoint_url}/_recognito/{path}", data=data, method=method
        )
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as refused:
            message = json.loads(refused.read() or b"{}").get("message", refused.reason)
            raise RecognitoError(refused.code, message) from None
        return json.loads(raw) if raw else None

    def latest_code(
        self, pool_id: str, *, username: str | None = None, to: str | None = None
    ) -> str:
        """The latest code (or temporary password) sent to the user or the address."""
        query = {"poolId": pool_id, **({"username": username} if username else {})}
        query |= {"to": to} if to else {}
        return str(self._call("GET", "codes/latest?" + urllib.parse.urlencode(query))["code"])

    def latest_message(self, to: str, *, pool_id: str | None = None) -> dict[str, Any]:
        """The latest message in the outbox to an address: subject, body, kind, ..."""
        query = {"to": to, **({"poolId": pool_id} if pool_id else {})}
        answer: dict[str, Any] = self._call(
            "GET", "messages/latest?" + urllib.parse.urlencode(query)
        )
        return answer

    def advance_clock(self, seconds: float) -> float:
        """Move the server's clock forward; its new time (epoch seconds)."""
        return float(self._call("POST", "clock/advance", {"seconds": seconds})["now"])

    def expire_tokens(self, pool_id: str, username: str) -> None:
        """The user's access tokens issued so far are refused as expired."""
        quoted = urllib.parse.quote(username, safe="")
        self._call("POST", f"pools/{pool_id}/users/{quoted}/expire-tokens")

    def fixed_code(self, pool_id: str, code: str | None) -> None:
        """Send `code` (six digits) instead of random codes to the pool's users; None:
        random codes again."""
        if code is None:
            self._call("DELETE", f"pools/{pool_id}/fixed-code")
        else:
            self._call("PUT", f"pools/{pool_id}/fixed-code", {"code": code})

    def reset(self, pool_id: str | None = None) -> list[str]:
        """Erase the store (or the pool's users and messages) and apply the seed file
        again; what the seed applied."""
        body = {"poolId": pool_id} if pool_id else {}
        return list(self._call("POST", "reset", body)["seeded"])


class RecognitoServer:
    """`python -m recognito serve --test-api` on a free port, stopped by its PID."""

    def __init__(self, seed: Path | None = None, extra_args: Sequence[str] = ()) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="recognito-")
        folder = Path(self._folder.name)
        self.port = _free_port()
        self.log = folder / "server.log"
        args = [
            sys.executable,
            "-m",
            "recognito",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(folder / "data"),
            "--test-api",
            "--password-hashing",
            "fast",
            *(["--seed", str(seed)] if seed is not None else []),
            *extra_args,
        ]
        # the app's own RECOGNITO_* settings must not steer its test server
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECOGNITO_")}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env
            )
        self.client = Recognito(f"http://127.0.0.1:{self.port}")
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                output = self.log.read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"recognito serve exited:\n{output}")
            try:
                health = f"{self.client.endpoint_url}/health"
                with urllib.request.urlopen(health, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                output = self.log.read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"recognito serve did not start:\n{output}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._folder.cleanup()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "recognito_seed", "seed file the recognito fixture's server applies (relative to rootdir)"
    )


@pytest.fixture(scope="session")
def recognito_seed(pytestconfig: pytest.Config) -> Path | None:
    """The seed file of the test server: the `recognito_seed` ini option, else none;
    override this fixture to choose another."""
    value = pytestconfig.getini("recognito_seed")
    return Path(pytestconfig.rootpath, str(value)) if value else None


@pytest.fixture(scope="session")
def recognito(recognito_seed: Path | None) -> Iterator[Recognito]:
    """A throwaway Recognito for the session: `.endpoint_url` for boto3, and the test API."""
    server = RecognitoServer(recognito_seed)
    try:
        yield server.client
    finally:
        server.stop()
