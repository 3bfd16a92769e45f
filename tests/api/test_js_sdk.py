"""A real third-party JavaScript client: `amazon-cognito-identity-js` (the SDK of Amplify v5).

`tests/js/flows.mjs` drives the SDK (SRP sign-in by default) in Node; the pinned SDK is
installed once (`npm ci`, the `js_packages` fixture of tests/api/support/node.py). This module
starts a server of its own that keeps messages in its outbox, prepares pools and users with
boto3 and checks what each SDK flow achieved.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest

from .support import (
    CODE_RE,
    NEW_PASSWORD,
    PASSWORD,
    REPO_ROOT,
    TEMP_PASSWORD,
    ServerProcess,
    as_attributes,
    mask_email,
    new_email,
    open_boto_client,
    server_env,
    start_server,
    unique,
    user_status,
)
from .support.node import JS_DIR
from .trigger_functions import events_of

FLOWS = JS_DIR / "flows.mjs"
FLOW_TIMEOUT = 60

WRONG_PASSWORD = "Incorrect username or password."


# --------------------------------------------------------------------------- server and pools


@pytest.fixture(scope="session")
def sdk_server(
    js_packages: None, tmp_path_factory: pytest.TempPathFactory, log_dir: Path
) -> Iterator[ServerProcess]:
    """A server of this module's own, with no SMTP: messages stay in its outbox."""
    process = start_server(tmp_path_factory.mktemp("js-sdk-data"), log_dir)
    yield process
    process.stop()


@pytest.fixture(scope="session")
def admin(sdk_server: ServerProcess) -> Iterator[Any]:
    with open_boto_client(sdk_server.base_url) as client:
        yield client


@dataclass(frozen=True)
class SdkApp:
    """A pool and its secret-less app client (default auth flows, so SRP), as the SDK sees it."""

    endpoint: str
    pool_id: str
    client_id: str

    def run(self, flow: str, username: str, **params: Any) -> dict[str, Any]:
        """Run `node tests/js/flows.mjs <flow>` and return the JSON it prints."""
        payload = {
            "endpoint": self.endpoint,
            "poolId": self.pool_id,
            "clientId": self.client_id,
            "username": username,
            **params,
        }
        proc = subprocess.run(
            ["node", str(FLOWS), flow],
            input=json.dumps(payload),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=FLOW_TIMEOUT,
            check=False,
        )
        assert proc.returncode == 0, (flow, proc.returncode, proc.stderr)
        result: dict[str, Any] = json.loads(proc.stdout)
        return result

    def sign_in(self, username: str, password: str) -> dict[str, Any]:
        """SRP sign-in that must succeed; returns the ID token's payload."""
        result = self.run("signIn", username, password=password)
        assert result["ok"] is True, result
        payload: dict[str, Any] = result["idTokenPayload"]
        return payload


@pytest.fixture
def sdk_app(admin: Any, sdk_server: ServerProcess) -> SdkApp:
    """A fresh pool (email auto-verified) with a client created with every default."""
    pool_id = admin.create_user_pool(PoolName=unique("js-sdk"), AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client = admin.create_user_pool_client(UserPoolId=pool_id, ClientName=unique("js-app"))
    assert "ClientSecret" not in client["UserPoolClient"]
    return SdkApp(f"{sdk_server.base_url}/", pool_id, client["UserPoolClient"]["ClientId"])


def create_user(
    admin: Any, app: SdkApp, email: str, *, password: str = PASSWORD, permanent: bool = True
) -> str:
    """AdminCreateUser (nothing sent) with a verified email; CONFIRMED unless not `permanent`."""
    username = unique("js-user")
    admin.admin_create_user(
        UserPoolId=app.pool_id,
        Username=username,
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
    )
    if permanent:
        admin.admin_set_user_password(
            UserPoolId=app.pool_id, Username=username, Password=password, Permanent=True
        )
    return username


def outbox_code(data_dir: Path, recipient: str) -> str:
    """The 6-digit code in the newest outbox message to `recipient`."""
    proc = subprocess.run(
        [sys.executable, "-m", "recognito", "outbox", "--data-dir", str(data_dir)]
        + ["--to", recipient, "--json"],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert rows, f"no outbox message to {recipient}"
    match = CODE_RE.search(str(rows[0]["body"]))  # latest first
    assert match is not None, rows[0]
    return match.group(0)


# the trigger functions of the custom authentication tests (tests/api/trigger_functions.py)
CUSTOM_FUNCTIONS = ("define_magic", "define_password_first", "create_magic", "verify_magic")


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:js-{name.replace('_', '-')}"


@pytest.fixture(scope="session")
def trigger_sdk_server(
    js_packages: None, tmp_path_factory: pytest.TempPathFactory, log_dir: Path
) -> Iterator[ServerProcess]:
    """A server running the custom authentication functions in its own process."""
    folder = tmp_path_factory.mktemp("js-sdk-triggers")
    table = folder / "triggers.toml"
    table.write_text(
        "".join(
            f'"{function_arn(name)}" = "python:tests.api.trigger_functions:{name}"\n'
            for name in CUSTOM_FUNCTIONS
        )
    )
    process = start_server(folder / "data", log_dir, extra_args=["--triggers", str(table)])
    yield process
    process.stop()


def custom_sdk_app(trigger_sdk_server: ServerProcess, define: str) -> SdkApp:
    """A pool whose custom authentication is `define` with the magic-number challenge, and a
    client allowing CUSTOM_AUTH and SRP (the SDK's own flows)."""
    lambdas = {
        "DefineAuthChallenge": function_arn(define),
        "CreateAuthChallenge": function_arn("create_magic"),
        "VerifyAuthChallengeResponse": function_arn("verify_magic"),
    }
    with open_boto_client(trigger_sdk_server.base_url) as idp:
        pool_id = idp.create_user_pool(PoolName=unique("js-custom"), LambdaConfig=lambdas)[
            "UserPool"
        ]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=unique("js-app"),
            ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH"],
        )["UserPoolClient"]["ClientId"]
    return SdkApp(f"{trigger_sdk_server.base_url}/", pool_id, client_id)


# --------------------------------------------------------------------------- tests


def test_srp_sign_in_returns_an_id_token_for_the_user(admin: Any, sdk_app: SdkApp) -> None:
    username = create_user(admin, sdk_app, new_email("srp"))

    claims = sdk_app.sign_in(username, PASSWORD)

    assert claims["cognito:username"] == username
    assert claims["token_use"] == "id"


def test_new_password_challenge_leaves_the_user_confirmed(admin: Any, sdk_app: SdkApp) -> None:
    username = create_user(admin, sdk_app, new_email("forced"), permanent=False)
    assert user_status(admin, sdk_app.pool_id, username) == "FORCE_CHANGE_PASSWORD"

    result = sdk_app.run(
        "signInNewPassword", username, password=TEMP_PASSWORD, newPassword=NEW_PASSWORD
    )

    assert result["ok"] is True, result
    assert result["idTokenPayload"]["cognito:username"] == username
    assert user_status(admin, sdk_app.pool_id, username) == "CONFIRMED"


def test_wrong_password_is_rejected_as_not_authorized(admin: Any, sdk_app: SdkApp) -> None:
    username = create_user(admin, sdk_app, new_email("wrong"))

    result = sdk_app.run("wrongPassword", username, password=PASSWORD + "x")

    assert result == {"ok": False, "code": "NotAuthorizedException", "message": WRONG_PASSWORD}


def test_sign_up_creates_an_unconfirmed_user_and_reports_the_masked_email(
    admin: Any, sdk_app: SdkApp
) -> None:
    username, email = unique("js-signup"), new_email("signup")

    result = sdk_app.run("signUp", username, password=PASSWORD, attributes={"email": email})

    assert result["ok"] is True, result
    assert result["userConfirmed"] is False
    assert result["codeDeliveryDetails"] == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    user = admin.admin_get_user(UserPoolId=sdk_app.pool_id, Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"
    assert {"Name": "sub", "Value": result["userSub"]} in user["UserAttributes"]


def test_forgot_password_reports_a_masked_email_destination(admin: Any, sdk_app: SdkApp) -> None:
    email = new_email("forgot")
    username = create_user(admin, sdk_app, email)

    result = sdk_app.run("forgotPassword", username)

    assert result == {
        "ok": True,
        "codeDeliveryDetails": {
            "Destination": mask_email(email),
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        },
    }


def test_confirm_password_with_the_emailed_code_sets_the_new_password(
    admin: Any, sdk_app: SdkApp, sdk_server: ServerProcess
) -> None:
    email = new_email("reset")
    username = create_user(admin, sdk_app, email)
    assert sdk_app.run("forgotPassword", username)["ok"] is True
    code = outbox_code(sdk_server.data_dir, email)

    result = sdk_app.run("confirmPassword", username, code=code, newPassword=NEW_PASSWORD)

    assert result == {"ok": True, "result": "SUCCESS"}
    assert sdk_app.sign_in(username, NEW_PASSWORD)["cognito:username"] == username


def test_change_password_replaces_the_old_password(admin: Any, sdk_app: SdkApp) -> None:
    username = create_user(admin, sdk_app, new_email("change"))

    result = sdk_app.run("changePassword", username, password=PASSWORD, newPassword=NEW_PASSWORD)

    assert result == {"ok": True, "result": "SUCCESS"}
    assert sdk_app.sign_in(username, NEW_PASSWORD)["cognito:username"] == username
    old = sdk_app.run("signIn", username, password=PASSWORD)
    assert old == {"ok": False, "code": "NotAuthorizedException", "message": WRONG_PASSWORD}


def test_custom_challenges_answered_through_initiate_auth_sign_in(
    trigger_sdk_server: ServerProcess,
) -> None:
    app = custom_sdk_app(trigger_sdk_server, "define_magic")
    with open_boto_client(trigger_sdk_server.base_url) as idp:
        username = create_user(idp, app, new_email("custom"))

    # round n asks for 7 * n (trigger_functions.create_magic)
    result = app.run("customChallenge", username, answers={"1": "7", "2": "14"})

    assert result["ok"] is True, result
    assert result["rounds"] == [
        {"round": "1", "USERNAME": username},
        {"round": "2", "USERNAME": username},
    ]
    assert result["idTokenPayload"]["cognito:username"] == username
    assert result["hasRefreshToken"] is True


def test_a_wrong_custom_answer_fails_the_sdk_sign_in(trigger_sdk_server: ServerProcess) -> None:
    app = custom_sdk_app(trigger_sdk_server, "define_magic")
    with open_boto_client(trigger_sdk_server.base_url) as idp:
        username = create_user(idp, app, new_email("custom-wrong"))

    result = app.run("customChallenge", username, answers={"1": "7", "2": "15"})

    assert result == {"ok": False, "code": "NotAuthorizedException", "message": WRONG_PASSWORD}


def test_authenticate_user_with_custom_auth_proves_the_password_first(
    trigger_sdk_server: ServerProcess,
) -> None:
    app = custom_sdk_app(trigger_sdk_server, "define_password_first")
    with open_boto_client(trigger_sdk_server.base_url) as idp:
        username = create_user(idp, app, new_email("custom-srp"))

    # SRP_A and PASSWORD_VERIFIER are rounds 1 and 2: the custom one is round 3
    result = app.run(
        "customChallengeAfterPassword", username, password=PASSWORD, answers={"3": "21"}
    )

    assert result["ok"] is True, result
    assert result["rounds"] == [{"round": "3", "USERNAME": username}]
    assert result["idTokenPayload"]["cognito:username"] == username
    defines = [e for e in events_of(app.pool_id) if e["triggerSource"].startswith("Define")]
    assert [[r["challengeName"] for r in e["request"]["session"]] for e in defines] == [
        ["SRP_A"],
        ["SRP_A", "PASSWORD_VERIFIER"],
        ["SRP_A", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"],
    ]
    wrong = app.run(
        "customChallengeAfterPassword", username, password=PASSWORD + "x", answers={"3": "21"}
    )
    assert wrong == {"ok": False, "code": "NotAuthorizedException", "message": WRONG_PASSWORD}


def test_a_remembered_device_signs_in_again_without_mfa(
    admin: Any, sdk_server: ServerProcess
) -> None:
    """The SDK confirms the device a TOTP sign-in handed out, remembers it
    (setDeviceStatusRemembered), then signs in again: DEVICE_SRP_AUTH and
    DEVICE_PASSWORD_VERIFIER, computed by the SDK, stand in for the TOTP code."""
    pool_id = admin.create_user_pool(
        PoolName=unique("js-devices"),
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )["UserPool"]["Id"]
    admin.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=unique("js-app"),
        ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    app = SdkApp(f"{sdk_server.base_url}/", pool_id, client_id)
    username = create_user(admin, app, new_email("js-device"))
    token = admin.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    authenticator = pyotp.TOTP(admin.associate_software_token(AccessToken=token)["SecretCode"])
    admin.verify_software_token(AccessToken=token, UserCode=authenticator.now())
    admin.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SoftwareTokenMfaSettings={"Enabled": True}
    )

    code = str(authenticator.at(time.time() + 30))  # newer than the code just used
    result = app.run("rememberDevice", username, password=PASSWORD, totpCode=code)

    assert result["ok"] is True, result
    assert result["confirmationNecessary"] is True
    assert result["secondDeviceKey"] == result["deviceKey"]
    assert result["deviceKey"] in result["listedKeys"]
    assert result["accessTokenPayload"]["username"] == username
    device = admin.admin_get_device(
        UserPoolId=pool_id, Username=username, DeviceKey=result["deviceKey"]
    )["Device"]
    status = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert status["dev:device_remembered_status"] == "remembered"
