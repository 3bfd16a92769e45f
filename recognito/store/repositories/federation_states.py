"""Sign-ins sent to an external IdP, by the keyed digest of the `state` sent upstream."""

from __future__ import annotations

import json

from sqlalchemy import delete, insert, select

from recognito.domain.records import FederationState
from recognito.store.repositories._shared import Area
from recognito.store.tables import federation_states

_T = federation_states


class FederationStateRepository(Area):
    def insert(self, digest: str, state: FederationState) -> None:
        values = {
            "digest": digest,
            "pool_id": state.pool_id,
            "provider_name": state.provider_name,
            "request": json.dumps(state.request, separators=(",", ":")),
            "expires_at": state.expires_at,
        }
        self.conn.execute(insert(_T).values(values))

    def get(self, digest: str, now: float) -> FederationState | None:
        """The live state, left in place (`take` spends it)."""
        row = self.conn.execute(select(_T).where(_T.c.digest == digest)).first()
        if row is None or row.expires_at <= now:
            return None
        return FederationState(
            row.pool_id, row.provider_name, json.loads(row.request), row.expires_at
        )

    def take(self, digest: str, now: float) -> FederationState | None:
        """The state, spent: of concurrent callers one gets it; an expired one is None."""
        row = self.conn.execute(select(_T).where(_T.c.digest == digest)).first()
        if row is None:
            return None
        spent = self.conn.execute(delete(_T).where(_T.c.digest == digest))
        if spent.rowcount != 1 or row.expires_at <= now:
            return None
        return FederationState(
            row.pool_id, row.provider_name, json.loads(row.request), row.expires_at
        )

    def purge(self, before: float) -> None:
        self.conn.execute(delete(_T).where(_T.c.expires_at < before))
