"""A password hashed with weaker parameters is upgraded at the next successful sign-in."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher

from recognito.crypto.passwords import needs_rehash
from tests.service.conftest import Service


def _stored_hash(service: Service, pool_id: str, username: str) -> str:
    with service.services.store.read() as tx:
        user = tx.users.by_username(pool_id, username)
    assert user is not None and user.password_hash is not None
    return user.password_hash


def test_weak_hash_is_upgraded_on_sign_in(service: Service, pool: dict[str, Any]) -> None:
    service("AdminCreateUser", UserPoolId=pool["pool_id"], Username="old", MessageAction="SUPPRESS")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="old",
        Password="Passw0rd!",
        Permanent=True,
    )
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("Passw0rd!")
    with service.services.store.write() as tx:
        user = tx.users.by_username(pool["pool_id"], "old")
        assert user is not None
        tx.users.update(user.id, password_hash=weak)
    service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "old", "PASSWORD": "Passw0rd!"},
    )
    upgraded = _stored_hash(service, pool["pool_id"], "old")
    assert upgraded != weak
    assert not needs_rehash(upgraded)
