"""Groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

Membership shows up in tokens as `cognito:groups` (issuing.py)."""

from __future__ import annotations

from dataclasses import replace

from recognito import errors
from recognito.domain.records import Group, User
from recognito.service.context import Services
from recognito.service.identities import with_identities
from recognito.service.lookups import pool_and_user, pool_or_error, user_or_error
from recognito.service.paging import cut, id_page, page
from recognito.service.registry import NoOutput, operation
from recognito.service.wire import group_type, user_type
from recognito.shapes import (
    AdminAddUserToGroupRequest,
    AdminListGroupsForUserRequest,
    AdminListGroupsForUserResponse,
    AdminRemoveUserFromGroupRequest,
    CreateGroupRequest,
    CreateGroupResponse,
    DeleteGroupRequest,
    GetGroupRequest,
    GetGroupResponse,
    ListGroupsRequest,
    ListGroupsResponse,
    ListUsersInGroupRequest,
    ListUsersInGroupResponse,
    UpdateGroupRequest,
    UpdateGroupResponse,
)
from recognito.store.unit_of_work import UnitOfWork

GROUP_NOT_FOUND = "Group not found."


def _group_or_error(tx: UnitOfWork, pool_id: str, name: str) -> Group:
    pool_or_error(tx, pool_id)
    group = tx.groups.get(pool_id, name)
    if group is None:
        raise errors.ResourceNotFoundException(GROUP_NOT_FOUND)
    return group


@operation("CreateGroup")
def create_group(svc: Services, req: CreateGroupRequest) -> CreateGroupResponse:
    now = svc.clock.now()
    group = Group(
        pool_id=req["UserPoolId"],
        name=req["GroupName"],
        description=req.get("Description"),
        role_arn=req.get("RoleArn"),
        precedence=req.get("Precedence"),
        created_at=now,
        modified_at=now,
    )
    with svc.store.write() as tx:
        pool_or_error(tx, group.pool_id)
        if not tx.groups.insert(group):
            raise errors.GroupExistsException(f"A group with the name {group.name} already exists.")
    return {"Group": group_type(group)}


@operation("GetGroup")
def get_group(svc: Services, req: GetGroupRequest) -> GetGroupResponse:
    with svc.store.read() as tx:
        return {"Group": group_type(_group_or_error(tx, req["UserPoolId"], req["GroupName"]))}


@operation("ListGroups")
def list_groups(svc: Services, req: ListGroupsRequest) -> ListGroupsResponse:
    limit = req.get("Limit") or 60
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.groups.page(req["UserPoolId"], page(req.get("NextToken")), limit + 1)
    return _group_page(found, limit)


def _group_page(found: list[Group], limit: int) -> ListGroupsResponse:
    """ListGroups' answer, and AdminListGroupsForUser's (the same shape)."""
    groups, token = cut(found, limit, lambda g: g.name)
    answer: ListGroupsResponse = {"Groups": [group_type(g) for g in groups]}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateGroup")
def update_group(svc: Services, req: UpdateGroupRequest) -> UpdateGroupResponse:
    """Only the settings given change."""
    with svc.store.write() as tx:
        group = _group_or_error(tx, req["UserPoolId"], req["GroupName"])
        group = replace(
            group,
            description=req.get("Description", group.description),
            role_arn=req.get("RoleArn", group.role_arn),
            precedence=req.get("Precedence", group.precedence),
            modified_at=svc.clock.now(),
        )
        tx.groups.update(group)
    return {"Group": group_type(group)}


@operation("DeleteGroup")
def delete_group(svc: Services, req: DeleteGroupRequest) -> NoOutput:
    with svc.store.write() as tx:
        group = _group_or_error(tx, req["UserPoolId"], req["GroupName"])
        tx.groups.delete(group.pool_id, group.name)
    return {}


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(svc: Services, req: AdminAddUserToGroupRequest) -> NoOutput:
    with svc.store.write() as tx:
        group, user = _membership(tx, req)
        tx.groups.add_member(user, group.name)
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(svc: Services, req: AdminRemoveUserFromGroupRequest) -> NoOutput:
    with svc.store.write() as tx:
        group, user = _membership(tx, req)
        tx.groups.remove_member(user.id, group.name)
    return {}


def _membership(
    tx: UnitOfWork, req: AdminAddUserToGroupRequest | AdminRemoveUserFromGroupRequest
) -> tuple[Group, User]:
    """The group and user a membership call names, the pool read once."""
    pool = pool_or_error(tx, req["UserPoolId"])
    group = tx.groups.get(pool.id, req["GroupName"])
    if group is None:
        raise errors.ResourceNotFoundException(GROUP_NOT_FOUND)
    return group, user_or_error(tx, pool, req["Username"])


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(
    svc: Services, req: AdminListGroupsForUserRequest
) -> AdminListGroupsForUserResponse:
    limit = req.get("Limit") or 60
    with svc.store.read() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        found = tx.groups.of_user(user, page(req.get("NextToken")), limit + 1)
    return _group_page(found, limit)


@operation("ListUsersInGroup")
def list_users_in_group(svc: Services, req: ListUsersInGroupRequest) -> ListUsersInGroupResponse:
    limit = req.get("Limit") or 60
    after = id_page(req.get("NextToken"))
    with svc.store.read() as tx:
        group = _group_or_error(tx, req["UserPoolId"], req["GroupName"])
        found = tx.groups.members(group.pool_id, group.name, after, limit + 1)
        users, token = cut(found, limit, lambda u: str(u.id))
        users = with_identities(tx, group.pool_id, users)
    answer: ListUsersInGroupResponse = {"Users": [user_type(u) for u in users]}
    if token is not None:
        answer["NextToken"] = token
    return answer
