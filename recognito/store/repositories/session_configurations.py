"""The session configurations: a pool's (client "") and its clients' SSO settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from recognito.store.repositories._shared import Area, insert_unique
from recognito.store.tables import session_configurations as table


class SessionConfigurationRepository(Area):
    def get(self, pool_id: str, client_id: str = "") -> dict[str, Any] | None:
        query = select(table.c.config).where(
            table.c.pool_id == pool_id, table.c.client_id == client_id
        )
        found = self.conn.execute(query).scalar()
        return dict(found) if found is not None else None

    def put(self, pool_id: str, client_id: str, config: dict[str, Any]) -> None:
        """Replace the configuration (a concurrent first write of the same key: UPDATE)."""
        key = (table.c.pool_id == pool_id) & (table.c.client_id == client_id)
        for _ in range(2):
            if self.conn.execute(update(table).where(key).values(config=config)).rowcount:
                return
            row = {"pool_id": pool_id, "client_id": client_id, "config": config}
            if insert_unique(self.conn, table, row) is not None:
                return

    def remove(self, pool_id: str, client_id: str) -> None:
        self.conn.execute(
            delete(table).where(table.c.pool_id == pool_id, table.c.client_id == client_id)
        )
