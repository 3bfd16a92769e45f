"""Multi-factor sign-in: TOTP set up by access token or inside MFA_SETUP, SMS codes, the
choice between factors, and the pool settings that switch them on. TOTP codes are made
here with pyotp from the secret the server hands out, as an authenticator app would."""

from __future__ import annotations

import json
import time
from typing import Any

import pyotp
import pytest
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from tests.api.support import (
    PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    User,
    cognito_error,
    mask_phone,
    new_phone,
    password_auth,
    sign_in,
)

TOTP_ON = {"SoftwareTokenMfaConfiguration": {"Enabled": True}}


def _app(cognito: Any, make_pool: MakePool, make_client: MakeClient, mode: str) -> App:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration=mode,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
        **TOTP_ON,
    )
    return make_client(pool_id)


def _enroll_totp(cognito: Any, access_token: str) -> pyotp.TOTP:
    """Associate and verify an authenticator by access token; returns the authenticator."""
    secret = cognito.associate_software_token(AccessToken=access_token)["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    verified = cognito.verify_software_token(AccessToken=access_token, UserCode=authenticator.now())
    assert verified["Status"] == "SUCCESS"
    return authenticator


def _totp_user(cognito: Any, app: App, make_user: MakeUser) -> tuple[User, pyotp.TOTP]:
    """A user who enrolled an authenticator and switched it on; and the authenticator."""
    user = make_user(app.pool_id)
    authenticator = _enroll_totp(
        cognito, sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    )
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id, Username=user.username, SoftwareTokenMfaSettings={"Enabled": True}
    )
    return user, authenticator


def _answer_totp(cognito: Any, app: App, session: str, username: str, code: str) -> Any:
    return _respond(
        cognito,
        app,
        "SOFTWARE_TOKEN_MFA",
        session,
        USERNAME=username,
        SOFTWARE_TOKEN_MFA_CODE=code,
    )


def _next_code(authenticator: pyotp.TOTP) -> str:
    """The code of the coming 30-second step: accepted now (clock drift is allowed for),
    and newer than a code just used, which the server will not take twice."""
    return str(authenticator.at(time.time() + 30))


def _wrong_code(authenticator: pyotp.TOTP) -> str:
    """A code of no step near now: the server accepts one step of drift either side."""
    near = {authenticator.at(time.time() + drift) for drift in (-30, 0, 30, 60)}
    code = int(authenticator.now())
    while f"{code:06d}" in near:
        code = (code + 500_000 + 1) % 1_000_000
    return f"{code:06d}"


def _respond(cognito: Any, app: App, name: str, session: str, **answers: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName=name, Session=session, ChallengeResponses=answers
    )


def test_pool_mfa_settings_round_trip(cognito: Any, pool_id: str) -> None:
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", **TOTP_ON)
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}


def test_mfa_cannot_be_on_without_a_factor(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException"):
        cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON")


def test_optional_totp_challenges_once_enabled(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id)
    tokens = sign_in(cognito, app, user.username, PASSWORD)  # no factor yet: no challenge
    authenticator = _enroll_totp(cognito, tokens["AccessToken"])
    cognito.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"],
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    me = cognito.get_user(AccessToken=tokens["AccessToken"])
    assert me["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert me["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = _answer_totp(cognito, app, step["Session"], user.username, _next_code(authenticator))
    assert "AccessToken" in done["AuthenticationResult"]
    replay = password_auth(cognito, app, user.username, PASSWORD)
    with cognito_error("ExpiredCodeException", "Your software token has already been used once."):
        _answer_totp(cognito, app, replay["Session"], user.username, _next_code(authenticator))


def test_a_wrong_totp_code_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user, authenticator = _totp_user(cognito, app, make_user)
    step = password_auth(cognito, app, user.username, PASSWORD)
    with cognito_error("CodeMismatchException", "Invalid code or auth state for the user."):
        _answer_totp(cognito, app, step["Session"], user.username, _wrong_code(authenticator))


def test_verifying_with_a_wrong_code_fails(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id)
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    cognito.associate_software_token(AccessToken=token)
    with cognito_error(
        "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
    ):
        cognito.verify_software_token(AccessToken=token, UserCode="000000")


def test_no_authenticator_in_a_pool_without_totp(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    with cognito_error(
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA has not been enabled by the userPool.",
    ):
        cognito.associate_software_token(AccessToken=token)


def test_totp_cannot_be_enabled_before_it_is_verified(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    with cognito_error(
        "InvalidParameterException",
        "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
    ):
        cognito.set_user_mfa_preference(
            AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True}
        )


def test_required_mfa_sets_up_totp_during_sign_in(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", **TOTP_ON)
    app = make_client(pool_id)
    user = make_user(pool_id)
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "MFA_SETUP"
    assert json.loads(step["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = cognito.associate_software_token(Session=step["Session"])
    authenticator = pyotp.TOTP(associated["SecretCode"])
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=authenticator.now()
    )
    with cognito_error("NotAuthorizedException"):  # the first session proves no code
        _respond(cognito, app, "MFA_SETUP", step["Session"], USERNAME=user.username)
    done = _respond(cognito, app, "MFA_SETUP", verified["Session"], USERNAME=user.username)
    assert "AccessToken" in done["AuthenticationResult"]
    assert password_auth(cognito, app, user.username, PASSWORD)["ChallengeName"] == (
        "SOFTWARE_TOKEN_MFA"
    )


def test_sms_mfa_sends_a_code_to_the_phone(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    phone = new_phone()
    user = make_user(app.pool_id, phone=phone)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id, Username=user.username, SMSMfaSettings={"Enabled": True}
    )
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SMS_MFA"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == mask_phone(phone)
    message = inbox.wait(phone)
    assert message.body.startswith("Sign-in code ")
    with cognito_error("CodeMismatchException", "Invalid code received for user."):
        _respond(cognito, app, "SMS_MFA", step["Session"], USERNAME=user.username, SMS_MFA_CODE="1")
    step = password_auth(cognito, app, user.username, PASSWORD)
    code = inbox.wait_code(phone, after=1)
    done = _respond(
        cognito, app, "SMS_MFA", step["Session"], USERNAME=user.username, SMS_MFA_CODE=code
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_two_factors_without_a_preference_let_the_user_choose(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id, phone=new_phone())
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    authenticator = _enroll_totp(cognito, token)
    cognito.set_user_mfa_preference(
        AccessToken=token,
        SMSMfaSettings={"Enabled": True},
        SoftwareTokenMfaSettings={"Enabled": True},
    )
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SELECT_MFA_TYPE"
    assert set(json.loads(step["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == {
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    }
    chosen = _respond(
        cognito,
        app,
        "SELECT_MFA_TYPE",
        step["Session"],
        USERNAME=user.username,
        ANSWER="SOFTWARE_TOKEN_MFA",
    )
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = _answer_totp(cognito, app, chosen["Session"], user.username, _next_code(authenticator))
    assert "AccessToken" in done["AuthenticationResult"]


def test_pycognito_enrols_and_answers_totp(
    base_url: str,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    pool_id = _app(cognito, make_pool, make_client, "OPTIONAL").pool_id
    srp_app = make_client(pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])
    user = make_user(pool_id)
    client = Cognito(
        pool_id,
        srp_app.client_id,
        username=user.username,
        boto3_client_kwargs={
            "endpoint_url": base_url,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
    )
    client.authenticate(PASSWORD)
    authenticator = pyotp.TOTP(client.associate_software_token())
    assert client.verify_software_token(authenticator.now())
    client.set_user_mfa_preference(False, True, preferred="SOFTWARE_TOKEN")
    with pytest.raises(SoftwareTokenMFAChallengeException):
        client.authenticate(PASSWORD)
    client.respond_to_software_token_mfa_challenge(_next_code(authenticator))
    assert client.access_claims["username"] == user.username


def test_no_tokens_for_a_user_disabled_during_the_challenge(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user, authenticator = _totp_user(cognito, app, make_user)
    step = password_auth(cognito, app, user.username, PASSWORD)
    cognito.admin_disable_user(UserPoolId=app.pool_id, Username=user.username)
    with cognito_error("NotAuthorizedException", "User is disabled."):
        _answer_totp(cognito, app, step["Session"], user.username, _next_code(authenticator))


def test_an_enrolled_user_keeps_totp_when_the_pool_stops_offering_it(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user, _ = _totp_user(cognito, app, make_user)
    cognito.set_user_pool_mfa_config(
        UserPoolId=app.pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": False},
    )
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_wrong_sms_codes_never_block_the_owner(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    phone = new_phone()
    user = make_user(app.pool_id, phone=phone)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id, Username=user.username, SMSMfaSettings={"Enabled": True}
    )
    for sent in range(6):
        step = password_auth(cognito, app, user.username, PASSWORD)
        inbox.wait(phone, after=sent)
        with cognito_error("CodeMismatchException"):
            _respond(
                cognito, app, "SMS_MFA", step["Session"], USERNAME=user.username, SMS_MFA_CODE="1"
            )
    step = password_auth(cognito, app, user.username, PASSWORD)
    code = inbox.wait_code(phone, after=6)
    done = _respond(
        cognito, app, "SMS_MFA", step["Session"], USERNAME=user.username, SMS_MFA_CODE=code
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_in_a_required_pool_a_verified_authenticator_is_used_at_once(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user = make_user(app.pool_id)
    token = sign_in(cognito, app, user.username, PASSWORD)["AccessToken"]
    cognito.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="ON", **TOTP_ON)
    _enroll_totp(cognito, token)
    step = password_auth(cognito, app, user.username, PASSWORD)
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_a_setup_session_survives_a_wrong_code(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", **TOTP_ON)
    app = make_client(pool_id)
    user = make_user(pool_id)
    step = password_auth(cognito, app, user.username, PASSWORD)
    associated = cognito.associate_software_token(Session=step["Session"])
    authenticator = pyotp.TOTP(associated["SecretCode"])
    with cognito_error("EnableSoftwareTokenMFAException"):
        cognito.verify_software_token(
            Session=associated["Session"], UserCode=_wrong_code(authenticator)
        )
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=authenticator.now()
    )
    done = _respond(cognito, app, "MFA_SETUP", verified["Session"], USERNAME=user.username)
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_mistyped_totp_code_can_be_retyped_on_the_same_session(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    """Amplify resubmits the session after CodeMismatchException; the fifth wrong code
    ends it."""
    app = _app(cognito, make_pool, make_client, "OPTIONAL")
    user, authenticator = _totp_user(cognito, app, make_user)
    step = password_auth(cognito, app, user.username, PASSWORD)
    with cognito_error("CodeMismatchException", "Invalid code or auth state for the user."):
        _answer_totp(cognito, app, step["Session"], user.username, _wrong_code(authenticator))
    done = _answer_totp(cognito, app, step["Session"], user.username, _next_code(authenticator))
    assert "AccessToken" in done["AuthenticationResult"]
    step = password_auth(cognito, app, user.username, PASSWORD)
    for _ in range(5):
        with cognito_error("CodeMismatchException"):
            _answer_totp(cognito, app, step["Session"], user.username, _wrong_code(authenticator))
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        _answer_totp(cognito, app, step["Session"], user.username, _next_code(authenticator))
