"""With PreventUserExistenceErrors=ENABLED, real and unknown users are indistinguishable:
the same answer (body and headers), the same behaviour over many tries (lockout, caps),
and the same work, so the time an answer takes tells nothing either."""

from __future__ import annotations

import re
import socket
import statistics
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .support import (
    PASSWORD,
    TEMP_PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    StartServer,
    cognito_error,
    free_port,
    new_email,
    open_boto_client,
    password_auth,
)

WRONG = "Wr0ng-Passw0rd!"
# answers that differ by request only
_VARYING_HEADERS = {"x-amzn-requestid", "date"}


def _answer(call: Callable[[], Any]) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(error code or "ok", body without metadata, headers that do not vary per request)."""
    try:
        body = call()
        code = "ok"
    except ClientError as error:
        body, code = error.response, error.response["Error"]["Code"]
    meta = body.pop("ResponseMetadata")
    headers = {k: v for k, v in meta["HTTPHeaders"].items() if k not in _VARYING_HEADERS}
    return code, body, headers


@pytest.fixture
def hiding(make_pool: MakePool, make_client: MakeClient) -> App:
    """A pool whose users recover by email, and a client that hides who exists."""
    return make_client(make_pool(), PreventUserExistenceErrors="ENABLED")


def test_forgot_password_answers_alike_for_real_and_unknown_users(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    user = make_user(hiding.pool_id, "ana-real", email="ana@example.com")

    def forgot(name: str) -> Callable[[], Any]:
        return lambda: cognito.forgot_password(ClientId=hiding.client_id, Username=name)

    real, unknown = _answer(forgot(user.username)), _answer(forgot("ana-none"))

    assert real[1]["CodeDeliveryDetails"]["Destination"] == "a***@e***"
    assert re.fullmatch(
        r"[a-z]\*\*\*@[a-z]\*\*\*", unknown[1]["CodeDeliveryDetails"]["Destination"]
    )
    for answer in (real, unknown):  # the letters differ, the shape does not
        answer[1]["CodeDeliveryDetails"]["Destination"] = "x***@x***"
    assert real == unknown
    assert real[1]["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_forgot_password_hides_a_user_who_cannot_reset(cognito: Any, hiding: App) -> None:
    cognito.admin_create_user(
        UserPoolId=hiding.pool_id,
        Username="new-user",
        TemporaryPassword=TEMP_PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": new_email()},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )  # FORCE_CHANGE_PASSWORD: no reset code for them

    answered = cognito.forgot_password(ClientId=hiding.client_id, Username="new-user")

    assert answered["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_unknown_names_are_locked_out_like_real_users(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    user = make_user(hiding.pool_id)
    for name in (user.username, "nobody-here"):
        for _ in range(5):
            with cognito_error("NotAuthorizedException", "Incorrect username or password."):
                password_auth(cognito, hiding, name, WRONG)
        with cognito_error("NotAuthorizedException", "Password attempts exceeded"):
            password_auth(cognito, hiding, name, WRONG)


def test_a_weak_new_password_is_refused_alike_for_real_and_unknown_users(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    user = make_user(hiding.pool_id, email=new_email())

    def confirm(name: str) -> Callable[[], Any]:
        return lambda: cognito.confirm_forgot_password(
            ClientId=hiding.client_id, Username=name, ConfirmationCode="123456", Password="weak"
        )

    real, unknown = _answer(confirm(user.username)), _answer(confirm("nobody-here"))

    assert real == unknown
    assert real[0] == "InvalidPasswordException"


def _milliseconds(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    try:
        call()
    except ClientError:
        pass
    return (time.perf_counter() - started) * 1000


def test_confirm_forgot_password_takes_as_long_for_unknown_users(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    """Medians of interleaved tries: hashing the new password dominates and is done for
    everyone (before, a real user took ~15x longer). Fine-grained timing is measured
    by bench/enumeration.py; this catches a path that skips the expensive work."""
    user = make_user(hiding.pool_id, email=new_email())
    names = [user.username, "nobody-here"]
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(16):
        for name in names if round_ % 2 else reversed(names):
            confirm = partial(
                cognito.confirm_forgot_password,
                ClientId=hiding.client_id,
                Username=name,
                ConfirmationCode="123456",
                Password="Fr3sh-Passw0rd!",
            )
            samples[name].append(_milliseconds(confirm))
    real, unknown = (statistics.median(samples[name]) for name in names)
    assert abs(real - unknown) < max(real, unknown) / 2, (real, unknown)


class _Tarpit:
    """A mail server that accepts connections and never greets: a stalled relay."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sock = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self) -> None:
        """Hold each connection silently until the client gives up on it."""
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                while conn.recv(1024):
                    pass

    def close(self) -> None:
        self._sock.close()


def test_a_stalled_mail_server_does_not_slow_the_answer(
    private_server: StartServer, tmp_path: Path
) -> None:
    tarpit = _Tarpit()
    try:
        server = private_server(
            tmp_path, extra_args=["--smtp-url", f"smtp://127.0.0.1:{tarpit.port}"]
        )
        with open_boto_client(server.base_url) as cognito:
            pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
            client_id = cognito.create_user_pool_client(
                UserPoolId=pool_id, ClientName="c", PreventUserExistenceErrors="ENABLED"
            )["UserPoolClient"]["ClientId"]
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username="ana",
                UserAttributes=[
                    {"Name": "email", "Value": "ana@example.com"},
                    {"Name": "email_verified", "Value": "true"},
                ],
                MessageAction="SUPPRESS",
            )
            cognito.admin_set_user_password(
                UserPoolId=pool_id, Username="ana", Password=PASSWORD, Permanent=True
            )
            started = time.perf_counter()
            cognito.forgot_password(ClientId=client_id, Username="ana")
            took = time.perf_counter() - started
    finally:
        tarpit.close()
    # smtplib waits up to its timeout for the greeting; the answer must not
    assert took < 2.0, took


def test_wrong_reset_codes_run_out_alike_for_real_and_unknown_users(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    user = make_user(hiding.pool_id, email=new_email())
    for name in (user.username, "nobody-here"):
        cognito.forgot_password(ClientId=hiding.client_id, Username=name)
        answers = [
            _answer(
                partial(
                    cognito.confirm_forgot_password,
                    ClientId=hiding.client_id,
                    Username=name,
                    ConfirmationCode="1234567",  # never a six-digit code
                    Password="Fr3sh-Passw0rd!",
                )
            )[0]
            for _ in range(6)
        ]
        assert answers == ["CodeMismatchException"] * 5 + ["LimitExceededException"], name


def test_a_user_without_a_password_is_locked_out_like_unknown_names(
    cognito: Any, hiding: App, make_user: MakeUser
) -> None:
    user = make_user(hiding.pool_id, email=new_email())
    cognito.admin_reset_user_password(UserPoolId=hiding.pool_id, Username=user.username)
    for _ in range(5):
        with cognito_error("NotAuthorizedException", "Incorrect username or password."):
            password_auth(cognito, hiding, user.username, WRONG)
    with cognito_error("NotAuthorizedException", "Password attempts exceeded"):
        password_auth(cognito, hiding, user.username, WRONG)


def test_a_disabled_user_gets_a_simulated_sign_up_code(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    app = make_client(
        make_pool(AutoVerifiedAttributes=["email"]), PreventUserExistenceErrors="ENABLED"
    )
    address = new_email()
    cognito.sign_up(
        ClientId=app.client_id,
        Username="ana",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    inbox.wait(address)
    cognito.admin_disable_user(UserPoolId=app.pool_id, Username="ana")

    cognito.resend_confirmation_code(ClientId=app.client_id, Username="ana")
    cognito.admin_enable_user(UserPoolId=app.pool_id, Username="ana")
    cognito.resend_confirmation_code(ClientId=app.client_id, Username="ana")

    inbox.wait(address, after=1)  # messages go out in order: this one came after
    assert inbox.count(address) == 2  # the answer to the disabled user said "sent"; nothing was
