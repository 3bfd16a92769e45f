"""Administrative user management: create (invitations), get, delete, disable, attributes, list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from .support import (
    PASSWORD,
    TEMP_PASSWORD,
    UUID_RE,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    admin_attributes,
    admin_user,
    as_attributes,
    attributes,
    cognito_error,
    new_email,
    password_auth,
    sign_in,
    unique,
)

INVITE_RE = re.compile(r"Your username is (\S+) and temporary password is (\S+)\.\s*$")


def invite(cognito: Any, pool_id: str, username: str, email: str, **kwargs: Any) -> dict[str, Any]:
    user: dict[str, Any] = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=as_attributes({"email": email, "email_verified": "true"}),
        DesiredDeliveryMediums=["EMAIL"],
        **kwargs,
    )["User"]
    return user


def resend(cognito: Any, pool_id: str, username: str) -> dict[str, Any]:
    user: dict[str, Any] = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="RESEND",
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    return user


def invited_password(inbox: Inbox, email: str, username: str, *, after: int = 0) -> str:
    """The temporary password from the newest invitation to `email` (default template)."""
    message = inbox.wait(email, after=after)
    assert message.subject == "Your temporary password"
    match = INVITE_RE.search(message.body.strip())
    assert match is not None, message.body
    assert match.group(1) == username
    return match.group(2)


def test_admin_create_user_with_temporary_password_emails_an_invitation(
    cognito: Any, pool_id: str, inbox: Inbox
) -> None:
    username, email = unique("ivan"), new_email("ivan")

    user = invite(cognito, pool_id, username, email, TemporaryPassword=TEMP_PASSWORD)

    assert user["Username"] == username
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    assert isinstance(user["UserCreateDate"], dt.datetime)
    assert isinstance(user["UserLastModifiedDate"], dt.datetime)
    attrs = attributes(user["Attributes"])
    assert UUID_RE.match(attrs["sub"]), attrs
    assert attrs["email"] == email
    message = inbox.wait(email)
    assert message.subject == "Your temporary password"
    assert f"Your username is {username} and temporary password is {TEMP_PASSWORD}." in message.body


def test_admin_create_user_without_password_generates_a_working_one(
    cognito: Any, pool_id: str, app: App, inbox: Inbox
) -> None:
    username, email = unique("judy"), new_email("judy")

    invite(cognito, pool_id, username, email)
    temporary = invited_password(inbox, email, username)

    challenge = password_auth(cognito, app, username, temporary)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_custom_invitation_template_is_used(
    cognito: Any, make_pool: MakePool, inbox: Inbox
) -> None:
    pool_id = make_pool(
        AdminCreateUserConfig={
            "AllowAdminCreateUserOnly": True,
            "InviteMessageTemplate": {
                "EmailMessage": "Hi {username}, sign in with {####} soon.",
                "EmailSubject": "Welcome to the team",
            },
        }
    )
    username, email = unique("kim"), new_email("kim")

    invite(cognito, pool_id, username, email, TemporaryPassword=TEMP_PASSWORD)
    message = inbox.wait(email)

    assert message.subject == "Welcome to the team"
    assert f"Hi {username}, sign in with {TEMP_PASSWORD} soon." in message.body


def test_admin_create_user_with_suppress_sends_nothing(
    cognito: Any, pool_id: str, inbox: Inbox
) -> None:
    username, email = unique("leo"), new_email("leo")

    user = invite(
        cognito, pool_id, username, email, TemporaryPassword=TEMP_PASSWORD, MessageAction="SUPPRESS"
    )

    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert inbox.count(email) == 0


def test_admin_create_user_resend_sends_a_new_temporary_password(
    cognito: Any, pool_id: str, app: App, inbox: Inbox
) -> None:
    username, email = unique("mia"), new_email("mia")
    invite(cognito, pool_id, username, email)
    first = invited_password(inbox, email, username)

    user = resend(cognito, pool_id, username)
    second = invited_password(inbox, email, username, after=1)

    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert second != first
    assert password_auth(cognito, app, username, second)["ChallengeName"] == (
        "NEW_PASSWORD_REQUIRED"
    )


def test_admin_create_user_resend_for_unknown_user(cognito: Any, pool_id: str) -> None:
    with cognito_error("UserNotFoundException", "User does not exist."):
        resend(cognito, pool_id, unique("ghost"))


def test_admin_create_user_resend_for_confirmed_user(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("ned"))

    with cognito_error("UnsupportedUserStateException"):
        resend(cognito, pool_id, user.username)


def test_admin_create_user_duplicate_is_username_exists(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("UsernameExistsException", "User account already exists"):
        cognito.admin_create_user(
            UserPoolId=pool_id, Username=user.username, MessageAction="SUPPRESS"
        )


def test_admin_create_user_enforces_password_policy(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidPasswordException",
        "Password did not conform with password policy: Password not long enough",
    ):
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=unique("olga"),
            TemporaryPassword="Sh0rt!",
            MessageAction="SUPPRESS",
        )


def test_admin_get_user_returns_the_user(cognito: Any, pool_id: str, make_user: MakeUser) -> None:
    email = new_email("pat")
    user = make_user(pool_id, email=email, attributes={"given_name": "Pat"})

    got = admin_user(cognito, pool_id, user.username)

    assert got["Username"] == user.username
    assert got["UserStatus"] == "CONFIRMED"
    assert got["Enabled"] is True
    assert isinstance(got["UserCreateDate"], dt.datetime)
    attrs = attributes(got["UserAttributes"])
    assert UUID_RE.match(attrs["sub"]), attrs
    assert attrs["email"] == email
    assert attrs["email_verified"] == "true"
    assert attrs["given_name"] == "Pat"


def test_admin_get_user_by_sub(cognito: Any, pool_id: str, make_user: MakeUser) -> None:
    user = make_user(pool_id)
    sub = admin_attributes(cognito, pool_id, user.username)["sub"]

    assert admin_user(cognito, pool_id, sub)["Username"] == user.username


def test_unknown_user_is_user_not_found(cognito: Any, pool_id: str) -> None:
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_get_user(UserPoolId=pool_id, Username="nobody")
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_delete_user(UserPoolId=pool_id, Username="nobody")
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_disable_user(UserPoolId=pool_id, Username="nobody")


def test_admin_delete_user_removes_the_user(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    cognito.admin_delete_user(UserPoolId=pool_id, Username=user.username)

    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)


def test_disabled_user_cannot_sign_in_until_enabled(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    cognito.admin_disable_user(UserPoolId=pool_id, Username=user.username)
    got = admin_user(cognito, pool_id, user.username)
    assert got["Enabled"] is False
    assert got["UserStatus"] == "CONFIRMED"
    with cognito_error("NotAuthorizedException", "User is disabled."):
        password_auth(cognito, app, user.username, user.password)

    cognito.admin_enable_user(UserPoolId=pool_id, Username=user.username)
    assert admin_user(cognito, pool_id, user.username)["Enabled"] is True
    assert sign_in(cognito, app, user.username, user.password)["AccessToken"]


def test_admin_update_user_attributes(cognito: Any, pool_id: str, make_user: MakeUser) -> None:
    user = make_user(pool_id, attributes={"given_name": "Quinn"})

    response = cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=user.username,
        UserAttributes=as_attributes({"given_name": "Quincy", "family_name": "Jones"}),
    )

    assert set(response) == {"ResponseMetadata"}
    attrs = admin_attributes(cognito, pool_id, user.username)
    assert attrs["given_name"] == "Quincy"
    assert attrs["family_name"] == "Jones"


def test_admin_update_user_attributes_rejects_unknown_attribute(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("InvalidParameterException") as info:
        cognito.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username=user.username,
            UserAttributes=as_attributes({"custom:nope": "x"}),
        )

    message = info.value.response["Error"]["Message"]
    assert message.startswith("Attributes did not conform to the schema"), message


def test_admin_delete_user_attributes(cognito: Any, pool_id: str, make_user: MakeUser) -> None:
    user = make_user(pool_id, attributes={"given_name": "Ray", "family_name": "Ng"})

    cognito.admin_delete_user_attributes(
        UserPoolId=pool_id, Username=user.username, UserAttributeNames=["given_name"]
    )

    attrs = admin_attributes(cognito, pool_id, user.username)
    assert "given_name" not in attrs
    assert attrs["family_name"] == "Ng"


# --------------------------------------------------------------------------- ListUsers


@pytest.fixture
def directory(
    cognito: Any, pool_id: str, make_user: MakeUser, make_client: MakeClient
) -> dict[str, str]:
    """A pool with alice (x2), bob and an unconfirmed sign-up; returns username -> email."""
    people = {
        "alice1": new_email("alice"),
        "alice2": new_email("alicia"),
        "bob": new_email("bob"),
    }
    for username, email in people.items():
        make_user(pool_id, username, email=email)
    pending = new_email("zed")
    cognito.sign_up(
        ClientId=make_client(pool_id).client_id,
        Username="pending",
        Password=PASSWORD,
        UserAttributes=as_attributes({"email": pending}),
    )
    return {**people, "pending": pending}


def list_usernames(cognito: Any, pool_id: str, **kwargs: Any) -> list[str]:
    users = cognito.list_users(UserPoolId=pool_id, **kwargs)["Users"]
    return sorted(user["Username"] for user in users)


def test_list_users_without_filter_returns_everyone(
    cognito: Any, pool_id: str, directory: dict[str, str]
) -> None:
    users = cognito.list_users(UserPoolId=pool_id)["Users"]

    assert sorted(u["Username"] for u in users) == sorted(directory)
    by_name = {u["Username"]: u for u in users}
    assert by_name["bob"]["UserStatus"] == "CONFIRMED"
    assert by_name["bob"]["Enabled"] is True
    assert attributes(by_name["bob"]["Attributes"])["email"] == directory["bob"]
    assert isinstance(by_name["bob"]["UserCreateDate"], dt.datetime)


def test_list_users_filter_exact_email(
    cognito: Any, pool_id: str, directory: dict[str, str]
) -> None:
    found = list_usernames(cognito, pool_id, Filter=f'email = "{directory["bob"]}"')

    assert found == ["bob"]


def test_list_users_filter_email_prefix(
    cognito: Any, pool_id: str, directory: dict[str, str]
) -> None:
    assert list_usernames(cognito, pool_id, Filter='email ^= "ali"') == ["alice1", "alice2"]
    assert list_usernames(cognito, pool_id, Filter='email ^= "alic"') == ["alice1", "alice2"]
    assert list_usernames(cognito, pool_id, Filter='email ^= "alice."') == ["alice1"]


def test_list_users_filter_username(cognito: Any, pool_id: str, directory: dict[str, str]) -> None:
    assert list_usernames(cognito, pool_id, Filter='username = "bob"') == ["bob"]
    assert list_usernames(cognito, pool_id, Filter='username ^= "alice"') == ["alice1", "alice2"]
    assert list_usernames(cognito, pool_id, Filter='username = "nobody"') == []


def test_list_users_filter_status(cognito: Any, pool_id: str, directory: dict[str, str]) -> None:
    unconfirmed = list_usernames(cognito, pool_id, Filter='cognito:user_status = "UNCONFIRMED"')
    confirmed = list_usernames(cognito, pool_id, Filter='cognito:user_status = "CONFIRMED"')

    assert unconfirmed == ["pending"]
    assert confirmed == ["alice1", "alice2", "bob"]


def test_list_users_filter_sub(cognito: Any, pool_id: str, directory: dict[str, str]) -> None:
    sub = admin_attributes(cognito, pool_id, "bob")["sub"]

    assert list_usernames(cognito, pool_id, Filter=f'sub = "{sub}"') == ["bob"]


def test_list_users_attributes_to_get(
    cognito: Any, pool_id: str, directory: dict[str, str]
) -> None:
    users = cognito.list_users(UserPoolId=pool_id, AttributesToGet=["email"])["Users"]

    assert len(users) == len(directory)
    for user in users:
        assert attributes(user["Attributes"]) == {"email": directory[user["Username"]]}


def test_list_users_pagination_chain_has_no_duplicates(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    made = {make_user(pool_id, f"member{i:02d}").username for i in range(7)}

    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 3}
    while True:
        page = cognito.list_users(**kwargs)
        pages += 1
        assert len(page["Users"]) <= 3
        seen.extend(user["Username"] for user in page["Users"])
        if "PaginationToken" not in page:
            break
        kwargs["PaginationToken"] = page["PaginationToken"]

    assert len(seen) == len(set(seen)), seen
    assert set(seen) == made
    assert pages >= 3


def test_list_users_pagination_with_a_filter(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    made = {make_user(pool_id, f"team{i}", email=new_email("team")).username for i in range(5)}
    make_user(pool_id, "outsider", email=new_email("other"))

    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 2, "Filter": 'email ^= "team"'}
    while True:
        page = cognito.list_users(**kwargs)
        seen.extend(user["Username"] for user in page["Users"])
        if "PaginationToken" not in page:
            break
        kwargs["PaginationToken"] = page["PaginationToken"]

    assert sorted(seen) == sorted(made)


def test_list_users_with_malformed_filter_is_invalid_parameter(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException"):
        cognito.list_users(UserPoolId=pool_id, Filter="email is alice")
