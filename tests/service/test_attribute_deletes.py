"""Deleting attributes changes the user: UserLastModifiedDate moves, as for any update."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


def _last_modified(service: Service, pool_id: str) -> Any:
    return service("AdminGetUser", UserPoolId=pool_id, Username="ann")["UserLastModifiedDate"]


def test_deleting_attributes_moves_user_last_modified_date(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    service(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "name", "Value": "Ann"}, {"Name": "nickname", "Value": "A"}],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )
    token = service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    created = _last_modified(service, pool_id)

    service.clock.advance(60)
    service(
        "AdminDeleteUserAttributes", UserPoolId=pool_id, Username="ann", UserAttributeNames=["name"]
    )
    by_admin = _last_modified(service, pool_id)
    assert by_admin == created + 60

    service.clock.advance(60)
    service("DeleteUserAttributes", AccessToken=token, UserAttributeNames=["nickname"])
    assert _last_modified(service, pool_id) == by_admin + 60
