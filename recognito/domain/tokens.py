"""Token lifetimes and claims, as Cognito's API flows issue them (docs/behaviour.md §10)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from recognito.domain import identities
from recognito.domain.attributes import developer_only
from recognito.domain.records import Group, User
from recognito.shapes import StoredUserPoolClient, TimeUnitsType

SCOPE = "aws.cognito.signin.user.admin"
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# The longest an ID or access token can live (AccessTokenValidity/IdTokenValidity: 1 day)
MAX_TOKEN_SECONDS = 86400
# How long a signing key stays published after its successor starts signing: until every
# token it signed has expired, and 5 minutes more for clocks that disagree
KEY_RETENTION = MAX_TOKEN_SECONDS + 300.0
# (config key, TokenValidityUnits key, default value, default unit)
_VALIDITY: dict[
    str,
    tuple[
        Literal["IdTokenValidity", "AccessTokenValidity", "RefreshTokenValidity"],
        Literal["IdToken", "AccessToken", "RefreshToken"],
        int,
        TimeUnitsType,
    ],
] = {
    "id": ("IdTokenValidity", "IdToken", 1, "hours"),
    "access": ("AccessTokenValidity", "AccessToken", 1, "hours"),
    "refresh": ("RefreshTokenValidity", "RefreshToken", 30, "days"),
}
_BOOLEAN_CLAIMS = {"email_verified", "phone_number_verified"}


def lifetime(client_config: StoredUserPoolClient, token: str) -> int:
    """Seconds a token of kind id/access/refresh lives for this client."""
    key, unit_key, default, default_unit = _VALIDITY[token]
    value = client_config.get(key) or default
    unit = (client_config.get("TokenValidityUnits") or {}).get(unit_key) or default_unit
    return int(value) * UNIT_SECONDS[unit]


@dataclass(frozen=True)
class Issuance:
    """What the ID and access token of one issuance share."""

    issuer: str
    client_id: str
    origin_jti: str  # constant across refreshes of one authentication
    event_id: str
    auth_time: int  # the original authentication, unchanged by refreshes
    now: int
    groups: tuple[Group, ...] = ()
    # OAuth issuance (/oauth2/token, implicit): the granted scopes (None: an API sign-in,
    # whose access token carries SCOPE alone) and the resource the access token is for
    scopes: tuple[str, ...] | None = None
    resource: str | None = None

    def group_claims(self, with_roles: bool) -> dict[str, Any]:
        """`cognito:groups` (only when the user has groups), lowest precedence first;
        the ID token also names the groups' IAM roles and the preferred one."""
        if not self.groups:
            return {}
        ordered = by_precedence(self.groups)
        claims: dict[str, Any] = {"cognito:groups": [g.name for g in ordered]}
        roles = [g.role_arn for g in ordered if g.role_arn]
        if with_roles and roles:
            claims["cognito:roles"] = roles
            claims["cognito:preferred_role"] = roles[0]
        return claims

    def times(self, jti: str, ttl: int) -> dict[str, Any]:
        return {"auth_time": self.auth_time, "exp": self.now + ttl, "iat": self.now, "jti": jti}


def by_precedence(groups: Iterable[Group]) -> list[Group]:
    """The groups as the tokens list them: lowest precedence first."""
    return sorted(groups, key=_precedence)


def _precedence(group: Group) -> tuple[int, str]:
    # a group without precedence ranks after every group that has one
    return (group.precedence if group.precedence is not None else 2**31, group.name)


def id_claims(
    user: User, issuance: Issuance, *, jti: str, ttl: int, readable: set[str] | None
) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": user.sub, **issuance.group_claims(with_roles=True)}
    for name, value in user.attributes.items():
        # developer-only attributes are for administrators: no client reads them
        if name == "identities":  # whatever the client reads or the scopes say
            claims[name] = identities.identities_claim(value)
            continue
        if name == "sub" or developer_only(name) or (readable is not None and name not in readable):
            continue
        claims[name] = value.lower() == "true" if name in _BOOLEAN_CLAIMS else value
    claims.update(
        {
            "iss": issuance.issuer,
            "cognito:username": user.username,
            "origin_jti": issuance.origin_jti,
            "aud": issuance.client_id,
            "event_id": issuance.event_id,
            "token_use": "id",
            **issuance.times(jti, ttl),
        }
    )
    if issuance.scopes is not None:
        del claims["event_id"]  # not in OAuth ID tokens (reference §11.1)
    return claims


def access_claims(user: User, issuance: Issuance, *, jti: str, ttl: int) -> dict[str, Any]:
    claims = {
        "sub": user.sub,
        **issuance.group_claims(with_roles=False),
        "iss": issuance.issuer,
        "client_id": issuance.client_id,
        "origin_jti": issuance.origin_jti,
        "event_id": issuance.event_id,
        "token_use": "access",
        "scope": SCOPE if issuance.scopes is None else " ".join(issuance.scopes),
        **issuance.times(jti, ttl),
        "username": user.username,
    }
    if issuance.scopes is not None:
        claims["version"] = 2
        if issuance.resource is not None:
            claims["aud"] = issuance.resource
    return claims


def client_credentials_claims(
    issuer: str, client_id: str, scopes: Iterable[str], *, jti: str, now: int, ttl: int
) -> dict[str, Any]:
    """A machine's access token (reference §11.3): the client is its subject."""
    return {
        "sub": client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": now,
        "iss": issuer,
        "exp": now + ttl,
        "iat": now,
        "version": 2,
        "jti": jti,
        "client_id": client_id,
    }


def at_hash(access_token: str) -> str:
    """OIDC's at_hash for RS256: the left half of SHA-256 of the token, base64url."""
    left = hashlib.sha256(access_token.encode("ascii")).digest()[:16]
    return base64.urlsafe_b64encode(left).decode().rstrip("=")


def challenge_user_attributes(user: User) -> str:
    """`userAttributes` of NEW_PASSWORD_REQUIRED: current attributes without `sub`."""
    attributes = {k: v for k, v in user.attributes.items() if k != "sub"}
    return json.dumps(attributes, separators=(",", ":"))  # compact, as Cognito sends it


# Claims PreTokenGeneration may not add, change or suppress (Cognito's documented list):
# an attempt is dropped in silence (docs/behaviour.md §18)
PROTECTED_CLAIMS = frozenset(
    {
        "acr",
        "amr",
        "aud",
        "at_hash",
        "auth_time",
        "azp",
        "cognito:username",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
        # the groups change only through groupOverrideDetails
        "cognito:groups",
        "cognito:roles",
        "cognito:preferred_role",
    }
)
# and, in the access token, what names the client, the user and the scopes
PROTECTED_ACCESS_CLAIMS = PROTECTED_CLAIMS | {
    "client_id",
    "scope",
    "username",
    "version",
    "event_id",
    "device_key",
}


@dataclass(frozen=True)
class ClaimChanges:
    """claimsToAddOrOverride / claimsToSuppress of one token."""

    add: dict[str, Any] = field(default_factory=dict)
    suppress: tuple[str, ...] = ()

    def apply(self, claims: dict[str, Any], protected: frozenset[str]) -> None:
        # a claim both suppressed and added is suppressed
        for name, value in self.add.items():
            if name not in protected and name not in self.suppress:
                claims[name] = value
        for name in self.suppress:
            if name not in protected:
                claims.pop(name, None)


@dataclass(frozen=True)
class GroupOverride:
    """groupOverrideDetails: replaces the user's groups in both tokens."""

    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    preferred_role: str | None = None


@dataclass(frozen=True)
class Customization:
    """What a PreTokenGeneration function changed (V1 fills `id_token` and `groups`)."""

    id_token: ClaimChanges = ClaimChanges()
    access_token: ClaimChanges = ClaimChanges()
    scopes_to_add: tuple[str, ...] = ()
    scopes_to_suppress: tuple[str, ...] = ()
    groups: GroupOverride | None = None  # None: the user's own groups stay

    def apply(self, identity: dict[str, Any], access: dict[str, Any]) -> None:
        if self.groups is not None:
            for claims in (identity, access):
                for name in ("cognito:groups", "cognito:roles", "cognito:preferred_role"):
                    claims.pop(name, None)
                if self.groups.groups:
                    claims["cognito:groups"] = list(self.groups.groups)
            if self.groups.roles:
                identity["cognito:roles"] = list(self.groups.roles)
            if self.groups.preferred_role:
                identity["cognito:preferred_role"] = self.groups.preferred_role
        self.id_token.apply(identity, PROTECTED_CLAIMS)
        self.access_token.apply(access, PROTECTED_ACCESS_CLAIMS)
        scopes = [s for s in str(access.get("scope", "")).split() if s]
        scopes += [s for s in self.scopes_to_add if s not in scopes]
        scopes = [s for s in scopes if s not in self.scopes_to_suppress]
        if scopes:
            access["scope"] = " ".join(scopes)
        else:  # every scope suppressed: no scope claim rather than an empty one
            access.pop("scope", None)
