"""SAML: each pool's signing certificate (its key sealed), and the assertions used."""

from __future__ import annotations

from sqlalchemy import delete, select

from recognito.store.repositories._shared import Area, SecretArea, insert_or_keep, insert_unique
from recognito.store.tables import saml_assertions, saml_certificates


class SamlCertificateRepository(SecretArea):
    def get(self, pool_id: str) -> tuple[str, bytes] | None:
        """(certificate as base64 DER, private key PEM), or None when none was made."""
        row = self.conn.execute(
            select(saml_certificates).where(saml_certificates.c.pool_id == pool_id)
        ).first()
        if row is None:
            return None
        key = self.vault.open(row.private_key, saml_certificates.c.private_key, pool_id)
        assert key is not None
        return row.certificate, key.encode()

    def keep(self, pool_id: str, certificate: str, key_pem: bytes, now: float) -> None:
        """Store the pool's certificate unless it has one (the first writer wins)."""
        sealed = self.vault.seal(key_pem.decode(), saml_certificates.c.private_key, pool_id)
        values = {
            "pool_id": pool_id,
            "certificate": certificate,
            "private_key": sealed,
            "created": now,
        }
        insert_or_keep(self.conn, saml_certificates, values)


class SamlAssertionRepository(Area):
    def use(self, digest: str, pool_id: str, expires_at: float) -> bool:
        """Record an assertion as used; False when it was used already."""
        values = {"digest": digest, "pool_id": pool_id, "expires_at": expires_at}
        return insert_unique(self.conn, saml_assertions, values) is not None

    def purge(self, before: float) -> None:
        self.conn.execute(delete(saml_assertions).where(saml_assertions.c.expires_at < before))
