"""Seed files applied in-process on SQLite and PostgreSQL: one transaction (savepoints per
operation), idempotent, and rolled back whole by an error only an operation finds."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from recognito.api import operations
from recognito.app import build_services
from recognito.config import Settings
from recognito.seed import SeedError, apply, parse
from recognito.seed.export import export
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


def test_an_export_applies_to_an_empty_store_as_the_same_file(
    service: Service, tmp_path: Path
) -> None:
    pool_id, _ = seed()
    text = f"""
Pools:
  - Id: {pool_id}
    PoolName: by-email
    UsernameAttributes: [email]
    EmailVerificationMessage: "Code {{####}}"
    EmailVerificationSubject: Hi
    LambdaConfig: {{PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:f"}}
    Schema: [{{Name: n, AttributeDataType: Number, NumberAttributeConstraints: {{MinValue: "1"}}}}]
    Clients: [{{ClientName: c, GenerateSecret: true}}]
    Users:
      - Username: fay@example.com
        UserAttributes: [{{Name: email, Value: fay@example.com}}]
        Password: Fay-passw0rd!
"""
    apply(service.services, parse(text))
    ops = operations()
    exported = export(service.services, ops, with_secrets=True)
    mine = [p for p in exported["Pools"] if p["Id"] == pool_id]
    assert mine[0]["Users"][0]["Username"] == "fay@example.com"  # not the id the pool made
    again = yaml.safe_dump({"Pools": mine})
    assert apply(service.services, parse(again)) == []

    other, _ = build_services(Settings(data_dir=tmp_path / "other"), service.clock)
    assert apply(other, parse(again))[0] == f"created pool by-email ({pool_id})"
    assert export(other, ops, with_secrets=True) == {"Pools": mine}
    other.store.engine.dispose()
