"""Email MFA: EMAIL_OTP as a second factor beside SMS and TOTP (EmailMfaConfiguration,
EmailMfaSettings, the EMAIL_OTP challenge, its place in SELECT_MFA_TYPE and GetUser)."""

from __future__ import annotations

import json
from typing import Any

from tests.api.support import (
    PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    mask_email,
    new_email,
    new_phone,
    password_auth,
    sign_in,
)

EMAIL_MFA = {"Message": "Your sign-in code: {####}", "Subject": "Sign-in code"}


def _app(cognito: Any, make_pool: MakePool, make_client: MakeClient, mode: str) -> App:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration=mode,
        EmailMfaConfiguration=EMAIL_MFA,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    return make_client(pool_id)


def _respond(cognito: Any, app: App, name: str, session: str, **answers: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName=name, Session=session, ChallengeResponses=answers
    )


def test_email_mfa_settings_round_trip(cognito: Any, pool_id: str) -> None:
    answer = cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration=EMAIL_MFA
    )
    assert answer["EmailMfaConfiguration"] == EMAIL_MFA
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["EmailMfaConfiguration"] == EMAIL_MFA


def test_an_email_template_without_the_code_is_refused(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException"):
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="OPTIONAL",
            EmailMfaConfiguration={"Message": "no code in here"},
        )


def test_email_mfa_sends_a_code_by_email(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser, inbox: Inbox
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    email = new_email()
    user = make_user(app.pool_id, email=email)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id,
        Username=user.username,
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    got = cognito.admin_get_user(UserPoolId=app.pool_id, Username=user.username)
    assert got["UserMFASettingList"] == ["EMAIL_OTP"]
    assert got["PreferredMfaSetting"] == "EMAIL_OTP"
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "EMAIL_OTP"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == mask_email(email)
    message = inbox.wait(email)
    assert message.subject == "Sign-in code"
    assert message.body.startswith("Your sign-in code: ")
    assert len(message.code) == 6
    with cognito_error("CodeMismatchException", "Invalid code or auth state for the user."):
        _respond(
            cognito, app, "EMAIL_OTP", step["Session"], USERNAME=user.username, EMAIL_OTP_CODE="1"
        )
    done = _respond(
        cognito,
        app,
        "EMAIL_OTP",
        step["Session"],
        USERNAME=user.username,
        EMAIL_OTP_CODE=message.code,
    )
    assert "AccessToken" in done["AuthenticationResult"]
    with cognito_error("NotAuthorizedException"):  # the session and its code are spent
        _respond(
            cognito,
            app,
            "EMAIL_OTP",
            step["Session"],
            USERNAME=user.username,
            EMAIL_OTP_CODE=message.code,
        )


def test_email_mfa_needs_an_email_address(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id, phone=new_phone())
    with cognito_error(
        "InvalidParameterException", "User does not have delivery config set to turn on EMAIL_OTP"
    ):
        cognito.admin_set_user_mfa_preference(
            UserPoolId=app.pool_id, Username=user.username, EmailMfaSettings={"Enabled": True}
        )


def test_email_and_sms_without_a_preference_let_the_user_choose(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser, inbox: Inbox
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    email = new_email()
    user = make_user(app.pool_id, email=email, phone=new_phone())
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    cognito.set_user_mfa_preference(
        AccessToken=token, SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True}
    )
    me = cognito.get_user(AccessToken=token)
    assert me["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert "PreferredMfaSetting" not in me
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(step["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SMS_MFA", "EMAIL_OTP"]
    chosen = _respond(
        cognito, app, "SELECT_MFA_TYPE", step["Session"], USERNAME=user.username, ANSWER="EMAIL_OTP"
    )
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    code = inbox.wait_code(email)
    done = _respond(
        cognito, app, "EMAIL_OTP", chosen["Session"], USERNAME=user.username, EMAIL_OTP_CODE=code
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_required_pool_sends_email_codes_to_a_user_without_a_phone(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser, inbox: Inbox
) -> None:
    app = _app(cognito, make_pool, make_client, "ON")
    email = new_email()
    user = make_user(app.pool_id, email=email)
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "EMAIL_OTP"
    code = inbox.wait_code(email)
    done = _respond(
        cognito, app, "EMAIL_OTP", step["Session"], USERNAME=user.username, EMAIL_OTP_CODE=code
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_switching_email_mfa_off_signs_in_without_a_code(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id, email=new_email())
    for enabled in (True, False):
        cognito.admin_set_user_mfa_preference(
            UserPoolId=app.pool_id, Username=user.username, EmailMfaSettings={"Enabled": enabled}
        )
    assert "AuthenticationResult" in password_auth(cognito, app, user.username, PASSWORD)
    got = cognito.admin_get_user(UserPoolId=app.pool_id, Username=user.username)
    assert got.get("UserMFASettingList", []) == []
