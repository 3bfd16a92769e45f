"""What no sequence of calls may do to a password: bypass a reset, be overwritten by an
old code, or be half-set; and what a NEW_PASSWORD_REQUIRED answer may not write."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

PASSWORD, TEMPORARY, NEW = "Passw0rd!", "Temp0rary!", "N3wPassword!"


def _user(service: Service, pool: dict[str, Any], password: str, permanent: bool) -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ann@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ann",
        Password=password,
        Permanent=permanent,
    )


def _sign_in(service: Service, pool: dict[str, Any], password: str) -> dict[str, Any]:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": password},
    )


def _status(service: Service, pool: dict[str, Any]) -> str:
    user = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="ann")
    return str(user["UserStatus"])


def test_change_password_cannot_bypass_an_admin_reset(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool, PASSWORD, permanent=True)
    token = _sign_in(service, pool, PASSWORD)["AuthenticationResult"]["AccessToken"]
    service("AdminResetUserPassword", UserPoolId=pool["pool_id"], Username="ann")
    with pytest.raises(errors.PasswordResetRequiredException):
        service("ChangePassword", AccessToken=token, ProposedPassword=NEW)
    assert _status(service, pool) == "RESET_REQUIRED"


def test_a_reset_code_dies_when_an_admin_sets_the_password(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool, PASSWORD, permanent=True)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ann")
    code = service.last_code("ann@example.com")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ann",
        Password=TEMPORARY,
        Permanent=False,
    )
    with pytest.raises(errors.ExpiredCodeException):
        service(
            "ConfirmForgotPassword",
            ClientId=pool["client_id"],
            Username="ann",
            ConfirmationCode=code,
            Password=NEW,
        )
    assert _status(service, pool) == "FORCE_CHANGE_PASSWORD"


def _answer(service: Service, pool: dict[str, Any], session: str, **extra: str) -> Any:
    return service(
        "RespondToAuthChallenge",
        ClientId=pool["client_id"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": NEW, **extra},
    )


def test_new_password_answer_cannot_verify_an_email(service: Service, pool: dict[str, Any]) -> None:
    _user(service, pool, TEMPORARY, permanent=False)
    session = _sign_in(service, pool, TEMPORARY)["Session"]
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _answer(service, pool, session, **{"userAttributes.phone_number_verified": "true"})
    assert caught.value.message == "A client attempted to write unauthorized attribute"
    assert _status(service, pool) == "FORCE_CHANGE_PASSWORD"


def test_new_password_answer_for_a_user_disabled_meanwhile_changes_nothing(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool, TEMPORARY, permanent=False)
    session = _sign_in(service, pool, TEMPORARY)["Session"]
    service("AdminDisableUser", UserPoolId=pool["pool_id"], Username="ann")
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _answer(service, pool, session)
    assert caught.value.message == "User is disabled."
    assert _status(service, pool) == "FORCE_CHANGE_PASSWORD"
    service("AdminEnableUser", UserPoolId=pool["pool_id"], Username="ann")
    assert _sign_in(service, pool, TEMPORARY)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_a_pagination_token_that_is_not_a_row_id_is_invalid(
    service: Service, pool: dict[str, Any]
) -> None:
    for text in ("²", "9" * 30, "abc"):
        token = base64.urlsafe_b64encode(text.encode()).decode()
        with pytest.raises(errors.InvalidParameterException):
            service("ListUsers", UserPoolId=pool["pool_id"], PaginationToken=token)
