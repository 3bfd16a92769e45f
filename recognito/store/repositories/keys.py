"""The pools' signing keys. `created_at` is when a key starts signing: a rotated-in key is
stored ahead of its time, published meanwhile."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, func, insert, select

from recognito.domain.records import StoredKey
from recognito.store.repositories._shared import SecretArea
from recognito.store.tables import pools, signing_keys


class KeyRepository(SecretArea):
    """Private keys per pool and token use, oldest first."""

    def insert(self, kid: str, pool_id: str, token_use: str, private_pem: str, now: float) -> None:
        self.conn.execute(
            insert(signing_keys).values(
                kid=kid,
                pool_id=pool_id,
                token_use=token_use,
                private_pem=self.vault.seal(private_pem, signing_keys.c.private_pem, kid),
                created_at=now,
            )
        )

    def of_pool(self, pool_id: str) -> list[StoredKey]:
        """The pool's keys, oldest first."""
        rows = self.conn.execute(
            select(
                signing_keys.c.kid,
                signing_keys.c.token_use,
                signing_keys.c.private_pem,
                signing_keys.c.created_at,
            )
            .where(signing_keys.c.pool_id == pool_id)
            .order_by(signing_keys.c.created_at, signing_keys.c.kid)
        )
        return [
            StoredKey(r.kid, r.token_use, self._pem(r.kid, r.private_pem), r.created_at)
            for r in rows
        ]

    def _pem(self, kid: str, sealed: str) -> str:
        pem = self.vault.open(sealed, signing_keys.c.private_pem, kid)
        assert pem is not None  # the column is NOT NULL
        return pem

    def lock_pool(self, pool_id: str) -> bool:
        """Hold the pool's row (PostgreSQL) while its keys change; False if it is gone."""
        row = self.conn.execute(
            select(pools.c.id).where(pools.c.id == pool_id).with_for_update()
        ).first()
        return row is not None

    def pools_due(self, cutoff: float, pool_id: str | None = None) -> list[str]:
        """Pools whose newest key (pending ones included) starts signing at `cutoff` or
        before."""
        query = select(signing_keys.c.pool_id).group_by(signing_keys.c.pool_id)
        if pool_id is not None:
            query = query.where(signing_keys.c.pool_id == pool_id)
        query = query.having(func.max(signing_keys.c.created_at) <= cutoff)
        return [r.pool_id for r in self.conn.execute(query)]

    def purge_retired(self, cutoff: float) -> int:
        """Delete keys a later key of their pool and use replaced at `cutoff` or before."""
        later = signing_keys.alias("later")
        replaced = exists().where(
            and_(
                later.c.pool_id == signing_keys.c.pool_id,
                later.c.token_use == signing_keys.c.token_use,
                later.c.created_at > signing_keys.c.created_at,
                later.c.created_at <= cutoff,
            )
        )
        return self.conn.execute(delete(signing_keys).where(replaced)).rowcount
