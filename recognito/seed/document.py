"""A seed file read and checked before anything is applied: its shape, the members each
block may have, and every block's request against the model's input shape (so a bad file
is refused with the path of the bad value inside it, and nothing is applied).

The members are Cognito's own request members, PascalCase: a pool block is a
CreateUserPool request (plus SetUserPoolMfaConfig's members, `Id`, `Domain`, `Clients`,
`Groups`, `Users`), a client block a CreateUserPoolClient request (plus `ClientId`), a
group block a CreateGroup request, a user block an AdminCreateUser request (plus
`Password`, `Enabled`, `Groups`, `TotpSecret`, `PasswordHash`). `UserPoolId` is implied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recognito import errors
from recognito.domain.redirect_uris import problem
from recognito.protocol.model import operation_model
from recognito.protocol.validate import validate_input


class SeedError(Exception):
    """A seed file that cannot be applied: `path` is where in the file, e.g.
    `Pools[0].Clients[1].CallbackURLs[0]`."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


# members of SetUserPoolMfaConfig a pool block may carry (MfaConfiguration is CreateUserPool's)
MFA_MEMBERS = (
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
)
POOL_EXTRAS = ("Id", "Domain", "Clients", "Groups", "Users", *MFA_MEMBERS)
CLIENT_EXTRAS = ("ClientId",)
USER_EXTRAS = ("Password", "Enabled", "Groups", "TotpSecret", "PasswordHash")
# AdminCreateUser members a seed does not take: a seeded user is told nothing
USER_REFUSED = ("MessageAction", "DesiredDeliveryMediums", "ClientMetadata", "ValidationData")
PASSWORD_HASH_MEMBERS = ("Hash", "SrpSalt", "SrpVerifier")
# a fixed pool id: <region>_<id>, as Cognito makes them
POOL_ID = re.compile(r"[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]+")
CLIENT_ID = re.compile(r"[\w+]{1,128}")
PLACEHOLDER_POOL = "us-east-1_SeedCheck"  # stands for the pool while a block is checked
TOTP_SECRET = re.compile(r"[A-Z2-7]{16,}=*")


@dataclass
class UserBlock:
    path: str
    request: dict[str, Any]  # AdminCreateUser's, less UserPoolId
    password: str | None = None
    enabled: bool | None = None
    groups: list[str] | None = None
    totp_secret: str | None = None
    password_hash: dict[str, str] | None = None


@dataclass
class PoolBlock:
    path: str
    pool_id: str | None
    request: dict[str, Any]  # CreateUserPool's
    mfa: dict[str, Any] | None  # SetUserPoolMfaConfig's, less UserPoolId, when any is given
    domain: dict[str, Any] | None  # CreateUserPoolDomain's, less UserPoolId
    clients: list[tuple[str, str | None, dict[str, Any]]] = field(default_factory=list)
    groups: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    users: list[UserBlock] = field(default_factory=list)


def load(path: Path) -> list[PoolBlock]:
    """The seed file at `path`, checked; SeedError names what is wrong and where."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError("", f"cannot read {path}: {exc.strerror}") from None
    return parse(text)


def parse(text: str) -> list[PoolBlock]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise SeedError("", f"not YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return []
    top = _mapping(data, "", "the file")
    _only(top, "", ("Pools",))
    listed = _list([] if top.get("Pools") is None else top["Pools"], "Pools")
    pools = [_pool(f"Pools[{i}]", b) for i, b in enumerate(listed)]
    _unique(((p.path, p.pool_id or p.request["PoolName"]) for p in pools), "pool")
    return pools


def _pool(path: str, raw: Any) -> PoolBlock:
    block = _mapping(raw, path, "a pool")
    create = _members("CreateUserPool")
    _only(block, path, (*create, *POOL_EXTRAS))
    pool_id = block.get("Id")
    if pool_id is not None and not (isinstance(pool_id, str) and POOL_ID.fullmatch(pool_id)):
        raise SeedError(
            f"{path}.Id", "not a pool id of the form <region>_<id>, e.g. us-east-1_Ab12"
        )
    request = {k: v for k, v in block.items() if k in create}
    _check("CreateUserPool", request, path)
    mfa = None
    if any(k in block for k in MFA_MEMBERS):
        mfa = {k: block[k] for k in MFA_MEMBERS if k in block}
        if "MfaConfiguration" in block:
            mfa["MfaConfiguration"] = block["MfaConfiguration"]
        _check("SetUserPoolMfaConfig", {"UserPoolId": PLACEHOLDER_POOL, **mfa}, path)
    found = PoolBlock(path, pool_id, request, mfa, _domain(f"{path}.Domain", block.get("Domain")))
    for i, raw_client in enumerate(_list(_given(block, "Clients"), f"{path}.Clients")):
        found.clients.append(_client(f"{path}.Clients[{i}]", raw_client))
    for i, raw_group in enumerate(_list(_given(block, "Groups"), f"{path}.Groups")):
        where = f"{path}.Groups[{i}]"
        group = _mapping(raw_group, where, "a group")
        _only(group, where, tuple(m for m in _members("CreateGroup") if m != "UserPoolId"))
        _check("CreateGroup", {"UserPoolId": PLACEHOLDER_POOL, **group}, where)
        found.groups.append((where, group))
    for i, raw_user in enumerate(_list(_given(block, "Users"), f"{path}.Users")):
        found.users.append(_user(f"{path}.Users[{i}]", raw_user, found))
    _unique(((c[0], c[1] or c[2]["ClientName"]) for c in found.clients), "client")
    _unique(((g[0], g[1]["GroupName"]) for g in found.groups), "group")
    _unique(((u.path, u.request["Username"]) for u in found.users), "user")
    return found


def _domain(path: str, raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    domain = {"Domain": raw} if isinstance(raw, str) else _mapping(raw, path, "a domain")
    _only(domain, path, tuple(m for m in _members("CreateUserPoolDomain") if m != "UserPoolId"))
    _check("CreateUserPoolDomain", {"UserPoolId": PLACEHOLDER_POOL, **domain}, path)
    return domain


def _client(path: str, raw: Any) -> tuple[str, str | None, dict[str, Any]]:
    block = _mapping(raw, path, "an app client")
    create = tuple(m for m in _members("CreateUserPoolClient") if m != "UserPoolId")
    _only(block, path, (*create, *CLIENT_EXTRAS))
    client_id = block.get("ClientId")
    if client_id is not None and not (
        isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id)
    ):
        raise SeedError(f"{path}.ClientId", "not a client id (letters, digits, _ and +)")
    request = {k: v for k, v in block.items() if k in create}
    _check("CreateUserPoolClient", {"UserPoolId": PLACEHOLDER_POOL, **request}, path)
    # the redirect rule the operation applies, asked per URL so the path names the bad one
    for member in ("CallbackURLs", "LogoutURLs"):
        for i, url in enumerate(request.get(member) or []):
            why = problem(url)
            if why is not None:
                raise SeedError(f"{path}.{member}[{i}]", f"not a URL Cognito accepts: {why}")
    if request.get("DefaultRedirectURI") and problem(request["DefaultRedirectURI"]):
        why = problem(request["DefaultRedirectURI"])
        raise SeedError(f"{path}.DefaultRedirectURI", f"not a URL Cognito accepts: {why}")
    return path, client_id, request


def _user(path: str, raw: Any, pool: PoolBlock) -> UserBlock:
    block = _mapping(raw, path, "a user")
    create = tuple(m for m in _members("AdminCreateUser") if m not in ("UserPoolId", *USER_REFUSED))
    _only(block, path, (*create, *USER_EXTRAS))
    request = {k: v for k, v in block.items() if k in create}
    _check("AdminCreateUser", {"UserPoolId": PLACEHOLDER_POOL, **request}, path)
    for name in ("Password", "TotpSecret"):
        if name in block and not (isinstance(block[name], str) and block[name]):
            raise SeedError(f"{path}.{name}", "not a string")
    if "Password" in block and "TemporaryPassword" in block:
        raise SeedError(f"{path}.TemporaryPassword", "give Password or TemporaryPassword, not both")
    if "TotpSecret" in block and not TOTP_SECRET.fullmatch(block["TotpSecret"]):
        raise SeedError(f"{path}.TotpSecret", "not a base32 secret of 16 or more characters")
    if "Enabled" in block and not isinstance(block["Enabled"], bool):
        raise SeedError(f"{path}.Enabled", "not true or false")
    groups = block.get("Groups")
    if groups is not None:
        names = {g["GroupName"] for _, g in pool.groups}
        for i, name in enumerate(_list(groups, f"{path}.Groups")):
            if not isinstance(name, str):
                raise SeedError(f"{path}.Groups[{i}]", "not a group name")
            if name not in names:
                raise SeedError(f"{path}.Groups[{i}]", f"no group {name!r} in this pool's Groups")
    hashed = block.get("PasswordHash")
    if hashed is not None:
        hashed = _mapping(hashed, f"{path}.PasswordHash", "a password hash")
        _only(hashed, f"{path}.PasswordHash", PASSWORD_HASH_MEMBERS)
        for name in PASSWORD_HASH_MEMBERS:
            if not isinstance(hashed.get(name), str):
                raise SeedError(f"{path}.PasswordHash.{name}", "missing, or not a string")
        if not hashed["Hash"].startswith("$argon2id$"):
            raise SeedError(f"{path}.PasswordHash.Hash", "not an argon2id hash")
        if "Password" in block or "TemporaryPassword" in block:
            raise SeedError(f"{path}.PasswordHash", "give a password or its hash, not both")
    return UserBlock(
        path,
        request,
        password=block.get("Password"),
        enabled=block.get("Enabled"),
        groups=groups,
        totp_secret=block.get("TotpSecret"),
        password_hash=hashed,
    )


def _members(operation: str) -> tuple[str, ...]:
    model = operation_model(operation)
    assert model is not None and model.input_shape is not None
    return tuple(model.input_shape.members)


def _check(operation: str, request: dict[str, Any], path: str) -> None:
    """The request against the operation's input shape, as the API checks it; a
    violation is reported at its path in the file."""
    model = operation_model(operation)
    assert model is not None
    try:
        validate_input(model.input_shape, request)
    except errors.CognitoError as error:
        raise SeedError(*located(path, error.message)) from None


_AT = re.compile(r"(?:Value (?:'.*?' |null |\S+ )?at |Unexpected value type for )'([^']+)'")


def located(path: str, message: str) -> tuple[str, str]:
    """A model violation's path (AWS's `callbackURLs.1.member`, or `CallbackURLs[0]`)
    joined to the block's path, and the message; the first violation when several."""
    found = _AT.search(message)
    if found is None:
        return path, message
    where = path
    for part in re.split(r"\.|(?=\[)", found.group(1)):
        if not part or part == "member":
            continue
        if part.isdigit():
            where += f"[{int(part) - 1}]"  # AWS counts from 1
        elif part.startswith("["):
            where += part
        else:
            where += "." + part[0].upper() + part[1:]
    detail = message.split(": ", 1)[1] if message[:1].isdigit() else message
    return where, detail.split("; ")[0]


def _given(block: Mapping[str, Any], key: str) -> Any:
    """A list member; left out or null: none."""
    value = block.get(key)
    return [] if value is None else value


def _mapping(value: Any, path: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise SeedError(path, f"not a mapping ({what})")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise SeedError(path, "not a list")
    return value


def _only(block: Mapping[str, Any], path: str, allowed: Iterable[str]) -> None:
    known = set(allowed)
    for key in block:
        if key not in known:
            where = f"{path}.{key}" if path else key
            raise SeedError(where, f"not a member here (allowed: {', '.join(sorted(known))})")


def _unique(named: Iterable[tuple[str, Any]], what: str) -> None:
    seen: set[Any] = set()
    for path, name in named:
        if name in seen:
            raise SeedError(path, f"a second {what} named {name!r} in the same file")
        seen.add(name)
