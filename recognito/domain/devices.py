"""Remembered devices (docs/behaviour.md "Devices"): what a device record holds and the
rules of its status."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recognito.shapes import AttributeType, DeviceConfigurationType, StoredUserPool

REMEMBERED = "remembered"
NOT_REMEMBERED = "not_remembered"
MISSING = "Device does not exist."
KEY = re.compile(r"[\w-]+_[0-9a-f-]+")  # the model's DeviceKeyType pattern


@dataclass(frozen=True)
class Device:
    device_key: str
    pool_id: str
    user_id: int
    group_key: str
    salt: str | None  # hex; None until ConfirmDevice
    verifier: str | None  # hex
    name: str | None
    status: str | None  # REMEMBERED, NOT_REMEMBERED, or None before any choice
    created_at: float
    modified_at: float
    authenticated_at: float | None
    last_ip: str | None

    @property
    def confirmed(self) -> bool:
        return self.verifier is not None

    @property
    def remembered(self) -> bool:
        return self.confirmed and self.status == REMEMBERED


def configuration(config: StoredUserPool) -> DeviceConfigurationType | None:
    """The pool's DeviceConfiguration: None when the pool tracks no devices."""
    return config.get("DeviceConfiguration")


def status_after_confirm(device_config: DeviceConfigurationType) -> str | None:
    """A confirmed device is remembered at once, unless the pool lets the user decide
    (DeviceOnlyRememberedOnUserPrompt): then no status until UpdateDeviceStatus."""
    if device_config.get("DeviceOnlyRememberedOnUserPrompt"):
        return None
    return REMEMBERED


def attributes(device: Device) -> list[AttributeType]:
    """DeviceType.DeviceAttributes, as Cognito names them."""
    found = {
        "device_status": "valid",
        "device_name": device.name,
        "dev:device_remembered_status": device.status,
        "last_ip_used": device.last_ip,
    }
    return [{"Name": k, "Value": v} for k, v in found.items() if v is not None]
