"""Self-service attribute calls authorised by an access token, and DeleteUser."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    User,
    admin_attributes,
    as_attributes,
    attributes,
    cognito_error,
    mask_email,
    new_email,
    sign_in,
    wrong_code,
)

BAD_CODE = "Invalid verification code provided, please try again."


@pytest.fixture
def verifying_app(make_pool: MakePool, make_client: MakeClient) -> App:
    """A client of a pool that verifies email (codes are sent for email changes)."""
    return make_client(make_pool(AutoVerifiedAttributes=["email"]))


@pytest.fixture
def member(verifying_app: App, make_user: MakeUser) -> User:
    return make_user(verifying_app.pool_id, email=new_email("old"), attributes={"name": "Mo"})


@pytest.fixture
def access_token(cognito: Any, verifying_app: App, member: User) -> str:
    token: str = sign_in(cognito, verifying_app, member.username, member.password)["AccessToken"]
    return token


def own_attributes(cognito: Any, access_token: str) -> dict[str, str]:
    return attributes(cognito.get_user(AccessToken=access_token)["UserAttributes"])


def test_update_user_attributes_without_verification(
    cognito: Any, access_token: str, inbox: Inbox, member: User
) -> None:
    response = cognito.update_user_attributes(
        AccessToken=access_token,
        UserAttributes=as_attributes({"name": "Morgan", "given_name": "Mo"}),
    )

    assert response.get("CodeDeliveryDetailsList", []) == []
    attrs = own_attributes(cognito, access_token)
    assert attrs["name"] == "Morgan"
    assert attrs["given_name"] == "Mo"
    assert attrs["email_verified"] == "true"
    assert member.email is not None and inbox.count(member.email) == 0


def test_changing_email_sends_a_code_and_unverifies(
    cognito: Any, access_token: str, inbox: Inbox
) -> None:
    new_address = new_email("new")

    response = cognito.update_user_attributes(
        AccessToken=access_token, UserAttributes=as_attributes({"email": new_address})
    )

    assert response["CodeDeliveryDetailsList"] == [
        {
            "Destination": mask_email(new_address),
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        }
    ]
    attrs = own_attributes(cognito, access_token)
    assert attrs["email"] == new_address
    assert attrs["email_verified"] == "false"
    code = inbox.wait_code(new_address)

    with cognito_error("CodeMismatchException", BAD_CODE):
        cognito.verify_user_attribute(
            AccessToken=access_token, AttributeName="email", Code=wrong_code(code)
        )
    cognito.verify_user_attribute(AccessToken=access_token, AttributeName="email", Code=code)

    assert own_attributes(cognito, access_token)["email_verified"] == "true"


def test_get_user_attribute_verification_code_then_verify(
    cognito: Any,
    verifying_app: App,
    make_user: MakeUser,
    inbox: Inbox,
) -> None:
    email = new_email("later")
    user = make_user(verifying_app.pool_id, email=email, email_verified=False)
    token = sign_in(cognito, verifying_app, user.username, user.password)["AccessToken"]

    response = cognito.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="email"
    )
    code = inbox.wait_code(email)

    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert admin_attributes(cognito, user.pool_id, user.username)["email_verified"] == "true"
    with cognito_error(
        "ExpiredCodeException", "Invalid code provided, please request a code again."
    ):
        cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)


def test_delete_user_attributes(cognito: Any, access_token: str) -> None:
    cognito.update_user_attributes(
        AccessToken=access_token, UserAttributes=as_attributes({"given_name": "Mo"})
    )

    response = cognito.delete_user_attributes(
        AccessToken=access_token, UserAttributeNames=["given_name", "name"]
    )

    assert set(response) == {"ResponseMetadata"}
    attrs = own_attributes(cognito, access_token)
    assert "given_name" not in attrs
    assert "name" not in attrs
    assert "email" in attrs


def test_delete_user_removes_the_account(
    cognito: Any, access_token: str, verifying_app: App, member: User
) -> None:
    response = cognito.delete_user(AccessToken=access_token)

    assert set(response) == {"ResponseMetadata"}
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_get_user(UserPoolId=verifying_app.pool_id, Username=member.username)
    with cognito_error("UserNotFoundException", "User does not exist."):
        sign_in(cognito, verifying_app, member.username, member.password)


def test_attribute_calls_need_a_valid_access_token(cognito: Any) -> None:
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.update_user_attributes(
            AccessToken="garbage", UserAttributes=as_attributes({"name": "x"})
        )
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.delete_user(AccessToken="garbage")


def test_an_email_username_stays_with_its_user(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    """An email that is a username names one user: another user cannot take it by an
    attribute update, admin or self-service."""
    app = make_client(make_pool(UsernameAttributes=["email"]))
    first, second = new_email("first"), new_email("second")
    owner = make_user(app.pool_id, first, email=first)
    other = make_user(app.pool_id, second, email=second)
    taken = "An account with the email already exists."
    with cognito_error("AliasExistsException", taken):
        cognito.admin_update_user_attributes(
            UserPoolId=app.pool_id,
            Username=second,
            UserAttributes=as_attributes({"email": first}),
        )
    token = sign_in(cognito, app, second, other.password)["AccessToken"]
    with cognito_error("AliasExistsException", taken):
        cognito.update_user_attributes(
            AccessToken=token, UserAttributes=as_attributes({"email": first})
        )
    found = cognito.admin_get_user(UserPoolId=app.pool_id, Username=first)
    assert attributes(found["UserAttributes"])["email"] == first
    assert (
        found["Username"]
        == cognito.admin_get_user(UserPoolId=app.pool_id, Username=owner.username)["Username"]
    )
    listed = cognito.list_users(UserPoolId=app.pool_id, Filter=f'email = "{first}"')["Users"]
    assert [user["Username"] for user in listed] == [found["Username"]]
