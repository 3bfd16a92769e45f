"""Everything that expires, expires: sessions, codes, temporary passwords, tokens."""

from __future__ import annotations

from typing import Any

import pytest

from recognito import errors
from recognito.store.housekeeping import purge_expired
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


def _temporary_user(service: Service, pool: dict[str, Any], username: str = "ana") -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username=username,
        TemporaryPassword="Temp0rary!",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )


def _sign_in(service: Service, pool: dict[str, Any], username: str, password: str) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def _confirmed_user(service: Service, pool: dict[str, Any], username: str = "ana") -> None:
    _temporary_user(service, pool, username)
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username=username,
        Password=PASSWORD,
        Permanent=True,
    )


def test_challenge_session_expires_after_auth_session_validity(
    service: Service, pool: dict[str, Any]
) -> None:
    _temporary_user(service, pool)
    session = _sign_in(service, pool, "ana", "Temp0rary!")["Session"]
    service.clock.advance(3 * 60 + 1)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        service(
            "RespondToAuthChallenge",
            ClientId=pool["client_id"],
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": "ana", "NEW_PASSWORD": "N3wPassword!"},
        )
    assert caught.value.message == "Invalid session for the user, session is expired."


def test_challenge_session_within_validity_is_accepted(
    service: Service, pool: dict[str, Any]
) -> None:
    _temporary_user(service, pool)
    session = _sign_in(service, pool, "ana", "Temp0rary!")["Session"]
    service.clock.advance(3 * 60 - 1)
    result = service(
        "RespondToAuthChallenge",
        ClientId=pool["client_id"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={"USERNAME": "ana", "NEW_PASSWORD": "N3wPassword!"},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_temporary_password_expires_after_validity_days(
    service: Service, pool: dict[str, Any]
) -> None:
    _temporary_user(service, pool)
    service.clock.advance(7 * 86400 + 1)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", "Temp0rary!")
    assert caught.value.message == (
        "Temporary password has expired and must be reset by an administrator."
    )


def test_an_expired_temporary_password_needs_an_admin_reset(service: Service) -> None:
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 2}},
    )["UserPool"]["Id"]
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    pool = {"pool_id": pool_id, "client_id": client_id}
    _temporary_user(service, pool)
    service.clock.advance(2 * 86400 - 1)  # the pool's validity, not the default 7 days
    assert _sign_in(service, pool, "ana", "Temp0rary!")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    service.clock.advance(2)
    with pytest.raises(errors.NotAuthorizedException, match="Temporary password has expired"):
        _sign_in(service, pool, "ana", "Temp0rary!")
    # the administrator's reset: a new temporary password, valid for 2 days from now
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ana",
        Password="Temp0rary!2",
        Permanent=False,
    )
    assert _sign_in(service, pool, "ana", "Temp0rary!2")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_reset_code_expires_after_one_hour(service: Service, pool: dict[str, Any]) -> None:
    _confirmed_user(service, pool)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    code = service.last_code("ana@example.com")
    service.clock.advance(3600 + 1)
    with pytest.raises(errors.ExpiredCodeException) as caught:
        service(
            "ConfirmForgotPassword",
            ClientId=pool["client_id"],
            Username="ana",
            ConfirmationCode=code,
            Password="N3wPassword!",
        )
    assert caught.value.message == "Invalid code provided, please request a code again."


def test_sign_up_code_lives_24_hours(service: Service, pool: dict[str, Any]) -> None:
    for name in ("early", "late"):
        service(
            "SignUp",
            ClientId=pool["client_id"],
            Username=name,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
    early, late = service.last_code("early@example.com"), service.last_code("late@example.com")
    service.clock.advance(24 * 3600 - 1)
    service("ConfirmSignUp", ClientId=pool["client_id"], Username="early", ConfirmationCode=early)
    service.clock.advance(2)
    with pytest.raises(errors.ExpiredCodeException):
        service("ConfirmSignUp", ClientId=pool["client_id"], Username="late", ConfirmationCode=late)


def test_wrong_codes_exhaust_the_code(service: Service, pool: dict[str, Any]) -> None:
    _confirmed_user(service, pool)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    code = service.last_code("ana@example.com")
    wrong = "000000" if code != "000000" else "111111"
    confirm = {
        "ClientId": pool["client_id"],
        "Username": "ana",
        "Password": "N3wPassword!",
    }
    for _ in range(5):
        with pytest.raises(errors.CodeMismatchException):
            service("ConfirmForgotPassword", ConfirmationCode=wrong, **confirm)
    with pytest.raises(errors.LimitExceededException) as caught:
        service("ConfirmForgotPassword", ConfirmationCode=code, **confirm)
    assert caught.value.message == "Attempt limit exceeded, please try after some time."


def test_access_token_expires_after_its_validity(service: Service, pool: dict[str, Any]) -> None:
    _confirmed_user(service, pool)
    tokens = _sign_in(service, pool, "ana", PASSWORD)["AuthenticationResult"]
    service.clock.advance(3599)
    assert service("GetUser", AccessToken=tokens["AccessToken"])["Username"] == "ana"
    service.clock.advance(2)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        service("GetUser", AccessToken=tokens["AccessToken"])
    assert caught.value.message == "Access Token has expired"


def test_refresh_token_expires_after_30_days(service: Service, pool: dict[str, Any]) -> None:
    _confirmed_user(service, pool)
    refresh = _sign_in(service, pool, "ana", PASSWORD)["AuthenticationResult"]["RefreshToken"]
    service.clock.advance(30 * 86400 + 1)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        service(
            "InitiateAuth",
            ClientId=pool["client_id"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh},
        )
    assert caught.value.message == "Refresh Token has expired"


def test_asking_for_a_new_code_does_not_reset_wrong_tries(
    service: Service, pool: dict[str, Any]
) -> None:
    _confirmed_user(service, pool)
    confirm = {"ClientId": pool["client_id"], "Username": "ana", "Password": "N3wPassword!"}
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    for _ in range(5):
        with pytest.raises(errors.CodeMismatchException):
            service("ConfirmForgotPassword", ConfirmationCode="not-it", **confirm)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    with pytest.raises(errors.LimitExceededException):
        service(
            "ConfirmForgotPassword",
            ConfirmationCode=service.last_code("ana@example.com"),
            **confirm,
        )
    service.clock.advance(3600)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    service(
        "ConfirmForgotPassword", ConfirmationCode=service.last_code("ana@example.com"), **confirm
    )


def test_housekeeping_keeps_expired_rows_for_their_grace_period(
    service: Service, pool: dict[str, Any]
) -> None:
    _confirmed_user(service, pool)
    refresh = _sign_in(service, pool, "ana", PASSWORD)["AuthenticationResult"]["RefreshToken"]
    refresh_flow = {
        "ClientId": pool["client_id"],
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": {"REFRESH_TOKEN": refresh},
    }
    service.clock.advance(30 * 86400 + 60)
    purge_expired(service.services.store, service.clock.now())
    with pytest.raises(errors.NotAuthorizedException) as caught:
        service("InitiateAuth", **refresh_flow)
    assert caught.value.message == "Refresh Token has expired"
    service.clock.advance(86400)
    purge_expired(service.services.store, service.clock.now())
    with pytest.raises(errors.NotAuthorizedException) as caught:
        service("InitiateAuth", **refresh_flow)
    assert caught.value.message == "Invalid Refresh Token"


def test_repeated_wrong_passwords_lock_the_user_out_for_a_while(
    service: Service, pool: dict[str, Any]
) -> None:
    _confirmed_user(service, pool)
    for _ in range(5):
        with pytest.raises(errors.NotAuthorizedException) as caught:
            _sign_in(service, pool, "ana", "Wr0ng-Passw0rd!")
        assert caught.value.message == "Incorrect username or password."
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", PASSWORD)  # even the right password, while locked
    assert caught.value.message == "Password attempts exceeded"
    service.clock.advance(1)
    assert "AccessToken" in _sign_in(service, pool, "ana", PASSWORD)["AuthenticationResult"]
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", "Wr0ng-Passw0rd!")  # a success forgave the past
    assert caught.value.message == "Incorrect username or password."


def test_attempts_during_a_lock_keep_the_failures_remembered(
    service: Service, pool: dict[str, Any]
) -> None:
    _confirmed_user(service, pool)
    for _ in range(5):  # the 5th failure locks for 1 s
        with pytest.raises(errors.NotAuthorizedException):
            _sign_in(service, pool, "ana", "Wr0ng-Passw0rd!")
    service.clock.advance(0.5)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", PASSWORD)
    assert caught.value.message == "Password attempts exceeded"
    service.clock.advance(899.9)  # 900.4 s after the last failure, 899.9 s after any attempt
    with pytest.raises(errors.NotAuthorizedException):
        _sign_in(service, pool, "ana", "Wr0ng-Passw0rd!")  # so this is the 6th failure: 2 s
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", PASSWORD)
    assert caught.value.message == "Password attempts exceeded"
