"""User pools: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool,
DeleteUserPool, AddCustomAttributes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

from recognito import errors
from recognito.crypto.secrets import pool_id as new_pool_id
from recognito.domain import pools
from recognito.domain.attributes import add_custom_attributes
from recognito.domain.records import Pool
from recognito.service.context import Services
from recognito.service.keys import KeyRing
from recognito.service.lookups import pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import NoOutput, operation
from recognito.service.wire import user_pool_type
from recognito.shapes import (
    AddCustomAttributesRequest,
    AddCustomAttributesResponse,
    CreateUserPoolRequest,
    CreateUserPoolResponse,
    DeleteUserPoolRequest,
    DescribeUserPoolRequest,
    DescribeUserPoolResponse,
    ListTagsForResourceRequest,
    ListTagsForResourceResponse,
    ListUserPoolsRequest,
    ListUserPoolsResponse,
    StoredUserPool,
    TagResourceRequest,
    TagResourceResponse,
    UntagResourceRequest,
    UntagResourceResponse,
    UpdateUserPoolRequest,
    UpdateUserPoolResponse,
    UserPoolDescriptionType,
)
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.runner import not_run

log = logging.getLogger("recognito.api")


def _warn_not_run(pool_id: str, config: StoredUserPool) -> None:
    """Triggers stored but not run yet are said out loud, never skipped in silence."""
    skipped = not_run(cast(Mapping[str, Any], config.get("LambdaConfig") or {}))
    if skipped:
        log.warning(
            "pool %s: LambdaConfig %s stored but not run by this version of Recognito",
            pool_id,
            ", ".join(skipped),
        )


@operation("CreateUserPool")
def create_user_pool(svc: Services, req: CreateUserPoolRequest) -> CreateUserPoolResponse:
    config = pools.new_config(req)
    now = svc.clock.now()
    pool = Pool(new_pool_id(svc.region), req["PoolName"], config, now, now)
    _warn_not_run(pool.id, config)
    with svc.store.write() as tx:
        tx.pools.insert(pool)
        KeyRing.create_pool_keys(tx, pool.id, now)
        return {"UserPool": user_pool_type(tx, pool)}


@operation("DescribeUserPool")
def describe_user_pool(svc: Services, req: DescribeUserPoolRequest) -> DescribeUserPoolResponse:
    with svc.store.read() as tx:
        return {"UserPool": user_pool_type(tx, pool_or_error(tx, req["UserPoolId"]))}


@operation("ListUserPools")
def list_user_pools(svc: Services, req: ListUserPoolsRequest) -> ListUserPoolsResponse:
    limit = req["MaxResults"]
    with svc.store.read() as tx:
        found, token = cut(
            tx.pools.page(svc.region, page(req.get("NextToken")), limit + 1),
            limit,
            lambda p: p.id,
        )
    summaries: list[UserPoolDescriptionType] = [
        {
            "Id": p.id,
            "Name": p.name,
            "LambdaConfig": p.config.get("LambdaConfig", {}),
            "CreationDate": p.created_at,
            "LastModifiedDate": p.modified_at,
        }
        for p in found
    ]
    answer: ListUserPoolsResponse = {"UserPools": summaries}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateUserPool")
def update_user_pool(svc: Services, req: UpdateUserPoolRequest) -> UpdateUserPoolResponse:
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        config = pools.updated_config(pool.config, req)
        tx.pools.update(pool.id, config, svc.clock.now(), name=req.get("PoolName"))
    _warn_not_run(pool.id, config)
    return {}


@operation("DeleteUserPool")
def delete_user_pool(svc: Services, req: DeleteUserPoolRequest) -> NoOutput:
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        if pool.config.get("DeletionProtection") == "ACTIVE":
            raise errors.InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated."
            )
        if tx.domains.of_pool(pool.id):  # as Cognito: the domain goes first, by its own call
            raise errors.InvalidParameterException(
                "User pool cannot be deleted. It has a domain configured that should be deleted"
                " first."
            )
        tx.pools.delete(pool.id)
    svc.keys.forget(pool.id)
    return {}


@operation("AddCustomAttributes")
def add_custom_attributes_op(
    svc: Services, req: AddCustomAttributesRequest
) -> AddCustomAttributesResponse:
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        schema = add_custom_attributes(pool.config["SchemaAttributes"], req["CustomAttributes"])
        config: StoredUserPool = {**pool.config, "SchemaAttributes": schema}
        tx.pools.update(pool.id, config, svc.clock.now())
    return {}


def _tagged_pool(tx: UnitOfWork, resource_arn: str) -> Pool:
    pool_id = pools.pool_id_of(resource_arn)
    pool = tx.pools.get(pool_id) if pool_id else None
    if pool is None:
        raise errors.ResourceNotFoundException(f"Resource {resource_arn} does not exist.")
    return pool


def _retag(svc: Services, resource_arn: str, change: Callable[[dict[str, str]], None]) -> None:
    with svc.store.write() as tx:
        pool = _tagged_pool(tx, resource_arn)
        tags = dict(pool.config.get("UserPoolTags") or {})
        change(tags)
        if len(tags) > pools.MAX_TAGS:
            raise errors.InvalidParameterException(
                f"A user pool can have at most {pools.MAX_TAGS} tags."
            )
        config: StoredUserPool = {**pool.config, "UserPoolTags": tags}
        tx.pools.update(pool.id, config, svc.clock.now())


@operation("TagResource")
def tag_resource(svc: Services, req: TagResourceRequest) -> TagResourceResponse:
    _retag(svc, req["ResourceArn"], lambda tags: tags.update(req.get("Tags") or {}))
    return {}


@operation("UntagResource")
def untag_resource(svc: Services, req: UntagResourceRequest) -> UntagResourceResponse:
    def drop(tags: dict[str, str]) -> None:
        for key in req.get("TagKeys") or []:
            tags.pop(key, None)

    _retag(svc, req["ResourceArn"], drop)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(
    svc: Services, req: ListTagsForResourceRequest
) -> ListTagsForResourceResponse:
    with svc.store.read() as tx:
        return {"Tags": _tagged_pool(tx, req["ResourceArn"]).config.get("UserPoolTags") or {}}
