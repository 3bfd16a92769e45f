"""Records for tests that need a `User` without a store: one builder, overrides by name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from recognito.domain.records import Status, User

_BASE = User(
    id=1,
    pool_id="us-east-1_AbCdEfGhI",
    username="alice",
    sub="5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
    status=Status.CONFIRMED,
    enabled=True,
    password_hash=None,
    srp_salt=None,
    srp_verifier=None,
    password_expires_at=None,
    created_at=1_700_000_000.0,
    modified_at=1_700_000_000.0,
    attributes={},
)


def a_user(**overrides: Any) -> User:
    """A confirmed, enabled user; pass any field to change it."""
    return replace(_BASE, **overrides)
