"""SECRET_HASH: base64(HMAC-SHA256(key=client secret, msg=username + client id))."""

from __future__ import annotations

import base64
import hashlib
import hmac


def secret_hash(client_secret: str, username: str, client_id: str) -> str:
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def secret_hash_matches(
    given: str, client_secret: str, usernames: list[str], client_id: str
) -> bool:
    """True if `given` was computed over any identifier of the same user."""
    return any(
        hmac.compare_digest(given.encode(), secret_hash(client_secret, name, client_id).encode())
        for name in usernames
    )
