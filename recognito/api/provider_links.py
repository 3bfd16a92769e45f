"""Linking native users to identities at the pool's providers: AdminLinkProviderForUser,
AdminDisableProviderForUser.

A link lets the identity sign in as the native user (recognito/signin/federation.py
asks `tx.provider_links.find`); AdminGetUser and ListUsers show it in `identities`."""

from __future__ import annotations

from recognito.domain import links as rules
from recognito.domain.pools import username_key
from recognito.domain.records import Pool, ProviderLink, User
from recognito.domain.user_status import Status
from recognito.service.context import Services
from recognito.service.lookups import pool_or_error, unknown_user
from recognito.service.registry import operation
from recognito.shapes import (
    AdminDisableProviderForUserRequest,
    AdminDisableProviderForUserResponse,
    AdminLinkProviderForUserRequest,
    AdminLinkProviderForUserResponse,
    ProviderUserIdentifierType,
)
from recognito.store.unit_of_work import UnitOfWork


@operation("AdminLinkProviderForUser")
def admin_link_provider_for_user(
    svc: Services, req: AdminLinkProviderForUserRequest
) -> AdminLinkProviderForUserResponse:
    destination, source = req["DestinationUser"], req["SourceUser"]
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        rules.check_destination(destination.get("ProviderName"))
        user = tx.users.by_username(
            pool.id, username_key(pool.config, destination.get("ProviderAttributeValue", ""))
        )
        if user is None:
            raise unknown_user()
        rules.check_native(user.status)
        name, attribute, value = _identity(source)
        provider = tx.identity_providers.get(pool.id, name)
        if provider is None:
            raise rules.unknown_provider(name, pool.id)
        rules.check_source(provider.type, attribute, value)
        if _federated_user(tx, pool, name, value) is not None:
            raise rules.federated_user_exists(name, value)
        linked_to = tx.provider_links.find(pool.id, name, value)
        if linked_to == user.id:
            return {}  # linked already: nothing to do
        if linked_to is not None:
            raise rules.linked_elsewhere()
        rules.check_room(len(tx.provider_links.of_user(user.id)))
        link = ProviderLink(pool.id, name, attribute, value, user.id, svc.clock.now())
        if not tx.provider_links.insert(link):
            raise rules.linked_elsewhere()
    return {}


@operation("AdminDisableProviderForUser")
def admin_disable_provider_for_user(
    svc: Services, req: AdminDisableProviderForUserRequest
) -> AdminDisableProviderForUserResponse:
    """Removes the identity's link, and disables the federated user it signed in as (if
    any): either way it signs in as nobody until linked again or re-enabled."""
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        name, attribute, value = _identity(req["User"])
        rules.check_disable_target(name)
        removed = tx.provider_links.remove(pool.id, name, attribute, value)
        federated = _federated_user(tx, pool, name, value)
        if federated is not None and attribute == rules.SUBJECT:
            now = svc.clock.now()
            tx.users.update(federated.id, enabled=False, modified_at=now)
            tx.grants.revoke_all_of(federated.id, now)
        elif not removed:
            raise unknown_user()
    return {}


def _identity(identifier: ProviderUserIdentifierType) -> tuple[str, str, str]:
    return (
        identifier.get("ProviderName", ""),
        identifier.get("ProviderAttributeName", ""),
        identifier.get("ProviderAttributeValue", ""),
    )


def _federated_user(tx: UnitOfWork, pool: Pool, provider: str, value: str) -> User | None:
    """The user an earlier sign-in through the provider created (`<Provider>_<id>`)."""
    user = tx.users.by_username(pool.id, username_key(pool.config, f"{provider}_{value}"))
    return user if user is not None and user.status == Status.EXTERNAL_PROVIDER else None
