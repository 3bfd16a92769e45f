"""A self-signed certificate for local https (`serve --tls-self-signed`)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALIDITY = timedelta(days=365)


@dataclass(frozen=True)
class Certificate:
    cert_pem: bytes
    key_pem: bytes

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, as browsers and `openssl x509 -fingerprint` show it."""
        digest = x509.load_pem_x509_certificate(self.cert_pem).fingerprint(hashes.SHA256())
        return ":".join(f"{b:02X}" for b in digest)

    def covers(self, names: list[str], now: datetime) -> bool:
        """Whether it is valid at `now` (a day to spare) for every one of `names`."""
        cert = x509.load_pem_x509_certificate(self.cert_pem)
        if cert.not_valid_after_utc < now + timedelta(days=1):
            return False
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        have = {*san.get_values_for_type(x509.DNSName)}
        have |= {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
        return all(name in have for name in names)


def self_signed(names: list[str], now: datetime | None = None) -> Certificate:
    """A P-256 certificate for `names` (DNS names or IP addresses), signed by itself and
    marked as its own CA, so a client can trust it as a CA bundle."""
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Certificate(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)
