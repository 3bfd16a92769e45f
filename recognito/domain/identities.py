"""The `identities` attribute of federated and linked users (reference §11.1, §12.3):
stored as a JSON string with boolean `primary` and numeric `dateCreated` (what triggers and
AdminGetUser show); in ID tokens the same array with both as strings."""

from __future__ import annotations

import json
from typing import Any

ATTRIBUTE = "identities"


def identity(
    user_id: str, provider_name: str, provider_type: str, created_ms: int
) -> dict[str, Any]:
    """One entry: `issuer` is null for OIDC and social IdPs (the SAML entity id for SAML)."""
    return {
        "userId": user_id,
        "providerName": provider_name,
        "providerType": provider_type,
        "issuer": None,
        "primary": True,
        "dateCreated": created_ms,
    }


def parse(value: str | None) -> list[dict[str, Any]]:
    if not value:
        return []
    try:
        found = json.loads(value)
    except ValueError:
        return []
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def with_identity(value: str | None, entry: dict[str, Any]) -> str:
    """The attribute with `entry` in it (kept as it was when that provider's is there)."""
    entries = parse(value)
    if any(e.get("providerName") == entry["providerName"] for e in entries):
        return encode(entries)
    return encode([*entries, entry])


def encode(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, separators=(",", ":"))


def token_claim(value: str) -> list[dict[str, Any]]:
    """The ID token's `identities`: `primary` and `dateCreated` as strings."""
    claim = []
    for entry in parse(value):
        shown = dict(entry)
        if "primary" in shown:
            shown["primary"] = str(shown["primary"]).lower()
        if "dateCreated" in shown:
            shown["dateCreated"] = str(shown["dateCreated"])
        claim.append(shown)
    return claim
