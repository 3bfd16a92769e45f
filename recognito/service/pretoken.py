"""PreTokenGeneration (reference §7.5, docs/behaviour.md §18): the event built from the
user, their groups and the client; the function's answer read into the
`tokens.Customization` that issuing applies to the claims.

It runs a function, so it is called with no store transaction open: it reads the groups
in its own short read, and the caller issues the tokens in a transaction afterwards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from recognito import errors
from recognito.domain import tokens
from recognito.domain.records import Pool, User
from recognito.service.context import Services
from recognito.triggers import Call, user_attributes
from recognito.triggers.events import metadata
from recognito.triggers.runner import UNRECOGNIZABLE, pre_token_generation

AUTHENTICATION = "TokenGeneration_Authentication"
NEW_PASSWORD_CHALLENGE = "TokenGeneration_NewPasswordChallenge"
REFRESH_TOKENS = "TokenGeneration_RefreshTokens"
HOSTED_AUTH = "TokenGeneration_HostedAuth"
CLIENT_CREDENTIALS = "TokenGeneration_ClientCredentials"
# what a client_credentials event names as its user (reference §6.4)
CLIENT_CREDENTIALS_USER = "ClientCredentials"
_EVENT_VERSION = {"V1_0": "1", "V2_0": "2", "V3_0": "3"}
# ID token claims a V2/V3 function may only give a plain (not array/object) value
_PLAIN_ONLY = {"phone_number_verified", "email_verified", "updated_at", "address"}


def customize(
    svc: Services,
    pool: Pool,
    client_id: str,
    user: User,
    source: str,
    client_metadata: Mapping[str, str] | None,
    scopes: Sequence[str] | None = None,
) -> tokens.Customization | None:
    """Run the pool's PreTokenGeneration for tokens of `user`; None when the pool has
    none. Its error (UserLambdaValidationException ...) means no tokens at all.
    `scopes`: an OAuth grant's (None: an API sign-in's, SCOPE alone)."""
    arn, lambda_version = pre_token_generation(
        cast(Mapping[str, Any], pool.config.get("LambdaConfig") or {})
    )
    if arn is None:
        return None
    version = _EVENT_VERSION.get(lambda_version, "1")
    with svc.store.read() as tx:
        groups = tokens.by_precedence(tx.groups.of_user(user))
    roles = [g.role_arn for g in groups if g.role_arn]
    request: dict[str, Any] = {
        "userAttributes": user_attributes(user),
        "groupConfiguration": {
            "groupsToOverride": [g.name for g in groups],
            "iamRolesToOverride": roles,
            "preferredRole": roles[0] if roles else None,
        },
    }
    metadata(request, dict(client_metadata) if client_metadata is not None else None)
    key = "claimsOverrideDetails"
    if version != "1":
        # the scopes the access token would carry: API sign-ins grant only this one
        request["scopes"] = [tokens.SCOPE] if scopes is None else list(scopes)
        key = "claimsAndScopeOverrideDetails"
    call = Call(
        "PreTokenGeneration",
        source,
        user.username,
        client_id,
        svc.caller.user_agent,
        request,
        {key: None},
        version,
    )
    answer = svc.triggers.run(pool, call) or {}
    # the other version's answer is not read (a V1 shape from a V2 function: ignored)
    details = answer.get(key)
    if details is None:
        return tokens.Customization()
    return _read_v1(details) if version == "1" else _read_v2(details)


def customize_machine(
    svc: Services,
    pool: Pool,
    client_id: str,
    scopes: Sequence[str],
    client_metadata: Mapping[str, str] | None,
) -> tokens.Customization | None:
    """PreTokenGeneration for a client_credentials token: only a V3_0 configuration
    customizes machine tokens; no user, so no attributes and no groups."""
    arn, lambda_version = pre_token_generation(
        cast(Mapping[str, Any], pool.config.get("LambdaConfig") or {})
    )
    if arn is None or lambda_version != "V3_0":
        return None
    request: dict[str, Any] = {
        "userAttributes": {},
        # no user, so no groups: the shape of the user sources, empty
        "groupConfiguration": {
            "groupsToOverride": [],
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
        "scopes": list(scopes),
    }
    metadata(request, dict(client_metadata) if client_metadata is not None else None)
    key = "claimsAndScopeOverrideDetails"
    call = Call(
        "PreTokenGeneration",
        CLIENT_CREDENTIALS,
        CLIENT_CREDENTIALS_USER,
        client_id,
        svc.caller.user_agent,
        request,
        {key: None},
        "3",
    )
    details = (svc.triggers.run(pool, call) or {}).get(key)
    if details is None:
        return tokens.Customization()
    # only the access token exists; a group override has no groups to replace
    return _read_v2(details)


def _read_v1(details: dict[str, Any]) -> tokens.Customization:
    changes = _claim_changes(details, plain=True)
    return tokens.Customization(id_token=changes, groups=_groups(details))


def _read_v2(details: dict[str, Any]) -> tokens.Customization:
    identity = _object(details.get("idTokenGeneration"))
    access = _object(details.get("accessTokenGeneration"))
    id_changes = _claim_changes(identity, plain=False)
    if any(isinstance(id_changes.add.get(n), (list, dict)) for n in _PLAIN_ONLY):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return tokens.Customization(
        id_token=id_changes,
        access_token=_claim_changes(access, plain=False),
        scopes_to_add=_strings(access.get("scopesToAdd")),
        scopes_to_suppress=_strings(access.get("scopesToSuppress")),
        groups=_groups(details),
    )


def _claim_changes(details: dict[str, Any], *, plain: bool) -> tokens.ClaimChanges:
    """claimsToAddOrOverride (V1: strings only; V2/V3: any JSON but null, which is
    skipped) and claimsToSuppress."""
    added = _object(details.get("claimsToAddOrOverride"))
    kinds: tuple[type, ...] = (str,) if plain else (str, int, float, bool, list, dict)
    for value in added.values():
        if value is not None and not isinstance(value, kinds):
            raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return tokens.ClaimChanges(
        {k: v for k, v in added.items() if v is not None},
        _strings(details.get("claimsToSuppress")),
    )


def _groups(details: dict[str, Any]) -> tokens.GroupOverride | None:
    """groupOverrideDetails replaces the groups when present, even empty or null (which
    leaves the tokens without groups); absent keeps them."""
    if "groupOverrideDetails" not in details:
        return None
    override = _object(details["groupOverrideDetails"])
    preferred = override.get("preferredRole")
    if preferred is not None and not isinstance(preferred, str):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return tokens.GroupOverride(
        _strings(override.get("groupsToOverride")),
        _strings(override.get("iamRolesToOverride")),
        preferred or None,
    )


def _object(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return tuple(value)
