"""Sealed envelopes: AES-256-GCM over JSON, for state we hand to a client and must get
back untouched (SRP's SECRET_BLOCK carries the server's ephemeral secret this way, so
any node can finish the exchange)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class BrokenEnvelope(Exception):
    """Not sealed by us, or tampered with."""


def _cipher(secret_key: bytes, purpose: str) -> AESGCM:
    return AESGCM(hashlib.sha256(secret_key + b"\x00" + purpose.encode()).digest())


def seal(secret_key: bytes, purpose: str, content: dict[str, Any]) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(secret_key, purpose).encrypt(nonce, json.dumps(content).encode(), None)
    return base64.b64encode(nonce + sealed).decode()


def open_envelope(secret_key: bytes, purpose: str, envelope: str) -> dict[str, Any]:
    try:
        raw = base64.b64decode(envelope, validate=True)
        content = json.loads(_cipher(secret_key, purpose).decrypt(raw[:12], raw[12:], None))
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise BrokenEnvelope from exc
    if not isinstance(content, dict):
        raise BrokenEnvelope
    return content
