"""Seed files applied in-process on SQLite and PostgreSQL: one transaction (savepoints per
operation), idempotent, and rolled back whole by an error only an operation finds."""

from __future__ import annotations

import uuid

import pytest

from recognito.seed import SeedError, apply, parse
from tests.service.conftest import Service


def seed() -> tuple[str, str]:
    """A seed of a pool of its own (the PostgreSQL database is the worker's) and its id."""
    pool_id = f"us-east-1_S{uuid.uuid4().hex[:12]}"
    return pool_id, SEED.replace("POOL_ID", pool_id)


SEED = """
Pools:
  - Id: POOL_ID
    PoolName: store-seed
    Groups: [{GroupName: staff}]
    Clients:
      - {ClientName: app}
    Users:
      - Username: dana
        UserAttributes: [{Name: email, Value: dana@example.com}]
        Password: Dana-passw0rd!
        Groups: [staff]
"""


def test_a_seed_applies_once_and_then_changes_nothing(service: Service) -> None:
    pool_id, text = seed()
    lines = apply(service.services, parse(text))
    assert lines[0] == f"created pool store-seed ({pool_id})"
    assert "added user dana in pool store-seed to group staff" in lines
    assert apply(service.services, parse(text)) == []
    user = service("AdminGetUser", UserPoolId=pool_id, Username="dana")
    assert user["UserStatus"] == "CONFIRMED"


def test_an_error_in_a_later_block_rolls_back_the_earlier_ones(service: Service) -> None:
    pool_id, text = seed()
    late = (
        text
        + f"""
  - PoolName: second-{pool_id}
    Users:
      - {{Username: erin, UserAttributes: [{{Name: custom:missing, Value: x}}]}}
"""
    )
    with pytest.raises(SeedError) as refused:
        apply(service.services, parse(late))
    assert refused.value.path == "Pools[1].Users[0]"
    with service.services.store.read() as tx:
        assert tx.pools.get(pool_id) is None
        names = [p.name for p in tx.pools.page("us-east-1", None, 10**6)]
        assert f"second-{pool_id}" not in names
    # the store is usable afterwards: the same transaction's units are all gone
    assert apply(service.services, parse(text))[0] == f"created pool store-seed ({pool_id})"
