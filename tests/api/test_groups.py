"""Groups: their lifecycle, membership, and the `cognito:groups` claims they put in tokens."""

from __future__ import annotations

from typing import Any

from tests.api.support import (
    App,
    MakeUser,
    cognito_error,
    refresh,
    sign_in,
    unverified_claims,
)

ROLE_ADMIN = "arn:aws:iam::123456789012:role/admins"
ROLE_STAFF = "arn:aws:iam::123456789012:role/staff"


def test_group_lifecycle(cognito: Any, pool_id: str) -> None:
    created = cognito.create_group(
        UserPoolId=pool_id, GroupName="admins", Description="Admins", Precedence=1
    )["Group"]
    assert created["GroupName"] == "admins"
    assert created["Precedence"] == 1
    assert cognito.get_group(UserPoolId=pool_id, GroupName="admins")["Group"] == created
    updated = cognito.update_group(
        UserPoolId=pool_id, GroupName="admins", Description="Administrators"
    )["Group"]
    assert (updated["Description"], updated["Precedence"]) == ("Administrators", 1)
    cognito.delete_group(UserPoolId=pool_id, GroupName="admins")
    with cognito_error("ResourceNotFoundException", "Group not found."):
        cognito.get_group(UserPoolId=pool_id, GroupName="admins")


def test_duplicate_group_is_group_exists(cognito: Any, pool_id: str) -> None:
    cognito.create_group(UserPoolId=pool_id, GroupName="staff")
    with cognito_error("GroupExistsException", "A group with the name staff already exists."):
        cognito.create_group(UserPoolId=pool_id, GroupName="staff")


def test_list_groups_pages_through_every_group(cognito: Any, pool_id: str) -> None:
    names = [f"g{i}" for i in range(5)]
    for name in names:
        cognito.create_group(UserPoolId=pool_id, GroupName=name)
    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 2}
    while True:
        page = cognito.list_groups(**kwargs)
        seen += [g["GroupName"] for g in page["Groups"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == names


def test_membership_is_listed_both_ways(cognito: Any, app: App, make_user: MakeUser) -> None:
    user, other = make_user(app.pool_id), make_user(app.pool_id)
    for name in ("admins", "staff"):
        cognito.create_group(UserPoolId=app.pool_id, GroupName=name)
    cognito.admin_add_user_to_group(
        UserPoolId=app.pool_id, Username=user.username, GroupName="staff"
    )
    cognito.admin_add_user_to_group(
        UserPoolId=app.pool_id, Username=user.username, GroupName="admins"
    )
    cognito.admin_add_user_to_group(
        UserPoolId=app.pool_id, Username=other.username, GroupName="staff"
    )
    groups = cognito.admin_list_groups_for_user(UserPoolId=app.pool_id, Username=user.username)
    assert [g["GroupName"] for g in groups["Groups"]] == ["admins", "staff"]
    members = cognito.list_users_in_group(UserPoolId=app.pool_id, GroupName="staff")["Users"]
    assert sorted(u["Username"] for u in members) == sorted([user.username, other.username])
    cognito.admin_remove_user_from_group(
        UserPoolId=app.pool_id, Username=user.username, GroupName="staff"
    )
    members = cognito.list_users_in_group(UserPoolId=app.pool_id, GroupName="staff")["Users"]
    assert [u["Username"] for u in members] == [other.username]


def test_adding_to_an_unknown_group_is_resource_not_found(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    with cognito_error("ResourceNotFoundException", "Group not found."):
        cognito.admin_add_user_to_group(
            UserPoolId=app.pool_id, Username=user.username, GroupName="nope"
        )


def test_tokens_carry_groups_by_precedence_and_the_preferred_role(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    cognito.create_group(
        UserPoolId=app.pool_id, GroupName="staff", Precedence=5, RoleArn=ROLE_STAFF
    )
    cognito.create_group(
        UserPoolId=app.pool_id, GroupName="admins", Precedence=1, RoleArn=ROLE_ADMIN
    )
    for name in ("staff", "admins"):
        cognito.admin_add_user_to_group(
            UserPoolId=app.pool_id, Username=user.username, GroupName=name
        )
    tokens = sign_in(cognito, app, user.username, user.password)
    id_claims = unverified_claims(tokens["IdToken"])
    assert id_claims["cognito:groups"] == ["admins", "staff"]
    assert id_claims["cognito:roles"] == [ROLE_ADMIN, ROLE_STAFF]
    assert id_claims["cognito:preferred_role"] == ROLE_ADMIN
    access_claims = unverified_claims(tokens["AccessToken"])
    assert access_claims["cognito:groups"] == ["admins", "staff"]
    assert "cognito:roles" not in access_claims


def test_tokens_of_a_user_without_groups_have_no_group_claim(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    tokens = sign_in(cognito, app, user.username, user.password)
    assert "cognito:groups" not in unverified_claims(tokens["IdToken"])
    assert "cognito:groups" not in unverified_claims(tokens["AccessToken"])


def test_refreshed_tokens_follow_membership_changes(
    cognito: Any, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id)
    tokens = sign_in(cognito, app, user.username, user.password)
    cognito.create_group(UserPoolId=app.pool_id, GroupName="late")
    cognito.admin_add_user_to_group(
        UserPoolId=app.pool_id, Username=user.username, GroupName="late"
    )
    refreshed = refresh(cognito, app, user.username, tokens["RefreshToken"])
    assert unverified_claims(refreshed["IdToken"])["cognito:groups"] == ["late"]


def test_deleting_a_group_ends_its_memberships(cognito: Any, app: App, make_user: MakeUser) -> None:
    user = make_user(app.pool_id)
    cognito.create_group(UserPoolId=app.pool_id, GroupName="temp")
    cognito.admin_add_user_to_group(
        UserPoolId=app.pool_id, Username=user.username, GroupName="temp"
    )
    cognito.delete_group(UserPoolId=app.pool_id, GroupName="temp")
    cognito.create_group(UserPoolId=app.pool_id, GroupName="temp")
    groups = cognito.admin_list_groups_for_user(UserPoolId=app.pool_id, Username=user.username)
    assert groups["Groups"] == []
