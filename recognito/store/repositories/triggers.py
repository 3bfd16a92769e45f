"""The log of Lambda trigger invocations."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import insert, select

from recognito.domain.records import TriggerInvocation
from recognito.store.repositories._shared import Area
from recognito.store.tables import trigger_invocations


class TriggerLogRepository(Area):
    def insert(self, invocation: TriggerInvocation) -> None:
        row = {k: v for k, v in asdict(invocation).items() if k != "id"}
        self.conn.execute(insert(trigger_invocations), row)

    def latest(self, pool_id: str | None, limit: int) -> list[TriggerInvocation]:
        """Newest first; every pool's unless `pool_id` is given."""
        query = select(trigger_invocations).order_by(trigger_invocations.c.id.desc()).limit(limit)
        if pool_id is not None:
            query = query.where(trigger_invocations.c.pool_id == pool_id)
        return [TriggerInvocation(**row._asdict()) for row in self.conn.execute(query)]
