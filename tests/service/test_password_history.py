"""PasswordHistorySize: a new password may not repeat one of the user's latest N (the
current one included), on every path that sets a password Cognito checks it on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from recognito import errors
from recognito.store.tables import password_history
from tests.service.conftest import Service

USED = "The password was used previously."
FIRST, SECOND, THIRD, FOURTH = "Passw0rd!1", "Passw0rd!2", "Passw0rd!3", "Passw0rd!4"


def _pool(service: Service, history: int) -> dict[str, Any]:
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": history}},
    )["UserPool"]["Id"]
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return {"pool_id": pool_id, "client_id": client["ClientId"]}


def _user(service: Service, pool: dict[str, Any], password: str = FIRST) -> None:
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
    _admin_set(service, pool, password)


def _admin_set(
    service: Service, pool: dict[str, Any], password: str, permanent: bool = True
) -> None:
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ann",
        Password=password,
        Permanent=permanent,
    )


def _token(service: Service, pool: dict[str, Any], password: str) -> str:
    result = service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["AccessToken"])


def _change(service: Service, pool: dict[str, Any], old: str, new: str) -> None:
    service(
        "ChangePassword",
        AccessToken=_token(service, pool, old),
        PreviousPassword=old,
        ProposedPassword=new,
    )


def _kept(service: Service) -> int:
    with service.services.store.read() as tx:
        return int(tx.conn.execute(select(func.count()).select_from(password_history)).scalar_one())


def test_change_password_refuses_the_latest_passwords_and_allows_older_ones(
    service: Service,
) -> None:
    pool = _pool(service, 2)
    _user(service, pool, FIRST)
    with pytest.raises(errors.PasswordHistoryPolicyViolationException, match=USED):
        _change(service, pool, FIRST, FIRST)  # the current password is one of the latest 2
    _change(service, pool, FIRST, SECOND)
    with pytest.raises(errors.PasswordHistoryPolicyViolationException, match=USED):
        _change(service, pool, SECOND, FIRST)
    _change(service, pool, SECOND, THIRD)
    _change(service, pool, THIRD, FIRST)  # FIRST is 3 passwords back: allowed again
    _token(service, pool, FIRST)


def test_only_the_history_the_policy_needs_is_kept(service: Service) -> None:
    pool = _pool(service, 2)
    before = _kept(service)
    _user(service, pool, FIRST)
    for old, new in ((FIRST, SECOND), (SECOND, THIRD), (THIRD, FOURTH)):
        _change(service, pool, old, new)
    assert _kept(service) - before == 1  # the current password and 1 earlier one make 2


def test_without_a_history_size_a_password_may_be_set_again(service: Service) -> None:
    pool = _pool(service, 0)
    before = _kept(service)
    _user(service, pool, FIRST)
    _change(service, pool, FIRST, FIRST)
    _admin_set(service, pool, FIRST)
    assert _kept(service) == before


def test_admin_set_user_password_is_held_to_the_history(service: Service) -> None:
    pool = _pool(service, 3)
    _user(service, pool, FIRST)
    _admin_set(service, pool, SECOND)
    for used in (FIRST, SECOND):
        with pytest.raises(errors.PasswordHistoryPolicyViolationException, match=USED):
            _admin_set(service, pool, used)
    _token(service, pool, SECOND)  # the refused call changed nothing


def test_confirm_forgot_password_is_held_to_the_history_only_with_the_right_code(
    service: Service,
) -> None:
    pool = _pool(service, 2)
    _user(service, pool, FIRST)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ann")
    code = service.last_code("ann@example.com")
    wrong = "000000" if code != "000000" else "111111"
    confirm = {"ClientId": pool["client_id"], "Username": "ann", "Password": FIRST}
    # a wrong code tells nothing about the password's history
    with pytest.raises(errors.CodeMismatchException):
        service("ConfirmForgotPassword", ConfirmationCode=wrong, **confirm)
    with pytest.raises(errors.PasswordHistoryPolicyViolationException, match=USED):
        service("ConfirmForgotPassword", ConfirmationCode=code, **confirm)
    # the code was not spent by the refusal: it sets a password not used before
    service("ConfirmForgotPassword", ConfirmationCode=code, **{**confirm, "Password": SECOND})
    _token(service, pool, SECOND)


def test_a_password_taken_away_by_an_admin_reset_stays_in_the_history(
    service: Service,
) -> None:
    pool = _pool(service, 2)
    _user(service, pool, FIRST)
    service("AdminResetUserPassword", UserPoolId=pool["pool_id"], Username="ann")
    code = service.last_code("ann@example.com")
    confirm = {"ClientId": pool["client_id"], "Username": "ann", "ConfirmationCode": code}
    with pytest.raises(errors.PasswordHistoryPolicyViolationException):
        service("ConfirmForgotPassword", Password=FIRST, **confirm)
    service("ConfirmForgotPassword", Password=SECOND, **confirm)


def test_new_password_required_is_held_to_the_history(service: Service) -> None:
    pool = _pool(service, 2)
    _user(service, pool, FIRST)
    _admin_set(service, pool, SECOND, permanent=False)  # a temporary password
    challenge = service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": SECOND},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    answer = {
        "ClientId": pool["client_id"],
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": challenge["Session"],
    }
    for used in (FIRST, SECOND):  # the permanent one before, and the temporary one
        with pytest.raises(errors.PasswordHistoryPolicyViolationException, match=USED):
            service(
                "RespondToAuthChallenge",
                ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": used},
                **answer,
            )
    result = service(
        "RespondToAuthChallenge",
        ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": THIRD},
        **answer,
    )
    assert "AuthenticationResult" in result


def test_a_deleted_user_takes_their_history_along(service: Service) -> None:
    pool = _pool(service, 3)
    before = _kept(service)
    _user(service, pool, FIRST)
    _admin_set(service, pool, SECOND)
    assert _kept(service) == before + 1
    service("AdminDeleteUser", UserPoolId=pool["pool_id"], Username="ann")
    assert _kept(service) == before
