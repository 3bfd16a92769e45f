"""Store contracts that concurrency relies on, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from recognito.domain.records import AuthSession, User
from tests.records import a_user
from tests.service.conftest import Service


def _user(pool_id: str, username: str, sub: str) -> User:
    return a_user(
        id=0,
        pool_id=pool_id,
        username=username,
        sub=sub,
        attributes={"email": f"{username}@example.com"},
    )


def test_a_taken_username_loses_the_insert_but_not_the_transaction(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    with service.services.store.write() as tx:
        first = tx.users.insert(
            _user(pool_id, "race", "00000000-0000-4000-8000-000000000001"), "race"
        )
        second = tx.users.insert(
            _user(pool_id, "race", "00000000-0000-4000-8000-000000000002"), "race"
        )
        assert first is not None and second is None
    with service.services.store.read() as tx:
        stored = tx.users.by_username(pool_id, "race")
    assert stored is not None and stored.sub.endswith("1")
    assert stored.attributes == {"email": "race@example.com"}


def test_a_session_digest_can_be_recorded_once(service: Service, pool: dict[str, Any]) -> None:
    service("AdminCreateUser", UserPoolId=pool["pool_id"], Username="s", MessageAction="SUPPRESS")
    with service.services.store.write() as tx:
        user = tx.users.by_username(pool["pool_id"], "s")
        assert user is not None
        session = AuthSession(pool["pool_id"], pool["client_id"], user.id, "X", 10.0, None)
        assert tx.sessions.insert("digest", session)
        assert not tx.sessions.insert("digest", session)
