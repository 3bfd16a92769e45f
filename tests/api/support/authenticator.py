"""A software WebAuthn authenticator and the browser around it: what
`navigator.credentials.create()` and `.get()` hand a page, as RegistrationResponseJSON and
AuthenticationResponseJSON.

One ES256 (P-256) key per credential, authenticatorData built byte by byte (RP ID hash,
flags, signature counter, attested credential data), a "none" attestation packed as CBOR,
assertions signed over authenticatorData || SHA-256(clientDataJSON), as the WebAuthn
specification lays them out. Tests bend each part to see the server refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_DATA = 0x40


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftwareAuthenticator:
    """One passkey's authenticator. `counter_step` 0 is a passkey provider that reports no
    counter (as synced passkeys do); 1 counts each signature."""

    verifies_user: bool = True
    counter_step: int = 1
    attachment: str = "platform"
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    raw_id: bytes = field(default_factory=lambda: os.urandom(32))
    counter: int = 0
    user_handle: str | None = None  # base64url, from the creation options

    @property
    def credential_id(self) -> str:
        return b64url(self.raw_id)

    def _cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _flags(self, extra: int = 0) -> int:
        return USER_PRESENT | (USER_VERIFIED if self.verifies_user else 0) | extra

    def _authenticator_data(self, rp_id: str, flags: int, attested: bytes = b"") -> bytes:
        rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_id_hash + bytes([flags]) + self.counter.to_bytes(4, "big") + attested

    def register(
        self,
        options: dict[str, Any],
        origin: str,
        *,
        rp_id: str | None = None,
        challenge: str | None = None,
    ) -> dict[str, Any]:
        """navigator.credentials.create(): a new credential for the options' RP and user
        (`rp_id`, `challenge`: what a misbehaving page or authenticator uses instead)."""
        self.user_handle = options["user"]["id"]
        client_data = json.dumps(
            {
                "type": "webauthn.create",
                "challenge": challenge or options["challenge"],
                "origin": origin,
                "crossOrigin": False,
            }
        ).encode()
        attested = (
            bytes(16)  # AAGUID: none
            + len(self.raw_id).to_bytes(2, "big")
            + self.raw_id
            + self._cose_public_key()
        )
        auth_data = self._authenticator_data(
            rp_id or options["rp"]["id"], self._flags(ATTESTED_DATA), attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": self.credential_id,
            "rawId": self.credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
            "authenticatorAttachment": self.attachment,
            "clientExtensionResults": {},
        }

    def assertion(
        self,
        options: dict[str, Any],
        origin: str,
        *,
        rp_id: str | None = None,
        challenge: str | None = None,
        counter: int | None = None,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): this credential's signature over the request
        options' challenge (`counter`: report this counter instead of counting on)."""
        self.counter = counter if counter is not None else self.counter + self.counter_step
        client_data = json.dumps(
            {
                "type": "webauthn.get",
                "challenge": challenge or options["challenge"],
                "origin": origin,
                "crossOrigin": False,
            }
        ).encode()
        auth_data = self._authenticator_data(rp_id or options["rpId"], self._flags())
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        response: dict[str, Any] = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
        }
        if self.user_handle is not None:
            response["userHandle"] = self.user_handle
        return {
            "id": self.credential_id,
            "rawId": self.credential_id,
            "type": "public-key",
            "response": response,
            "authenticatorAttachment": self.attachment,
            "clientExtensionResults": {},
        }
