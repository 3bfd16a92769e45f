"""The self-signed certificate of `serve --tls-self-signed`."""

from __future__ import annotations

import hashlib
import ssl
from datetime import UTC, datetime, timedelta

from recognito.crypto.certificates import VALIDITY, self_signed


def test_covers_its_names_until_a_day_before_it_expires() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    made = self_signed(["localhost", "127.0.0.1", "::1"], now)
    assert made.covers(["localhost", "::1"], now)
    assert not made.covers(["localhost", "example.com"], now)
    assert made.covers(["127.0.0.1"], now + VALIDITY - timedelta(days=2))
    assert not made.covers(["127.0.0.1"], now + VALIDITY - timedelta(hours=12))


def test_fingerprint_is_the_sha256_of_the_der_certificate() -> None:
    made = self_signed(["localhost"])
    der = ssl.PEM_cert_to_DER_cert(made.cert_pem.decode())
    expected = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    assert made.fingerprint == expected


def test_key_and_certificate_load_into_a_tls_server_context() -> None:
    import tempfile
    from pathlib import Path

    made = self_signed(["localhost"])
    with tempfile.TemporaryDirectory() as folder:
        cert, key = Path(folder) / "c.pem", Path(folder) / "k.pem"
        cert.write_bytes(made.cert_pem)
        key.write_bytes(made.key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)  # raises if the key does not match
