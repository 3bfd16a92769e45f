"""Plain helpers shared by the API tests; the fixtures that use them live in conftest.py.

Nothing here knows how Recognito is built: it starts `python -m recognito serve` as a
user would, catches what the server delivers (SMTP and an SMS webhook), and speaks to
it through boto3, the AWS CLI and raw HTTP.
"""

from __future__ import annotations

import base64
import contextlib
import email
import email.policy
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from botocore.exceptions import ClientError
from joserfc import jwt
from joserfc.jwk import KeySet

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
EMAIL_FROM = "no-reply@recognito.test"

# Passwords that satisfy the default policy (8+, upper, lower, digit, symbol) and that the
# AWS CLI shorthand syntax passes through unchanged (no commas, quotes or spaces).
PASSWORD = "Corr3ct-Horse!"
NEW_PASSWORD = "N3w-Passw0rd!"
TEMP_PASSWORD = "Temp0rary-Pass!"

USER_PASSWORD_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]

SERVER_START_TIMEOUT = 20.0
DELIVERY_TIMEOUT = 5.0

CODE_RE = re.compile(r"(?<!\d)\d{6}(?!\d)")
POOL_ID_RE = re.compile(r"^us-east-1_[0-9A-Za-z]{9}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --------------------------------------------------------------------------- naming


def unique(prefix: str) -> str:
    """A name no other test (or xdist worker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_email(local: str = "user") -> str:
    return f"{local}.{uuid.uuid4().hex[:10]}@example.com"


def new_phone() -> str:
    """A fresh E.164 US number (11 digits after the plus)."""
    return "+1555" + "".join(secrets.choice("0123456789") for _ in range(7))


def mask_email(address: str) -> str:
    """Cognito's current masking: `f***@e***` for `fixture@example.com`."""
    local, domain = address.split("@", 1)
    return f"{local[0]}***@{domain[0]}***"


def mask_phone(number: str) -> str:
    """`+14155550123` -> `+*******0123`."""
    digits = number.lstrip("+")
    return "+" + "*" * (len(digits) - 4) + digits[-4:]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def wrong_code(code: str) -> str:
    """A six-digit code guaranteed to differ from `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --------------------------------------------------------------------------- errors


@contextlib.contextmanager
def cognito_error(
    code: str, message: str | None = None
) -> Iterator[pytest.ExceptionInfo[ClientError]]:
    """Expect a Cognito error with this `__type` (and exact message, when given), HTTP 400."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error
    status = info.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert status == 400, (status, error)


# --------------------------------------------------------------------------- delivery catchers


@dataclass(frozen=True)
class Message:
    """One delivered message, email or SMS."""

    recipient: str
    body: str
    subject: str = ""
    sender: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        match = CODE_RE.search(self.body)
        assert match is not None, f"no 6-digit code in {self.body!r}"
        return match.group(0)


class Catcher:
    """Thread-safe record of delivered messages with a short poll for new ones."""

    kind = "message"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []

    def record(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)

    def messages_to(self, recipient: str) -> list[Message]:
        wanted = recipient.lower()
        with self._lock:
            return [m for m in self._messages if m.recipient.lower() == wanted]

    def count(self, recipient: str) -> int:
        return len(self.messages_to(recipient))

    def wait_for(self, recipient: str, *, after: int = 0) -> Message:
        """The newest message to `recipient` once more than `after` of them have arrived.

        The server delivers on its delivery thread right after the call commits, so the
        message is normally here within milliseconds; the poll waits for it.
        """
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while True:
            messages = self.messages_to(recipient)
            if len(messages) > after:
                return messages[-1]
            if time.monotonic() >= deadline:
                with self._lock:
                    seen = sorted({m.recipient for m in self._messages})
                raise AssertionError(
                    f"no new {self.kind} to {recipient} (had {after}); recipients seen: {seen}"
                )
            time.sleep(0.02)


class _SmtpHandler:
    def __init__(self, catcher: SmtpCatcher) -> None:
        self._catcher = catcher

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        part = parsed.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if isinstance(part, email.message.EmailMessage) else ""
        for recipient in envelope.rcpt_tos:
            self._catcher.record(
                Message(
                    recipient=recipient,
                    body=str(body),
                    subject=str(parsed.get("Subject", "")),
                    sender=str(parsed.get("From", "")),
                    payload={"mail_from": envelope.mail_from, "to": str(parsed.get("To", ""))},
                )
            )
        return "250 Message accepted for delivery"


class SmtpCatcher(Catcher):
    """A real SMTP server (aiosmtpd) on a free loopback port."""

    kind = "email"

    def __init__(self) -> None:
        super().__init__()
        self.port = free_port()
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class _SmsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, catcher: SmsCatcher) -> None:
        super().__init__(("127.0.0.1", 0), _SmsHandler)
        self.catcher = catcher


class _SmsHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"invalid": raw.decode(errors="replace")}
        assert isinstance(self.server, _SmsServer)
        self.server.catcher.record(
            Message(
                recipient=str(payload.get("to", "")),
                body=str(payload.get("message", "")),
                payload={**payload, "_path": self.path},
            )
        )
        answer = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        return


class SmsCatcher(Catcher):
    """A real HTTP webhook receiving `{"to", "message", "poolId", "kind"}` JSON posts."""

    kind = "SMS"

    def __init__(self) -> None:
        super().__init__()
        self._server = _SmsServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sms-webhook", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/sms"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class Inbox:
    """Everything the server delivered: email by address, SMS by phone number."""

    def __init__(self, mail: SmtpCatcher, sms: SmsCatcher) -> None:
        self.mail = mail
        self.sms = sms

    def _catcher(self, recipient: str) -> Catcher:
        return self.mail if "@" in recipient else self.sms

    def count(self, recipient: str) -> int:
        return self._catcher(recipient).count(recipient)

    def wait(self, recipient: str, *, after: int = 0) -> Message:
        return self._catcher(recipient).wait_for(recipient, after=after)

    def wait_code(self, recipient: str, *, after: int = 0) -> str:
        """The code in the newest message to `recipient` (after `after` earlier ones)."""
        return self.wait(recipient, after=after).code


# --------------------------------------------------------------------------- server process


@dataclass
class ServerProcess:
    """A running `python -m recognito serve`, stopped by its PID."""

    proc: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    stdout_path: Path
    stderr_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)


# Every server started by this worker, so a failing test's report can show their logs.
STARTED_SERVERS: list[ServerProcess] = []


def server_env() -> dict[str, str]:
    """The test process's environment without anything that would steer the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOGNITO_", "AWS_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_server(
    data_dir: Path,
    log_dir: Path,
    *,
    port: int | None = None,
    extra_args: Sequence[str] = (),
) -> ServerProcess:
    """Start the server and wait until `/health` answers 200, failing with its stderr."""
    port = port or free_port()
    stamp = uuid.uuid4().hex[:6]
    stdout_path = log_dir / f"server-{port}-{stamp}.out"
    stderr_path = log_dir / f"server-{port}-{stamp}.err"
    args = [
        sys.executable,
        "-m",
        "recognito",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        *extra_args,
    ]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(
            args, cwd=REPO_ROOT, env=server_env(), stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
    server = ServerProcess(proc, port, data_dir, stdout_path, stderr_path)
    STARTED_SERVERS.append(server)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(timeout=1.0) as http:
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"recognito serve exited with {proc.returncode}:\n{server.stderr()}",
                    pytrace=False,
                )
            try:
                if http.get(f"{server.base_url}/health").status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            if time.monotonic() >= deadline:
                server.stop()
                pytest.fail(
                    f"recognito serve not healthy after {SERVER_START_TIMEOUT:.0f}s:\n"
                    f"{server.stderr()}",
                    pytrace=False,
                )
            time.sleep(0.1)


# --------------------------------------------------------------------------- Cognito helpers


def boto_client(endpoint_url: str) -> Any:
    """A boto3 cognito-idp client for the server (close it when done)."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@contextlib.contextmanager
def open_boto_client(endpoint_url: str) -> Iterator[Any]:
    client = boto_client(endpoint_url)
    try:
        yield client
    finally:
        client.close()


@dataclass(frozen=True)
class App:
    """An app client of a pool."""

    pool_id: str
    client_id: str
    secret: str | None = None

    def hash(self, username: str) -> str:
        assert self.secret is not None, "client has no secret"
        return secret_hash(self.secret, username, self.client_id)

    def auth_parameters(self, username: str, **params: str) -> dict[str, str]:
        """USERNAME (+ SECRET_HASH when the client has a secret) and any extra parameters."""
        out = {"USERNAME": username, **params}
        if self.secret is not None:
            out["SECRET_HASH"] = self.hash(username)
        return out

    def secret_kwargs(self, username: str) -> dict[str, str]:
        """`SecretHash=...` for the sign-up/forgot-password family, when needed."""
        return {"SecretHash": self.hash(username)} if self.secret is not None else {}


@dataclass(frozen=True)
class User:
    pool_id: str
    username: str
    password: str
    email: str | None = None
    phone: str | None = None


def password_auth(cognito: Any, app: App, username: str, password: str) -> dict[str, Any]:
    """InitiateAuth USER_PASSWORD_AUTH; returns the whole response (result or challenge)."""
    response: dict[str, Any] = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=app.auth_parameters(username, PASSWORD=password),
    )
    return response


def sign_in(cognito: Any, app: App, username: str, password: str) -> dict[str, Any]:
    """Sign in with a password and return the AuthenticationResult (no challenge expected)."""
    response = password_auth(cognito, app, username, password)
    assert "ChallengeName" not in response, response
    result: dict[str, Any] = response["AuthenticationResult"]
    return result


def refresh(cognito: Any, app: App, username: str, refresh_token: str) -> dict[str, Any]:
    params = {"REFRESH_TOKEN": refresh_token}
    if app.secret is not None:
        params["SECRET_HASH"] = app.hash(username)
    response: dict[str, Any] = cognito.initiate_auth(
        ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
    )
    result: dict[str, Any] = response["AuthenticationResult"]
    return result


def admin_user(cognito: Any, pool_id: str, username: str) -> dict[str, Any]:
    response: dict[str, Any] = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    return response


def user_status(cognito: Any, pool_id: str, username: str) -> str:
    status: str = admin_user(cognito, pool_id, username)["UserStatus"]
    return status


def attributes(pairs: Sequence[dict[str, str]]) -> dict[str, str]:
    """`[{"Name": n, "Value": v}, ...]` -> `{n: v}`."""
    return {pair["Name"]: pair["Value"] for pair in pairs}


def admin_attributes(cognito: Any, pool_id: str, username: str) -> dict[str, str]:
    return attributes(admin_user(cognito, pool_id, username)["UserAttributes"])


def as_attributes(values: dict[str, str]) -> list[dict[str, str]]:
    """`{n: v}` -> `[{"Name": n, "Value": v}, ...]`."""
    return [{"Name": name, "Value": value} for name, value in values.items()]


# --------------------------------------------------------------------------- tokens


def fetch_jwks(base_url: str, pool_id: str) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/{pool_id}/.well-known/jwks.json", timeout=5.0)
    assert response.status_code == 200, response.text
    jwks: dict[str, Any] = response.json()
    return jwks


def verify_jwt(
    token: str, jwks: dict[str, Any], issuer: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify an RS256 token against the JWKS and issuer; returns (header, claims)."""
    keys = KeySet.import_key_set({"keys": jwks["keys"]})
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer}).validate(decoded.claims)
    return dict(decoded.header), dict(decoded.claims)


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT without checking it (for comparing refreshed tokens)."""
    payload = token.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return claims


# Signatures of the factory fixtures in conftest.py.
MakePool = Callable[..., str]
MakeClient = Callable[..., App]
MakeUser = Callable[..., User]
StartServer = Callable[..., ServerProcess]


# --------------------------------------------------------------------------- AWS CLI


@dataclass(frozen=True)
class CliResult:
    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, (self.args, self.returncode, self.stderr)
        return json.loads(self.stdout) if self.stdout.strip() else {}

    def ok(self) -> CliResult:
        assert self.returncode == 0, (self.args, self.returncode, self.stderr)
        return self

    def fails_with(self, operation: str, code: str, message: str) -> None:
        assert self.returncode != 0, (self.args, self.stdout)
        expected = f"An error occurred ({code}) when calling the {operation} operation: {message}"
        assert expected in self.stderr, self.stderr


class AwsCli:
    """`aws cognito-idp ...` (AWS CLI v1) against the test server, with no user config."""

    def __init__(self, endpoint_url: str, home: Path) -> None:
        executable = shutil.which("aws")
        assert executable is not None, "the AWS CLI (`aws`) is not on PATH"
        self._executable = executable
        self._endpoint_url = endpoint_url
        self._env = server_env()
        self._env.update(
            {
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_CONFIG_FILE": str(home / "no-such-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-such-credentials"),
                "AWS_PAGER": "",
            }
        )

    def __call__(self, command: str, *args: str) -> CliResult:
        argv = [
            self._executable,
            "cognito-idp",
            command,
            *args,
            "--endpoint-url",
            self._endpoint_url,
            "--region",
            REGION,
            "--output",
            "json",
        ]
        proc = subprocess.run(
            argv, env=self._env, capture_output=True, text=True, timeout=120, check=False
        )
        return CliResult(argv, proc.returncode, proc.stdout, proc.stderr)
