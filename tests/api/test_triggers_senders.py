"""CustomEmailSender and CustomSMSSender through a real server: every code Recognito sends
on a channel with a sender goes to the function instead of SMTP or the SMS webhook,
encrypted with the AWS Encryption SDK (offline raw AES key, or a real KMS API: moto's
server), invoked from the outbox after the call answered. The functions decrypt the code
as AWS documents (tests/api/trigger_functions.py) and the tests use it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.support.server import run_recognito

from .conftest import delivery_args
from .support import (
    NEW_PASSWORD,
    PASSWORD,
    Inbox,
    ServerProcess,
    SmsCatcher,
    SmtpCatcher,
    admin_attributes,
    as_attributes,
    cognito_error,
    new_email,
    new_phone,
    open_boto_client,
    server_env,
    start_server,
    unique,
    user_status,
)
from .support.lambdas import arn
from .support.names import free_port
from .support.trigger_shapes import check_event
from .test_triggers import triggers_log
from .trigger_functions import codes_of, events_of

PYTHON = "python:tests.api.trigger_functions:"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SENDER = {"LambdaVersion": "V1_0", "LambdaArn": arn("py-sender")}
FAILING = {"LambdaVersion": "V1_0", "LambdaArn": arn("py-failing-sender")}
FUNCTIONS = {
    arn("py-sender"): PYTHON + "sender",
    arn("py-failing-sender"): PYTHON + "failing_sender",
    arn("py-record"): PYTHON + "record",
}


def _triggers_file(folder: Path) -> Path:
    table = folder / "triggers.toml"
    table.write_text("".join(f'"{k}" = "{v}"\n' for k, v in FUNCTIONS.items()))
    return table


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sender-key") / "sender.key"
    path.write_text(base64.b64encode(os.urandom(32)).decode())
    return path


@pytest.fixture(scope="module")
def offline_server(
    tmp_path_factory: pytest.TempPathFactory,
    log_dir: Path,
    smtp: SmtpCatcher,
    sms: SmsCatcher,
    key_file: Path,
) -> Iterator[ServerProcess]:
    """Offline mode: the key file is given as RECOGNITO_SENDER_KEY_FILE, which the
    in-process sender functions read too."""
    folder = tmp_path_factory.mktemp("senders")
    process = start_server(
        folder / "data",
        log_dir,
        extra_args=[*delivery_args(smtp, sms), "--triggers", str(_triggers_file(folder))],
        env={"RECOGNITO_SENDER_KEY_FILE": str(key_file)},
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def idp(offline_server: ServerProcess) -> Iterator[Any]:
    with open_boto_client(offline_server.base_url) as client:
        yield client


def make_app(idp: Any, **lambdas: Any) -> tuple[str, str]:
    """A pool emailing sign-up codes, with a KMS key and these triggers, and a client."""
    pool_id = idp.create_user_pool(
        PoolName=unique("senders"),
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"KMSKeyID": KEY_ARN, **lambdas},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def wait_codes(pool_id: str, count: int) -> list[tuple[str, str]]:
    """The first `count` codes the pool's sender decrypted: the invocation follows the
    answer, on the delivery thread."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = codes_of(pool_id)
        if len(found) >= count:
            return found[:count]
        time.sleep(0.05)
    raise AssertionError(f"the sender got {codes_of(pool_id)}, not {count} codes")


def sender_events(pool_id: str) -> list[dict[str, Any]]:
    return [e for e in events_of(pool_id) if "Sender_" in e["triggerSource"]]


def confirmed_user(idp: Any, pool_id: str, **attributes: str) -> str:
    username = unique("sd")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes(attributes),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


def outbox_rows(server: ServerProcess, recipient: str) -> list[dict[str, Any]]:
    proc = run_recognito("outbox", "--data-dir", str(server.data_dir), "--to", recipient, "--json")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_sign_up_and_resend_codes_go_encrypted_to_the_email_sender(
    idp: Any, inbox: Inbox, offline_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER)
    email, username = new_email(), unique("su")

    answer = idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": email}),
        ClientMetadata={"lang": "fr"},
    )
    [(source, first)] = wait_codes(pool_id, 1)
    idp.resend_confirmation_code(ClientId=client_id, Username=username)
    _, (again, second) = wait_codes(pool_id, 2)

    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert (source, again) == ("CustomEmailSender_SignUp", "CustomEmailSender_ResendCode")
    assert first.isdigit() and len(first) == 6
    signup_event, resend_event = sender_events(pool_id)
    check_event(signup_event, "CustomEmailSender_SignUp", pool_id)
    check_event(resend_event, "CustomEmailSender_ResendCode", pool_id)
    request = signup_event["request"]
    assert request["type"] == "customEmailSenderRequestV1"
    assert first not in request["code"]  # base64 of an Encryption SDK message
    assert request["clientMetadata"] == {"lang": "fr"}
    assert request["userAttributes"]["email"] == email
    assert request["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    assert signup_event["callerContext"]["clientId"] == client_id
    with cognito_error("CodeMismatchException"):  # the resent code replaced the first
        idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=second)
    assert user_status(idp, pool_id, username) == "CONFIRMED"
    assert inbox.count(email) == 0  # SMTP got nothing for the sender's channel
    log = triggers_log(offline_server, pool_id)
    assert [(e["trigger"], e["source"], e["outcome"]) for e in log] == [
        ("CustomEmailSender", "CustomEmailSender_SignUp", "ok"),
        ("CustomEmailSender", "CustomEmailSender_ResendCode", "ok"),
    ]


def test_the_sender_gets_password_reset_codes(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER)
    email = new_email()
    username = confirmed_user(idp, pool_id, email=email, email_verified="true")

    idp.forgot_password(ClientId=client_id, Username=username, ClientMetadata={"k": "v"})
    [(source, code)] = wait_codes(pool_id, 1)
    idp.confirm_forgot_password(
        ClientId=client_id, Username=username, ConfirmationCode=code, Password=NEW_PASSWORD
    )
    signed_in = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": NEW_PASSWORD},
    )
    idp.admin_reset_user_password(UserPoolId=pool_id, Username=username)
    _, (admin_source, _) = wait_codes(pool_id, 2)

    assert source == admin_source == "CustomEmailSender_ForgotPassword"
    assert "AccessToken" in signed_in["AuthenticationResult"]
    forgot, admin_reset = sender_events(pool_id)
    check_event(forgot, "CustomEmailSender_ForgotPassword", pool_id)
    assert forgot["request"]["clientMetadata"] == {"k": "v"}
    assert admin_reset["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert inbox.count(email) == 0


def test_the_sender_gets_attribute_codes_sent_to_the_new_address(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER)
    username = confirmed_user(idp, pool_id, email=new_email(), email_verified="true")
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    changed = new_email()

    idp.update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=as_attributes({"email": changed})
    )
    wait_codes(pool_id, 1)
    idp.get_user_attribute_verification_code(
        AccessToken=tokens["AccessToken"], AttributeName="email"
    )
    _, (source, code) = wait_codes(pool_id, 2)
    idp.verify_user_attribute(AccessToken=tokens["AccessToken"], AttributeName="email", Code=code)

    assert source == "CustomEmailSender_VerifyUserAttribute"
    update, verify = sender_events(pool_id)
    check_event(update, "CustomEmailSender_UpdateUserAttribute", pool_id)
    check_event(verify, "CustomEmailSender_VerifyUserAttribute", pool_id)
    assert update["request"]["userAttributes"]["email"] == changed
    assert admin_attributes(idp, pool_id, username)["email_verified"] == "true"
    assert inbox.count(changed) == 0


def test_the_temporary_password_reaches_the_sender_html_escaped(
    idp: Any, inbox: Inbox, key_file: Path
) -> None:
    from .trigger_functions import _decrypt

    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER)
    email, username, temporary = new_email(), unique("inv"), "Tmp<&>Pass1!"

    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=temporary,
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
        DesiredDeliveryMediums=["EMAIL"],
        ClientMetadata={"invite": "1"},
    )
    [(source, unescaped)] = wait_codes(pool_id, 1)

    assert source == "CustomEmailSender_AdminCreateUser"
    assert unescaped == temporary
    [event] = sender_events(pool_id)
    check_event(event, "CustomEmailSender_AdminCreateUser", pool_id)
    os.environ["RECOGNITO_SENDER_KEY_FILE"] = str(key_file)  # the test decrypts it too
    try:
        assert _decrypt(event["request"]["code"]) == "Tmp&lt;&amp;&gt;Pass1!"
    finally:
        del os.environ["RECOGNITO_SENDER_KEY_FILE"]
    assert event["request"]["clientMetadata"] == {"invite": "1"}
    step = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": unescaped},
    )
    assert step["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert inbox.count(email) == 0


def test_the_sms_mfa_code_goes_to_the_sms_sender(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomSMSSender=SENDER)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    phone = new_phone()
    username = confirmed_user(idp, pool_id, phone_number=phone, phone_number_verified="true")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SMSMfaSettings={"Enabled": True}
    )

    step, source, done = _mfa_sign_in(idp, pool_id, client_id, username, "SMS_MFA_CODE")

    assert step["ChallengeName"] == "SMS_MFA" and source == "CustomSMSSender_Authentication"
    assert "AccessToken" in done["AuthenticationResult"]
    [event] = sender_events(pool_id)
    check_event(event, "CustomSMSSender_Authentication", pool_id)
    assert event["request"]["type"] == "customSMSSenderRequestV1"
    assert "clientMetadata" not in event["request"]  # InitiateAuth's never reaches it
    assert inbox.count(phone) == 0


def test_the_email_mfa_code_goes_to_the_email_sender(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
    )
    email = new_email()
    username = confirmed_user(idp, pool_id, email=email, email_verified="true")
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, EmailMfaSettings={"Enabled": True}
    )

    step, source, done = _mfa_sign_in(idp, pool_id, client_id, username, "EMAIL_OTP_CODE")

    assert step["ChallengeName"] == "EMAIL_OTP" and source == "CustomEmailSender_Authentication"
    assert "AccessToken" in done["AuthenticationResult"]
    [event] = sender_events(pool_id)
    check_event(event, "CustomEmailSender_Authentication", pool_id)
    assert inbox.count(email) == 0


def test_a_passwordless_sms_code_goes_to_the_sms_sender(idp: Any, inbox: Inbox) -> None:
    """USER_AUTH SMS_OTP: the 8-digit code reaches CustomSMSSender_Authentication."""
    pool_id = idp.create_user_pool(
        PoolName=unique("senders"),
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "SMS_OTP"]}},
        LambdaConfig={"KMSKeyID": KEY_ARN, "CustomSMSSender": SENDER},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_AUTH"]
    )["UserPoolClient"]["ClientId"]
    phone = new_phone()
    username = confirmed_user(idp, pool_id, phone_number=phone, phone_number_verified="true")

    step = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": username, "PREFERRED_CHALLENGE": "SMS_OTP"},
    )
    [(source, code)] = wait_codes(pool_id, 1)
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_OTP",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "SMS_OTP_CODE": code},
    )

    assert source == "CustomSMSSender_Authentication" and len(code) == 8
    assert "AccessToken" in done["AuthenticationResult"]
    assert inbox.count(phone) == 0


def test_custom_message_does_not_run_for_a_channel_with_a_sender(
    idp: Any, offline_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=SENDER, CustomMessage=arn("py-record"))

    idp.sign_up(
        ClientId=client_id,
        Username=unique("cm"),
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": new_email()}),
    )
    wait_codes(pool_id, 1)

    assert [e["triggerSource"] for e in events_of(pool_id)] == ["CustomEmailSender_SignUp"]
    assert [e["trigger"] for e in triggers_log(offline_server, pool_id)] == ["CustomEmailSender"]


def test_a_failing_sender_is_retried_and_its_row_holds_no_plaintext_code(
    idp: Any, offline_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, CustomEmailSender=FAILING)
    email = new_email()

    idp.sign_up(
        ClientId=client_id,
        Username=unique("fs"),
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": email}),
    )
    [(_, code)] = wait_codes(pool_id, 1)

    deadline = time.monotonic() + 10  # the failure is recorded just after the call
    while not (rows := outbox_rows(offline_server, email))[0]["attempts"]:
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)
    [row] = rows
    assert row["channel"] == "custom-email" and row["status"] == "queued"
    assert row["next_attempt_at"] is not None  # to be tried again
    assert row["error"] == "CustomEmailSender failed with error mail service unavailable."
    assert code not in row["body"]
    stored = json.loads(row["body"])["event"]
    assert stored == sender_events(pool_id)[0]  # the event, its code encrypted
    tries = triggers_log(offline_server, pool_id)  # a slow machine may see the retry too
    assert tries and {e["outcome"] for e in tries} == {"UserLambdaValidationException"}


def test_a_sender_without_a_kms_key_is_refused(idp: Any) -> None:
    pool_id, _ = make_app(idp)
    message = "A KMSKeyID is required when CustomEmailSender or CustomSMSSender is set."

    with cognito_error("InvalidParameterException", message):
        idp.create_user_pool(PoolName=unique("nk"), LambdaConfig={"CustomEmailSender": SENDER})
    with cognito_error("InvalidParameterException", message):
        idp.update_user_pool(UserPoolId=pool_id, LambdaConfig={"CustomSMSSender": SENDER})


def test_a_server_that_cannot_encrypt_fails_the_call(
    log_dir: Path, tmp_path: Path, inbox: Inbox
) -> None:
    """No --kms-endpoint-url nor --sender-key-file: the code is never sent another way."""
    process = start_server(
        tmp_path / "data", log_dir, extra_args=["--triggers", str(_triggers_file(tmp_path))]
    )
    try:
        with open_boto_client(process.base_url) as plain:
            pool_id, client_id = make_app(plain, CustomEmailSender=SENDER)
            username = unique("ne")
            with cognito_error(
                "UnexpectedLambdaException",
                "CustomEmailSender invocation failed due to error KMSKeyNotConfigured",
            ):
                plain.sign_up(
                    ClientId=client_id,
                    Username=username,
                    Password=PASSWORD,
                    UserAttributes=as_attributes({"email": new_email()}),
                )
            with cognito_error("UserNotFoundException"):  # nothing half-done
                plain.admin_get_user(UserPoolId=pool_id, Username=username)
    finally:
        process.stop()


@pytest.fixture(scope="module")
def kms() -> Iterator[str]:
    """moto's server: a real KMS API over HTTP on a free local port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "moto did not start"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kms_mode_encrypts_under_the_pools_key_at_the_kms_endpoint(
    kms: str, log_dir: Path, tmp_path: Path, smtp: SmtpCatcher, sms: SmsCatcher, inbox: Inbox
) -> None:
    import boto3

    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    client = boto3.client(
        "kms",
        endpoint_url=kms,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    key_arn = client.create_key(Description="recognito senders")["KeyMetadata"]["Arn"]
    client.close()
    process = start_server(
        tmp_path / "data",
        log_dir,
        extra_args=[
            *delivery_args(smtp, sms),
            "--triggers",
            str(_triggers_file(tmp_path)),
            "--kms-endpoint-url",
            kms,
        ],
        env={
            **credentials,
            "AWS_ENDPOINT_URL_KMS": kms,  # for the function's own KMS client
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        },
    )
    try:
        with open_boto_client(process.base_url) as kms_idp:
            pool_id = kms_idp.create_user_pool(
                PoolName=unique("kms"),
                AutoVerifiedAttributes=["email"],
                LambdaConfig={"KMSKeyID": key_arn, "CustomEmailSender": SENDER},
            )["UserPool"]["Id"]
            client_id = kms_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
                "UserPoolClient"
            ]["ClientId"]
            email, username = new_email(), unique("km")
            kms_idp.sign_up(
                ClientId=client_id,
                Username=username,
                Password=PASSWORD,
                UserAttributes=as_attributes({"email": email}),
            )
            [(source, code)] = wait_codes(pool_id, 1)
            kms_idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)

            assert source == "CustomEmailSender_SignUp"
            assert user_status(kms_idp, pool_id, username) == "CONFIRMED"
            assert inbox.count(email) == 0
            [event] = sender_events(pool_id)
            check_event(event, "CustomEmailSender_SignUp", pool_id)
            # the message names the pool's KMS key: KMS mode, not the offline key
            assert key_arn.encode() in base64.b64decode(event["request"]["code"])
    finally:
        process.stop()


def test_an_unreadable_sender_key_file_stops_the_server_at_start(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text(base64.b64encode(b"too short").decode())

    proc = run_recognito(
        "serve",
        "--data-dir",
        str(tmp_path / "data"),
        "--port",
        "1",
        "--sender-key-file",
        str(short),
        env={**server_env()},
    )

    assert proc.returncode != 0
    assert "must hold a 256-bit key" in proc.stderr


def _mfa_sign_in(
    idp: Any, pool_id: str, client_id: str, username: str, code_key: str
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A password sign-in answered with the code the sender function received: the
    challenge, the code's trigger source, the answer."""
    step = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    [(source, code)] = wait_codes(pool_id, 1)
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=step["ChallengeName"],
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, code_key: code},
    )
    return step, source, done
