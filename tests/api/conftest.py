"""Fixtures for the end-to-end API tests.

One real `recognito serve` process per pytest(-xdist) worker, with a real SMTP catcher and a
real SMS webhook catcher; every test makes its own pools, clients and users (with unique
email addresses and phone numbers), so tests are independent and run in parallel.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from .support import (
    EMAIL_FROM,
    PASSWORD,
    STARTED_SERVERS,
    USER_PASSWORD_FLOWS,
    App,
    AwsCli,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    ServerProcess,
    SmsCatcher,
    SmtpCatcher,
    StartServer,
    User,
    as_attributes,
    open_boto_client,
    start_server,
    unique,
)

# the shared browser: registered here once, so every module gets the same Chromium
from .support.browser import app_url, chromium, page, shot  # noqa: F401

# the JavaScript clients of tests/js, installed once
from .support.node import js_packages  # noqa: F401

LOG_TAIL_CHARS = 6000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the tail of each running server's stderr to a failing test's report."""
    report = yield
    if report.failed and report.when == "call":
        for process in STARTED_SERVERS:
            if process.running():
                tail = process.stderr()[-LOG_TAIL_CHARS:]
                report.sections.append((f"recognito serve :{process.port} stderr (tail)", tail))
    return report


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpCatcher]:
    catcher = SmtpCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


@pytest.fixture(scope="session")
def sms() -> Iterator[SmsCatcher]:
    catcher = SmsCatcher()
    catcher.start()
    yield catcher
    catcher.stop()


@pytest.fixture(scope="session")
def inbox(smtp: SmtpCatcher, sms: SmsCatcher) -> Inbox:
    return Inbox(smtp, sms)


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server-logs")


def delivery_args(smtp: SmtpCatcher, sms: SmsCatcher) -> list[str]:
    return [
        "--smtp-url",
        smtp.url,
        "--email-from",
        EMAIL_FROM,
        "--sms-webhook-url",
        sms.url,
    ]


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, log_dir: Path, smtp: SmtpCatcher, sms: SmsCatcher
) -> Iterator[ServerProcess]:
    """The worker's shared server (pools are per test, so sharing it is safe)."""
    data_dir = tmp_path_factory.mktemp("data")
    # loopback metadata URLs: the CIMD tests serve their clients' documents on 127.0.0.1
    extra_args = [*delivery_args(smtp, sms), "--cimd-allow-loopback"]
    process = start_server(data_dir, log_dir, extra_args=extra_args)
    yield process
    process.stop()


@pytest.fixture
def private_server(log_dir: Path) -> Iterator[StartServer]:
    """`private_server(data_dir, port=None, extra_args=()) -> ServerProcess`.

    A server of the test's own (for restarts or other delivery settings); every one started
    is stopped when the test ends.
    """
    started: list[ServerProcess] = []

    def start(
        data_dir: Path, *, port: int | None = None, extra_args: Sequence[str] = ()
    ) -> ServerProcess:
        process = start_server(data_dir, log_dir, port=port, extra_args=extra_args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture(scope="session")
def base_url(server: ServerProcess) -> str:
    return server.base_url


@pytest.fixture(scope="session")
def cognito(base_url: str) -> Iterator[Any]:
    with open_boto_client(base_url) as client:
        yield client


@pytest.fixture(scope="session")
def aws(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> AwsCli:
    return AwsCli(base_url, tmp_path_factory.mktemp("aws-home"))


@pytest.fixture
def make_pool(cognito: Any) -> MakePool:
    """`make_pool(**CreateUserPool kwargs) -> pool id`; a fresh pool every call."""

    def make(**kwargs: Any) -> str:
        kwargs.setdefault("PoolName", unique("pool"))
        pool_id: str = cognito.create_user_pool(**kwargs)["UserPool"]["Id"]
        return pool_id

    return make


@pytest.fixture
def make_client(cognito: Any) -> MakeClient:
    """`make_client(pool_id, secret=False, **CreateUserPoolClient kwargs) -> App`.

    Defaults to the password and refresh flows, which most tests sign in with.
    """

    def make(pool_id: str, *, secret: bool = False, **kwargs: Any) -> App:
        kwargs.setdefault("ClientName", unique("app"))
        kwargs.setdefault("ExplicitAuthFlows", USER_PASSWORD_FLOWS)
        if secret:
            kwargs["GenerateSecret"] = True
        client = cognito.create_user_pool_client(UserPoolId=pool_id, **kwargs)["UserPoolClient"]
        return App(pool_id, client["ClientId"], client.get("ClientSecret"))

    return make


@pytest.fixture
def make_user(cognito: Any) -> MakeUser:
    """`make_user(pool_id, ...) -> User`: a CONFIRMED user with a permanent password.

    Created the admin way (AdminCreateUser with SUPPRESS, then AdminSetUserPassword
    Permanent=True), so nothing is delivered. `email`/`phone` are added as attributes,
    verified unless told otherwise.
    """

    def make(
        pool_id: str,
        username: str | None = None,
        *,
        password: str = PASSWORD,
        email: str | None = None,
        email_verified: bool = True,
        phone: str | None = None,
        phone_verified: bool = True,
        attributes: dict[str, str] | None = None,
    ) -> User:
        username = username or unique("user")
        values = dict(attributes or {})
        if email is not None:
            values["email"] = email
            values["email_verified"] = "true" if email_verified else "false"
        if phone is not None:
            values["phone_number"] = phone
            values["phone_number_verified"] = "true" if phone_verified else "false"
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=as_attributes(values),
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
        return User(pool_id, username, password, email, phone)

    return make


@pytest.fixture
def pool_id(make_pool: MakePool) -> str:
    """A fresh pool with every default (nothing auto-verified)."""
    return make_pool()


@pytest.fixture
def app(make_client: MakeClient, pool_id: str) -> App:
    """A secret-less client of `pool_id` allowing the password and refresh flows."""
    return make_client(pool_id)
