"""The response shapes operations share, built from records: one function per shape of
the service model, named after it (`UserType` -> `user_type`), so every operation that
answers with a user, pool, client or group answers alike."""

from __future__ import annotations

from typing import Any

from recognito.domain import mfa, pools
from recognito.domain.attributes import to_attribute_list
from recognito.domain.records import Client, Group, Pool, User
from recognito.store.repository import Repository


def user_type(user: User, attributes_key: str = "Attributes") -> dict[str, Any]:
    return {
        "Username": user.username,
        attributes_key: to_attribute_list(user.attributes),
        "UserCreateDate": user.created_at,
        "UserLastModifiedDate": user.modified_at,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }


def mfa_fields(repo: Repository, user: User) -> dict[str, Any]:
    """What GetUser and AdminGetUser say about the user's factors."""
    return mfa.setting_list(user, repo.mfa(user.id))


def user_pool_type(repo: Repository, pool: Pool) -> dict[str, Any]:
    return {
        **pool.config,
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pools.arn(pool.id),
        "CreationDate": pool.created_at,
        "LastModifiedDate": pool.modified_at,
        "EstimatedNumberOfUsers": repo.count_users(pool.id),
    }


def user_pool_client_type(client: Client) -> dict[str, Any]:
    return {
        **client.config,
        "UserPoolId": client.pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "ClientSecret": client.secret,
        "CreationDate": client.created_at,
        "LastModifiedDate": client.modified_at,
    }


def group_type(group: Group) -> dict[str, Any]:
    return {
        "GroupName": group.name,
        "UserPoolId": group.pool_id,
        "Description": group.description,
        "RoleArn": group.role_arn,
        "Precedence": group.precedence,
        "CreationDate": group.created_at,
        "LastModifiedDate": group.modified_at,
    }
