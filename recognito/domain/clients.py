"""App client settings: defaults, token validity bounds, allowed auth flows
(docs/behaviour.md §4, §7.1)."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from recognito import errors
from recognito.domain import redirect_uris
from recognito.domain.attributes import developer_only
from recognito.domain.resource_servers import OIDC_SCOPES, STANDARD_SCOPES
from recognito.domain.tokens import UNIT_SECONDS, lifetime
from recognito.shapes import StoredUserPoolClient

_DEFAULTS: StoredUserPoolClient = {
    "RefreshTokenValidity": 30,
    "TokenValidityUnits": {},
    "AllowedOAuthFlowsUserPoolClient": False,
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
}
# the members of Create/UpdateUserPoolClient's request that are not settings
# PublishSecretsInAWSSecretsManager: refused unless false (protocol/unsupported.py)
_NOT_SETTINGS = {
    "UserPoolId",
    "ClientId",
    "ClientName",
    "GenerateSecret",
    "ClientSecret",
    "PublishSecretsInAWSSecretsManager",
}
_LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}
_DEFAULT_FLOWS = {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
# (token, lowest seconds, highest seconds) Cognito accepts
_BOUNDS = (("access", 300, 86400), ("id", 300, 86400), ("refresh", 3600, 315_360_000))
_LABEL = {"access": "Access", "id": "Id", "refresh": "Refresh"}
# Cognito alone sets these: no app client may be given write access to them
_NEVER_CLIENT_WRITTEN = {"sub", "email_verified", "phone_number_verified"}


def client_config(request: Mapping[str, Any]) -> StoredUserPoolClient:
    """The config of a validated CreateUserPoolClient or UpdateUserPoolClient request, alike:
    settings not given take their defaults."""
    config = copy.deepcopy(_DEFAULTS)
    config.update(_given(request))
    if not config.get("RefreshTokenValidity"):
        # 0 means the 30-day default, whatever unit the client counts in
        unit = (config.get("TokenValidityUnits") or {}).get("RefreshToken") or "days"
        config["RefreshTokenValidity"] = 30 * 86400 // UNIT_SECONDS[unit]
    flows = config.get("ExplicitAuthFlows") or []
    legacy = [f for f in flows if f in _LEGACY_FLOWS]
    if legacy and len(legacy) != len(flows):
        raise errors.InvalidParameterException(
            "The combination of legacy and new explicit auth flows is not allowed."
        )
    for token, low, high in _BOUNDS:
        seconds = lifetime(config, token)
        if not low <= seconds <= high:
            raise errors.InvalidParameterException(
                f"{_LABEL[token]} token validity must be between {low // 60} minutes and "
                f"{high // 86400 if token == 'refresh' else 1} days."
            )
    return config


def _given(request: Mapping[str, object]) -> StoredUserPoolClient:
    """The settings a validated CreateUserPoolClient or UpdateUserPoolClient request gives,
    copied.

    The one cast from a request to stored config: every member of either request but
    _NOT_SETTINGS is a StoredUserPoolClient member of the same type (both are generated from
    the model; tests/unit/domain/test_clients.py checks it), so they are stored as given.
    """
    settings = {k: copy.deepcopy(v) for k, v in request.items() if k not in _NOT_SETTINGS}
    return cast(StoredUserPoolClient, settings)


def check_attribute_permissions(
    config: StoredUserPoolClient, schema: Sequence[Mapping[str, Any]], *, action: str
) -> None:
    """ReadAttributes and WriteAttributes must name attributes of the pool's schema.
    `action` ("creating" or "updating") completes Cognito's message."""
    names = {entry["Name"] for entry in schema}
    if not set(config.get("ReadAttributes") or []) <= names:
        raise errors.InvalidParameterException(
            f"Invalid read attributes specified while {action} a client"
        )
    write = set(config.get("WriteAttributes") or [])
    if write and not _valid_write_attributes(write, schema):
        raise errors.InvalidParameterException(
            f"Invalid write attributes specified while {action} a client"
        )


def _valid_write_attributes(write: set[str], schema: Sequence[Mapping[str, Any]]) -> bool:
    """Known attributes, none that Cognito sets or only administrators write, and every
    required one: every client must be able to give a required attribute its value."""
    names = {entry["Name"] for entry in schema}
    required = {e["Name"] for e in schema if e.get("Required") and e["Name"] != "sub"}
    return (
        write <= names
        and not write & _NEVER_CLIENT_WRITTEN
        and not any(developer_only(name) for name in write)
        and required <= write
    )


def allowed_flows(config: StoredUserPoolClient) -> set[str]:
    flows = config.get("ExplicitAuthFlows")
    if not flows:
        return set(_DEFAULT_FLOWS)
    allowed = {_LEGACY_FLOWS.get(f, f) for f in flows}
    if any(f in _LEGACY_FLOWS for f in flows):
        # legacy clients could always use SRP and refresh tokens
        allowed |= {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    return allowed


def hides_user_existence(config: StoredUserPoolClient) -> bool:
    return config.get("PreventUserExistenceErrors") == "ENABLED"


def session_seconds(config: StoredUserPoolClient) -> float:
    return float(config.get("AuthSessionValidity") or 3) * 60


def readable(config: StoredUserPoolClient) -> set[str] | None:
    """Attributes the client may read, or None for all."""
    names = config.get("ReadAttributes")
    return set(names) | {"sub"} if names else None


def writable(config: StoredUserPoolClient) -> set[str] | None:
    names = config.get("WriteAttributes")
    return set(names) if names else None


def check_oauth(
    config: StoredUserPoolClient,
    *,
    pool_id: str,
    has_secret: bool,
    custom_scopes: Collection[str],
    providers: Collection[str],
) -> None:
    """The OAuth settings of a client (cognito-oauth.md §2.2), in the order Cognito checks
    them as far as known: URIs, identity providers, scopes, then the flows together.
    `custom_scopes` are the pool's `<identifier>/<scope>`, `providers` its identity
    providers' names (COGNITO included)."""
    callbacks = config.get("CallbackURLs") or []
    for label, uris in (
        ("callback URL", callbacks),
        ("logout URL", config.get("LogoutURLs") or []),
    ):
        for uri in uris:
            _check_uri(label, uri)
    default = config.get("DefaultRedirectURI")
    if default is not None:
        _check_uri("DefaultRedirectURI", default)
        if default not in callbacks:
            raise errors.InvalidParameterException(
                "DefaultRedirectURI must be one of the CallbackURLs."
            )
    for provider in config.get("SupportedIdentityProviders") or []:
        if provider not in providers:
            raise errors.InvalidParameterException(
                f"The provider {provider} does not exist for User Pool {pool_id}"
            )
    scopes = config.get("AllowedOAuthScopes") or []
    for scope in scopes:
        if scope not in STANDARD_SCOPES and scope not in custom_scopes:
            raise errors.ScopeDoesNotExistException(f"Invalid scope requested: {scope}")
    flows = set(config.get("AllowedOAuthFlows") or [])
    if flows & {"code", "implicit"} and not callbacks:
        raise errors.InvalidOAuthFlowException(
            "CallbackUrls can not be empty when code flow or implicit flow is selected"
        )
    if "client_credentials" in flows:
        if flows & {"code", "implicit"}:
            raise errors.InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow"
            )
        if not has_secret:
            raise errors.InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a client"
                " secret."
            )
        for scope in scopes:
            if scope in OIDC_SCOPES:
                raise errors.InvalidOAuthFlowException(
                    f"{scope} is not supported with client_credentials flow"
                )


def _check_uri(label: str, uri: str) -> None:
    reason = redirect_uris.problem(uri)
    if reason is not None:
        raise errors.InvalidParameterException(f"Invalid {label} {uri}: {reason}")
