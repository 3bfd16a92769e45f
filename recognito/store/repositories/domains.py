"""User pool domains and resource servers."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, func, select, update

from recognito.domain.records import ResourceServer, UserPoolDomain
from recognito.store.repositories._shared import Area, insert_unique, param
from recognito.store.tables import resource_servers, user_pool_domains

# read on every request that names a domain (web/domains.py): built once, one PK lookup
_DOMAIN = select(user_pool_domains).where(user_pool_domains.c.domain == param("domain"))


class DomainRepository(Area):
    """The domains of the pools, looked up by name (unique across the instance)."""

    def insert(self, domain: UserPoolDomain) -> bool:
        """False when the name is taken already."""
        return insert_unique(self.conn, user_pool_domains, asdict(domain)) is not None

    def get(self, name: str) -> UserPoolDomain | None:
        row = self.conn.execute(_DOMAIN, {"domain": name}).first()
        return UserPoolDomain(**row._mapping) if row else None

    def of_pool(self, pool_id: str) -> list[UserPoolDomain]:
        """The pool's domains, the prefix one first."""
        rows = self.conn.execute(
            select(user_pool_domains)
            .where(user_pool_domains.c.pool_id == pool_id)
            .order_by(user_pool_domains.c.custom, user_pool_domains.c.domain)
        )
        return [UserPoolDomain(**row._mapping) for row in rows]

    def update(self, domain: UserPoolDomain) -> None:
        self.conn.execute(
            update(user_pool_domains)
            .where(user_pool_domains.c.domain == domain.domain)
            .values(**asdict(domain))
        )

    def delete(self, name: str) -> None:
        self.conn.execute(delete(user_pool_domains).where(user_pool_domains.c.domain == name))


class ResourceServerRepository(Area):
    """A pool's resource servers, in identifier order."""

    def insert(self, server: ResourceServer) -> bool:
        """False when the pool has one with that identifier already."""
        return insert_unique(self.conn, resource_servers, asdict(server)) is not None

    def get(self, pool_id: str, identifier: str) -> ResourceServer | None:
        row = self.conn.execute(
            select(resource_servers).where(
                resource_servers.c.pool_id == pool_id,
                resource_servers.c.identifier == identifier,
            )
        ).first()
        return ResourceServer(**row._mapping) if row else None

    def page(self, pool_id: str, after: str | None, limit: int | None) -> list[ResourceServer]:
        query = select(resource_servers).where(resource_servers.c.pool_id == pool_id)
        if after:
            query = query.where(resource_servers.c.identifier > after)
        query = query.order_by(resource_servers.c.identifier)
        if limit is not None:
            query = query.limit(limit)
        return [ResourceServer(**row._mapping) for row in self.conn.execute(query)]

    def count(self, pool_id: str) -> int:
        return int(
            self.conn.execute(
                select(func.count())
                .select_from(resource_servers)
                .where(resource_servers.c.pool_id == pool_id)
            ).scalar_one()
        )

    def update(self, server: ResourceServer) -> None:
        self.conn.execute(
            update(resource_servers)
            .where(
                resource_servers.c.pool_id == server.pool_id,
                resource_servers.c.identifier == server.identifier,
            )
            .values(name=server.name, scopes=server.scopes)
        )

    def delete(self, pool_id: str, identifier: str) -> None:
        self.conn.execute(
            delete(resource_servers).where(
                resource_servers.c.pool_id == pool_id,
                resource_servers.c.identifier == identifier,
            )
        )
