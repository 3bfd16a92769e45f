"""Self-signed certificates: for local https (`serve --tls-self-signed`), and the one
builder the SAML signing certificate shares (crypto/saml.py)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
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


def issued_by_itself(
    key: CertificateIssuerPrivateKeyTypes,
    common_name: str,
    start: datetime,
    validity: timedelta,
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> x509.Certificate:
    """A certificate for `key` signed by itself, valid from five minutes before `start`
    (a peer's clock may lag) for `validity`; `extensions` as (extension, critical)."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - timedelta(minutes=5))
        .not_valid_after(start + validity)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    return builder.sign(key, hashes.SHA256())


def private_pem(key: CertificateIssuerPrivateKeyTypes) -> bytes:
    """The key as unencrypted PKCS#8 PEM (it is sealed or kept in a private file)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def self_signed(names: list[str], now: datetime | None = None) -> Certificate:
    """A P-256 certificate for `names` (DNS names or IP addresses), signed by itself and
    marked as its own CA, so a client can trust it as a CA bundle."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issued_by_itself(
        key,
        names[0],
        now or datetime.now(UTC),
        VALIDITY,
        (
            (x509.SubjectAlternativeName([_general_name(n) for n in names]), False),
            (x509.BasicConstraints(ca=True, path_length=0), True),
        ),
    )
    return Certificate(cert.public_bytes(serialization.Encoding.PEM), private_pem(key))


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)
