"""Lambda triggers through a real server: PreSignUp and PostConfirmation reached as an
HTTP hook, an in-process Python callable and the Lambda Invoke API (a local server
speaking it, checking SigV4), through boto3 and the AWS CLI; events checked against
Cognito's shapes; failures mapped to Cognito's errors; each call in `triggers log`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.support.server import run_recognito

from .conftest import delivery_args
from .support import (
    NEW_PASSWORD,
    PASSWORD,
    AwsCli,
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
from .support.lambdas import HookServer, LambdaApi, arn
from .support.server import REPO_ROOT
from .support.trigger_shapes import check_event
from .trigger_functions import events_of

PYTHON = "python:tests.api.trigger_functions:"


@pytest.fixture(scope="module")
def hooks() -> Iterator[HookServer]:
    server = HookServer()
    server.start_serving()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lambda_api() -> Iterator[LambdaApi]:
    server = LambdaApi()
    server.start_serving()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def trigger_server(
    tmp_path_factory: pytest.TempPathFactory,
    log_dir: Path,
    smtp: SmtpCatcher,
    sms: SmsCatcher,
    hooks: HookServer,
    lambda_api: LambdaApi,
) -> Iterator[ServerProcess]:
    """A server whose --triggers file maps `hook-<name>` ARNs to the hook server and
    `py-<name>` ARNs to callables; any other ARN goes to the local Lambda API."""
    folder = tmp_path_factory.mktemp("triggers")
    mapping = {
        arn(f"hook-{name}"): hooks.url(name)
        for name in (
            "echo",
            "auto-confirm",
            "fail",
            "null",
            "drop-envelope",
            "string-flag",
            "slow",
            "custom-message",
            "message-without-code",
        )
    }
    mapping |= {
        arn(f"py-{name.replace('_', '-')}"): PYTHON + name
        for name in (
            "record",
            "auto_confirm",
            "refuse",
            "pretoken_v1",
            "pretoken_v2",
            "pretoken_v1_shape",
            "pretoken_array_v1",
            "migrate",
            "define_magic",
            "create_magic",
            "verify_magic",
            "define_password_first",
            "define_password_only",
        )
    }
    table = folder / "triggers.toml"
    table.write_text("".join(f'"{k}" = "{v}"\n' for k, v in mapping.items()))
    process = start_server(
        folder / "data",
        log_dir,
        extra_args=[
            *delivery_args(smtp, sms),
            "--triggers",
            str(table),
            "--lambda-endpoint-url",
            lambda_api.endpoint,
            "--trigger-timeout",
            "1",
        ],
        env={
            "AWS_ACCESS_KEY_ID": lambda_api.access_key,
            "AWS_SECRET_ACCESS_KEY": "trigger-tests-secret",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(folder / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-credentials"),
        },
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def idp(trigger_server: ServerProcess) -> Iterator[Any]:
    with open_boto_client(trigger_server.base_url) as client:
        yield client


def make_app(idp: Any, **lambdas: Any) -> tuple[str, str]:
    """A pool emailing sign-up codes with these LambdaConfig triggers, and a client."""
    pool_id = idp.create_user_pool(
        PoolName=unique("triggers"), AutoVerifiedAttributes=["email"], LambdaConfig=lambdas
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def sign_up(idp: Any, client_id: str, username: str, email: str, **extra: Any) -> Any:
    return idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": email, "name": "Ann"}),
        **extra,
    )


def triggers_log(server: ServerProcess, pool_id: str) -> list[dict[str, Any]]:
    """`recognito triggers log --pool P --json`, oldest first."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "recognito",
            "triggers",
            "log",
            "--data-dir",
            str(server.data_dir),
            "--pool",
            pool_id,
            "--json",
        ],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in reversed(proc.stdout.splitlines())]


def sms_mfa_user(idp: Any, pool_id: str, prefix: str) -> tuple[str, str]:
    """Optional SMS MFA for the pool, and a user with a verified phone who signs in with it
    (a password, then the code): (phone, username)."""
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    phone, username = new_phone(), unique(prefix)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"phone_number": phone, "phone_number_verified": "true"}),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SMSMfaSettings={"Enabled": True}
    )
    return phone, username


def test_pre_sign_up_hook_auto_confirms_and_verifies_then_post_confirmation_runs_once(
    idp: Any, hooks: HookServer, trigger_server: ServerProcess, inbox: Inbox
) -> None:
    pool_id, client_id = make_app(
        idp, PreSignUp=arn("hook-auto-confirm"), PostConfirmation=arn("hook-echo")
    )
    email, username = new_email(), unique("ann")

    answer = sign_up(
        idp,
        client_id,
        username,
        email,
        ValidationData=as_attributes({"invite": "X1"}),
        ClientMetadata={"campaign": "spring"},
    )

    assert answer["UserConfirmed"] is True and "CodeDeliveryDetails" not in answer
    assert user_status(idp, pool_id, username) == "CONFIRMED"
    assert admin_attributes(idp, pool_id, username)["email_verified"] == "true"
    assert inbox.count(email) == 0  # no confirmation code for a confirmed user
    pre, post = hooks.events(pool_id, "auto-confirm"), hooks.events(pool_id, "echo")
    assert len(pre) == 1 and len(post) == 1
    check_event(pre[0], "PreSignUp_SignUp", pool_id)
    assert pre[0]["userName"] == username
    assert pre[0]["callerContext"]["clientId"] == client_id
    assert pre[0]["callerContext"]["awsSdkVersion"].startswith("aws-sdk-python-")
    assert pre[0]["request"]["userAttributes"] == {"email": email, "name": "Ann"}
    assert pre[0]["request"]["validationData"] == {"invite": "X1"}
    assert pre[0]["request"]["clientMetadata"] == {"campaign": "spring"}
    check_event(post[0], "PostConfirmation_ConfirmSignUp", pool_id)
    assert "clientMetadata" not in post[0]["request"]  # as observed on Cognito
    assert post[0]["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert post[0]["request"]["userAttributes"]["email_verified"] == "true"
    log = triggers_log(trigger_server, pool_id)
    assert [(e["trigger"], e["source"], e["outcome"]) for e in log] == [
        ("PreSignUp", "PreSignUp_SignUp", "ok"),
        ("PostConfirmation", "PostConfirmation_ConfirmSignUp", "ok"),
    ]


def test_pre_sign_up_default_answer_leaves_the_user_unconfirmed_with_a_code(
    idp: Any, hooks: HookServer, inbox: Inbox
) -> None:
    pool_id, client_id = make_app(idp, PreSignUp=arn("hook-echo"))
    email, username = new_email(), unique("bob")

    answer = sign_up(idp, client_id, username, email)

    assert answer["UserConfirmed"] is False
    assert user_status(idp, pool_id, username) == "UNCONFIRMED"
    inbox.wait_code(email)
    [event] = hooks.events(pool_id)
    check_event(event, "PreSignUp_SignUp", pool_id)
    assert event["request"]["validationData"] is None  # not sent: null
    assert "clientMetadata" not in event["request"]  # not sent: left out


def test_a_failing_pre_sign_up_creates_nobody(idp: Any, trigger_server: ServerProcess) -> None:
    pool_id, client_id = make_app(idp, PreSignUp=arn("hook-fail"))
    username = unique("eve")

    with cognito_error(
        "UserLambdaValidationException",
        "PreSignUp failed with error Registration from this domain is not allowed..",
    ):
        sign_up(idp, client_id, username, new_email())

    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)
    [entry] = triggers_log(trigger_server, pool_id)
    assert entry["outcome"] == "UserLambdaValidationException"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hook-null", "Invalid JSON"),
        ("hook-drop-envelope", "Invalid version. Version should be 1"),
        ("hook-string-flag", "Unrecognizable lambda output"),
    ],
)
def test_an_unusable_answer_is_an_invalid_lambda_response(
    idp: Any, name: str, message: str
) -> None:
    pool_id, client_id = make_app(idp, PreSignUp=arn(name))
    username = unique("zed")

    with cognito_error("InvalidLambdaResponseException", message):
        sign_up(idp, client_id, username, new_email())

    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


def test_a_slow_function_times_out_as_cognito_reports_it(idp: Any) -> None:
    _, client_id = make_app(idp, PreSignUp=arn("hook-slow"))

    with cognito_error(
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
    ):
        sign_up(idp, client_id, unique("sam"), new_email())


def test_an_arn_no_setting_reaches_fails_the_call(log_dir: Path, tmp_path: Path) -> None:
    """Without --triggers or --lambda-endpoint-url the trigger is never silently skipped."""
    process = start_server(tmp_path / "data", log_dir)
    try:
        with open_boto_client(process.base_url) as plain:
            _, client_id = make_app(plain, PreSignUp=arn("anything"))
            with cognito_error(
                "UnexpectedLambdaException",
                "PreSignUp invocation failed due to error ResourceNotFoundException",
            ):
                sign_up(plain, client_id, unique("ned"), new_email())
    finally:
        process.stop()


def test_confirm_sign_up_runs_a_python_post_confirmation_with_client_metadata(
    idp: Any, inbox: Inbox, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, PostConfirmation=arn("py-record"))
    email, username = new_email(), unique("cy")
    sign_up(idp, client_id, username, email)

    idp.confirm_sign_up(
        ClientId=client_id,
        Username=username,
        ConfirmationCode=inbox.wait_code(email),
        ClientMetadata={"source": "mobile"},
    )

    [event] = events_of(pool_id)
    check_event(event, "PostConfirmation_ConfirmSignUp", pool_id)
    assert event["request"]["clientMetadata"] == {"source": "mobile"}
    attributes = event["request"]["userAttributes"]
    assert attributes["cognito:user_status"] == "CONFIRMED"
    assert attributes["email_verified"] == "true" and attributes["sub"]
    log = triggers_log(trigger_server, pool_id)
    assert [(e["trigger"], e["outcome"]) for e in log] == [("PostConfirmation", "ok")]


def test_a_failing_post_confirmation_keeps_the_confirmation(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, PostConfirmation=arn("py-refuse"))
    email, username = new_email(), unique("di")
    sign_up(idp, client_id, username, email)

    with cognito_error("UserLambdaValidationException", "PostConfirmation failed with error 'k'."):
        idp.confirm_sign_up(
            ClientId=client_id, Username=username, ConfirmationCode=inbox.wait_code(email)
        )

    assert user_status(idp, pool_id, username) == "CONFIRMED"


def test_confirm_forgot_password_runs_post_confirmation(
    idp: Any, inbox: Inbox, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, PostConfirmation=arn("py-record"))
    email, username = new_email(), unique("fo")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    idp.forgot_password(ClientId=client_id, Username=username)

    idp.confirm_forgot_password(
        ClientId=client_id,
        Username=username,
        ConfirmationCode=inbox.wait_code(email),
        Password=NEW_PASSWORD,
        ClientMetadata={"k": "v"},
    )

    [event] = events_of(pool_id)
    check_event(event, "PostConfirmation_ConfirmForgotPassword", pool_id)
    assert event["request"]["clientMetadata"] == {"k": "v"}
    assert [e["source"] for e in triggers_log(trigger_server, pool_id)] == [
        "PostConfirmation_ConfirmForgotPassword"
    ]


def test_admin_create_user_runs_pre_sign_up_and_ignores_its_flags(idp: Any) -> None:
    pool_id, _ = make_app(idp, PreSignUp=arn("py-auto-confirm"))
    username = unique("ad")

    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        ValidationData=as_attributes({"from": "admin"}),
        ClientMetadata={"op": "import"},
    )

    assert user_status(idp, pool_id, username) == "FORCE_CHANGE_PASSWORD"
    [event] = events_of(pool_id)
    check_event(event, "PreSignUp_AdminCreateUser", pool_id)
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"]["validationData"] == {"from": "admin"}
    assert event["request"]["clientMetadata"] == {"op": "import"}


def test_admin_confirm_sign_up_runs_post_confirmation(idp: Any) -> None:
    pool_id, client_id = make_app(idp, PostConfirmation=arn("py-record"))
    username = unique("ac")
    sign_up(idp, client_id, username, new_email())

    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)

    [event] = events_of(pool_id)
    check_event(event, "PostConfirmation_ConfirmSignUp", pool_id)
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"


def test_the_lambda_invoke_api_is_called_signed_in_the_arns_region(
    idp: Any, lambda_api: LambdaApi
) -> None:
    pool_id, client_id = make_app(idp, PreSignUp=arn("auto-confirm", "eu-west-1"))
    username = unique("la")

    answer = sign_up(idp, client_id, username, new_email())

    assert answer["UserConfirmed"] is True
    [call] = lambda_api.calls(pool_id)
    assert call.name == "auto-confirm"
    assert lambda_api.signed_region(call) == "eu-west-1"
    assert call.headers["X-Amz-Invocation-Type"] == "RequestResponse"
    check_event(call.event, "PreSignUp_SignUp", pool_id)


def test_a_lambda_function_error_and_a_missing_function(idp: Any) -> None:
    _, failing = make_app(idp, PreSignUp=arn("fail"))
    _, missing = make_app(idp, PreSignUp=arn("no-such-function"))

    with cognito_error(
        "UserLambdaValidationException",
        "PreSignUp failed with error Registration from this domain is not allowed..",
    ):
        sign_up(idp, failing, unique("lf"), new_email())
    with cognito_error(
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error ResourceNotFoundException",
    ):
        sign_up(idp, missing, unique("lm"), new_email())


def test_an_auto_confirmed_sign_up_signs_in_with_its_session(idp: Any) -> None:
    """PreSignUp confirmed the user: SignUp's own Session signs them in (Amplify's
    autoSignIn without ConfirmSignUp)."""
    pool_id, _ = make_app(idp, PreSignUp=arn("hook-auto-confirm"))
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="ua", ExplicitAuthFlows=["ALLOW_USER_AUTH"]
    )["UserPoolClient"]["ClientId"]
    username = unique("ac")

    signed_up = sign_up(idp, client_id, username, new_email())
    done = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": username},
        Session=signed_up["Session"],
    )

    assert signed_up["UserConfirmed"] is True
    assert "AccessToken" in done["AuthenticationResult"]


def test_cli_sign_up_reaches_the_hook_with_the_clis_sdk_version(
    trigger_server: ServerProcess, idp: Any, hooks: HookServer, tmp_path: Path
) -> None:
    pool_id, client_id = make_app(idp, PreSignUp=arn("hook-auto-confirm"))
    aws = AwsCli(trigger_server.base_url, tmp_path)
    username = unique("cli")

    result = aws(
        "sign-up",
        "--client-id",
        client_id,
        "--username",
        username,
        "--password",
        PASSWORD,
        "--user-attributes",
        f"Name=email,Value={new_email()}",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["UserConfirmed"] is True
    [event] = hooks.events(pool_id)
    check_event(event, "PreSignUp_SignUp", pool_id)
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-cli-1.")


def user_in(idp: Any, pool_id: str) -> str:
    username = unique("si")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"email": new_email(), "email_verified": "true"}),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


def password_sign_in(idp: Any, client_id: str, username: str, password: str, **extra: Any) -> Any:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
        **extra,
    )


def test_pre_authentication_refuses_before_the_password_is_judged(idp: Any) -> None:
    pool_id, client_id = make_app(idp, PreAuthentication=arn("hook-fail"))
    username = user_in(idp, pool_id)
    refusal = "PreAuthentication failed with error Registration from this domain is not allowed.."

    for password in ("Wr0ng-Password!", PASSWORD):
        with cognito_error("UserLambdaValidationException", refusal):
            password_sign_in(idp, client_id, username, password)


def test_pre_and_post_authentication_run_around_a_password_sign_in(
    idp: Any, hooks: HookServer, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(
        idp, PreAuthentication=arn("hook-echo"), PostAuthentication=arn("py-record")
    )
    username = user_in(idp, pool_id)

    answer = password_sign_in(idp, client_id, username, PASSWORD, ClientMetadata={"a": "b"})

    assert "IdToken" in answer["AuthenticationResult"]
    [pre] = hooks.events(pool_id)
    check_event(pre, "PreAuthentication_Authentication", pool_id)
    assert pre["request"]["validationData"] == {"a": "b"}  # InitiateAuth's ClientMetadata
    assert pre["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    [post] = events_of(pool_id)
    check_event(post, "PostAuthentication_Authentication", pool_id)
    assert "clientMetadata" not in post["request"]  # never InitiateAuth's
    assert post["request"]["newDeviceUsed"] is False
    log = triggers_log(trigger_server, pool_id)
    assert [e["trigger"] for e in log] == ["PreAuthentication", "PostAuthentication"]


def test_a_failing_post_authentication_gives_no_tokens(idp: Any) -> None:
    pool_id, client_id = make_app(idp, PostAuthentication=arn("py-refuse"))
    username = user_in(idp, pool_id)

    with cognito_error(
        "UserLambdaValidationException", "PostAuthentication failed with error 'k'."
    ):
        password_sign_in(idp, client_id, username, PASSWORD)


def test_srp_sign_in_runs_pre_authentication_at_initiate_and_post_at_the_answer(
    idp: Any, hooks: HookServer
) -> None:
    from pycognito.aws_srp import AWSSRP

    pool_id, _ = make_app(
        idp, PreAuthentication=arn("hook-echo"), PostAuthentication=arn("hook-echo")
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="srp", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    username = user_in(idp, pool_id)
    srp = AWSSRP(
        username=username, password=PASSWORD, pool_id=pool_id, client_id=client_id, client=idp
    )

    result = srp.authenticate_user(client_metadata={"app": "web"})

    assert "AccessToken" in result["AuthenticationResult"]
    pre, post = hooks.events(pool_id)
    check_event(pre, "PreAuthentication_Authentication", pool_id)
    check_event(post, "PostAuthentication_Authentication", pool_id)
    assert pre["request"]["validationData"] is None  # pycognito sends none to InitiateAuth
    assert post["request"]["clientMetadata"] == {"app": "web"}  # RespondToAuthChallenge's


def test_a_passwordless_email_code_runs_the_authentication_triggers(
    idp: Any, hooks: HookServer, inbox: Inbox
) -> None:
    """USER_AUTH EMAIL_OTP: PreAuthentication when the code is asked for,
    CustomMessage_Authentication for its text, PostAuthentication at the right code."""
    pool_id = idp.create_user_pool(
        PoolName=unique("ua"),
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        LambdaConfig={
            "PreAuthentication": arn("hook-echo"),
            "CustomMessage": arn("hook-custom-message"),
            "PostAuthentication": arn("hook-echo"),
        },
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="ua", ExplicitAuthFlows=["ALLOW_USER_AUTH"]
    )["UserPoolClient"]["ClientId"]
    email, username = new_email(), unique("ua")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )

    step = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": username, "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    message = inbox.wait(email)
    code = message.body.split("your code is ")[1][:8]
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "EMAIL_OTP_CODE": code},
    )

    assert "AccessToken" in done["AuthenticationResult"]
    assert message.subject == "Custom CustomMessage_Authentication"
    pre, custom, post = hooks.events(pool_id)
    check_event(pre, "PreAuthentication_Authentication", pool_id)
    check_event(custom, "CustomMessage_Authentication", pool_id)
    check_event(post, "PostAuthentication_Authentication", pool_id)


def test_custom_message_on_sign_up_and_resend_is_what_is_delivered(
    idp: Any, hooks: HookServer, inbox: Inbox
) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-custom-message"))
    email, username = new_email(), unique("cm")

    sign_up(idp, client_id, username, email, ClientMetadata={"lang": "fr"})
    first = inbox.wait(email)
    idp.resend_confirmation_code(ClientId=client_id, Username=username)
    second = inbox.wait(email, after=1)

    assert first.subject == "Custom CustomMessage_SignUp"
    assert first.body.strip() == f"<p>Hello, your code is {first.code}</p>"
    assert second.subject == "Custom CustomMessage_ResendCode"
    signup_event, resend_event = hooks.events(pool_id)
    check_event(signup_event, "CustomMessage_SignUp", pool_id)
    check_event(resend_event, "CustomMessage_ResendCode", pool_id)
    assert signup_event["request"]["codeParameter"] == "{####}"
    assert signup_event["request"]["usernameParameter"] is None
    assert signup_event["request"]["clientMetadata"] == {"lang": "fr"}
    assert signup_event["request"]["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    idp.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=second.code)
    assert user_status(idp, pool_id, username) == "CONFIRMED"


def test_custom_message_without_the_code_placeholder_is_refused(idp: Any) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-message-without-code"))
    username = unique("nc")

    with cognito_error("InvalidParameterException") as info:
        sign_up(idp, client_id, username, new_email())

    assert "Value at 'emailBody' failed to satisfy constraint" in str(info.value)
    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


def test_custom_message_for_password_resets_and_invitations(
    idp: Any, hooks: HookServer, inbox: Inbox
) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-custom-message"))
    email, username = new_email(), unique("pr")

    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
        DesiredDeliveryMediums=["EMAIL"],
    )
    invitation = inbox.wait(email)
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    idp.forgot_password(ClientId=client_id, Username=username)
    reset = inbox.wait(email, after=1)
    idp.admin_reset_user_password(UserPoolId=pool_id, Username=username)
    admin_reset = inbox.wait(email, after=2)

    assert invitation.subject == "Custom CustomMessage_AdminCreateUser"
    assert invitation.body.startswith(f"<p>Hello for {username}, your code is ")
    assert "{####}" not in invitation.body and "{username}" not in invitation.body
    assert reset.subject == "Custom CustomMessage_ForgotPassword"
    assert admin_reset.subject == "Custom CustomMessage_ForgotPassword"
    sources = [e["triggerSource"] for e in hooks.events(pool_id)]
    assert sources == [
        "CustomMessage_AdminCreateUser",
        "CustomMessage_ForgotPassword",
        "CustomMessage_ForgotPassword",
    ]
    for event in hooks.events(pool_id):
        check_event(event, event["triggerSource"], pool_id)
    assert hooks.events(pool_id)[0]["request"]["usernameParameter"] == "{username}"


def test_custom_message_for_attribute_codes(idp: Any, hooks: HookServer, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-custom-message"))
    username = user_in(idp, pool_id)
    tokens = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]
    changed = new_email()

    idp.update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=as_attributes({"email": changed})
    )
    update = inbox.wait(changed)
    idp.get_user_attribute_verification_code(
        AccessToken=tokens["AccessToken"], AttributeName="email"
    )
    verify = inbox.wait(changed, after=1)

    assert update.subject == "Custom CustomMessage_UpdateUserAttribute"
    assert verify.subject == "Custom CustomMessage_VerifyUserAttribute"
    events = hooks.events(pool_id)
    check_event(events[0], "CustomMessage_UpdateUserAttribute", pool_id)
    check_event(events[1], "CustomMessage_VerifyUserAttribute", pool_id)
    idp.verify_user_attribute(
        AccessToken=tokens["AccessToken"], AttributeName="email", Code=verify.code
    )


def test_custom_message_for_the_sms_mfa_code(idp: Any, hooks: HookServer, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-custom-message"))
    phone, username = sms_mfa_user(idp, pool_id, "mf")

    step = password_sign_in(idp, client_id, username, PASSWORD)

    assert step["ChallengeName"] == "SMS_MFA"
    message = inbox.wait(phone)
    assert message.body == f"Custom SMS: {message.code}"
    [event] = hooks.events(pool_id)
    check_event(event, "CustomMessage_Authentication", pool_id)


def test_custom_message_for_the_email_mfa_code(idp: Any, hooks: HookServer, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, CustomMessage=arn("hook-custom-message"))
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
    )
    email, username = new_email(), unique("em")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, EmailMfaSettings={"Enabled": True}
    )

    step = password_sign_in(idp, client_id, username, PASSWORD)

    assert step["ChallengeName"] == "EMAIL_OTP"
    message = inbox.wait(email)
    assert message.subject == "Custom CustomMessage_Authentication"
    assert message.body.strip() == f"<p>Hello, your code is {message.code}</p>"
    [event] = hooks.events(pool_id)
    check_event(event, "CustomMessage_Authentication", pool_id)


def test_auto_verify_without_the_attribute_refuses_the_sign_up(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName=unique("nv"), LambdaConfig={"PreSignUp": arn("hook-auto-confirm")}
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"][
        "ClientId"
    ]
    username = unique("nv")

    with cognito_error(
        "InvalidParameterException", "Cannot auto verify email: the user has no email."
    ):
        idp.sign_up(ClientId=client_id, Username=username, Password=PASSWORD)

    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


def test_a_failing_pre_sign_up_creates_no_admin_user(idp: Any) -> None:
    pool_id, _ = make_app(idp, PreSignUp=arn("py-refuse"))
    username = unique("ar")

    with cognito_error("UserLambdaValidationException", "PreSignUp failed with error 'k'."):
        idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")

    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('"arn:aws:lambda:us-east-1:1:function:f" = "ftp://example"\n', "must map to"),
        ("not = [toml\n", "is not TOML"),
    ],
)
def test_a_bad_triggers_file_stops_the_server_at_start(
    tmp_path: Path, content: str, reason: str
) -> None:
    table = tmp_path / "triggers.toml"
    table.write_text(content)

    proc = run_recognito(
        "serve", "--data-dir", str(tmp_path / "data"), "--port", "1", "--triggers", str(table)
    )

    assert proc.returncode != 0
    assert reason in proc.stderr


def test_the_fake_lambda_api_answers_boto3s_lambda_client_as_recognito_calls_it(
    idp: Any, lambda_api: LambdaApi
) -> None:
    """The local Invoke server is checked against boto3's own Lambda client, so the
    requests Recognito makes are the ones real Lambda takes."""
    import boto3

    pool_id, client_id = make_app(idp, PreSignUp=arn("echo", "eu-west-1"))
    sign_up(idp, client_id, unique("bl"), new_email())
    [ours] = lambda_api.calls(pool_id)
    lam = boto3.client(
        "lambda",
        endpoint_url=lambda_api.endpoint,
        region_name="eu-west-1",
        aws_access_key_id=lambda_api.access_key,
        aws_secret_access_key="x",
    )
    try:
        failed = lam.invoke(FunctionName="fail", Payload=json.dumps(ours.event))
        echoed = lam.invoke(FunctionName="echo", Payload=json.dumps(ours.event))
    finally:
        lam.close()

    assert failed["FunctionError"] == "Unhandled"
    assert json.loads(failed["Payload"].read())["errorMessage"].startswith("Registration")
    assert json.loads(echoed["Payload"].read()) == ours.event
    theirs = lambda_api.calls(pool_id)[-1]
    assert lambda_api.signed_region(theirs) == lambda_api.signed_region(ours) == "eu-west-1"
    for header in ("X-Amz-Invocation-Type", "Content-Type"):
        if header in theirs.headers:
            assert ours.headers[header] == theirs.headers[header], header


def test_inbound_federation_is_run_so_it_is_not_logged_as_stored_but_not_run(
    idp: Any, trigger_server: ServerProcess
) -> None:
    # the last LambdaConfig key that was stored but not run (federation runs it now)
    federation = {"LambdaVersion": "V1_0", "LambdaArn": arn("hook-echo")}
    pool_id, _ = make_app(idp, InboundFederation=federation, PreSignUp=arn("hook-echo"))

    lines = [line for line in trigger_server.stderr().splitlines() if pool_id in line]

    assert not any("not run" in line for line in lines), lines


def test_post_authentication_after_sms_mfa_gets_the_answers_client_metadata(
    idp: Any, inbox: Inbox
) -> None:
    pool_id, client_id = make_app(idp, PostAuthentication=arn("py-record"))
    phone, username = sms_mfa_user(idp, pool_id, "pm")
    step = password_sign_in(idp, client_id, username, PASSWORD, ClientMetadata={"x": "1"})
    assert events_of(pool_id) == []  # not before the second factor

    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "SMS_MFA_CODE": inbox.wait_code(phone)},
        ClientMetadata={"y": "2"},
    )

    assert "AccessToken" in done["AuthenticationResult"]
    [event] = events_of(pool_id)
    check_event(event, "PostAuthentication_Authentication", pool_id)
    assert event["request"]["clientMetadata"] == {"y": "2"}


def test_new_password_required_runs_post_authentication_and_never_post_confirmation(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(
        idp, PostAuthentication=arn("py-record"), PostConfirmation=arn("py-record")
    )
    username = unique("np")
    idp.admin_create_user(
        UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    step = password_sign_in(idp, client_id, username, PASSWORD)
    assert step["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD},
        ClientMetadata={"flow": "first-login"},
    )

    assert "IdToken" in done["AuthenticationResult"]
    [event] = events_of(pool_id)
    check_event(event, "PostAuthentication_Authentication", pool_id)
    assert event["request"]["clientMetadata"] == {"flow": "first-login"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert [e["trigger"] for e in triggers_log(trigger_server, pool_id)] == ["PostAuthentication"]
