"""Signing in by email: pools whose usernames are emails, pools with an email alias,
and case-insensitive usernames (reference §3.4, §6.1, §6.2)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


def _pool(service: Service, **settings: Any) -> dict[str, str]:
    pool_id = service("CreateUserPool", PoolName="p", AutoVerifiedAttributes=["email"], **settings)[
        "UserPool"
    ]["Id"]
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return {"pool_id": pool_id, "client_id": client_id}


def _sign_up(service: Service, pool: dict[str, str], username: str, email: str) -> str:
    sub = service(
        "SignUp",
        ClientId=pool["client_id"],
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )["UserSub"]
    service(
        "ConfirmSignUp",
        ClientId=pool["client_id"],
        Username=username,
        ConfirmationCode=service.last_code(email),
    )
    return str(sub)


def _sign_in(service: Service, pool: dict[str, str], username: str) -> dict[str, Any]:
    result: dict[str, Any] = service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return result


def _username_claim(tokens: dict[str, Any]) -> str:
    payload = tokens["AccessToken"].split(".")[1]
    return str(
        json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["username"]
    )


def test_email_username_pool_stores_the_sub_as_username(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"])
    sub = _sign_up(service, pool, "eve@example.com", "eve@example.com")
    user = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="eve@example.com")
    assert user["Username"] == sub
    assert uuid.UUID(sub)
    assert _username_claim(_sign_in(service, pool, "eve@example.com")) == sub


def test_email_username_pool_refuses_a_second_account_for_the_email(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"])
    _sign_up(service, pool, "eve@example.com", "eve@example.com")
    with pytest.raises(errors.UsernameExistsException) as caught:
        service("SignUp", ClientId=pool["client_id"], Username="eve@example.com", Password=PASSWORD)
    assert caught.value.message == "An account with the given email already exists."


def test_email_username_pool_refuses_a_plain_username(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"])
    with pytest.raises(errors.InvalidParameterException) as caught:
        service("SignUp", ClientId=pool["client_id"], Username="eve", Password=PASSWORD)
    assert caught.value.message == "Username should be an email."


def test_alias_pool_signs_in_by_verified_email_only(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email"])
    _sign_up(service, pool, "frank", "frank@example.com")
    assert _username_claim(_sign_in(service, pool, "frank@example.com")) == "frank"
    service(
        "AdminUpdateUserAttributes",
        UserPoolId=pool["pool_id"],
        Username="frank",
        UserAttributes=[{"Name": "email_verified", "Value": "false"}],
    )
    with pytest.raises(errors.UserNotFoundException):
        _sign_in(service, pool, "frank@example.com")


def test_alias_pool_refuses_an_email_shaped_username(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email"])
    with pytest.raises(errors.InvalidParameterException) as caught:
        service("SignUp", ClientId=pool["client_id"], Username="a@b.com", Password=PASSWORD)
    assert caught.value.message == (
        "Username cannot be of email format, since user pool is configured for email alias."
    )


def test_a_verified_alias_belongs_to_one_user_unless_forced(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email"])
    _sign_up(service, pool, "gina", "shared@example.com")
    service(
        "SignUp",
        ClientId=pool["client_id"],
        Username="hank",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "shared@example.com"}],
    )
    code = service.last_code("shared@example.com")
    confirm = {"ClientId": pool["client_id"], "Username": "hank", "ConfirmationCode": code}
    with pytest.raises(errors.AliasExistsException) as caught:
        service("ConfirmSignUp", **confirm)
    assert caught.value.message == "An account with the email already exists."
    service("ConfirmSignUp", ForceAliasCreation=True, **confirm)
    assert _username_claim(_sign_in(service, pool, "shared@example.com")) == "hank"


def test_case_insensitive_pool_matches_any_case(service: Service) -> None:
    pool = _pool(service, UsernameConfiguration={"CaseSensitive": False})
    _sign_up(service, pool, "Ivan", "ivan@example.com")
    assert _username_claim(_sign_in(service, pool, "IVAN")) == "Ivan"
    with pytest.raises(errors.UsernameExistsException):
        service("SignUp", ClientId=pool["client_id"], Username="ivan", Password=PASSWORD)


# -- a sign-in identifier names one user, on every write (reference §13.3) -------------
def _admin_user(
    service: Service, pool: dict[str, str], username: str, **attributes: str
) -> dict[str, Any]:
    user: dict[str, Any] = service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )["User"]
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username=user["Username"],
        Password=PASSWORD,
        Permanent=True,
    )
    return user


def _update(service: Service, pool: dict[str, str], username: str, **attributes: str) -> None:
    service(
        "AdminUpdateUserAttributes",
        UserPoolId=pool["pool_id"],
        Username=username,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )


def _alias_taken(attribute: str) -> str:
    return f"An account with the {attribute} already exists."


def test_an_email_username_cannot_be_given_to_a_second_user(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"])
    eve = _sign_up(service, pool, "eve@example.com", "eve@example.com")
    fay = _sign_up(service, pool, "fay@example.com", "fay@example.com")
    with pytest.raises(errors.AliasExistsException) as caught:
        _update(service, pool, fay, email="eve@example.com")
    assert caught.value.message == _alias_taken("email")
    token = _sign_in(service, pool, "fay@example.com")["AccessToken"]
    with pytest.raises(errors.AliasExistsException):
        service(
            "UpdateUserAttributes",
            AccessToken=token,
            UserAttributes=[{"Name": "email", "Value": "eve@example.com"}],
        )
    found = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="eve@example.com")
    assert found["Username"] == eve
    listed = service("ListUsers", UserPoolId=pool["pool_id"], Filter='email = "eve@example.com"')
    assert [user["Username"] for user in listed["Users"]] == [eve]


def test_a_phone_username_cannot_be_given_to_a_second_user(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["phone_number"])
    _admin_user(service, pool, "+15555550101")
    bob = _admin_user(service, pool, "+15555550102")["Username"]
    with pytest.raises(errors.AliasExistsException) as caught:
        _update(service, pool, bob, phone_number="+15555550101")
    assert caught.value.message == _alias_taken("phone_number")


def test_a_second_username_attribute_is_unique_at_creation(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email", "phone_number"])
    _admin_user(service, pool, "eve@example.com", phone_number="+15555550101")
    with pytest.raises(errors.UsernameExistsException) as caught:
        _admin_user(service, pool, "fay@example.com", phone_number="+15555550101")
    assert caught.value.message == "An account with the given phone_number already exists."


def test_a_verified_alias_cannot_be_given_to_a_second_user(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email"])
    _admin_user(service, pool, "gina", email="shared@example.com", email_verified="true")
    _admin_user(service, pool, "hank", email="hank@example.com", email_verified="true")
    _update(service, pool, "hank", email="shared@example.com")  # unverified: no alias yet
    with pytest.raises(errors.AliasExistsException) as caught:
        _update(service, pool, "hank", email_verified="true")
    assert caught.value.message == _alias_taken("email")
    with pytest.raises(errors.AliasExistsException):
        _admin_user(service, pool, "iris", email="shared@example.com", email_verified="true")
    assert _username_claim(_sign_in(service, pool, "shared@example.com")) == "gina"


def test_admin_create_user_may_force_a_verified_alias_over(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email"])
    _admin_user(service, pool, "gina", email="shared@example.com", email_verified="true")
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="iris",
        MessageAction="SUPPRESS",
        ForceAliasCreation=True,
        UserAttributes=[
            {"Name": "email", "Value": "shared@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    gina = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="gina")
    assert {"Name": "email_verified", "Value": "false"} in gina["UserAttributes"]
    found = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="shared@example.com")
    assert found["Username"] == "iris"


def test_a_preferred_username_alias_names_one_user(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["preferred_username"])
    _admin_user(service, pool, "gina", preferred_username="ace")
    _admin_user(service, pool, "hank")
    with pytest.raises(errors.AliasExistsException) as caught:
        _update(service, pool, "hank", preferred_username="ace")
    assert caught.value.message == _alias_taken("preferred_username")
    assert _username_claim(_sign_in(service, pool, "ace")) == "gina"


# -- case-insensitive pools: every sign-in identifier, in lookups and uniqueness (§3.4) --
CASE_INSENSITIVE = {"UsernameConfiguration": {"CaseSensitive": False}}


def test_a_case_insensitive_email_pool_finds_the_email_in_any_case(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"], **CASE_INSENSITIVE)
    sub = _sign_up(service, pool, "Alice@Example.com", "Alice@Example.com")
    assert _username_claim(_sign_in(service, pool, "ALICE@EXAMPLE.COM")) == sub
    found = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="alice@example.com")
    assert found["Username"] == sub
    assert {"Name": "email", "Value": "Alice@Example.com"} in found["UserAttributes"]
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="aLiCe@example.COM",
        Password=PASSWORD,
        Permanent=True,
    )
    sent = service("ForgotPassword", ClientId=pool["client_id"], Username="ALICE@example.com")
    assert sent["CodeDeliveryDetails"]["AttributeName"] == "email"


def test_a_case_insensitive_email_pool_refuses_a_case_variant(service: Service) -> None:
    pool = _pool(service, UsernameAttributes=["email"], **CASE_INSENSITIVE)
    _sign_up(service, pool, "alice@example.com", "alice@example.com")
    with pytest.raises(errors.UsernameExistsException) as caught:
        service(
            "SignUp", ClientId=pool["client_id"], Username="Alice@Example.com", Password=PASSWORD
        )
    assert caught.value.message == "An account with the given email already exists."
    bob = _sign_up(service, pool, "bob@example.com", "bob@example.com")
    with pytest.raises(errors.AliasExistsException):
        _update(service, pool, bob, email="ALICE@example.com")


def test_a_case_insensitive_alias_pool_matches_aliases_in_any_case(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["email", "preferred_username"], **CASE_INSENSITIVE)
    _admin_user(
        service,
        pool,
        "gina",
        email="Gina@Example.com",
        email_verified="true",
        preferred_username="Ace",
    )
    assert _username_claim(_sign_in(service, pool, "gina@example.com")) == "gina"
    assert _username_claim(_sign_in(service, pool, "ACE")) == "gina"
    _admin_user(service, pool, "hank")
    with pytest.raises(errors.AliasExistsException):
        _update(service, pool, "hank", preferred_username="ace")
    with pytest.raises(errors.AliasExistsException):
        _update(service, pool, "hank", email="GINA@example.com", email_verified="true")


def test_a_case_sensitive_pool_keeps_identifiers_apart_by_case(service: Service) -> None:
    pool = _pool(service, AliasAttributes=["preferred_username"])
    _admin_user(service, pool, "gina", preferred_username="Ace")
    _admin_user(service, pool, "hank", preferred_username="ace")
    assert _username_claim(_sign_in(service, pool, "ace")) == "hank"
