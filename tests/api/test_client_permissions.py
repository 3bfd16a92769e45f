"""CreateUserPoolClient and UpdateUserPoolClient refuse ReadAttributes and WriteAttributes
the pool cannot honour (behaviour reference §4.2)."""

from __future__ import annotations

from typing import Any

from .support import MakePool, cognito_error, unique

SCHEMA = [
    {"Name": "email", "Required": True},
    {"Name": "tenant", "AttributeDataType": "String"},
]


def _create(cognito: Any, pool_id: str, **permissions: Any) -> dict[str, Any]:
    client: dict[str, Any] = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName=unique("app"), **permissions
    )["UserPoolClient"]
    return client


def test_create_user_pool_client_checks_attribute_permissions(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool(Schema=SCHEMA)
    client = _create(
        cognito,
        pool_id,
        ReadAttributes=["email", "email_verified", "custom:tenant"],
        WriteAttributes=["email", "custom:tenant"],
    )
    assert client["WriteAttributes"] == ["email", "custom:tenant"]

    read_error = "Invalid read attributes specified while creating a client"
    with cognito_error("InvalidParameterException", read_error):
        _create(cognito, pool_id, ReadAttributes=["email", "custom:nope"])
    write_error = "Invalid write attributes specified while creating a client"
    for write in (["email", "custom:nope"], ["email", "email_verified"], ["custom:tenant"]):
        with cognito_error("InvalidParameterException", write_error):
            _create(cognito, pool_id, WriteAttributes=write)


def test_update_user_pool_client_checks_attribute_permissions(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool(Schema=SCHEMA)
    client_id = _create(cognito, pool_id)["ClientId"]

    def update(**permissions: Any) -> None:
        cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, **permissions)

    with cognito_error(
        "InvalidParameterException", "Invalid read attributes specified while updating a client"
    ):
        update(ReadAttributes=["custom:nope"])
    with cognito_error(
        "InvalidParameterException", "Invalid write attributes specified while updating a client"
    ):
        update(WriteAttributes=["email", "phone_number_verified"])
    update(ReadAttributes=["email"], WriteAttributes=["email"])
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"]["ReadAttributes"] == ["email"]
