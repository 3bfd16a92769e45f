"""USER_AUTH on both databases: choice-based sign-in's sessions and one-time codes as
they age (the clock moves), and the sign-up session that signs its user in once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

PASSWORD, EMAIL = "Passw0rd!", "ann@example.com"
FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]


def _pool(service: Service, pool: dict[str, Any] | None = None, **client: Any) -> dict[str, str]:
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        AutoVerifiedAttributes=["email"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": FACTORS}},
        **(pool or {}),
    )["UserPool"]["Id"]
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **client,
    )["UserPoolClient"]["ClientId"]
    return {"pool_id": pool_id, "client_id": client_id}


def _user(service: Service, pool: dict[str, str]) -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )


def _initiate(service: Service, pool: dict[str, str], **params: str) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ann", **params},
    )


def _answer(service: Service, pool: dict[str, str], name: str, session: str, **answers: str) -> Any:
    return service(
        "RespondToAuthChallenge",
        ClientId=pool["client_id"],
        ChallengeName=name,
        Session=session,
        ChallengeResponses={"USERNAME": "ann", **answers},
    )


def _otp(service: Service) -> str:
    with service.services.store.read() as tx:
        rows = tx.outbox.rows(EMAIL, 1)
    found = re.search(r"\b(\d{8})\b", rows[0].body or "")
    assert found, rows
    return found.group(1)


def test_the_choice_lists_the_users_factors_then_signs_in_by_password(service: Service) -> None:
    pool = _pool(service)
    _user(service, pool)
    step = _initiate(service, pool)
    assert step["ChallengeName"] == "SELECT_CHALLENGE"
    # no verified phone: no SMS_OTP
    assert step["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    done = _answer(
        service, pool, "SELECT_CHALLENGE", step["Session"], ANSWER="PASSWORD", PASSWORD=PASSWORD
    )
    assert "AccessToken" in done["AuthenticationResult"]


def test_an_email_code_signs_in_once_and_dies_with_its_session(service: Service) -> None:
    pool = _pool(service)
    _user(service, pool)
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert step["ChallengeName"] == "EMAIL_OTP"
    code = _otp(service)
    assert len(code) == 8
    service.clock.advance(3 * 60 + 1)  # AuthSessionValidity: 3 minutes
    with pytest.raises(errors.NotAuthorizedException, match="session is expired"):
        _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=code)
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = _otp(service)
    with pytest.raises(errors.CodeMismatchException, match="Invalid code or auth state"):
        _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE="00000000")
    done = _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(errors.NotAuthorizedException, match="can only be used once"):
        _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=code)


def test_wrong_codes_spend_the_session_at_the_limit(service: Service) -> None:
    pool = _pool(service)
    _user(service, pool)
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = _otp(service)
    for _ in range(5):
        with pytest.raises(errors.CodeMismatchException):
            _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE="00000000")
    with pytest.raises(errors.NotAuthorizedException, match="can only be used once"):
        _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=code)


def _signed_up(service: Service, pool: dict[str, str], name: str, email: str) -> str:
    """SignUp, then ConfirmSignUp with the emailed code: the session it answers with."""
    signed_up = service(
        "SignUp",
        ClientId=pool["client_id"],
        Username=name,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    with pytest.raises(errors.UserNotConfirmedException):
        _with_session(service, pool, name, signed_up["Session"])
    confirmed = service(
        "ConfirmSignUp",
        ClientId=pool["client_id"],
        Username=name,
        ConfirmationCode=service.last_code(email),
        Session=signed_up["Session"],
    )
    session: str = confirmed["Session"]
    return session


def _with_session(service: Service, pool: dict[str, str], name: str, session: str) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": name},
        Session=session,
    )


def test_the_sign_up_session_signs_in_once(service: Service) -> None:
    pool = _pool(service)
    session = _signed_up(service, pool, "ann", EMAIL)
    done = _with_session(service, pool, "ann", session)
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(errors.NotAuthorizedException, match="can only be used once"):
        _with_session(service, pool, "ann", session)


def test_the_sign_up_session_expires_with_the_auth_session_validity(service: Service) -> None:
    pool = _pool(service)
    session = _signed_up(service, pool, "ann", EMAIL)
    service.clock.advance(3 * 60 + 1)
    with pytest.raises(errors.NotAuthorizedException, match="session is expired"):
        _with_session(service, pool, "ann", session)


def test_a_locked_out_user_is_refused_a_code_sign_in_until_the_lockout_ends(
    service: Service,
) -> None:
    pool = _pool(service)
    _user(service, pool)
    for _ in range(5):  # the 5th wrong password locks for 1 s (behaviour §12.1)
        with pytest.raises(errors.NotAuthorizedException, match="Incorrect"):
            _initiate(service, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng-pass!")
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    with pytest.raises(errors.NotAuthorizedException, match="Password attempts exceeded"):
        _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=_otp(service))
    service.clock.advance(2)
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    done = _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=_otp(service))
    assert "AccessToken" in done["AuthenticationResult"]
    # the code's success forgot the failures: one wrong password does not lock again
    with pytest.raises(errors.NotAuthorizedException, match="Incorrect"):
        _initiate(service, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng-pass!")
    done = _initiate(service, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_code_sign_in_is_an_auth_event(service: Service) -> None:
    pool = _pool(service, {"UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"}})
    _user(service, pool)
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=_otp(service))
    events = service("AdminListUserAuthEvents", UserPoolId=pool["pool_id"], Username="ann")
    newest = events["AuthEvents"][0]
    assert (newest["EventType"], newest["EventResponse"]) == ("SignIn", "Pass"), events


def test_a_passwordless_sign_up_signs_in_by_code_only(service: Service) -> None:
    pool = _pool(service)
    signed_up = service(
        "SignUp",
        ClientId=pool["client_id"],
        Username="ann",
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
    )
    service(
        "ConfirmSignUp",
        ClientId=pool["client_id"],
        Username="ann",
        ConfirmationCode=service.last_code(EMAIL),
        Session=signed_up["Session"],
    )
    step = _initiate(service, pool)
    assert step["AvailableChallenges"] == ["EMAIL_OTP"]  # no password to offer
    # a password preferred, but there is none: the choice again
    step = _initiate(service, pool, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert (step["ChallengeName"], step["AvailableChallenges"]) == (
        "SELECT_CHALLENGE",
        ["EMAIL_OTP"],
    )
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    done = _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=_otp(service))
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_password_only_pool_still_requires_a_password_at_sign_up(service: Service) -> None:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    client_id = service("CreateUserPoolClient", UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    with pytest.raises(errors.InvalidParameterException, match="Missing required parameter"):
        service("SignUp", ClientId=client_id, Username="ann")


def test_a_suppressed_admin_created_user_without_a_password_is_passwordless(
    service: Service,
) -> None:
    pool = _pool(service)
    created = service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": EMAIL},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    assert created["User"]["UserStatus"] == "CONFIRMED"
    step = _initiate(service, pool, PREFERRED_CHALLENGE="EMAIL_OTP")
    done = _answer(service, pool, "EMAIL_OTP", step["Session"], EMAIL_OTP_CODE=_otp(service))
    assert "AccessToken" in done["AuthenticationResult"]
    plain = service("CreateUserPool", PoolName="q")["UserPool"]["Id"]
    created = service("AdminCreateUser", UserPoolId=plain, Username="bob", MessageAction="SUPPRESS")
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # a password-only pool
