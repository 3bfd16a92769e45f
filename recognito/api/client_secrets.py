"""Client secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets,
DeleteUserPoolClientSecret (the rules: recognito.domain.client_secrets)."""

from __future__ import annotations

from recognito.crypto.secrets import client_secret as new_client_secret
from recognito.domain import client_secrets
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_or_error
from recognito.service.registry import operation
from recognito.shapes import (
    AddUserPoolClientSecretRequest,
    AddUserPoolClientSecretResponse,
    ClientSecretDescriptorType,
    DeleteUserPoolClientSecretRequest,
    DeleteUserPoolClientSecretResponse,
    ListUserPoolClientSecretsRequest,
    ListUserPoolClientSecretsResponse,
)


def _descriptor(secret: client_secrets.ClientSecret, *, value: bool) -> ClientSecretDescriptorType:
    answer: ClientSecretDescriptorType = {
        "ClientSecretId": secret.id,
        "ClientSecretCreateDate": secret.created_at,
    }
    if value:  # only when it is made: List never shows a value
        answer["ClientSecretValue"] = secret.value
    return answer


@operation("AddUserPoolClientSecret")
def add_user_pool_client_secret(
    svc: Services, req: AddUserPoolClientSecretRequest
) -> AddUserPoolClientSecretResponse:
    value = req.get("ClientSecret") or new_client_secret()
    with svc.store.write() as tx:
        pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], req["UserPoolId"])
        updated, secret = client_secrets.added(client, value, svc.clock.now())
        tx.clients.set_secrets(updated)
    return {"ClientSecretDescriptor": _descriptor(secret, value=True)}


@operation("ListUserPoolClientSecrets")
def list_user_pool_client_secrets(
    svc: Services, req: ListUserPoolClientSecretsRequest
) -> ListUserPoolClientSecretsResponse:
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], req["UserPoolId"])
    listed = client_secrets.listed(client)
    return {"ClientSecrets": [_descriptor(s, value=False) for s in listed]}


@operation("DeleteUserPoolClientSecret")
def delete_user_pool_client_secret(
    svc: Services, req: DeleteUserPoolClientSecretRequest
) -> DeleteUserPoolClientSecretResponse:
    with svc.store.write() as tx:
        pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], req["UserPoolId"])
        tx.clients.set_secrets(client_secrets.deleted(client, req["ClientSecretId"]))
    return {}
