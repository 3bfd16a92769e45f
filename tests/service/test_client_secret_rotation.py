"""Client secret rotation on both databases: the second secret is kept (sealed) and
SECRET_HASH is good with either until one is deleted; the survivor becomes the client's
secret."""

from __future__ import annotations

import pytest

from recognito import errors
from recognito.crypto.secret_hash import secret_hash
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


def _sign_in(service: Service, pool_id: str, client_id: str, secret: str) -> None:
    service(
        "AdminInitiateAuth",
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "ann",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": secret_hash(secret, "ann", client_id),
        },
    )


def test_either_secret_signs_in_until_one_is_deleted(service: Service) -> None:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    ids = {"UserPoolId": pool_id, "ClientId": client["ClientId"]}
    service("AdminCreateUser", UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )
    # the same instant as the client's creation (a frozen clock): still a distinct id
    added = service("AddUserPoolClientSecret", **ids)["ClientSecretDescriptor"]
    listed = service("ListUserPoolClientSecrets", **ids)["ClientSecrets"]
    assert len({s["ClientSecretId"] for s in listed}) == 2
    for secret in (client["ClientSecret"], added["ClientSecretValue"]):
        _sign_in(service, pool_id, client["ClientId"], secret)
    service("DeleteUserPoolClientSecret", **ids, ClientSecretId=listed[0]["ClientSecretId"])
    with pytest.raises(errors.NotAuthorizedException):
        _sign_in(service, pool_id, client["ClientId"], client["ClientSecret"])
    _sign_in(service, pool_id, client["ClientId"], added["ClientSecretValue"])
    described = service("DescribeUserPoolClient", **ids)["UserPoolClient"]
    assert described["ClientSecret"] == added["ClientSecretValue"]
