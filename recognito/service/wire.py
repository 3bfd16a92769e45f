"""The response shapes operations share, built from records: one function per shape of
the service model, named after it (`UserType` -> `user_type`), so every operation that
answers with a user, pool, client or group answers alike."""

from __future__ import annotations

from typing import cast

from recognito.domain import mfa, pools
from recognito.domain.attributes import to_attribute_list
from recognito.domain.records import Client, Group, Pool, User
from recognito.shapes import (
    AdminGetUserResponse,
    GetUserResponse,
    GroupType,
    UserPoolClientType,
    UserPoolType,
    UserStatusType,
    UserType,
)
from recognito.store.unit_of_work import UnitOfWork

# A pool's stored config (StoredUserPool) holds UserPoolType's settings and the MFA settings
# only Get/SetUserPoolMfaConfig show (SoftwareTokenMfaConfiguration, ...): these are left out.
_USER_POOL_MEMBERS = UserPoolType.__required_keys__ | UserPoolType.__optional_keys__


def user_status(user: User) -> UserStatusType:
    # users are only ever given a `Status`, each one of UserStatusType's values (checked by
    # tests/unit/test_shapes.py); the store gives it back as a plain string
    return cast(UserStatusType, user.status)


def user_type(user: User) -> UserType:
    return {
        "Username": user.username,
        "Attributes": to_attribute_list(user.attributes),
        "UserCreateDate": user.created_at,
        "UserLastModifiedDate": user.modified_at,
        "Enabled": user.enabled,
        "UserStatus": user_status(user),
    }


def add_mfa_fields(
    answer: AdminGetUserResponse | GetUserResponse, tx: UnitOfWork, user: User
) -> None:
    """What GetUser and AdminGetUser say about the user's factors, if any is enabled."""
    settings = tx.mfa.get(user.id)
    enabled, preferred = mfa.setting_list(user, settings)
    options = mfa.legacy_options(user, settings)
    if options:
        answer["MFAOptions"] = options
    if enabled:
        answer["UserMFASettingList"] = enabled
        if preferred is not None:
            answer["PreferredMfaSetting"] = preferred


def user_pool_type(tx: UnitOfWork, pool: Pool) -> UserPoolType:
    # StoredUserPool is generated from UserPoolType: each member kept here is UserPoolType's,
    # of the same type (mypy cannot follow a filtered copy of a TypedDict, hence the cast)
    settings = cast(UserPoolType, {k: v for k, v in pool.config.items() if k in _USER_POOL_MEMBERS})
    answer: UserPoolType = {
        **settings,
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pools.arn(pool.id),
        "CreationDate": pool.created_at,
        "LastModifiedDate": pool.modified_at,
        "EstimatedNumberOfUsers": tx.users.count(pool.id),
    }
    for domain in tx.domains.of_pool(pool.id):
        answer["CustomDomain" if domain.custom else "Domain"] = domain.domain
    return answer


def user_pool_client_type(client: Client) -> UserPoolClientType:
    # StoredUserPoolClient is generated from UserPoolClientType less the members added here
    # (mypy will not widen one TypedDict into another through `**`, hence the cast)
    answer: UserPoolClientType = {
        **cast(UserPoolClientType, client.config),
        "UserPoolId": client.pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
    }
    if client.secret is not None:
        answer["ClientSecret"] = client.secret
    answer["CreationDate"] = client.created_at
    answer["LastModifiedDate"] = client.modified_at
    return answer


def group_type(group: Group) -> GroupType:
    answer: GroupType = {"GroupName": group.name, "UserPoolId": group.pool_id}
    if group.description is not None:
        answer["Description"] = group.description
    if group.role_arn is not None:
        answer["RoleArn"] = group.role_arn
    if group.precedence is not None:
        answer["Precedence"] = group.precedence
    answer["CreationDate"] = group.created_at
    answer["LastModifiedDate"] = group.modified_at
    return answer
