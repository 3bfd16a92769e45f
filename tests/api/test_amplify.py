"""Amplify JS v6 (`aws-amplify`, pinned in tests/js/package.json) against a real server.

`tests/js/amplify.mjs` configures Amplify with `Auth.Cognito.userPoolEndpoint` pointed at
the worker's shared server (no identity pool, tokens in a Map) and runs one flow per Node
process; when the flow needs an emailed code or a TOTP code it asks, and this module answers
from the SMTP catcher or with pyotp. Pools and users are prepared, and results checked, with
boto3. Every flow reports the requests Amplify sent, so the tests also show which Cognito
calls each Amplify function made.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import pyotp
import pytest

from .support import (
    NEW_PASSWORD,
    PASSWORD,
    Inbox,
    ServerProcess,
    as_attributes,
    cognito_error,
    mask_email,
    new_email,
    unique,
    unverified_claims,
    user_status,
)
from .support.node import JS_DIR, converse

SCRIPT = JS_DIR / "amplify.mjs"
SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
WRONG_PASSWORD = "Incorrect username or password."
USER_AUTH_FLOWS = ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
FIRST_FACTORS = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
OTP_RE = re.compile(r"(?<!\d)\d{8}(?!\d)")


@dataclass
class Answers:
    """What the test answers the script's questions with: the newest emailed code not yet
    given, or a TOTP code of the secret not yet used (the next period's when this one's was)."""

    inbox: Inbox
    totp_secret: str | None = None  # the answer to {"totp": null}: the test's own secret
    given: dict[str, int] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)

    def __call__(self, question: dict[str, Any]) -> str:
        if "emailCode" in question:
            to = question["emailCode"]
            message = self.inbox.wait(to, after=self.given.get(to, 0))
            self.given[to] = self.inbox.count(to)
            if question.get("digits") == 8:  # USER_AUTH's sign-in codes
                found = OTP_RE.search(message.body)
                assert found is not None, message.body
                return found.group(0)
            return message.code
        secret = question["totp"] or self.totp_secret
        assert secret is not None, question
        authenticator, now = pyotp.TOTP(secret), time.time()
        code = authenticator.at(now)
        if (secret, code) in self.used:
            code = authenticator.at(now + 30)
        self.used.add((secret, code))
        return code


@dataclass
class AmplifyApp:
    """A pool and its secret-less app client, as Amplify is configured with them."""

    endpoint: str
    pool_id: str
    client_id: str
    inbox: Inbox
    answers: Answers = field(init=False)

    def __post_init__(self) -> None:
        self.answers = Answers(self.inbox)

    def run(self, flow: str, username: str, **params: Any) -> dict[str, Any]:
        """Run one flow of tests/js/amplify.mjs; its result with the calls Amplify made."""
        first = {
            "endpoint": self.endpoint,
            "poolId": self.pool_id,
            "clientId": self.client_id,
            "username": username,
            **params,
        }
        return converse(SCRIPT, flow, first, self.answers)

    def ok(self, flow: str, username: str, **params: Any) -> dict[str, Any]:
        result = self.run(flow, username, **params)
        assert result["ok"] is True, result
        return result


@pytest.fixture
def amplify(js_packages: None, server: ServerProcess, inbox: Inbox, cognito: Any) -> Any:
    """`amplify(flows=SRP_FLOWS, **CreateUserPool kwargs) -> AmplifyApp`: a fresh pool
    (email auto-verified unless told otherwise) with a client allowing `flows`."""

    def make(flows: list[str] = SRP_FLOWS, **pool: Any) -> AmplifyApp:
        pool.setdefault("AutoVerifiedAttributes", ["email"])
        pool_id = cognito.create_user_pool(PoolName=unique("amplify"), **pool)["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName=unique("amplify-app"), ExplicitAuthFlows=flows
        )["UserPoolClient"]["ClientId"]
        return AmplifyApp(f"{server.base_url}/", pool_id, client_id, inbox)

    return make


def create_user(cognito: Any, app: AmplifyApp, email: str, password: str = PASSWORD) -> str:
    """A CONFIRMED user with a verified email, made the admin way (nothing sent)."""
    username = unique("amp-user")
    cognito.admin_create_user(
        UserPoolId=app.pool_id,
        Username=username,
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=app.pool_id, Username=username, Password=password, Permanent=True
    )
    return username


def operations(result: dict[str, Any]) -> list[str]:
    """The requests Amplify sent, as `Operation` or `Operation:flow-or-challenge`."""
    out = []
    for call in result["calls"]:
        detail = call.get("authFlow") or call.get("challenge")
        out.append(f"{call['operation']}:{detail}" if detail else call["operation"])
    return out


SRP_SIGN_IN = ["InitiateAuth:USER_SRP_AUTH", "RespondToAuthChallenge:PASSWORD_VERIFIER"]


# --------------------------------------------------------------------------- sign-up


def test_sign_up_confirmed_with_the_emailed_code_signs_in_automatically(
    amplify: Any, cognito: Any
) -> None:
    app = amplify()
    username, email = unique("amp-signup"), new_email("amp-signup")

    result = app.ok("signUpAutoSignIn", username, password=PASSWORD, email=email, autoSignIn=True)

    assert result["signUp"]["delivery"] == {
        "destination": mask_email(email),
        "deliveryMedium": "EMAIL",
        "attributeName": "email",
    }
    assert result["confirmed"] is True and result["isSignedIn"] is True
    assert result["user"]["username"] == username
    assert result["user"]["userId"] == result["signUp"]["userId"]
    assert result["idTokenPayload"]["email"] == email
    assert result["idTokenPayload"]["email_verified"] is True
    assert user_status(cognito, app.pool_id, username) == "CONFIRMED"
    # autoSignIn: true signs in with the remembered password, by SRP
    assert operations(result) == ["SignUp", "ConfirmSignUp", *SRP_SIGN_IN]


def test_auto_sign_in_by_user_auth_hands_on_the_sign_up_session(amplify: Any, cognito: Any) -> None:
    app = amplify(USER_AUTH_FLOWS, Policies=FIRST_FACTORS)
    username, email = unique("amp-signup"), new_email("amp-signup-ua")

    result = app.ok(
        "signUpAutoSignIn",
        username,
        password=PASSWORD,
        email=email,
        autoSignIn={"authFlowType": "USER_AUTH"},
    )

    assert result["isSignedIn"] is True
    assert result["user"]["username"] == username
    assert result["accessTokenPayload"]["username"] == username
    # ConfirmSignUp's Session goes with USER_AUTH: tokens at once, no factor asked for
    assert operations(result) == ["SignUp", "ConfirmSignUp", "InitiateAuth:USER_AUTH"]
    assert user_status(cognito, app.pool_id, username) == "CONFIRMED"


# --------------------------------------------------------------------------- sign-in


def test_srp_sign_in_gives_tokens_and_the_user_attributes(amplify: Any, cognito: Any) -> None:
    app = amplify()
    email = new_email("amp-srp")
    username = create_user(cognito, app, email)

    result = app.ok("srpSignIn", username, password=PASSWORD)

    assert result["isSignedIn"] is True
    assert result["accessTokenPayload"]["username"] == username
    assert result["accessTokenPayload"]["client_id"] == app.client_id
    assert result["idTokenPayload"]["cognito:username"] == username
    assert result["attributes"]["email"] == email
    assert result["attributes"]["sub"] == result["idTokenPayload"]["sub"]
    assert operations(result) == [*SRP_SIGN_IN, "GetUser"]


def test_a_wrong_password_is_refused_as_not_authorized(amplify: Any, cognito: Any) -> None:
    app = amplify()
    username = create_user(cognito, app, new_email("amp-wrong"))

    result = app.run("wrongPassword", username, password=PASSWORD + "x")

    assert (result["ok"], result["code"], result["message"]) == (
        False,
        "NotAuthorizedException",
        WRONG_PASSWORD,
    )


@pytest.mark.parametrize("preferred", [True, False], ids=["preferred", "selected"])
def test_user_auth_email_otp_signs_in_with_the_emailed_code(
    amplify: Any, cognito: Any, preferred: bool
) -> None:
    app = amplify(USER_AUTH_FLOWS, Policies=FIRST_FACTORS)
    email = new_email("amp-otp")
    username = create_user(cognito, app, email)

    result = app.ok("emailOtpSignIn", username, email=email, preferred=preferred)

    assert result["delivery"] == {"destination": mask_email(email), "deliveryMedium": "EMAIL"}
    assert result["accessTokenPayload"]["username"] == username
    if preferred:  # PREFERRED_CHALLENGE: the code is sent at once
        assert operations(result) == [
            "InitiateAuth:USER_AUTH",
            "RespondToAuthChallenge:EMAIL_OTP",
        ]
        assert result["calls"][0]["preferred"] == "EMAIL_OTP"
    else:  # offered the factors, Amplify picks EMAIL_OTP
        assert sorted(result["offered"]) == ["EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"]
        assert operations(result) == [
            "InitiateAuth:USER_AUTH",
            "RespondToAuthChallenge:SELECT_CHALLENGE",
            "RespondToAuthChallenge:EMAIL_OTP",
        ]


@pytest.mark.parametrize("factor", ["PASSWORD", "PASSWORD_SRP"])
def test_user_auth_with_the_password_as_first_factor(
    amplify: Any, cognito: Any, factor: str
) -> None:
    app = amplify(USER_AUTH_FLOWS, Policies=FIRST_FACTORS)
    username = create_user(cognito, app, new_email("amp-ua-pw"))

    result = app.ok("passwordFirstFactor", username, password=PASSWORD, preferred=factor)

    assert result["accessTokenPayload"]["username"] == username
    if factor == "PASSWORD":
        assert operations(result) == ["InitiateAuth:USER_AUTH"]
    else:  # SRP_A in USER_AUTH, then the usual proof
        assert operations(result) == [
            "InitiateAuth:USER_AUTH",
            "RespondToAuthChallenge:PASSWORD_VERIFIER",
        ]


# --------------------------------------------------------------------------- TOTP


def test_totp_set_up_when_signed_in_is_asked_for_at_the_next_sign_in(
    amplify: Any, cognito: Any
) -> None:
    app = amplify()
    cognito.set_user_pool_mfa_config(
        UserPoolId=app.pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    username = create_user(cognito, app, new_email("amp-totp"))

    result = app.ok("totpSetUpThenSignIn", username, password=PASSWORD)

    assert result["preference"] == {"enabled": ["TOTP"], "preferred": "TOTP"}
    assert result["setupUri"].startswith("otpauth://totp/Recognito:")
    assert f"secret={result['secret']}" in result["setupUri"]
    user = cognito.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert operations(result) == [
        *SRP_SIGN_IN,
        "AssociateSoftwareToken",  # setUpTOTP
        "VerifySoftwareToken",  # verifyTOTPSetup
        "SetUserMFAPreference",  # updateMFAPreference
        "GetUser",  # fetchMFAPreference
        "RevokeToken",  # signOut revokes the refresh token
        *SRP_SIGN_IN,
        "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
    ]
    assert result["accessTokenPayload"]["username"] == username


def test_totp_required_by_the_pool_is_set_up_during_the_first_sign_in(
    amplify: Any, cognito: Any
) -> None:
    app = amplify()
    cognito.set_user_pool_mfa_config(
        UserPoolId=app.pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    username = create_user(cognito, app, new_email("amp-mfa-on"))

    result = app.ok("totpRequiredSetUp", username, password=PASSWORD)

    user = cognito.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    calls = operations(result)
    assert calls[:2] == SRP_SIGN_IN
    assert "RespondToAuthChallenge:MFA_SETUP" in calls
    assert calls[-3:] == [*SRP_SIGN_IN, "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA"]
    assert result["accessTokenPayload"]["username"] == username


# --------------------------------------------------------------------------- devices


def test_a_remembered_device_stands_in_for_totp_until_it_is_forgotten(
    amplify: Any, cognito: Any
) -> None:
    app = amplify(
        [*SRP_FLOWS, "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=app.pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    username = create_user(cognito, app, new_email("amp-device"))
    token = cognito.admin_initiate_auth(
        UserPoolId=app.pool_id,
        ClientId=app.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    app.answers.totp_secret = secret
    cognito.verify_software_token(AccessToken=token, UserCode=app.answers({"totp": None}))
    cognito.admin_set_user_mfa_preference(
        UserPoolId=app.pool_id, Username=username, SoftwareTokenMfaSettings={"Enabled": True}
    )

    result = app.ok("rememberedDevice", username, password=PASSWORD)

    key = result["deviceKey"]
    # the setup's own sign-in above left an unconfirmed device too
    (mine,) = [d for d in result["remembered"] if d["id"] == key]
    assert mine["name"].startswith("Node.js/")  # Amplify names it by navigator.userAgent
    assert mine["attributes"]["dev:device_remembered_status"] == "remembered"
    assert result["isSignedInAgain"] is True
    assert key not in [d["id"] for d in result["afterForget"]]
    assert result["keptDeviceKey"] is None
    assert operations(result) == [
        *SRP_SIGN_IN,
        "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
        "ConfirmDevice",  # Amplify confirms the device it was handed
        "UpdateDeviceStatus",  # rememberDevice
        "ListDevices",  # fetchDevices
        "RevokeToken",  # signOut
        *SRP_SIGN_IN,  # with the device key: no TOTP asked for, the device proves itself
        "RespondToAuthChallenge:DEVICE_SRP_AUTH",
        "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
        "ForgetDevice",
        "ListDevices",
    ]
    with cognito_error("ResourceNotFoundException", "Device does not exist."):
        cognito.admin_get_device(UserPoolId=app.pool_id, Username=username, DeviceKey=key)


# --------------------------------------------------------------------------- passwords


def test_reset_password_with_the_emailed_code_sets_the_new_password(
    amplify: Any, cognito: Any
) -> None:
    app = amplify()
    email = new_email("amp-reset")
    username = create_user(cognito, app, email)

    result = app.ok("resetPassword", username, email=email, newPassword=NEW_PASSWORD)

    assert result["step"] == "CONFIRM_RESET_PASSWORD_WITH_CODE"
    assert result["delivery"] == {
        "destination": mask_email(email),
        "deliveryMedium": "EMAIL",
        "attributeName": "email",
    }
    assert operations(result) == ["ForgotPassword", "ConfirmForgotPassword", *SRP_SIGN_IN]
    assert result["accessTokenPayload"]["username"] == username
    old = app.run("wrongPassword", username, password=PASSWORD)
    assert (old["code"], old["message"]) == ("NotAuthorizedException", WRONG_PASSWORD)


def test_update_password_replaces_the_old_one(amplify: Any, cognito: Any) -> None:
    app = amplify()
    username = create_user(cognito, app, new_email("amp-update"))

    result = app.ok("updatePassword", username, password=PASSWORD, newPassword=NEW_PASSWORD)

    assert operations(result) == [*SRP_SIGN_IN, "ChangePassword", "RevokeToken", *SRP_SIGN_IN]
    assert result["accessTokenPayload"]["username"] == username
    old = app.run("wrongPassword", username, password=PASSWORD)
    assert (old["code"], old["message"]) == ("NotAuthorizedException", WRONG_PASSWORD)


# --------------------------------------------------------------------------- sessions


def test_forced_refresh_then_global_sign_out_leaves_no_working_access_token(
    amplify: Any, cognito: Any
) -> None:
    app = amplify()
    username = create_user(cognito, app, new_email("amp-refresh"))

    result = app.ok("refreshThenGlobalSignOut", username, password=PASSWORD)

    before, after = result["before"], result["after"]
    assert after["accessToken"] != before["accessToken"]
    assert after["accessTokenPayload"]["username"] == username
    assert after["accessTokenPayload"]["origin_jti"] == before["accessTokenPayload"]["origin_jti"]
    assert unverified_claims(after["accessToken"])["token_use"] == "access"
    assert result["signedOutHasTokens"] is False
    assert operations(result) == [
        *SRP_SIGN_IN,
        "GetTokensFromRefreshToken",  # fetchAuthSession({forceRefresh: true})
        "GlobalSignOut",  # signOut({global: true})
    ]
    for token in (before["accessToken"], after["accessToken"]):
        with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
            cognito.get_user(AccessToken=token)
