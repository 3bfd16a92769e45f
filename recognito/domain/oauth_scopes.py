"""OAuth scopes: which of a client's scopes a request is granted (reference §3.2–3.3), and
which attributes the granted scopes let an ID token or userInfo show."""

from __future__ import annotations

from collections.abc import Collection, Sequence

OPENID = "openid"
ADMIN = "aws.cognito.signin.user.admin"
STANDARD = frozenset({OPENID, "email", "phone", "profile", ADMIN})
# the attributes each OIDC scope shows; `profile` shows every readable attribute
_SCOPE_CLAIMS = {
    "email": frozenset({"email", "email_verified"}),
    "phone": frozenset({"phone_number", "phone_number_verified"}),
}


class ScopeError(Exception):
    """A scope the client may not have: answered `invalid_scope`."""


def is_custom(scope: str) -> bool:
    """A resource server's scope, `<identifier>/<name>`."""
    return scope not in STANDARD


def resolve_scopes(
    requested: str | None, allowed: Sequence[str], active_custom: Collection[str]
) -> tuple[str, ...]:
    """The scopes granted: all the client's when none are requested, else the requested
    ones, each of which it must be allowed (else ScopeError). Custom scopes that are not
    `active_custom` (their resource server or scope was deleted) are dropped in silence."""
    names = list(dict.fromkeys((requested or "").split())) or list(dict.fromkeys(allowed))
    refused = [name for name in names if name not in allowed]
    if refused:
        raise ScopeError(refused[0])
    return tuple(name for name in names if not is_custom(name) or name in active_custom)


def shown_attributes(scopes: Collection[str]) -> frozenset[str] | None:
    """The attributes an ID token and userInfo may show for `scopes` (before the client's
    ReadAttributes narrow them further): None for all, when `openid` comes alone or with
    `profile`; else those of `email` and `phone`."""
    if "profile" in scopes or not any(s in _SCOPE_CLAIMS for s in scopes):
        return None
    return frozenset().union(*(_SCOPE_CLAIMS[s] for s in scopes if s in _SCOPE_CLAIMS))
