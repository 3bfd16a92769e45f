"""The devices users signed in from, by device key."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import delete, insert, select, update

from recognito.domain.devices import Device
from recognito.store.repositories._shared import SecretArea
from recognito.store.tables import devices

_T = devices


class DeviceRepository(SecretArea):
    def insert(self, device: Device) -> None:
        row = asdict(device)
        row["verifier"] = self.vault.seal_hex(device.verifier, _T.c.verifier)
        self.conn.execute(insert(_T).values(row))

    def get(self, pool_id: str, device_key: str) -> Device | None:
        row = self.conn.execute(
            select(_T).where(_T.c.device_key == device_key, _T.c.pool_id == pool_id)
        ).first()
        return None if row is None else self._device(row._mapping)

    def of_user(self, user_id: int, after: str | None, limit: int) -> list[Device]:
        """The user's devices in device-key order, after the device key `after`."""
        query = select(_T).where(_T.c.user_id == user_id)
        if after is not None:
            query = query.where(_T.c.device_key > after)
        rows = self.conn.execute(query.order_by(_T.c.device_key).limit(limit)).all()
        return [self._device(r._mapping) for r in rows]

    def save(self, device: Device) -> None:
        row = asdict(replace(device))
        row["verifier"] = self.vault.seal_hex(device.verifier, _T.c.verifier)
        key = row.pop("device_key")
        self.conn.execute(update(_T).where(_T.c.device_key == key).values(row))

    def remove(self, device_key: str) -> None:
        self.conn.execute(delete(_T).where(_T.c.device_key == device_key))

    def _device(self, row: Any) -> Device:
        data = dict(row)
        data["verifier"] = self.vault.open_hex(data["verifier"], _T.c.verifier)
        return Device(**data)
