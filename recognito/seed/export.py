"""The store written as a seed file (`recognito seed export`), read through the
Describe/Get/List operations; applying what it writes changes nothing.

Each pool block is its DescribeUserPool answer less what CreateUserPool does not take,
with its MFA configuration, domain, clients (ids and secrets included: a seed fixes them),
groups and users. Passwords cannot be read back: only with `with_secrets` are users'
password hashes (argon2id and the SRP verifier) and TOTP secrets written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recognito.protocol.model import operation_model
from recognito.seed.apply import quiet
from recognito.service.context import Services
from recognito.service.lookups import find_user
from recognito.service.registry import Operation
from recognito.store.unit_of_work import UnitOfWork

_POOL_ANSWER_KEYS = {"PoolName": "Name", "Schema": "SchemaAttributes"}
_MFA = ("SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration")
_ATTRIBUTE_DEFAULTS = {"Required": False, "Mutable": True, "DeveloperOnlyAttribute": False}


def export(svc: Services, operations: Mapping[str, Operation], *, with_secrets: bool) -> Any:
    svc = quiet(svc)
    with svc.store.read() as tx:
        pool_ids = tx.pools.ids()
    return {"Pools": [_pool(svc, operations, pool_id, with_secrets) for pool_id in pool_ids]}


def _members(operation: str, *, less: tuple[str, ...] = ("UserPoolId",)) -> list[str]:
    model = operation_model(operation)
    assert model is not None
    return [m for m in model.input_shape.members if m not in less]


def _pool(
    svc: Services, ops: Mapping[str, Operation], pool_id: str, with_secrets: bool
) -> dict[str, Any]:
    def call(name: str, **request: Any) -> Mapping[str, Any]:
        return ops[name](svc, {"UserPoolId": pool_id, **request})

    described = call("DescribeUserPool")["UserPool"]
    block: dict[str, Any] = {"Id": pool_id}
    for member in _members("CreateUserPool", less=()):
        value = described.get(_POOL_ANSWER_KEYS.get(member, member))
        if member == "Schema":
            value = _schema(value or [])
        if value not in (None, [], {}):
            block[member] = value
    mfa = call("GetUserPoolMfaConfig")
    for member in _MFA:
        if mfa.get(member):
            block[member] = mfa[member]
    if described.get("Domain"):
        block["Domain"] = described["Domain"]
    token = None
    block["Groups"] = []
    while True:
        page = call("ListGroups", Limit=60, **({"NextToken": token} if token else {}))
        for group in page["Groups"]:
            kept = {k: group[k] for k in _members("CreateGroup") if k in group}
            block["Groups"].append(kept)
        token = page.get("NextToken")
        if not token:
            break
    block["Clients"] = _clients(svc, ops, pool_id)
    block["Users"] = _users(svc, ops, pool_id, described.get("UsernameAttributes"), with_secrets)
    for member in ("Groups", "Clients", "Users"):
        if not block[member]:
            del block[member]
    return block


def _schema(attributes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pool's custom attributes, and standard ones set apart from their defaults:
    what CreateUserPool takes to make the same schema."""
    kept = []
    for attribute in attributes:
        name = str(attribute.get("Name", ""))
        custom = name.startswith("custom:")
        changed = any(attribute.get(k, v) != v for k, v in _ATTRIBUTE_DEFAULTS.items())
        if custom or (changed and name != "sub"):  # sub is the same in every pool
            kept.append({**attribute, "Name": name.removeprefix("custom:")})
    return kept


def _clients(svc: Services, ops: Mapping[str, Operation], pool_id: str) -> list[dict[str, Any]]:
    found = []
    token = None
    members = _members("CreateUserPoolClient", less=("UserPoolId", "GenerateSecret"))
    while True:
        request: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 60}
        if token:
            request["NextToken"] = token
        page = ops["ListUserPoolClients"](svc, request)
        for summary in page["UserPoolClients"]:
            key = {"UserPoolId": pool_id, "ClientId": summary["ClientId"]}
            client = ops["DescribeUserPoolClient"](svc, key)["UserPoolClient"]
            block = {"ClientId": client["ClientId"]}
            block |= {m: client[m] for m in members if client.get(m) not in (None, [], {})}
            found.append(block)
        token = page.get("NextToken")
        if not token:
            return found


def _users(
    svc: Services,
    ops: Mapping[str, Operation],
    pool_id: str,
    username_attributes: list[str] | None,
    with_secrets: bool,
) -> list[dict[str, Any]]:
    """The pool's users; in a pool that signs in by email or phone number, each named by
    that attribute, which AdminCreateUser takes as the Username (the stored one is an id
    the pool made)."""
    found = []
    token = None
    while True:
        request: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 60}
        if token:
            request["PaginationToken"] = token
        page = ops["ListUsers"](svc, request)
        for user in page["Users"]:
            key = {"UserPoolId": pool_id, "Username": user["Username"]}
            attributes = [a for a in user.get("Attributes", []) if a["Name"] != "sub"]
            values = {a["Name"]: a["Value"] for a in attributes}
            named = [values[a] for a in username_attributes or () if a in values]
            block: dict[str, Any] = {"Username": named[0] if named else user["Username"]}
            if attributes:
                block["UserAttributes"] = attributes
            if not user.get("Enabled", True):
                block["Enabled"] = False
            groups = ops["AdminListGroupsForUser"](svc, {**key, "Limit": 60})["Groups"]
            if groups:
                block["Groups"] = [g["GroupName"] for g in groups]
            if with_secrets:
                with svc.store.read() as tx:
                    block |= _secrets(tx, pool_id, user["Username"])
            found.append(block)
        token = page.get("PaginationToken")
        if not token:
            return found


def _secrets(tx: UnitOfWork, pool_id: str, username: str) -> dict[str, Any]:
    pool = tx.pools.get(pool_id)
    user = find_user(tx, pool, username) if pool is not None else None
    if user is None:
        return {}
    kept: dict[str, Any] = {}
    if user.password_hash and user.srp_salt and user.srp_verifier and user.status == "CONFIRMED":
        kept["PasswordHash"] = {
            "Hash": user.password_hash,
            "SrpSalt": user.srp_salt,
            "SrpVerifier": user.srp_verifier,
        }
    totp = tx.mfa.get(user.id)
    if totp.totp_secret and totp.totp_enabled:
        kept["TotpSecret"] = totp.totp_secret
    return kept
