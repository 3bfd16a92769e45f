"""Per-pool RS256 signing keys: one for ID tokens, one for access tokens, as Cognito does.

Keys are generated when a pool is created and stored with it (the key ring in
`recognito.service.keys` keeps them per node); a rotation adds a key that signs from a
later time, published in the JWKS meanwhile. A kid is the standard base64 of the SHA-256
of the public key (44 characters, the shape of Cognito's kids).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from joserfc.jwk import RSAKey

TOKEN_USES = ("id", "access")


@dataclass(frozen=True)
class SigningKey:
    kid: str
    token_use: str
    key: RSAKey
    signs_from: float = 0.0  # epoch seconds; published before, signing from then on


def new_key() -> tuple[str, str]:
    """(kid, private PEM) of a fresh 2048-bit RSA key."""
    key = RSAKey.generate_key(2048, private=True)
    public_der = key.public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = base64.b64encode(hashlib.sha256(public_der).digest()).decode()
    return kid, key.as_pem(private=True).decode()


def jwks(keys: list[SigningKey]) -> dict[str, Any]:
    """The public halves as a JSON Web Key Set."""
    published = []
    for k in keys:
        public = k.key.as_dict(private=False)
        published.append(
            {
                "alg": "RS256",
                "e": public["e"],
                "kid": k.kid,
                "kty": "RSA",
                "n": public["n"],
                "use": "sig",
            }
        )
    return {"keys": published}


def load_key(kid: str, token_use: str, private_pem: str, signs_from: float = 0.0) -> SigningKey:
    return SigningKey(kid, token_use, RSAKey.import_key(private_pem), signs_from)
