"""The pool's SAML signing certificate: made on first use, then kept for good (an IdP
that trusts it keeps trusting it)."""

from __future__ import annotations

from recognito.crypto.saml import new_signing_certificate
from recognito.service.context import Services


def signing_certificate(svc: Services, pool_id: str) -> tuple[str, bytes]:
    """(certificate as base64 DER, private key PEM) of the pool, made if it has none."""
    with svc.store.read() as tx:
        found = tx.saml_certificates.get(pool_id)
    if found is not None:
        return found
    made = new_signing_certificate(pool_id, svc.clock.now())  # outside the transaction
    with svc.store.write() as tx:
        tx.saml_certificates.keep(pool_id, made.certificate, made.key_pem, svc.clock.now())
        found = tx.saml_certificates.get(pool_id)
    assert found is not None
    return found
