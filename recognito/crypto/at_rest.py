"""Secrets at rest: AES-256-GCM under a master key that never lives in the database.

A sealed value reads `v1:<kid>:<base64(nonce | ciphertext | tag)>`. The kid names the
master key (a digest of it, not the key), so a database can say which key it needs and
rotation can tell old values from new ones. Each value is sealed with a fresh nonce
and its place (table, column, row) as associated data: a value moved to another column
or row no longer opens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
_VERSION = "v1"
_NONCE = 12


class MasterKeyError(ValueError):
    """A master key that cannot be used: malformed, or not the one the data needs."""


class BrokenSecret(MasterKeyError):
    """A sealed value that does not open: another key's, moved, or tampered with."""


class MasterKey:
    """The key itself, and the AES-GCM cipher derived from it once (not per value)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise MasterKeyError(f"a master key is {KEY_BYTES} bytes, not {len(key)}")
        self._key = key
        # the cipher's key is derived, so the file's bytes key nothing else directly
        derived = HKDF(hashes.SHA256(), KEY_BYTES, None, b"recognito secrets at rest v1")
        self._cipher = AESGCM(derived.derive(key))
        self.kid = hashlib.sha256(b"recognito master key id\x00" + key).hexdigest()[:16]

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(os.urandom(KEY_BYTES))

    @classmethod
    def from_text(cls, text: str) -> MasterKey:
        """A key as a key file or RECOGNITO_MASTER_KEY holds it: base64 of 32 bytes."""
        try:
            return cls(base64.b64decode(text.strip(), validate=True))
        except binascii.Error as exc:
            raise MasterKeyError("a master key is base64 of 32 random bytes") from exc

    def to_text(self) -> str:
        return base64.b64encode(self._key).decode()

    def seal(self, plaintext: bytes, place: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._cipher.encrypt(nonce, plaintext, place.encode())
        return f"{_VERSION}:{self.kid}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str, place: str) -> bytes:
        kid = sealed_kid(sealed)
        if kid is None:
            raise BrokenSecret(f"{place} is not sealed")
        if kid != self.kid:
            raise BrokenSecret(f"{place} is sealed with master key {kid}, not {self.kid}")
        try:
            # no validate=True: its check costs more than the decryption, and the tag fails anyway
            raw = base64.b64decode(sealed.split(":", 2)[2])
            return self._cipher.decrypt(raw[:_NONCE], raw[_NONCE:], place.encode())
        except (binascii.Error, ValueError, InvalidTag) as exc:
            raise BrokenSecret(f"{place} does not open with master key {self.kid}") from exc


def sealed_kid(value: str) -> str | None:
    """The kid of the key a sealed value needs; None for a value that is not sealed (no
    plaintext we store contains a colon: hex, base32, PEM)."""
    parts = value.split(":", 2)
    if len(parts) == 3 and parts[0] == _VERSION:
        return parts[1]
    return None
