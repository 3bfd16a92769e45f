"""The pools' signing keys."""

from __future__ import annotations

from sqlalchemy import insert, select

from recognito.domain.records import StoredKey
from recognito.store.repositories._shared import SecretArea
from recognito.store.tables import signing_keys


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
            select(signing_keys.c.kid, signing_keys.c.token_use, signing_keys.c.private_pem)
            .where(signing_keys.c.pool_id == pool_id)
            .order_by(signing_keys.c.created_at)
        )
        return [StoredKey(r.kid, r.token_use, self._pem(r.kid, r.private_pem)) for r in rows]

    def _pem(self, kid: str, sealed: str) -> str:
        pem = self.vault.open(sealed, signing_keys.c.private_pem, kid)
        assert pem is not None  # the column is NOT NULL
        return pem
