"""Remembered devices through boto3: NewDeviceMetadata, ConfirmDevice, the device status,
Get/List/Forget (and their admin twins), DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with
pycognito's device SRP, MFA skipped on a remembered device, refresh with DEVICE_KEY."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from pycognito.aws_srp import AWSSRP, generate_hash_device

from tests.api.support import (
    PASSWORD,
    App,
    AwsCli,
    MakeClient,
    MakePool,
    MakeUser,
    User,
    cognito_error,
    password_auth,
    sign_in,
    unverified_claims,
)
from tests.api.wire import call, error_type

REMEMBER = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
PROMPT = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}
DEVICE_KEY_RE = re.compile(r"us-east-1_[0-9a-f-]{36}")
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
MISSING = "Device does not exist."


@dataclass
class Device:
    key: str
    group: str
    password: str  # the device's secret, as the client keeps it


def _app(make_pool: MakePool, make_client: MakeClient, config: dict[str, bool]) -> App:
    return make_client(make_pool(DeviceConfiguration=config), ExplicitAuthFlows=FLOWS)


def _confirmed(cognito: Any, result: dict[str, Any], name: str = "laptop") -> tuple[Device, Any]:
    """Confirm the device a sign-in handed out, as the SDKs do; and ConfirmDevice's answer."""
    meta = result["NewDeviceMetadata"]
    secret, config = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    answer = cognito.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=config,
        DeviceName=name,
    )
    return Device(meta["DeviceKey"], meta["DeviceGroupKey"], secret), answer


def _device_srp(cognito: Any, app: App, user: User, device: Device) -> dict[str, Any]:
    """USER_SRP_AUTH with DEVICE_KEY: password first, then the device proves its secret
    (pycognito computes both proofs); returns the last answer."""
    srp = AWSSRP(
        username=user.username,
        password=PASSWORD,
        pool_id=app.pool_id,
        client_id=app.client_id,
        client=cognito,
        device_key=device.key,
        device_group_key=device.group,
        device_password=device.password,
    )
    params = srp.get_auth_params()
    first = cognito.initiate_auth(
        ClientId=app.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
    )
    answers = srp.process_challenge(first["ChallengeParameters"], params)
    step = cognito.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answers
    )
    if step.get("ChallengeName") != "DEVICE_SRP_AUTH":
        return dict(step)
    assert step["ChallengeParameters"]["USERNAME"] == user.username
    srp_a = format(srp.large_a_value, "x")
    verifier = cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName="DEVICE_SRP_AUTH",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": user.username, "DEVICE_KEY": device.key, "SRP_A": srp_a},
    )
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    proof = srp.process_device_challenge(verifier["ChallengeParameters"])
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="DEVICE_PASSWORD_VERIFIER",
            Session=verifier["Session"],
            ChallengeResponses=proof,
        )
    )


def _remembered(cognito: Any, app: App, user: User) -> tuple[Device, dict[str, Any]]:
    result = sign_in(cognito, app, user.username, PASSWORD)
    device, _ = _confirmed(cognito, result)
    return device, result


def _attributes(device: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def test_pool_device_configuration_round_trips(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool(DeviceConfiguration=PROMPT)
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["DeviceConfiguration"] == PROMPT


def test_sign_in_hands_out_a_new_device_only_when_the_pool_tracks_devices(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    tracked = _app(make_pool, make_client, REMEMBER)
    result = sign_in(cognito, tracked, make_user(tracked.pool_id).username, PASSWORD)
    meta = result["NewDeviceMetadata"]
    assert DEVICE_KEY_RE.fullmatch(meta["DeviceKey"])
    assert meta["DeviceGroupKey"]
    untracked = make_client(make_pool(), ExplicitAuthFlows=FLOWS)
    plain = sign_in(cognito, untracked, make_user(untracked.pool_id).username, PASSWORD)
    assert "NewDeviceMetadata" not in plain


def test_confirm_device_remembers_it_unless_the_pool_asks_the_user(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    for config, prompt in ((REMEMBER, False), (PROMPT, True)):
        app = _app(make_pool, make_client, config)
        user = make_user(app.pool_id)
        result = sign_in(cognito, app, user.username, PASSWORD)
        device, answer = _confirmed(cognito, result, "phone")
        assert answer["UserConfirmationNecessary"] is prompt
        got = cognito.get_device(AccessToken=result["AccessToken"], DeviceKey=device.key)
        attrs = _attributes(got["Device"])
        assert attrs["device_name"] == "phone"
        assert attrs["last_ip_used"] == "127.0.0.1"
        assert (attrs.get("dev:device_remembered_status") == "remembered") is not prompt


def test_a_device_is_confirmed_once(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    result = sign_in(cognito, app, make_user(app.pool_id).username, PASSWORD)
    _confirmed(cognito, result)
    with cognito_error("NotAuthorizedException", "Device has already been confirmed."):
        _confirmed(cognito, result)


def test_confirm_device_needs_a_verifier_config_of_base64(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    result = sign_in(cognito, app, make_user(app.pool_id).username, PASSWORD)
    key, token = result["NewDeviceMetadata"]["DeviceKey"], result["AccessToken"]
    with cognito_error("InvalidParameterException"):
        cognito.confirm_device(AccessToken=token, DeviceKey=key)
    with cognito_error("InvalidParameterException", "Invalid Salt."):
        cognito.confirm_device(
            AccessToken=token,
            DeviceKey=key,
            DeviceSecretVerifierConfig={"PasswordVerifier": "AQID", "Salt": "not base64!"},
        )


def test_unknown_and_foreign_devices_do_not_exist(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    alice, bob = make_user(app.pool_id), make_user(app.pool_id)
    alice_device, _ = _remembered(cognito, app, alice)
    bob_token = sign_in(cognito, app, bob.username, PASSWORD)["AccessToken"]
    unknown = "us-east-1_00000000-0000-0000-0000-000000000000"
    for key in (unknown, alice_device.key):
        with cognito_error("ResourceNotFoundException", MISSING):
            cognito.get_device(AccessToken=bob_token, DeviceKey=key)
        with cognito_error("ResourceNotFoundException", MISSING):
            cognito.forget_device(AccessToken=bob_token, DeviceKey=key)
        with cognito_error("ResourceNotFoundException", MISSING):
            cognito.update_device_status(
                AccessToken=bob_token, DeviceKey=key, DeviceRememberedStatus="remembered"
            )
        with cognito_error("ResourceNotFoundException", MISSING):
            cognito.admin_get_device(UserPoolId=app.pool_id, Username=bob.username, DeviceKey=key)
    # the model of AdminListDevices and AdminGetDevice has no UserNotFoundException
    with cognito_error("ResourceNotFoundException", "User does not exist."):
        cognito.admin_list_devices(UserPoolId=app.pool_id, Username="nobody")
    with cognito_error("ResourceNotFoundException", "User does not exist."):
        cognito.admin_get_device(UserPoolId=app.pool_id, Username="nobody", DeviceKey=key)
    with cognito_error("UserNotFoundException"):
        cognito.admin_forget_device(UserPoolId=app.pool_id, Username="nobody", DeviceKey=key)
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.list_devices(AccessToken="not-a-token")


def test_device_status_is_updated_by_the_user_and_by_an_admin(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, PROMPT)
    user = make_user(app.pool_id)
    device, result = _remembered(cognito, app, user)
    token = result["AccessToken"]
    cognito.update_device_status(
        AccessToken=token, DeviceKey=device.key, DeviceRememberedStatus="remembered"
    )
    got = cognito.get_device(AccessToken=token, DeviceKey=device.key)["Device"]
    assert _attributes(got)["dev:device_remembered_status"] == "remembered"
    cognito.admin_update_device_status(
        UserPoolId=app.pool_id,
        Username=user.username,
        DeviceKey=device.key,
        DeviceRememberedStatus="not_remembered",
    )
    got = cognito.admin_get_device(
        UserPoolId=app.pool_id, Username=user.username, DeviceKey=device.key
    )["Device"]
    assert _attributes(got)["dev:device_remembered_status"] == "not_remembered"
    assert got["DeviceLastModifiedDate"] >= got["DeviceCreateDate"]


def test_devices_are_listed_in_pages_and_forgotten(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    keys = {sign_in(cognito, app, user.username, PASSWORD)["NewDeviceMetadata"]["DeviceKey"]}
    for _ in range(2):
        keys.add(_remembered(cognito, app, user)[0].key)
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    keys_now = {d["DeviceKey"] for d in cognito.list_devices(AccessToken=token)["Devices"]}
    assert keys <= keys_now and len(keys_now) == 4
    first = cognito.admin_list_devices(UserPoolId=app.pool_id, Username=user.username, Limit=3)
    assert len(first["Devices"]) == 3
    second = cognito.list_devices(
        AccessToken=token, Limit=3, PaginationToken=first["PaginationToken"]
    )
    assert "PaginationToken" not in second
    paged = {d["DeviceKey"] for d in first["Devices"] + second["Devices"]}
    assert paged == keys_now
    gone = sorted(keys)
    cognito.forget_device(AccessToken=token, DeviceKey=gone[0])
    cognito.admin_forget_device(UserPoolId=app.pool_id, Username=user.username, DeviceKey=gone[1])
    left = {d["DeviceKey"] for d in cognito.list_devices(AccessToken=token)["Devices"]}
    assert left == keys_now - set(gone[:2])
    with cognito_error("InvalidParameterException", "Invalid pagination token."):
        cognito.list_devices(AccessToken=token, PaginationToken="!!!")


def test_a_remembered_device_signs_in_with_device_srp_and_no_new_device(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, _ = _remembered(cognito, app, user)
    result = _device_srp(cognito, app, user, device)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    claims = unverified_claims(result["AccessToken"])
    assert claims["username"] == user.username
    got = cognito.admin_get_device(
        UserPoolId=app.pool_id, Username=user.username, DeviceKey=device.key
    )["Device"]
    assert got["DeviceLastAuthenticatedDate"] >= got["DeviceCreateDate"]


def test_a_wrong_device_secret_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, _ = _remembered(cognito, app, user)
    forged = Device(device.key, device.group, "not-the-device-secret")
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _device_srp(cognito, app, user, forged)


def _totp_app(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, config: dict[str, bool]
) -> App:
    pool_id = make_pool(DeviceConfiguration=config)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    return make_client(pool_id, ExplicitAuthFlows=FLOWS)


def _totp_user(cognito: Any, app: App, make_user: MakeUser) -> tuple[User, pyotp.TOTP]:
    """A user with TOTP MFA switched on, and their authenticator."""
    user = make_user(app.pool_id)
    first = sign_in(cognito, app, user.username, PASSWORD)
    secret = cognito.associate_software_token(AccessToken=first["AccessToken"])["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    cognito.verify_software_token(AccessToken=first["AccessToken"], UserCode=authenticator.now())
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id, Username=user.username, SoftwareTokenMfaSettings={"Enabled": True}
    )
    return user, authenticator


def _after_totp(cognito: Any, app: App, user: User, authenticator: pyotp.TOTP) -> Any:
    """A password sign-in, which TOTP MFA challenges, answered: its AuthenticationResult."""
    challenged = password_auth(cognito, app, user.username, PASSWORD)
    assert challenged["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    code = str(authenticator.at(time.time() + 30))
    return cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenged["Session"],
        ChallengeResponses={"USERNAME": user.username, "SOFTWARE_TOKEN_MFA_CODE": code},
    )["AuthenticationResult"]


def test_a_remembered_device_skips_totp_mfa_and_a_not_remembered_one_does_not(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _totp_app(cognito, make_pool, make_client, REMEMBER)
    user, authenticator = _totp_user(cognito, app, make_user)
    passed = _after_totp(cognito, app, user, authenticator)
    device, _ = _confirmed(cognito, passed)  # tokens after MFA bring a new device too
    result = _device_srp(cognito, app, user, device)
    assert "ChallengeName" not in result and "AccessToken" in result["AuthenticationResult"]
    cognito.admin_update_device_status(
        UserPoolId=app.pool_id,
        Username=user.username,
        DeviceKey=device.key,
        DeviceRememberedStatus="not_remembered",
    )
    assert _device_srp(cognito, app, user, device)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_without_challenge_required_on_new_device_a_remembered_device_still_asks_mfa(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    config = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False}
    app = _totp_app(cognito, make_pool, make_client, config)
    user, authenticator = _totp_user(cognito, app, make_user)
    device, _ = _confirmed(cognito, _after_totp(cognito, app, user, authenticator))
    assert _device_srp(cognito, app, user, device)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_password_sign_in_with_a_remembered_device_key_asks_device_srp(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, _ = _remembered(cognito, app, user)
    answer = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": PASSWORD, "DEVICE_KEY": device.key},
    )
    assert answer["ChallengeName"] == "DEVICE_SRP_AUTH"
    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            Session="forged-session-" * 3,
            ChallengeResponses={"USERNAME": user.username, "DEVICE_KEY": device.key, "SRP_A": "ab"},
        )


def test_refresh_with_a_device_key_needs_a_confirmed_device_of_the_user(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, result = _remembered(cognito, app, user)
    unconfirmed = sign_in(cognito, app, user.username, PASSWORD)["NewDeviceMetadata"]["DeviceKey"]

    def refresh(key: str) -> Any:
        params = {"REFRESH_TOKEN": result["RefreshToken"], "DEVICE_KEY": key}
        return cognito.initiate_auth(
            ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
        )

    refreshed = refresh(device.key)["AuthenticationResult"]
    assert "AccessToken" in refreshed and "NewDeviceMetadata" not in refreshed
    with cognito_error("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(unconfirmed)


@pytest.mark.parametrize("admin", [False, True])
def test_a_forgotten_device_no_longer_signs_in(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser, admin: bool
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, result = _remembered(cognito, app, user)
    if admin:
        cognito.admin_forget_device(
            UserPoolId=app.pool_id, Username=user.username, DeviceKey=device.key
        )
    else:
        cognito.forget_device(AccessToken=result["AccessToken"], DeviceKey=device.key)
    answer = _device_srp(cognito, app, user, device)  # treated as a new device
    assert "ChallengeName" not in answer
    assert answer["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"] != device.key


def test_device_answers_are_single_use_and_checked(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, _ = _remembered(cognito, app, user)
    srp = AWSSRP(
        username=user.username,
        password=PASSWORD,
        pool_id=app.pool_id,
        client_id=app.client_id,
        client=cognito,
        device_key=device.key,
        device_group_key=device.group,
        device_password=device.password,
    )
    asked = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": PASSWORD, "DEVICE_KEY": device.key},
    )
    answers = {"USERNAME": user.username, "DEVICE_KEY": device.key}

    def device_srp(srp_a: str) -> Any:
        return cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="DEVICE_SRP_AUTH",
            Session=asked["Session"],
            ChallengeResponses={**answers, "SRP_A": srp_a},
        )

    with cognito_error("InvalidParameterException", "Invalid SRP_A value."):
        device_srp("0")
    verifier = device_srp(format(srp.large_a_value, "x"))
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        device_srp(format(srp.large_a_value, "x"))
    proof = srp.process_device_challenge(verifier["ChallengeParameters"])

    def verify() -> Any:
        return cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="DEVICE_PASSWORD_VERIFIER",
            Session=verifier["Session"],
            ChallengeResponses=proof,
        )

    assert "AccessToken" in verify()["AuthenticationResult"]
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        verify()


def test_the_aws_cli_lists_gets_and_forgets_devices(
    cognito: Any, aws: AwsCli, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, REMEMBER)
    user = make_user(app.pool_id)
    device, _ = _remembered(cognito, app, user)
    whom = ["--user-pool-id", app.pool_id, "--username", user.username]
    listed = aws("admin-list-devices", *whom).json()
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device.key]
    got = aws("admin-get-device", *whom, "--device-key", device.key).json()
    assert _attributes(got["Device"])["device_name"] == "laptop"
    aws("admin-forget-device", *whom, "--device-key", device.key).ok()
    aws("admin-get-device", *whom, "--device-key", device.key).fails_with(
        "AdminGetDevice", "ResourceNotFoundException", MISSING
    )


def test_get_and_forget_device_without_a_token_are_refused(base_url: str) -> None:
    """The model lets GetDevice and ForgetDevice leave AccessToken out; such a call is
    refused as an invalid token, never a server error."""
    for operation in ("GetDevice", "ForgetDevice"):
        answer = call(base_url, operation, {"DeviceKey": "us-east-1_" + "0" * 36})
        assert answer.status_code == 400, answer.text
        assert error_type(answer) == "NotAuthorizedException"
