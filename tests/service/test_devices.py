"""The devices table (migration 0015) on both databases: saved and read back with the
verifier sealed at rest, listed in device-key pages, gone with their user."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from recognito.domain.devices import REMEMBERED, Device
from recognito.service.lookups import pool_and_user
from recognito.store.tables import devices

from .conftest import Service


def _user_id(service: Service, pool: dict[str, Any], name: str) -> int:
    service("AdminCreateUser", UserPoolId=pool["pool_id"], Username=name, MessageAction="SUPPRESS")
    with service.services.store.read() as tx:
        return pool_and_user(tx, pool["pool_id"], name)[1].id


def _device(pool_id: str, user_id: int, key: str, now: float) -> Device:
    return Device(key, pool_id, user_id, "-group", None, None, None, None, now, now, now, "1.2.3.4")


def test_a_device_is_confirmed_listed_and_forgotten(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    user_id = _user_id(service, pool, "alice")
    keys = [f"us-east-1_0000000{i}-0000-0000-0000-000000000000" for i in range(3)]
    with store.write() as tx:
        for key in reversed(keys):
            tx.devices.insert(_device(pool["pool_id"], user_id, key, now))
    confirmed = replace(
        _device(pool["pool_id"], user_id, keys[1], now),
        salt="ab12",
        verifier="f00d" * 64,
        name="phone",
        status=REMEMBERED,
    )
    with store.write() as tx:
        tx.devices.save(confirmed)
    with store.read() as tx:
        assert tx.devices.get(pool["pool_id"], keys[1]) == confirmed
        assert confirmed.remembered
        assert tx.devices.get("us-east-1_other", keys[1]) is None
        first = tx.devices.of_user(user_id, None, 2)
        rest = tx.devices.of_user(user_id, first[-1].device_key, 2)
        raw = tx.conn.execute(select(devices.c.verifier).where(devices.c.device_key == keys[1]))
        stored = raw.scalar_one()
    assert [d.device_key for d in first + rest] == keys
    assert "f00d" not in stored  # sealed with the master key
    with store.write() as tx:
        tx.devices.remove(keys[0])
    with store.read() as tx:
        assert [d.device_key for d in tx.devices.of_user(user_id, None, 10)] == keys[1:]


def test_devices_go_with_their_user(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    user_id = _user_id(service, pool, "bob")
    key = "us-east-1_11111111-0000-0000-0000-000000000000"
    with store.write() as tx:
        tx.devices.insert(_device(pool["pool_id"], user_id, key, now))
    service("AdminDeleteUser", UserPoolId=pool["pool_id"], Username="bob")
    with store.read() as tx:
        assert tx.devices.get(pool["pool_id"], key) is None
