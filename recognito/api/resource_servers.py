"""Resource servers: CreateResourceServer, DescribeResourceServer, ListResourceServers,
UpdateResourceServer, DeleteResourceServer.

Their scopes (`<identifier>/<scope>`) are what app clients may be allowed besides the
standard ones (api/clients.py). Deleting a scope or a server leaves clients as they are:
the scope is then inactive, dropped from tokens, and back when it is defined again."""

from __future__ import annotations

from recognito.domain import resource_servers as rules
from recognito.domain.records import ResourceServer
from recognito.service.context import Services
from recognito.service.lookups import pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import NoOutput, operation
from recognito.shapes import (
    CreateResourceServerRequest,
    CreateResourceServerResponse,
    DeleteResourceServerRequest,
    DescribeResourceServerRequest,
    DescribeResourceServerResponse,
    ListResourceServersRequest,
    ListResourceServersResponse,
    ResourceServerType,
    UpdateResourceServerRequest,
    UpdateResourceServerResponse,
)
from recognito.store.unit_of_work import UnitOfWork

DEFAULT_PAGE = 50  # when MaxResults is omitted: the largest page


@operation("CreateResourceServer")
def create_resource_server(
    svc: Services, req: CreateResourceServerRequest
) -> CreateResourceServerResponse:
    server = _server(req, svc.clock.now())
    with svc.store.write() as tx:
        pool_or_error(tx, server.pool_id)
        rules.check_scopes(server.scopes)
        if tx.resource_servers.get(server.pool_id, server.identifier) is not None:
            raise rules.already_exists(server.identifier)
        rules.check_room(tx.resource_servers.count(server.pool_id))
        if not tx.resource_servers.insert(server):
            raise rules.already_exists(server.identifier)
    return {"ResourceServer": _wire(server)}


@operation("DescribeResourceServer")
def describe_resource_server(
    svc: Services, req: DescribeResourceServerRequest
) -> DescribeResourceServerResponse:
    with svc.store.read() as tx:
        server = _server_or_error(tx, req["UserPoolId"], req["Identifier"])
    return {"ResourceServer": _wire(server)}


@operation("ListResourceServers")
def list_resource_servers(
    svc: Services, req: ListResourceServersRequest
) -> ListResourceServersResponse:
    limit = req.get("MaxResults", DEFAULT_PAGE)
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.resource_servers.page(req["UserPoolId"], page(req.get("NextToken")), limit + 1)
    servers, token = cut(found, limit, lambda s: s.identifier)
    answer: ListResourceServersResponse = {"ResourceServers": [_wire(s) for s in servers]}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateResourceServer")
def update_resource_server(
    svc: Services, req: UpdateResourceServerRequest
) -> UpdateResourceServerResponse:
    """A full replace: omitted Scopes leave the server with none."""
    with svc.store.write() as tx:
        current = _server_or_error(tx, req["UserPoolId"], req["Identifier"])
        server = _server(req, current.created_at)
        rules.check_scopes(server.scopes)
        tx.resource_servers.update(server)
    return {"ResourceServer": _wire(server)}


@operation("DeleteResourceServer")
def delete_resource_server(svc: Services, req: DeleteResourceServerRequest) -> NoOutput:
    with svc.store.write() as tx:
        server = _server_or_error(tx, req["UserPoolId"], req["Identifier"])
        tx.resource_servers.delete(server.pool_id, server.identifier)
    return {}


def _server(
    req: CreateResourceServerRequest | UpdateResourceServerRequest, created: float
) -> ResourceServer:
    return ResourceServer(
        pool_id=req["UserPoolId"],
        identifier=req["Identifier"],
        name=req["Name"],
        scopes=[
            {"ScopeName": s["ScopeName"], "ScopeDescription": s["ScopeDescription"]}
            for s in req.get("Scopes", [])
        ],
        created_at=created,
    )


def _server_or_error(tx: UnitOfWork, pool_id: str, identifier: str) -> ResourceServer:
    pool_or_error(tx, pool_id)
    server = tx.resource_servers.get(pool_id, identifier)
    if server is None:
        raise rules.not_found(identifier)
    return server


def _wire(server: ResourceServer) -> ResourceServerType:
    return {
        "UserPoolId": server.pool_id,
        "Identifier": server.identifier,
        "Name": server.name,
        "Scopes": [
            {"ScopeName": s["ScopeName"], "ScopeDescription": s["ScopeDescription"]}
            for s in server.scopes
        ],
    }
