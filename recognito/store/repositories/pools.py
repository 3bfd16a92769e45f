"""User pools and their app clients."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update

from recognito.domain.records import Client, Pool
from recognito.store.repositories._shared import Area, SecretArea, param
from recognito.store.tables import clients, pools

_POOL = select(pools).where(pools.c.id == param("id"))
_CLIENT = select(clients).where(clients.c.id == param("id"))


class PoolRepository(Area):
    """User pools, their settings kept in the API's own shape."""

    def insert(self, pool: Pool) -> None:
        self.conn.execute(insert(pools).values(**asdict(pool)))

    def get(self, pool_id: str) -> Pool | None:
        row = self.conn.execute(_POOL, {"id": pool_id}).first()
        return Pool(**row._mapping) if row else None

    def ids(self) -> list[str]:
        """Every pool's id, in every region."""
        return list(self.conn.execute(select(pools.c.id).order_by(pools.c.id)).scalars())

    def page(self, region: str, after: str | None, limit: int) -> list[Pool]:
        # a pool id starts with its region: "eu-west-1_AbC123xyZ"
        query = select(pools).where(pools.c.id.startswith(region + "_", autoescape=True))
        query = query.order_by(pools.c.id).limit(limit)
        if after:
            query = query.where(pools.c.id > after)
        return [Pool(**row._mapping) for row in self.conn.execute(query)]

    def update(
        self, pool_id: str, config: Mapping[str, Any], now: float, *, name: str | None = None
    ) -> None:
        values: dict[str, Any] = {"config": dict(config), "modified_at": now}
        if name:
            values["name"] = name
        self.conn.execute(update(pools).where(pools.c.id == pool_id).values(**values))

    def delete(self, pool_id: str) -> None:
        self.conn.execute(delete(pools).where(pools.c.id == pool_id))


class ClientRepository(SecretArea):
    """App clients of the pools; their secrets sealed."""

    def insert(self, client: Client) -> None:
        values = asdict(self._sealed(client))
        del values["acts_for"]  # only the clients metadata documents make have one
        self.conn.execute(insert(clients).values(**values))

    def get(self, client_id: str) -> Client | None:
        row = self.conn.execute(_CLIENT, {"id": client_id}).first()
        return self._client(row._mapping) if row else None

    def page(self, pool_id: str, after: str | None, limit: int | None) -> list[Client]:
        query = select(clients).where(clients.c.pool_id == pool_id)
        if after:
            query = query.where(clients.c.id > after)
        rows = self.conn.execute(query.order_by(clients.c.id).limit(limit))
        return [self._client(row._mapping) for row in rows]

    def update(self, client_id: str, name: str, config: Mapping[str, Any], now: float) -> None:
        self.conn.execute(
            update(clients)
            .where(clients.c.id == client_id)
            .values(name=name, config=dict(config), modified_at=now)
        )

    def set_secrets(self, client: Client) -> None:
        """Store the client's secrets as `client` has them (rotation)."""
        sealed = self._sealed(client)
        self.conn.execute(
            update(clients)
            .where(clients.c.id == client.id)
            .values(
                secret=sealed.secret,
                secret_created_at=sealed.secret_created_at,
                next_secret=sealed.next_secret,
                next_secret_created_at=sealed.next_secret_created_at,
            )
        )

    def delete(self, client_id: str) -> None:
        self.conn.execute(delete(clients).where(clients.c.id == client_id))

    def _sealed(self, client: Client) -> Client:
        return replace(
            client,
            secret=self.vault.seal(client.secret, clients.c.secret, client.id),
            next_secret=self.vault.seal(client.next_secret, clients.c.next_secret, client.id),
        )

    def _client(self, row: RowMapping) -> Client:
        secret = self.vault.open(row["secret"], clients.c.secret, row["id"])
        following = self.vault.open(row["next_secret"], clients.c.next_secret, row["id"])
        return Client(**{**row, "secret": secret, "next_secret": following})
