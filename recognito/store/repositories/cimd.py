"""Client ID Metadata Document policies and the client_id URLs they admitted, with the
metadata document cached for each."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, func, insert, select, update

from recognito.domain.records import CIMDPolicy, ClientMetadataURL
from recognito.store.repositories._shared import Area, upsert
from recognito.store.tables import cimd_policies, cimd_urls


class CIMDPolicyRepository(Area):
    def insert(self, policy: CIMDPolicy) -> None:
        self.conn.execute(insert(cimd_policies), asdict(policy))

    def get(self, pool_id: str, policy_id: str) -> CIMDPolicy | None:
        row = self.conn.execute(
            select(cimd_policies).where(
                cimd_policies.c.pool_id == pool_id, cimd_policies.c.id == policy_id
            )
        ).first()
        return CIMDPolicy(**row._mapping) if row else None

    def of_pool(self, pool_id: str) -> list[CIMDPolicy]:
        """Every policy of the pool, oldest first (the order URLs are matched in)."""
        rows = self.conn.execute(
            select(cimd_policies)
            .where(cimd_policies.c.pool_id == pool_id)
            .order_by(cimd_policies.c.created, cimd_policies.c.id)
        )
        return [CIMDPolicy(**row._mapping) for row in rows]

    def page(self, pool_id: str, after: str | None, limit: int) -> list[CIMDPolicy]:
        query = select(cimd_policies).where(cimd_policies.c.pool_id == pool_id)
        if after:
            query = query.where(cimd_policies.c.id > after)
        query = query.order_by(cimd_policies.c.id).limit(limit)
        return [CIMDPolicy(**row._mapping) for row in self.conn.execute(query)]

    def count(self, pool_id: str) -> int:
        query = select(func.count()).where(cimd_policies.c.pool_id == pool_id)
        return int(self.conn.execute(query).scalar_one())

    def update(self, policy: CIMDPolicy) -> None:
        self.conn.execute(
            update(cimd_policies).where(cimd_policies.c.id == policy.id).values(**asdict(policy))
        )

    def delete(self, policy_id: str) -> None:
        # its URLs go with it (the foreign key cascades too; this says so here)
        self.conn.execute(delete(cimd_urls).where(cimd_urls.c.policy_id == policy_id))
        self.conn.execute(delete(cimd_policies).where(cimd_policies.c.id == policy_id))


class ClientMetadataURLRepository(Area):
    def put(self, item: ClientMetadataURL) -> None:
        upsert(self.conn, cimd_urls, asdict(item), ("policy_id", "url"))

    def record(self, pool_id: str, policy_id: str, url: str) -> None:
        """Note a URL the policy admitted, keeping its cached document if it has one."""
        if self.get(policy_id, url) is None:
            self.put(ClientMetadataURL(pool_id, policy_id, url, None, None, None))

    def get(self, policy_id: str, url: str) -> ClientMetadataURL | None:
        row = self.conn.execute(
            select(cimd_urls).where(cimd_urls.c.policy_id == policy_id, cimd_urls.c.url == url)
        ).first()
        return ClientMetadataURL(**row._mapping) if row else None

    def page(self, policy_id: str, after: str | None, limit: int) -> list[ClientMetadataURL]:
        query = select(cimd_urls).where(cimd_urls.c.policy_id == policy_id)
        if after:
            query = query.where(cimd_urls.c.url > after)
        query = query.order_by(cimd_urls.c.url).limit(limit)
        return [ClientMetadataURL(**row._mapping) for row in self.conn.execute(query)]

    def invalidate(self, policy_id: str, url: str) -> None:
        self.conn.execute(
            update(cimd_urls)
            .where(cimd_urls.c.policy_id == policy_id, cimd_urls.c.url == url)
            .values(document=None, cached_at=None, expires_at=None)
        )

    def invalidate_policy(self, policy_id: str) -> None:
        """Every document the policy cached (its settings changed: fetch them anew)."""
        self.conn.execute(
            update(cimd_urls)
            .where(cimd_urls.c.policy_id == policy_id)
            .values(document=None, cached_at=None, expires_at=None)
        )
