"""The `identities` a native user has through links to identity providers
(AdminLinkProviderForUser), shown by AdminGetUser and ListUsers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from recognito.domain.identities import Identity, with_links
from recognito.domain.records import ProviderLink, User
from recognito.store.unit_of_work import UnitOfWork


def linked(tx: UnitOfWork, pool_id: str, user_ids: Iterable[int]) -> dict[int, list[Identity]]:
    """Each user's linked identities, by user id (users without links are left out)."""
    links = tx.provider_links.of_users(list(user_ids))
    if not links:
        return {}
    types = {p.name: p.type for p in tx.identity_providers.list(pool_id)}
    return {
        user_id: [_identity(link, types.get(link.provider_name, "")) for link in entries]
        for user_id, entries in links.items()
    }


def with_identities(tx: UnitOfWork, pool_id: str, users: list[User]) -> list[User]:
    """The users as listed: each linked one with `identities` covering its links."""
    links = linked(tx, pool_id, [u.id for u in users])
    return [
        replace(u, attributes=with_links(u.attributes, links[u.id])) if u.id in links else u
        for u in users
    ]


def shown_attributes(tx: UnitOfWork, user: User) -> dict[str, str]:
    """The user's attributes with `identities` covering their links."""
    return with_links(user.attributes, linked(tx, user.pool_id, [user.id]).get(user.id, []))


def _identity(link: ProviderLink, provider_type: str) -> Identity:
    return Identity(
        user_id=link.attribute_value,
        provider_name=link.provider_name,
        provider_type=provider_type,
        primary=False,
        date_created=link.created,
    )
