"""Resource servers and the scopes app clients may be allowed: the standard OAuth scopes
and `<resource server identifier>/<scope name>` for each scope a pool defines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from recognito import errors
from recognito.domain.records import ResourceServer

MAX_PER_POOL = 25  # Cognito's default quota (adjustable there; fixed here)
STANDARD_SCOPES = frozenset(
    {"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}
)
# the scopes that need a user, so never go with client_credentials
OIDC_SCOPES = STANDARD_SCOPES


def check_scopes(scopes: Sequence[dict[str, str]]) -> None:
    """InvalidParameterException when a server names a scope twice."""
    seen: set[str] = set()
    for scope in scopes:
        name = scope["ScopeName"]
        if name in seen:
            raise errors.InvalidParameterException(f"Duplicate scope name: {name}")
        seen.add(name)


def check_room(count: int) -> None:
    """LimitExceededException when a pool with `count` servers may not have another."""
    if count >= MAX_PER_POOL:
        raise errors.LimitExceededException(
            f"A user pool can have at most {MAX_PER_POOL} resource servers."
        )


def custom_scopes(servers: Iterable[ResourceServer]) -> set[str]:
    """`<identifier>/<scope>` of every scope the servers define."""
    return {f"{s.identifier}/{scope['ScopeName']}" for s in servers for scope in s.scopes}


def not_found(identifier: str) -> errors.ResourceNotFoundException:
    return errors.ResourceNotFoundException(f"Resource server {identifier} does not exist.")


def already_exists(identifier: str) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(
        f"A resource server with identifier {identifier} already exists in this user pool."
    )
