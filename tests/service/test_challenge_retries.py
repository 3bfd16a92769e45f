"""A wrong answer to a challenge leaves its session for another try, as Amplify expects
(it resubmits after CodeMismatchException), up to the code's attempt limit; a right
answer or the session's expiry ends it (reference §7.4). The count is exact however many
answers race."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from recognito import errors
from recognito.crypto.totp import STEP
from recognito.domain.codes import MAX_FAILED_ATTEMPTS
from tests.service.conftest import RACERS, Service, race

PASSWORD, TEMPORARY, NEW = "Passw0rd!", "Temp0rary!", "N3wPassword!"
PHONE = "+15555550100"
USED_ONCE = "Invalid session for the user, session can only be used once."
WRONG_TOTP = "Invalid code or auth state for the user."


def _pool(service: Service, mode: str = "OPTIONAL", **settings: Any) -> dict[str, str]:
    pool_id = service("CreateUserPool", PoolName="p", **settings)["UserPool"]["Id"]
    service(
        "SetUserPoolMfaConfig",
        UserPoolId=pool_id,
        MfaConfiguration=mode,
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}"},
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return {"pool_id": pool_id, "client_id": client_id}


def _user(
    service: Service, pool: dict[str, str], password: str = PASSWORD, *, phone: bool = True
) -> None:
    """ann, signing in with `password` (a temporary one unless it is PASSWORD)."""
    attributes = [{"Name": "phone_number", "Value": PHONE}] if phone else []
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=attributes,
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ann",
        Password=password,
        Permanent=password == PASSWORD,
    )


def _sign_in(service: Service, pool: dict[str, str], password: str = PASSWORD) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": password},
    )


def _respond(
    service: Service, pool: dict[str, str], name: str, session: str, **answers: str
) -> Any:
    return service(
        "RespondToAuthChallenge",
        ClientId=pool["client_id"],
        ChallengeName=name,
        Session=session,
        ChallengeResponses={"USERNAME": "ann", **answers},
    )


def _totp_user(service: Service, pool: dict[str, str]) -> pyotp.TOTP:
    """ann with an authenticator switched on; the authenticator, its clock the service's."""
    _user(service, pool)
    token = _sign_in(service, pool)["AuthenticationResult"]["AccessToken"]
    secret = service("AssociateSoftwareToken", AccessToken=token)["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    service("VerifySoftwareToken", AccessToken=token, UserCode=_code(service, authenticator))
    service(
        "AdminSetUserMFAPreference",
        UserPoolId=pool["pool_id"],
        Username="ann",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    service.clock.advance(STEP)  # the code used to verify is spent; the next step's is not
    return authenticator


def _code(service: Service, authenticator: pyotp.TOTP) -> str:
    return str(authenticator.at(service.clock.now()))


def _wrong(code: str) -> str:
    """A code no step near now has: far from the right one."""
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _answer_totp(service: Service, pool: dict[str, str], session: str, code: str) -> Any:
    return _respond(service, pool, "SOFTWARE_TOKEN_MFA", session, SOFTWARE_TOKEN_MFA_CODE=code)


def test_a_wrong_totp_code_leaves_the_session_for_another_try(service: Service) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    session = _sign_in(service, pool)["Session"]
    right = _code(service, authenticator)
    with pytest.raises(errors.CodeMismatchException) as caught:
        _answer_totp(service, pool, session, _wrong(right))
    assert caught.value.message == WRONG_TOTP
    assert "AccessToken" in _answer_totp(service, pool, session, right)["AuthenticationResult"]
    with pytest.raises(errors.NotAuthorizedException) as spent:  # a success spends it
        _answer_totp(service, pool, session, right)
    assert spent.value.message == USED_ONCE


def test_the_fifth_wrong_totp_code_spends_the_session(service: Service) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    session = _sign_in(service, pool)["Session"]
    right = _code(service, authenticator)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(errors.CodeMismatchException):
            _answer_totp(service, pool, session, _wrong(right))
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _answer_totp(service, pool, session, right)
    assert caught.value.message == USED_ONCE


def test_a_totp_code_used_once_is_expired(service: Service) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    code = _code(service, authenticator)
    _answer_totp(service, pool, _sign_in(service, pool)["Session"], code)
    session = _sign_in(service, pool)["Session"]
    with pytest.raises(errors.ExpiredCodeException) as caught:
        _answer_totp(service, pool, session, code)
    assert caught.value.message == "Your software token has already been used once."
    service.clock.advance(STEP)  # the next code, on the same session
    result = _answer_totp(service, pool, session, _code(service, authenticator))
    assert "AccessToken" in result["AuthenticationResult"]


def test_an_expired_session_takes_no_answer(service: Service) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    session = _sign_in(service, pool)["Session"]
    service.clock.advance(3 * 60 + 1)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _answer_totp(service, pool, session, _code(service, authenticator))
    assert caught.value.message == "Invalid session for the user, session is expired."


def test_a_wrong_sms_code_leaves_the_session_for_another_try(service: Service) -> None:
    pool = _pool(service)
    _user(service, pool)
    service(
        "AdminSetUserMFAPreference",
        UserPoolId=pool["pool_id"],
        Username="ann",
        SMSMfaSettings={"Enabled": True},
    )
    step = _sign_in(service, pool)
    assert step["ChallengeName"] == "SMS_MFA"
    right = service.last_code(PHONE)
    with pytest.raises(errors.CodeMismatchException) as caught:
        _respond(service, pool, "SMS_MFA", step["Session"], SMS_MFA_CODE=_wrong(right))
    assert caught.value.message == "Invalid code received for user."
    done = _respond(service, pool, "SMS_MFA", step["Session"], SMS_MFA_CODE=right)
    assert "AccessToken" in done["AuthenticationResult"]


def test_an_invalid_mfa_choice_leaves_the_session_for_another_try(service: Service) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    service(
        "AdminSetUserMFAPreference",
        UserPoolId=pool["pool_id"],
        Username="ann",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    step = _sign_in(service, pool)
    assert step["ChallengeName"] == "SELECT_MFA_TYPE"
    with pytest.raises(errors.InvalidParameterException):
        _respond(service, pool, "SELECT_MFA_TYPE", step["Session"], ANSWER="EMAIL_OTP")
    chosen = _respond(
        service, pool, "SELECT_MFA_TYPE", step["Session"], ANSWER="SOFTWARE_TOKEN_MFA"
    )
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = _answer_totp(service, pool, chosen["Session"], _code(service, authenticator))
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_wrong_code_during_mfa_setup_leaves_the_session_for_another_try(
    service: Service,
) -> None:
    pool = _pool(service, mode="ON")
    _user(service, pool, phone=False)  # no phone: the pool makes ann set up an authenticator
    step = _sign_in(service, pool)
    assert step["ChallengeName"] == "MFA_SETUP"
    associated = service("AssociateSoftwareToken", Session=step["Session"])
    right = _code(service, pyotp.TOTP(associated["SecretCode"]))
    with pytest.raises(errors.EnableSoftwareTokenMFAException):
        service("VerifySoftwareToken", Session=associated["Session"], UserCode=_wrong(right))
    verified = service("VerifySoftwareToken", Session=associated["Session"], UserCode=right)
    done = _respond(service, pool, "MFA_SETUP", verified["Session"])
    assert "AccessToken" in done["AuthenticationResult"]


def _answer_new_password(
    service: Service, pool: dict[str, str], session: str, password: str, **attributes: str
) -> Any:
    extra = {f"userAttributes.{name}": value for name, value in attributes.items()}
    return _respond(service, pool, "NEW_PASSWORD_REQUIRED", session, NEW_PASSWORD=password, **extra)


def test_a_new_password_against_the_policy_leaves_the_session_for_another_try(
    service: Service,
) -> None:
    pool = _pool(service, mode="OFF")
    _user(service, pool, password=TEMPORARY)
    session = _sign_in(service, pool, TEMPORARY)["Session"]
    with pytest.raises(errors.InvalidPasswordException) as caught:
        _answer_new_password(service, pool, session, "short")
    assert caught.value.message == "Password does not conform to policy: Password not long enough"
    done = _answer_new_password(service, pool, session, NEW)
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(errors.NotAuthorizedException) as spent:
        _answer_new_password(service, pool, session, NEW)
    assert spent.value.message == USED_ONCE


def test_a_missing_required_attribute_leaves_the_session_for_another_try(
    service: Service,
) -> None:
    pool = _pool(
        service,
        mode="OFF",
        Schema=[{"Name": "given_name", "AttributeDataType": "String", "Required": True}],
    )
    _user(service, pool, password=TEMPORARY, phone=False)
    session = _sign_in(service, pool, TEMPORARY)["Session"]
    with pytest.raises(errors.InvalidParameterException):
        _answer_new_password(service, pool, session, NEW)
    with pytest.raises(errors.InvalidPasswordException):  # the attributes are fine now
        _answer_new_password(service, pool, session, "short", given_name="Ann")
    done = _answer_new_password(service, pool, session, NEW, given_name="Ann")
    assert "AccessToken" in done["AuthenticationResult"]


def test_an_expired_new_password_session_takes_no_answer(service: Service) -> None:
    pool = _pool(service, mode="OFF")
    _user(service, pool, password=TEMPORARY)
    session = _sign_in(service, pool, TEMPORARY)["Session"]
    service.clock.advance(3 * 60 + 1)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _answer_new_password(service, pool, session, "short")  # the session is judged first
    assert caught.value.message == "Invalid session for the user, session is expired."


def test_concurrent_wrong_totp_codes_to_one_session_are_judged_five_times(
    service: Service,
) -> None:
    pool = _pool(service)
    authenticator = _totp_user(service, pool)
    session = _sign_in(service, pool)["Session"]
    wrong = _wrong(_code(service, authenticator))
    outcomes = race(lambda: _answer_totp(service, pool, session, wrong))
    assert outcomes == {
        f"CodeMismatchException: {WRONG_TOTP}": MAX_FAILED_ATTEMPTS,
        f"NotAuthorizedException: {USED_ONCE}": RACERS - MAX_FAILED_ATTEMPTS,
    }
