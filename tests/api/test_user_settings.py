"""Set/AdminSetUserSettings: the switch for SMS MFA that predates SetUserMFAPreference
(MFAOptions), and GetUser's MFAOptions that reflect it."""

from __future__ import annotations

from typing import Any

from tests.api.support import (
    PASSWORD,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    new_email,
    new_phone,
    password_auth,
    sign_in,
)

SMS_OPTION = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
ONLY_SMS = "Only SMS_MFA on phone_number can be set through MFAOptions."


def _app(cognito: Any, make_pool: MakePool, make_client: MakeClient) -> App:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    return make_client(pool_id)


def test_admin_set_user_settings_switches_sms_mfa_on_and_off(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client)
    user = make_user(app.pool_id, phone=new_phone())
    cognito.admin_set_user_settings(
        UserPoolId=app.pool_id, Username=user.username, MFAOptions=[SMS_OPTION]
    )
    got = cognito.admin_get_user(UserPoolId=app.pool_id, Username=user.username)
    assert got["MFAOptions"] == [SMS_OPTION]
    assert got["UserMFASettingList"] == ["SMS_MFA"]
    assert password_auth(cognito, app, user.username, PASSWORD)["ChallengeName"] == "SMS_MFA"
    cognito.admin_set_user_settings(UserPoolId=app.pool_id, Username=user.username, MFAOptions=[])
    got = cognito.admin_get_user(UserPoolId=app.pool_id, Username=user.username)
    assert "MFAOptions" not in got and "UserMFASettingList" not in got
    assert "AuthenticationResult" in password_auth(cognito, app, user.username, PASSWORD)


def test_set_user_settings_by_access_token(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client)
    user = make_user(app.pool_id, phone=new_phone())
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    assert cognito.set_user_settings(AccessToken=token, MFAOptions=[SMS_OPTION])
    assert cognito.get_user(AccessToken=token)["MFAOptions"] == [SMS_OPTION]


def test_user_settings_cannot_set_email(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client)
    user = make_user(app.pool_id, email=new_email(), phone=new_phone())
    with cognito_error("InvalidParameterException", ONLY_SMS):
        cognito.admin_set_user_settings(
            UserPoolId=app.pool_id,
            Username=user.username,
            MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}],
        )


def test_user_settings_need_a_phone_for_sms(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client)
    user = make_user(app.pool_id, email=new_email())
    with cognito_error(
        "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA"
    ):
        cognito.admin_set_user_settings(
            UserPoolId=app.pool_id, Username=user.username, MFAOptions=[SMS_OPTION]
        )


def test_user_settings_of_an_unknown_user_or_token(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_set_user_settings(UserPoolId=pool_id, Username="nobody", MFAOptions=[])
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.set_user_settings(AccessToken="not-a-token", MFAOptions=[])
