"""Durable under kill -9: the server (its parent and both workers) is killed while it
creates users, sets passwords and queues reset codes and invitations under load, then
started again on the same store. Every request answered 200 is found applied, and every
message whose request was answered 200 is delivered exactly once, but for the one that a
killed process had handed to the mail server and not yet recorded as sent: that one goes
out again (SMTP has no way to ask whether it arrived), and the test predicts exactly which
ones from the outbox left behind. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.postgres import server_args, throwaway_database

from .support import (
    CODE_RE,
    EMAIL_FROM,
    NEW_PASSWORD,
    PASSWORD,
    REPO_ROOT,
    TEMP_PASSWORD,
    USER_PASSWORD_FLOWS,
    ServerProcess,
    SmtpCatcher,
    StartServer,
    server_env,
)
from .support.catchers import Message
from .wire import call

WORKERS = 2
# Short enough that the claims the killed workers held run out while the server restarts,
# long enough that a live worker sends and records a message well within it under load
LEASE = 3.0
# The kill comes once this much mail went out under load (however busy the machine is)
MAIL_BEFORE_KILL = 12
LOAD_SECONDS = 20.0  # at most
THREADS = 8
OUTBOX_SETTLES = 20.0  # seconds the restarted server has to send what was left

OK, UNKNOWN = "ok", "unknown"  # answered 200; or no answer (the server died under it)


@dataclass
class Account:
    """One user the load makes, and what became of each request made for it."""

    username: str
    kind: str  # "invite" | "reset" | "forgot": which message its last request queues
    steps: dict[str, str] = field(default_factory=dict)  # request -> OK | UNKNOWN | error

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"

    def requests(self, pool_id: str, client_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        user = {"UserPoolId": pool_id, "Username": self.username}
        attributes = [
            {"Name": "email", "Value": self.email},
            {"Name": "email_verified", "Value": "true"},
        ]
        if self.kind == "invite":  # the invitation carries the temporary password
            invite = user | {"UserAttributes": attributes, "TemporaryPassword": TEMP_PASSWORD}
            return [("create", "AdminCreateUser", invite)]
        created = user | {"UserAttributes": attributes, "MessageAction": "SUPPRESS"}
        password = user | {"Password": PASSWORD, "Permanent": True}
        message = (
            ("reset", "AdminResetUserPassword", user)
            if self.kind == "reset"
            else ("forgot", "ForgotPassword", {"ClientId": client_id, "Username": self.username})
        )
        return [
            ("create", "AdminCreateUser", created),
            ("password", "AdminSetUserPassword", password),
            message,
        ]

    def message_step(self) -> str:
        return "create" if self.kind == "invite" else self.kind


@pytest.fixture(params=["sqlite", "postgresql"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Where the server keeps its data: SQLite in a folder, or a database of the test's own."""
    data_dir = ["--data-dir", str(tmp_path / "data")]
    if request.param == "sqlite":
        yield data_dir
        return
    with throwaway_database(f"recognito_durable_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        yield [*data_dir, *server_args(url, tmp_path)]


@pytest.fixture
def mail() -> Iterator[SmtpCatcher]:
    """A catcher of the test's own: what it counts is only this server's mail."""
    catcher = SmtpCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


def test_a_killed_server_loses_no_answered_write_and_sends_each_message_once(
    store_args: list[str], private_server: StartServer, mail: SmtpCatcher
) -> None:
    args = [
        *store_args,
        *("--workers", str(WORKERS), "--delivery-lease", str(LEASE)),
        *("--smtp-url", mail.url, "--email-from", EMAIL_FROM, "--password-hashing", "fast"),
    ]
    server = private_server(Path(store_args[1]), extra_args=args)
    pool_id, client_id = _pool_and_client(server.base_url)

    accounts = _load_then_kill(server, pool_id, client_id, mail)
    time.sleep(0.3)  # the catcher finishes taking what reached it before the kill
    before = _caught(mail)
    left = _outbox(store_args)
    # handed to the mail server, not recorded as sent: the one message a killed process
    # can send twice, and no other
    resent = {
        (row["recipient"], row["body"].strip())
        for row in left
        if row["status"] == "queued" and row["claimed_until"] is not None
    } & set(before)
    assert len(resent) <= WORKERS

    restarted = private_server(Path(store_args[1]), extra_args=args)
    _wait_until_sent(store_args)
    after = _caught(mail)
    answered = Counter(step for a in accounts for step in a.steps.values())
    print(
        f"\n{len(accounts)} users, requests {dict(answered)}; mail before the kill "
        f"{sum(before.values())}, after the restart {sum(after.values())}, "
        f"queued at the kill {sum(r['status'] == 'queued' for r in left)}, sent twice {len(resent)}"
    )
    assert sum(before.values()) > 0 and answered[UNKNOWN] > 0, "the kill missed the load"

    for (recipient, body), count in after.items():
        assert count == 1 + ((recipient, body) in resent), (recipient, body, count)
    by_recipient = Counter(recipient for recipient, _ in after)
    with ThreadPoolExecutor(THREADS) as pool:
        problems = list(
            pool.map(
                lambda a: _check(restarted.base_url, pool_id, client_id, a, by_recipient, after),
                accounts,
            )
        )
    assert [p for p in problems if p] == []


def test_a_message_handed_over_as_the_server_dies_is_sent_once_more(
    store_args: list[str], private_server: StartServer, mail: SmtpCatcher
) -> None:
    """The one duplicate a crash can make, made on purpose: the mail server has taken the
    reset code and not yet said so when every process is killed. The outbox shows it
    claimed, not sent; the restarted server sends it again, and once only."""
    args = [
        *store_args,
        *("--workers", str(WORKERS), "--delivery-lease", str(LEASE)),
        *("--smtp-url", mail.url, "--email-from", EMAIL_FROM, "--password-hashing", "fast"),
    ]
    server = private_server(Path(store_args[1]), extra_args=args)
    pool_id, client_id = _pool_and_client(server.base_url)
    account = Account("ana", "reset")
    mail.holding.set()
    for _, operation, body in account.requests(pool_id, client_id):
        _ok(server.base_url, operation, body)
    mail.wait_for(account.email)

    server.kill_hard()
    mail.holding.clear()
    [row] = [r for r in _outbox(store_args) if r["recipient"] == account.email]
    assert (row["status"], row["claimed_until"] is not None) == ("queued", True)
    restarted = private_server(Path(store_args[1]), extra_args=args)
    _wait_until_sent(store_args)

    first, again = mail.messages_to(account.email)
    assert again.body == first.body
    answer = call(
        restarted.base_url,
        "ConfirmForgotPassword",
        {
            "ClientId": client_id,
            "Username": account.username,
            "ConfirmationCode": first.code,
            "Password": NEW_PASSWORD,
        },
    )
    assert answer.status_code == 200, answer.text


def _pool_and_client(base_url: str) -> tuple[str, str]:
    pool = _ok(base_url, "CreateUserPool", {"PoolName": "durable"})["UserPool"]["Id"]
    client = _ok(
        base_url,
        "CreateUserPoolClient",
        {"UserPoolId": pool, "ClientName": "app", "ExplicitAuthFlows": USER_PASSWORD_FLOWS},
    )
    return str(pool), str(client["UserPoolClient"]["ClientId"])


def _load_then_kill(
    server: ServerProcess, pool_id: str, client_id: str, mail: SmtpCatcher
) -> list[Account]:
    """THREADS clients making accounts until, MAIL_BEFORE_KILL messages in, every server
    process is SIGKILLed; each account's requests and how they were answered."""
    accounts: list[Account] = []
    lock, stop = threading.Lock(), threading.Event()
    kinds = ("invite", "reset", "forgot")

    def client(n: int) -> None:
        made = 0
        while not stop.is_set():
            account = Account(f"u{n}-{made}", kinds[(n + made) % len(kinds)])
            made += 1
            with lock:
                accounts.append(account)
            for step, operation, body in account.requests(pool_id, client_id):
                if stop.is_set():
                    break
                account.steps[step] = _outcome(server.base_url, operation, body)
                if account.steps[step] != OK:
                    break

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + LOAD_SECONDS
    while len(mail.all_messages()) < MAIL_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    killed = server.kill_hard()
    for thread in threads:
        thread.join(timeout=30)
    assert len(killed) > WORKERS  # the parent and its workers
    errors = [a.steps for a in accounts if set(a.steps.values()) - {OK, UNKNOWN}]
    assert errors == []  # nothing but 200 was answered, and no answer once killed
    return accounts


def _outcome(base_url: str, operation: str, body: dict[str, Any]) -> str:
    try:
        answer = call(base_url, operation, body, timeout=30)
    except httpx.TransportError:
        return UNKNOWN
    return OK if answer.status_code == 200 else f"{operation} {answer.status_code} {answer.text}"


def _ok(base_url: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = call(base_url, operation, body)
    assert answer.status_code == 200, (operation, answer.status_code, answer.text)
    result: dict[str, Any] = answer.json()
    return result


def _caught(mail: SmtpCatcher) -> Counter[tuple[str, str]]:
    """Every message the catcher has, by recipient and text, and how often it came."""
    messages: list[Message] = mail.all_messages()
    return Counter((m.recipient, m.body.strip()) for m in messages)


def _outbox(store_args: list[str]) -> list[dict[str, Any]]:
    """Every outbox row, read by `recognito outbox --json` as an operator would."""
    listing = subprocess.run(
        [sys.executable, "-m", "recognito", "outbox", *store_args, "--json", "--limit", "100000"],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in listing.stdout.splitlines()]


def _wait_until_sent(store_args: list[str]) -> None:
    """Until the restarted server has sent everything (claims of the dead run out first)."""
    deadline = time.monotonic() + OUTBOX_SETTLES
    while True:
        statuses = Counter(row["status"] for row in _outbox(store_args))
        if set(statuses) <= {"sent"}:
            return
        assert time.monotonic() < deadline, f"outbox not drained: {dict(statuses)}"
        time.sleep(0.5)


def _check(
    base_url: str,
    pool_id: str,
    client_id: str,
    account: Account,
    mail_to: Counter[str],
    caught: Counter[tuple[str, str]],
) -> str | None:
    """What is wrong with `account` after the restart (None: all its answers hold)."""
    steps, name = account.steps, account.username
    user = call(base_url, "AdminGetUser", {"UserPoolId": pool_id, "Username": name})
    if user.status_code != 200:
        return None if steps.get("create") != OK else f"{name}: created, now {user.text}"
    status = user.json()["UserStatus"]
    allowed = _statuses(account)
    if status not in allowed:
        return f"{name}: {status}, expected one of {allowed} after {steps}"
    sent = mail_to[account.email]
    expected = {OK: {1}, UNKNOWN: {0, 1}}.get(steps.get(account.message_step(), ""), {0})
    if sent not in expected:
        return f"{name}: {sent} messages after {steps}"
    texts = [body for recipient, body in caught if recipient == account.email]
    sign_in = _signer(base_url, client_id, name)
    if account.kind == "invite":
        if texts and TEMP_PASSWORD not in texts[0]:
            return f"{name}: invitation without its password"
        challenge = sign_in(TEMP_PASSWORD).get("ChallengeName")
        return None if challenge == "NEW_PASSWORD_REQUIRED" else f"{name}: {challenge}"
    if status == "CONFIRMED" and "AuthenticationResult" not in sign_in(PASSWORD):
        return f"{name}: the password set with a 200 does not sign in"
    if texts:  # the code delivered is the one stored: it resets the password
        match = CODE_RE.search(texts[0])
        if match is None:
            return f"{name}: no code in {texts[0]!r}"
        code = match.group(0)
        confirm = {"ClientId": client_id, "Username": name, "ConfirmationCode": code}
        answer = call(base_url, "ConfirmForgotPassword", confirm | {"Password": NEW_PASSWORD})
        if answer.status_code != 200:
            return f"{name}: code {code} refused: {answer.text}"
        if "AuthenticationResult" not in sign_in(NEW_PASSWORD):
            return f"{name}: the new password does not sign in"
    return None


def _statuses(account: Account) -> set[str]:
    """The user statuses its answered (and unanswered) requests allow."""
    steps = account.steps
    if account.kind == "invite":
        return {"FORCE_CHANGE_PASSWORD"}
    if steps.get("password") != OK:  # created without a password, maybe given one
        return {"FORCE_CHANGE_PASSWORD"} | ({"CONFIRMED"} if "password" in steps else set())
    reset = steps.get("reset")
    return (
        {"RESET_REQUIRED"}
        if reset == OK
        else {"CONFIRMED", "RESET_REQUIRED"}
        if reset
        else {"CONFIRMED"}
    )


def _signer(base_url: str, client_id: str, username: str) -> Callable[[str], dict[str, Any]]:
    def sign_in(password: str) -> dict[str, Any]:
        auth = {"USERNAME": username, "PASSWORD": password}
        body = {"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": auth}
        answer: dict[str, Any] = call(base_url, "InitiateAuth", body).json()
        return answer

    return sign_in
