"""Choice-based sign-in (USER_AUTH) through boto3 against a real server: the pool's
SignInPolicy, the client's ALLOW_USER_AUTH, SELECT_CHALLENGE, the PASSWORD, PASSWORD_SRP,
EMAIL_OTP and SMS_OTP first factors (codes read from the SMTP and SMS catchers), names
nobody has, sign-up followed by sign-in, and Get/AdminGetUserAuthFactors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP

from tests.api.support import (
    PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    as_attributes,
    cognito_error,
    mask_email,
    mask_phone,
    new_email,
    new_phone,
    unique,
    unverified_claims,
)

ALL_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
FLOWS = ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
OTP_RE = re.compile(r"(?<!\d)\d{8}(?!\d)")
WRONG = "Invalid code or auth state for the user."


def _pool(make_pool: MakePool, factors: list[str] = ALL_FACTORS, **kwargs: Any) -> str:
    return make_pool(Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}}, **kwargs)


def _app(
    make_pool: MakePool, make_client: MakeClient, *, secret: bool = False, **client: Any
) -> App:
    client.setdefault("ExplicitAuthFlows", FLOWS)
    return make_client(_pool(make_pool), secret=secret, **client)


def _start(cognito: Any, app: App, username: str, **params: str) -> Any:
    return cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters=app.auth_parameters(username, **params),
    )


def _respond(cognito: Any, app: App, name: str, session: str, username: str, **answers: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName=name,
        Session=session,
        ChallengeResponses=app.auth_parameters(username, **answers),
    )


def _otp(inbox: Inbox, recipient: str, after: int = 0) -> str:
    body = inbox.wait(recipient, after=after).body
    found = OTP_RE.search(body)
    assert found is not None, body
    return found.group(0)


# ---- the pool's policy and the client's permission ----


def test_the_sign_in_policy_is_kept_and_described(cognito: Any, make_pool: MakePool) -> None:
    pool_id = _pool(make_pool, ["EMAIL_OTP", "PASSWORD"])
    policies = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": ["EMAIL_OTP", "PASSWORD"]}
    cognito.update_user_pool(
        UserPoolId=pool_id, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}}
    )
    policies = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policies["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        (["EMAIL_OTP"], "AllowedFirstAuthFactors must include PASSWORD."),
        (
            ["PASSWORD", "SOFTWARE_TOKEN"],
            "SOFTWARE_TOKEN is not currently supported as a first auth factor.",
        ),
    ],
)
def test_a_sign_in_policy_cognito_refuses_is_refused(
    cognito: Any, make_pool: MakePool, factors: list[str], message: str
) -> None:
    with cognito_error("InvalidParameterException", message):
        _pool(make_pool, factors)
    pool_id = make_pool()
    with cognito_error("InvalidParameterException", message):
        cognito.update_user_pool(
            UserPoolId=pool_id, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
        )


def test_a_client_without_allow_user_auth_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = make_client(_pool(make_pool))  # the password flows only
    user = make_user(app.pool_id)
    with cognito_error("InvalidParameterException", "USER_AUTH flow not enabled for this client"):
        _start(cognito, app, user.username)
    with cognito_error("InvalidParameterException", "USER_AUTH flow not enabled for this client"):
        cognito.admin_initiate_auth(
            UserPoolId=app.pool_id,
            ClientId=app.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": user.username},
        )


# ---- SELECT_CHALLENGE ----


def test_the_choice_offers_the_factors_the_user_can_use(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client)
    both = make_user(app.pool_id, email=new_email(), phone=new_phone())
    unverified = make_user(app.pool_id, email=new_email(), phone=new_phone(), phone_verified=False)
    bare = make_user(app.pool_id)
    step = _start(cognito, app, both.username)
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    assert step["Session"]
    offered = _start(cognito, app, unverified.username)["AvailableChallenges"]
    assert offered == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    assert _start(cognito, app, bare.username)["AvailableChallenges"] == [
        "PASSWORD",
        "PASSWORD_SRP",
    ]


def test_the_pool_policy_limits_the_choice(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, ["PASSWORD", "SMS_OTP"])
    app = make_client(pool_id, ExplicitAuthFlows=FLOWS)
    user = make_user(pool_id, email=new_email(), phone=new_phone())
    step = _start(cognito, app, user.username)
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "SMS_OTP"]
    # a preferred challenge the pool does not allow falls back to the choice
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["ChallengeName"] == "SELECT_CHALLENGE"


def test_choosing_password_signs_in(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, secret=True)
    user = make_user(app.pool_id, email=new_email())
    step = _start(cognito, app, user.username)
    done = _respond(
        cognito,
        app,
        "SELECT_CHALLENGE",
        step["Session"],
        user.username,
        ANSWER="PASSWORD",
        PASSWORD=PASSWORD,
    )
    claims = unverified_claims(done["AuthenticationResult"]["IdToken"])
    assert claims["cognito:username"] == user.username
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        _respond(
            cognito,
            app,
            "SELECT_CHALLENGE",
            step["Session"],
            user.username,
            ANSWER="PASSWORD",
            PASSWORD=PASSWORD,
        )


def test_choosing_password_with_a_wrong_one_is_incorrect(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client)
    user = make_user(app.pool_id)
    step = _start(cognito, app, user.username)
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _respond(
            cognito,
            app,
            "SELECT_CHALLENGE",
            step["Session"],
            user.username,
            ANSWER="PASSWORD",
            PASSWORD="Wr0ng-Password!",
        )


def test_a_choice_not_offered_or_missing_its_parameter_is_refused_and_the_session_stays(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client)
    user = make_user(app.pool_id)  # no email: EMAIL_OTP is not offered
    step = _start(cognito, app, user.username)
    with cognito_error("InvalidParameterException", "Invalid challenge EMAIL_OTP for the user."):
        _respond(
            cognito, app, "SELECT_CHALLENGE", step["Session"], user.username, ANSWER="EMAIL_OTP"
        )
    with cognito_error("InvalidParameterException", "Missing required parameter PASSWORD"):
        _respond(
            cognito, app, "SELECT_CHALLENGE", step["Session"], user.username, ANSWER="PASSWORD"
        )
    done = _respond(
        cognito,
        app,
        "SELECT_CHALLENGE",
        step["Session"],
        user.username,
        ANSWER="PASSWORD",
        PASSWORD=PASSWORD,
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_choosing_password_srp_leads_to_the_password_verifier(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client)
    user = make_user(app.pool_id)
    srp = AWSSRP(
        username=user.username,
        password=PASSWORD,
        pool_id=app.pool_id,
        client_id=app.client_id,
        client=cognito,
    )
    step = _start(cognito, app, user.username)
    verifier = _respond(
        cognito,
        app,
        "SELECT_CHALLENGE",
        step["Session"],
        user.username,
        ANSWER="PASSWORD_SRP",
        SRP_A=srp.get_auth_params()["SRP_A"],
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    proof = srp.process_challenge(verifier["ChallengeParameters"], {"USERNAME": user.username})
    done = cognito.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=proof
    )
    assert "AccessToken" in done["AuthenticationResult"]


# ---- PREFERRED_CHALLENGE ----


def test_preferred_password_signs_in_at_once(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client)
    user = make_user(app.pool_id)
    done = _start(cognito, app, user.username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert "AccessToken" in done["AuthenticationResult"]
    done = cognito.admin_initiate_auth(
        UserPoolId=app.pool_id,
        ClientId=app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={
            "USERNAME": user.username,
            "PREFERRED_CHALLENGE": "PASSWORD",
            "PASSWORD": PASSWORD,
        },
    )
    assert "AccessToken" in done["AuthenticationResult"]
    with cognito_error("InvalidParameterException", "Missing required parameter PASSWORD"):
        _start(cognito, app, user.username, PREFERRED_CHALLENGE="PASSWORD")
    with cognito_error("InvalidParameterException", "Invalid PREFERRED_CHALLENGE: SMS_MFA."):
        _start(cognito, app, user.username, PREFERRED_CHALLENGE="SMS_MFA")


def test_a_password_is_still_followed_by_mfa(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
    )
    app = make_client(pool_id, ExplicitAuthFlows=FLOWS)
    user = make_user(pool_id, email=new_email())
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=user.username, EmailMfaSettings={"Enabled": True}
    )
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert step["ChallengeName"] == "EMAIL_OTP"  # the second factor, a 6-digit code


# ---- one-time codes ----


def test_an_email_code_signs_in_without_mfa(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    pool_id = _pool(make_pool)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Sign in with {####}", "Subject": "Your code"},
    )
    app = make_client(pool_id, ExplicitAuthFlows=FLOWS)
    email = new_email()
    user = make_user(pool_id, email=email)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=user.username, EmailMfaSettings={"Enabled": True}
    )
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["ChallengeName"] == "EMAIL_OTP"
    assert step["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": mask_email(email),
    }
    message = inbox.wait(email)
    assert message.subject == "Your code"
    code = _otp(inbox, email)
    assert message.body.strip() == f"Sign in with {code}"
    done = _respond(cognito, app, "EMAIL_OTP", step["Session"], user.username, EMAIL_OTP_CODE=code)
    # the code stood in for MFA: tokens, not a second EMAIL_OTP
    assert "AccessToken" in done["AuthenticationResult"]


def test_wrong_and_replayed_email_codes_are_refused(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(make_pool, make_client)
    email = new_email()
    user = make_user(app.pool_id, email=email)
    step = _start(cognito, app, user.username)
    chosen = _respond(
        cognito, app, "SELECT_CHALLENGE", step["Session"], user.username, ANSWER="EMAIL_OTP"
    )
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    code = _otp(inbox, email)
    with cognito_error("CodeMismatchException", WRONG):
        _respond(
            cognito, app, "EMAIL_OTP", chosen["Session"], user.username, EMAIL_OTP_CODE="12345678"
        )
    done = _respond(
        cognito, app, "EMAIL_OTP", chosen["Session"], user.username, EMAIL_OTP_CODE=code
    )
    assert "AccessToken" in done["AuthenticationResult"]
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        _respond(cognito, app, "EMAIL_OTP", chosen["Session"], user.username, EMAIL_OTP_CODE=code)
    # a new sign-in's session does not take the spent code (a new one went out)
    again = _start(cognito, app, user.username, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert _otp(inbox, email, after=1) != code
    with cognito_error("CodeMismatchException", WRONG):
        _respond(cognito, app, "EMAIL_OTP", again["Session"], user.username, EMAIL_OTP_CODE=code)


def test_an_sms_code_signs_in(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(make_pool, make_client, secret=True)
    phone = new_phone()
    user = make_user(app.pool_id, phone=phone)
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="SMS_OTP")
    assert step["ChallengeName"] == "SMS_OTP"
    assert step["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": mask_phone(phone),
    }
    code = _otp(inbox, phone)
    with cognito_error("CodeMismatchException", WRONG):
        _respond(cognito, app, "SMS_OTP", step["Session"], user.username, SMS_OTP_CODE="1")
    done = _respond(cognito, app, "SMS_OTP", step["Session"], user.username, SMS_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_code_session_answers_only_its_own_challenge_and_user(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(make_pool, make_client)
    email = new_email()
    user = make_user(app.pool_id, email=email)
    other = make_user(app.pool_id)
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = _otp(inbox, email)
    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        _respond(cognito, app, "SMS_OTP", step["Session"], user.username, SMS_OTP_CODE=code)
    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        _respond(cognito, app, "EMAIL_OTP", step["Session"], other.username, EMAIL_OTP_CODE=code)
    done = _respond(cognito, app, "EMAIL_OTP", step["Session"], user.username, EMAIL_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_disabled_user_gets_no_code(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = _app(make_pool, make_client, PreventUserExistenceErrors="LEGACY")
    user = make_user(app.pool_id, email=new_email())
    cognito.admin_disable_user(UserPoolId=app.pool_id, Username=user.username)
    with cognito_error("NotAuthorizedException", "User is disabled."):
        _start(cognito, app, user.username, PREFERRED_CHALLENGE="EMAIL_OTP")


# ---- names nobody has ----


def test_an_unknown_name_is_told_apart_only_by_a_legacy_client(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = _pool(make_pool)
    legacy = make_client(pool_id, ExplicitAuthFlows=FLOWS, PreventUserExistenceErrors="LEGACY")
    with cognito_error("UserNotFoundException", "User does not exist."):
        _start(cognito, legacy, unique("nobody"))


def test_an_unknown_name_gets_a_choice_and_a_code_challenge_that_never_passes(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    app = _app(make_pool, make_client, PreventUserExistenceErrors="ENABLED")
    name = new_email()
    step = _start(cognito, app, name)
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    chosen = _respond(cognito, app, "SELECT_CHALLENGE", step["Session"], name, ANSWER="EMAIL_OTP")
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    assert chosen["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == mask_email(name)
    assert inbox.count(name) == 0  # nothing is sent to a name nobody has
    for _ in range(5):  # as a real session, the 5th wrong code spends it
        with cognito_error("CodeMismatchException", WRONG):
            _respond(cognito, app, "EMAIL_OTP", chosen["Session"], name, EMAIL_OTP_CODE="12345678")
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        _respond(cognito, app, "EMAIL_OTP", chosen["Session"], name, EMAIL_OTP_CODE="12345678")
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _start(cognito, app, name, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _respond(
            cognito,
            app,
            "SELECT_CHALLENGE",
            step["Session"],
            name,
            ANSWER="PASSWORD",
            PASSWORD=PASSWORD,
        )


# ---- sign-up, then signed in ----


def test_sign_up_then_confirm_then_signed_in_by_the_session(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = _pool(make_pool, AutoVerifiedAttributes=["email"])
    app = make_client(pool_id, secret=True, ExplicitAuthFlows=FLOWS)
    other = make_client(pool_id, ExplicitAuthFlows=FLOWS)
    email, username = new_email(), unique("su")
    signed_up = cognito.sign_up(
        ClientId=app.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": email}),
        **app.secret_kwargs(username),
    )
    assert signed_up["Session"]
    confirmed = cognito.confirm_sign_up(
        ClientId=app.client_id,
        Username=username,
        ConfirmationCode=inbox.wait_code(email),
        Session=signed_up["Session"],
        **app.secret_kwargs(username),
    )
    session = confirmed["Session"]
    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        cognito.initiate_auth(  # another client's
            ClientId=other.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": username},
            Session=session,
        )
    done = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters=app.auth_parameters(username),
        Session=session,
    )
    claims = unverified_claims(done["AuthenticationResult"]["IdToken"])
    assert claims["cognito:username"] == username
    assert claims["email_verified"] is True
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        cognito.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters=app.auth_parameters(username),
            Session=session,
        )


def test_a_passwordless_sign_up_confirms_signs_in_and_later_uses_codes(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = _pool(make_pool, ["PASSWORD", "EMAIL_OTP"], AutoVerifiedAttributes=["email"])
    app = make_client(pool_id, ExplicitAuthFlows=FLOWS)
    email = new_email()
    signed_up = cognito.sign_up(
        ClientId=app.client_id, Username=email, UserAttributes=as_attributes({"email": email})
    )
    confirmed = cognito.confirm_sign_up(
        ClientId=app.client_id,
        Username=email,
        ConfirmationCode=inbox.wait_code(email),
        Session=signed_up["Session"],
    )
    done = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": email},
        Session=confirmed["Session"],
    )
    assert "AccessToken" in done["AuthenticationResult"]
    assert _start(cognito, app, email)["AvailableChallenges"] == ["EMAIL_OTP"]
    step = _start(cognito, app, email, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = _otp(inbox, email, after=1)
    done = _respond(cognito, app, "EMAIL_OTP", step["Session"], email, EMAIL_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_sign_up_gives_no_session_to_a_client_without_user_auth(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool())
    username = unique("su")
    signed_up = cognito.sign_up(ClientId=app.client_id, Username=username, Password=PASSWORD)
    assert "Session" not in signed_up


# ---- the user's factors ----


def test_get_user_auth_factors_lists_first_and_second_factors(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
    )
    user = make_user(pool_id, email=new_email())
    admin = cognito.admin_get_user_auth_factors(UserPoolId=pool_id, Username=user.username)
    assert admin["Username"] == user.username
    assert admin["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "UserMFASettingList" not in admin
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username=user.username,
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    own = cognito.admin_get_user_auth_factors(UserPoolId=pool_id, Username=user.username)
    assert own["UserMFASettingList"] == ["EMAIL_OTP"]
    assert own["PreferredMfaSetting"] == "EMAIL_OTP"


def test_get_user_auth_factors_with_an_access_token(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    app = _app(make_pool, make_client)
    phone = new_phone()
    user = make_user(app.pool_id, phone=phone)
    step = _start(cognito, app, user.username, PREFERRED_CHALLENGE="SMS_OTP")
    done = _respond(
        cognito, app, "SMS_OTP", step["Session"], user.username, SMS_OTP_CODE=_otp(inbox, phone)
    )
    factors = cognito.get_user_auth_factors(AccessToken=done["AuthenticationResult"]["AccessToken"])
    assert factors["Username"] == user.username
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "SMS_OTP"]
    with cognito_error("NotAuthorizedException"):
        cognito.get_user_auth_factors(AccessToken="not-a-token")
