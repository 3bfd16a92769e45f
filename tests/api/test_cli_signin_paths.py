"""Issue 12's sign-in paths through the AWS CLI (v1, `aws cognito-idp ...`): choice-based
sign-in (USER_AUTH) with email codes, sign-up without a password and its auto sign-in,
remembered devices, email MFA, user sessions and refresh-token rotation, client secret
rotation, AdminDeleteSoftwareToken, SetUserSettings and the passkey calls; each with its
main refusal read from the CLI's stderr.

boto3 only sets the scene (pools, clients, users, a TOTP authenticator) and reads effects
back. The CLI starts slowly (about a second a call), so one pool and user serve several
checks. AWS CLI v1 ships its own, older cognito-idp model without the session operations
and AdminDeleteSoftwareToken; those calls go through `aws_added`, the CLI taught the pinned
botocore's model the way `aws configure add-model` does (a model on AWS_DATA_PATH).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import botocore
import pyotp
import pytest
from pycognito.aws_srp import generate_hash_device

from .support import (
    PASSWORD,
    App,
    AwsCli,
    CliResult,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    mask_email,
    new_email,
    new_phone,
    secret_hash,
    sign_in,
)

USER_AUTH_FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
OTP_RE = re.compile(r"(?<!\d)\d{8}(?!\d)")
WRONG_CODE = "Invalid code or auth state for the user."
SPENT = "Invalid session for the user, session can only be used once."
REMEMBER = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
NO_DEVICE = "Device does not exist."
SMS_OPTION = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}


@pytest.fixture(scope="module")
def aws_added(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> AwsCli:
    """The AWS CLI with the pinned botocore's cognito-idp model added beside its own."""
    models = tmp_path_factory.mktemp("aws-models")
    target = models / "cognito-idp" / "2016-04-18"
    target.mkdir(parents=True)
    source = Path(botocore.__file__).parent / "data" / "cognito-idp" / "2016-04-18"
    for model in source.glob("service-2.json*"):
        shutil.copy(model, target / model.name)
    home = tmp_path_factory.mktemp("aws-home-added")
    return AwsCli(base_url, home, extra_env={"AWS_DATA_PATH": str(models)})


def refused(result: CliResult, operation: str, code: str) -> None:
    """The CLI failed with this Cognito error code (for errors whose text is not Cognito's)."""
    assert result.returncode != 0, (result.args, result.stdout)
    assert f"An error occurred ({code}) when calling the {operation} operation" in result.stderr, (
        result.stderr
    )


def initiate(
    aws: AwsCli, app: App, flow: str, session: str | None = None, **params: str
) -> CliResult:
    extra = ["--session", session] if session is not None else []
    return aws(
        "initiate-auth",
        "--client-id",
        app.client_id,
        "--auth-flow",
        flow,
        "--auth-parameters",
        json.dumps(params),
        *extra,
    )


def respond(aws: AwsCli, app: App, name: str, session: str, **answers: str) -> CliResult:
    return aws(
        "respond-to-auth-challenge",
        "--client-id",
        app.client_id,
        "--challenge-name",
        name,
        "--session",
        session,
        "--challenge-responses",
        json.dumps(answers),
    )


def otp(inbox: Inbox, recipient: str, after: int = 0) -> str:
    body = inbox.wait(recipient, after=after).body
    found = OTP_RE.search(body)
    assert found is not None, body
    return found.group(0)


def test_cli_user_auth_email_code_wrong_and_replayed_and_auth_factors(
    aws: AwsCli,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    pool_id = make_pool()
    policies = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    aws("update-user-pool", "--user-pool-id", pool_id, "--policies", json.dumps(policies)).ok()
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert described["SignInPolicy"] == policies["SignInPolicy"]
    app = make_client(pool_id, ExplicitAuthFlows=USER_AUTH_FLOWS)
    email = new_email()
    user = make_user(pool_id, email=email)

    step = initiate(aws, app, "USER_AUTH", USERNAME=user.username).json()
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    chosen = respond(
        aws, app, "SELECT_CHALLENGE", step["Session"], USERNAME=user.username, ANSWER="EMAIL_OTP"
    ).json()
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    assert chosen["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == mask_email(email)
    code = otp(inbox, email)
    wrong = "00000000" if code != "00000000" else "11111111"

    def answer(value: str) -> CliResult:
        return respond(
            aws, app, "EMAIL_OTP", chosen["Session"], USERNAME=user.username, EMAIL_OTP_CODE=value
        )

    answer(wrong).fails_with("RespondToAuthChallenge", "CodeMismatchException", WRONG_CODE)
    tokens = answer(code).json()["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= tokens.keys()
    answer(code).fails_with("RespondToAuthChallenge", "NotAuthorizedException", SPENT)

    own = aws("get-user-auth-factors", "--access-token", tokens["AccessToken"]).json()
    assert own["Username"] == user.username
    assert own["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    admin = aws(
        "admin-get-user-auth-factors", "--user-pool-id", pool_id, "--username", user.username
    ).json()
    assert admin["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    aws("get-user-auth-factors", "--access-token", "not-a-token").fails_with(
        "GetUserAuthFactors", "NotAuthorizedException", "Invalid Access Token"
    )


def test_cli_sign_up_without_a_password_then_signed_in_by_its_session(
    aws: AwsCli, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = make_pool(
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        AutoVerifiedAttributes=["email"],
    )
    app = make_client(pool_id, ExplicitAuthFlows=USER_AUTH_FLOWS)
    email = new_email()
    signed_up = aws(
        "sign-up",
        "--client-id",
        app.client_id,
        "--username",
        email,
        "--user-attributes",
        f"Name=email,Value={email}",
    ).json()
    assert signed_up["UserConfirmed"] is False
    confirmed = aws(
        "confirm-sign-up",
        "--client-id",
        app.client_id,
        "--username",
        email,
        "--confirmation-code",
        inbox.wait_code(email),
        "--session",
        signed_up["Session"],
    ).json()
    session = confirmed["Session"]
    done = initiate(aws, app, "USER_AUTH", session, USERNAME=email).json()
    assert "AccessToken" in done["AuthenticationResult"]
    initiate(aws, app, "USER_AUTH", session, USERNAME=email).fails_with(
        "InitiateAuth", "NotAuthorizedException", SPENT
    )


def test_cli_devices_confirmed_listed_updated_and_forgotten(
    aws: AwsCli, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = make_client(make_pool(DeviceConfiguration=REMEMBER))
    user = make_user(app.pool_id)
    whom = ["--user-pool-id", app.pool_id, "--username", user.username]
    result = aws(
        "admin-initiate-auth",
        "--user-pool-id",
        app.pool_id,
        "--client-id",
        app.client_id,
        "--auth-flow",
        "ADMIN_USER_PASSWORD_AUTH",
        "--auth-parameters",
        json.dumps({"USERNAME": user.username, "PASSWORD": PASSWORD}),
    ).json()["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    key, token = meta["DeviceKey"], result["AccessToken"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], key)
    confirmed = aws(
        "confirm-device",
        "--access-token",
        token,
        "--device-key",
        key,
        "--device-secret-verifier-config",
        json.dumps(verifier),
        "--device-name",
        "laptop",
    ).json()
    assert confirmed["UserConfirmationNecessary"] is False

    def listed() -> dict[str, dict[str, str]]:
        devices = aws("list-devices", "--access-token", token).json()["Devices"]
        return {
            d["DeviceKey"]: {a["Name"]: a["Value"] for a in d["DeviceAttributes"]} for d in devices
        }

    devices = listed()
    assert list(devices) == [key]
    assert devices[key]["device_name"] == "laptop"
    assert devices[key]["dev:device_remembered_status"] == "remembered"

    status = ["--device-remembered-status", "not_remembered"]
    aws("admin-update-device-status", *whom, "--device-key", key, *status).ok()
    assert listed()[key]["dev:device_remembered_status"] == "not_remembered"
    unknown = "us-east-1_00000000-0000-0000-0000-000000000000"
    aws("admin-update-device-status", *whom, "--device-key", unknown, *status).fails_with(
        "AdminUpdateDeviceStatus", "ResourceNotFoundException", NO_DEVICE
    )
    aws("admin-forget-device", *whom, "--device-key", key).ok()
    assert listed() == {}


def test_cli_email_mfa_configured_and_answered(
    aws: AwsCli,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    pool_id = make_pool()
    email_mfa = {"Message": "Your sign-in code: {####}", "Subject": "Sign-in code"}
    config = aws(
        "set-user-pool-mfa-config",
        "--user-pool-id",
        pool_id,
        "--mfa-configuration",
        "OPTIONAL",
        "--email-mfa-configuration",
        json.dumps(email_mfa),
    ).json()
    assert config["EmailMfaConfiguration"] == email_mfa
    assert config["MfaConfiguration"] == "OPTIONAL"
    app = make_client(pool_id)
    email = new_email()
    user = make_user(pool_id, email=email)
    aws(
        "admin-set-user-mfa-preference",
        "--user-pool-id",
        pool_id,
        "--username",
        user.username,
        "--email-mfa-settings",
        "Enabled=true,PreferredMfa=true",
    ).ok()
    got = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)
    assert got["PreferredMfaSetting"] == "EMAIL_OTP"

    step = initiate(
        aws, app, "USER_PASSWORD_AUTH", USERNAME=user.username, PASSWORD=PASSWORD
    ).json()
    assert step["ChallengeName"] == "EMAIL_OTP"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == mask_email(email)
    code = inbox.wait(email).code
    wrong = "000000" if code != "000000" else "111111"

    def answer(value: str) -> CliResult:
        return respond(
            aws, app, "EMAIL_OTP", step["Session"], USERNAME=user.username, EMAIL_OTP_CODE=value
        )

    answer(wrong).fails_with("RespondToAuthChallenge", "CodeMismatchException", WRONG_CODE)
    assert "AccessToken" in answer(code).json()["AuthenticationResult"]


def test_cli_sessions_listed_revoked_and_a_rotated_refresh_token_not_reused(
    aws: AwsCli,
    aws_added: AwsCli,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    pool_id = make_pool()
    tracking = aws_added(
        "set-user-pool-session-configuration",
        "--user-pool-id",
        pool_id,
        "--user-session-tracking",
        "ENABLED",
        "--token-session",
        "MaxPerUser=5",
    ).json()
    assert tracking["UserSessionTracking"] == "ENABLED"
    assert tracking["TokenSession"] == {"MaxPerUser": 5}
    app, user = make_client(pool_id), make_user(pool_id)
    laptop = sign_in(cognito, app, user.username, PASSWORD)
    phone = sign_in(cognito, app, user.username, PASSWORD)

    sessions = aws_added("list-user-sessions", "--access-token", laptop["AccessToken"]).json()
    assert [s["IsCurrentSession"] for s in sessions["Sessions"]] == [False, True]
    other = sessions["Sessions"][0]["SessionId"]
    aws_added(
        "admin-revoke-user-session",
        "--user-pool-id",
        pool_id,
        "--username",
        user.username,
        "--session-id",
        other,
    ).ok()
    initiate(aws, app, "REFRESH_TOKEN_AUTH", REFRESH_TOKEN=phone["RefreshToken"]).fails_with(
        "InitiateAuth", "NotAuthorizedException", "Refresh Token has been revoked"
    )
    assert cognito.get_user(AccessToken=laptop["AccessToken"])["Username"] == user.username

    rotating = make_client(
        pool_id, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    )
    first = sign_in(cognito, rotating, user.username, PASSWORD)

    def rotate(refresh_token: str) -> CliResult:
        return aws(
            "get-tokens-from-refresh-token",
            "--client-id",
            rotating.client_id,
            "--refresh-token",
            refresh_token,
        )

    rotated = rotate(first["RefreshToken"]).json()["AuthenticationResult"]
    assert rotated["RefreshToken"] != first["RefreshToken"]
    assert {"AccessToken", "IdToken"} <= rotated.keys()
    rotate(first["RefreshToken"]).fails_with(
        "GetTokensFromRefreshToken",
        "RefreshTokenReuseException",
        "Refresh token has been rotated out and is no longer valid",
    )


def test_cli_client_secret_added_used_listed_and_deleted(
    aws: AwsCli, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = make_client(make_pool(), secret=True)
    assert app.secret is not None
    user = make_user(app.pool_id)
    ids = ["--user-pool-id", app.pool_id, "--client-id", app.client_id]
    added = aws("add-user-pool-client-secret", *ids).json()["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]
    assert second != app.secret
    listed = aws("list-user-pool-client-secrets", *ids).json()["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed][1:] == [added["ClientSecretId"]]
    assert all("ClientSecretValue" not in s for s in listed)

    def sign_in_with(secret: str) -> CliResult:
        return initiate(
            aws,
            app,
            "USER_PASSWORD_AUTH",
            USERNAME=user.username,
            PASSWORD=PASSWORD,
            SECRET_HASH=secret_hash(secret, user.username, app.client_id),
        )

    assert "AccessToken" in sign_in_with(second).json()["AuthenticationResult"]
    aws(
        "delete-user-pool-client-secret", *ids, "--client-secret-id", listed[0]["ClientSecretId"]
    ).ok()
    sign_in_with(app.secret).fails_with(
        "InitiateAuth",
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {app.client_id}",
    )


def test_cli_software_token_deleted_user_settings_and_passkey_calls(
    aws: AwsCli,
    aws_added: AwsCli,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    # passkeys are a first factor here, but the pool has no relying party (nor a domain)
    pool_id = make_pool(
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    app, user = make_client(pool_id), make_user(pool_id, phone=new_phone())
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    cognito.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    cognito.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )

    whom = ["--user-pool-id", pool_id, "--username", user.username]
    aws_added("admin-delete-software-token", *whom).ok()
    got = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)
    assert "UserMFASettingList" not in got
    aws_added("admin-delete-software-token", *whom).fails_with(
        "AdminDeleteSoftwareToken",
        "ResourceNotFoundException",
        "Software Token MFA does not exist for the user.",
    )

    def settings(option: dict[str, str]) -> CliResult:
        return aws(
            "set-user-settings", "--access-token", token, "--mfa-options", json.dumps([option])
        )

    settings(SMS_OPTION).ok()
    assert cognito.get_user(AccessToken=token)["MFAOptions"] == [SMS_OPTION]
    settings({"DeliveryMedium": "EMAIL", "AttributeName": "email"}).fails_with(
        "SetUserSettings",
        "InvalidParameterException",
        "Only SMS_MFA on phone_number can be set through MFAOptions.",
    )

    credentials = aws("list-web-authn-credentials", "--access-token", token).json()
    assert credentials["Credentials"] == []
    refused(
        aws("start-web-authn-registration", "--access-token", token),
        "StartWebAuthnRegistration",
        "WebAuthnConfigurationMissingException",
    )
