"""App clients: Create/Describe/List/Update/DeleteUserPoolClient."""

from __future__ import annotations

from dataclasses import replace

from recognito import errors
from recognito.crypto.secrets import client_id as new_client_id
from recognito.crypto.secrets import client_secret as new_client_secret
from recognito.domain.clients import check_attribute_permissions, check_oauth, client_config
from recognito.domain.records import Client, Pool
from recognito.domain.resource_servers import custom_scopes
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import NoOutput, operation
from recognito.service.wire import user_pool_client_type
from recognito.shapes import (
    CreateUserPoolClientRequest,
    CreateUserPoolClientResponse,
    DeleteUserPoolClientRequest,
    DescribeUserPoolClientRequest,
    DescribeUserPoolClientResponse,
    ListUserPoolClientsRequest,
    ListUserPoolClientsResponse,
    UpdateUserPoolClientRequest,
    UpdateUserPoolClientResponse,
)
from recognito.store.unit_of_work import UnitOfWork

# the identity providers a client may name: only the pool's own users until federation
# adds the pool's providers here
BUILT_IN_PROVIDERS = ("COGNITO",)  # besides the pool's identity providers


@operation("CreateUserPoolClient")
def create_user_pool_client(
    svc: Services, req: CreateUserPoolClientRequest
) -> CreateUserPoolClientResponse:
    if req.get("GenerateSecret") and req.get("ClientSecret"):
        raise errors.InvalidParameterException(
            "GenerateSecret cannot be true when a ClientSecret is provided."
        )
    secret = req.get("ClientSecret") or (new_client_secret() if req.get("GenerateSecret") else None)
    now = svc.clock.now()
    client = Client(
        new_client_id(),
        req["UserPoolId"],
        req["ClientName"],
        secret,
        client_config(req),
        now,
        now,
        secret_created_at=now if secret is not None else None,
    )
    with svc.store.write() as tx:
        pool = pool_or_error(tx, client.pool_id)
        schema = pool.config["SchemaAttributes"]
        check_attribute_permissions(client.config, schema, action="creating")
        _check_oauth(tx, pool, client)
        tx.clients.insert(client)
    return {"UserPoolClient": user_pool_client_type(client)}


@operation("DescribeUserPoolClient")
def describe_user_pool_client(
    svc: Services, req: DescribeUserPoolClientRequest
) -> DescribeUserPoolClientResponse:
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        return {
            "UserPoolClient": user_pool_client_type(
                client_or_error(tx, req["ClientId"], req["UserPoolId"])
            )
        }


@operation("ListUserPoolClients")
def list_user_pool_clients(
    svc: Services, req: ListUserPoolClientsRequest
) -> ListUserPoolClientsResponse:
    limit = req.get("MaxResults") or 60
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.clients.page(req["UserPoolId"], page(req.get("NextToken")), limit + 1)
    listed, token = cut(found, limit, lambda c: c.id)
    answer: ListUserPoolClientsResponse = {
        "UserPoolClients": [
            {"ClientId": c.id, "UserPoolId": c.pool_id, "ClientName": c.name} for c in listed
        ]
    }
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateUserPoolClient")
def update_user_pool_client(
    svc: Services, req: UpdateUserPoolClientRequest
) -> UpdateUserPoolClientResponse:
    config = client_config(req)  # settings not given go back to their defaults, as in Cognito
    now = svc.clock.now()
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], req["UserPoolId"])
        check_attribute_permissions(config, pool.config["SchemaAttributes"], action="updating")
        name = req.get("ClientName") or client.name
        updated = replace(client, name=name, config=config, modified_at=now)
        _check_oauth(tx, pool, updated)
        tx.clients.update(client.id, name, config, now)
    return {"UserPoolClient": user_pool_client_type(updated)}


def _check_oauth(tx: UnitOfWork, pool: Pool, client: Client) -> None:
    config = client.config
    # the pool's scopes are read only for a client that names a custom one
    wanted = [s for s in config.get("AllowedOAuthScopes") or [] if "/" in s]
    defined = custom_scopes(tx.resource_servers.page(pool.id, None, None)) if wanted else set()
    named = [p for p in config.get("SupportedIdentityProviders") or [] if p != "COGNITO"]
    providers = {*BUILT_IN_PROVIDERS}
    if named:  # the pool's providers are read only for a client that names one
        providers.update(p.name for p in tx.identity_providers.list(pool.id))
    check_oauth(
        config,
        pool_id=pool.id,
        has_secret=client.secret is not None,
        custom_scopes=defined,
        providers=providers,
    )


@operation("DeleteUserPoolClient")
def delete_user_pool_client(svc: Services, req: DeleteUserPoolClientRequest) -> NoOutput:
    with svc.store.write() as tx:
        pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], req["UserPoolId"])
        tx.clients.delete(client.id)
        # its branding and terms go with it (they count toward the pool's limits)
        tx.ui_customizations.delete(client.pool_id, client.id)
        tx.managed_login_brandings.delete_of_client(client.pool_id, client.id)
        tx.terms.delete_of_client(client.pool_id, client.id)
        tx.session_configurations.remove(client.pool_id, client.id)
    return {}
