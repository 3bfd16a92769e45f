"""Counts that stop guessing are exact however many requests race: 100 at once against
one user, on SQLite and on PostgreSQL (row locks; READ COMMITTED alone let most through).

The clock stands still, so the expected outcome is exact: once the 5th failure locks the
user (or the 5th wrong code spends a code), every other request is refused.
"""

from __future__ import annotations

from typing import Any

from tests.service.conftest import RACERS, Service, race

PASSWORD = "Passw0rd!"
WRONG_CODE = "000000"


def _user(service: Service, pool: dict[str, Any], **attributes: str) -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ana",
        UserAttributes=[
            {"Name": "email", "Value": "ana@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ana",
        Password=PASSWORD,
        Permanent=True,
    )


def _never_the_code(service: Service, recipient: str) -> str:
    """A wrong code that cannot be the one just sent."""
    return WRONG_CODE if service.last_code(recipient) != WRONG_CODE else "111111"


def test_concurrent_wrong_passwords_are_judged_five_times(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool)
    outcomes = race(
        lambda: service(
            "InitiateAuth",
            ClientId=pool["client_id"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ana", "PASSWORD": "Wr0ng-Passw0rd!"},
        )
    )
    assert outcomes == {
        "NotAuthorizedException: Incorrect username or password.": 5,
        "NotAuthorizedException: Password attempts exceeded": RACERS - 5,
    }


def test_concurrent_wrong_reset_codes_are_judged_five_times(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool)
    service("ForgotPassword", ClientId=pool["client_id"], Username="ana")
    wrong = _never_the_code(service, "ana@example.com")
    outcomes = race(
        lambda: service(
            "ConfirmForgotPassword",
            ClientId=pool["client_id"],
            Username="ana",
            ConfirmationCode=wrong,
            Password="N3w-Passw0rd!",
        )
    )
    assert outcomes == {
        "CodeMismatchException: Invalid verification code provided, please try again.": 5,
        "LimitExceededException: Attempt limit exceeded, please try after some time.": RACERS - 5,
    }


def test_concurrent_wrong_sign_up_codes_are_judged_five_times(
    service: Service, pool: dict[str, Any]
) -> None:
    service(
        "SignUp",
        ClientId=pool["client_id"],
        Username="ana",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
    )
    wrong = _never_the_code(service, "ana@example.com")
    outcomes = race(
        lambda: service(
            "ConfirmSignUp", ClientId=pool["client_id"], Username="ana", ConfirmationCode=wrong
        )
    )
    assert outcomes == {
        "CodeMismatchException: Invalid verification code provided, please try again.": 5,
        "LimitExceededException: Attempt limit exceeded, please try after some time.": RACERS - 5,
    }


def test_concurrent_wrong_attribute_codes_are_judged_five_times(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool)
    token = service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ana", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    service("GetUserAttributeVerificationCode", AccessToken=token, AttributeName="email")
    wrong = _never_the_code(service, "ana@example.com")
    outcomes = race(
        lambda: service("VerifyUserAttribute", AccessToken=token, AttributeName="email", Code=wrong)
    )
    assert outcomes == {
        "CodeMismatchException: Invalid verification code provided, please try again.": 5,
        "LimitExceededException: Attempt limit exceeded, please try after some time.": RACERS - 5,
    }


def test_concurrent_reset_requests_send_no_more_codes_than_the_cap(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool)
    outcomes = race(lambda: service("ForgotPassword", ClientId=pool["client_id"], Username="ana"))
    assert outcomes == {
        "ok": 10,
        "LimitExceededException: Attempt limit exceeded, please try after some time.": RACERS - 10,
    }
    with service.services.store.read() as tx:
        sent = tx.outbox.rows("ana@example.com", 10 * RACERS)
    assert len([row for row in sent if row.pool_id == pool["pool_id"]]) == 10


def test_concurrent_claims_of_one_email_leave_it_with_one_user(service: Service) -> None:
    """In an email-username pool the email is unique: of 100 users racing to take the same
    address, one gets it (the name is held while checked, on every node)."""
    pool_id = service("CreateUserPool", PoolName="e", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    names = [f"user{n}@example.com" for n in range(RACERS)]
    for name in names:
        service("AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    taken = iter(names)
    outcomes = race(
        lambda: service(
            "AdminUpdateUserAttributes",
            UserPoolId=pool_id,
            Username=next(taken),
            UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
        )
    )
    assert outcomes == {
        "ok": 1,
        "AliasExistsException: An account with the email already exists.": RACERS - 1,
    }
