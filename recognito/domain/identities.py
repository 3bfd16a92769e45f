"""The `identities` of a federated or linked user: who they are at each identity provider.

Two spellings of the same entries (cognito-oauth.md §11.1): the `identities` user
attribute (AdminGetUser, ListUsers, triggers) is a JSON-encoded string with a boolean
`primary` and a numeric `dateCreated` (epoch milliseconds); the ID token's `identities`
claim is a JSON array whose `primary` and `dateCreated` are strings. `issuer` is null for
OIDC and social providers (SAML would carry its entity id)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    user_id: str  # the user's id at the provider (`sub`, Facebook's `id`, ...)
    provider_name: str
    provider_type: str
    primary: bool  # the identity a federated user was created from; links are not
    date_created: float  # epoch seconds
    issuer: str | None = None


def identities_json(entries: Iterable[Identity]) -> str:
    """The `identities` attribute's value."""
    return json.dumps(
        [
            {
                "userId": e.user_id,
                "providerName": e.provider_name,
                "providerType": e.provider_type,
                "issuer": e.issuer,
                "primary": e.primary,
                "dateCreated": int(e.date_created * 1000),
            }
            for e in entries
        ],
        separators=(",", ":"),
    )


def identities_claim(attribute: str) -> list[dict[str, Any]]:
    """The ID token's `identities` claim from the attribute's value."""
    return [
        {
            **entry,
            "primary": "true" if entry.get("primary") in (True, "true") else "false",
            "dateCreated": str(entry.get("dateCreated", "")),
        }
        for entry in parse(attribute)
    ]


def parse(attribute: str | None) -> list[dict[str, Any]]:
    """The attribute's entries; an absent or malformed value has none."""
    if not attribute:
        return []
    try:
        entries = json.loads(attribute)
    except ValueError:
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def with_links(attributes: dict[str, str], links: Iterable[Identity]) -> dict[str, str]:
    """A user's attributes with their links added to `identities` (after any entries the
    attribute holds already, a federated user's own)."""
    linked = list(links)
    if not linked:
        return attributes
    own = parse(attributes.get("identities"))
    merged = own + json.loads(identities_json(linked))
    return {**attributes, "identities": json.dumps(merged, separators=(",", ":"))}
