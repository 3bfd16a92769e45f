"""Masked destinations for CodeDeliveryDetails (docs/behaviour.md §11.2).

Email uses Cognito's current form (`f***@e***`, no domain suffix); phone keeps the last four digits.
"""

from __future__ import annotations

from recognito.domain.attributes import DELIVERY_MEDIUM
from recognito.shapes import CodeDeliveryDetailsType


def mask_email(email: str) -> str:
    local, _, domain = email.rpartition("@")
    if not local:  # not an address at all: reveal nothing
        return "***"
    return f"{local[0]}***@{domain[:1]}***"


def mask_phone(phone: str) -> str:
    plus = "+" if phone.startswith("+") else ""
    digits = phone.removeprefix("+")
    visible = digits[-4:]
    return plus + "*" * (len(digits) - len(visible)) + visible


def delivery_details(attribute: str, value: str) -> CodeDeliveryDetailsType:
    """CodeDeliveryDetails for a code sent to `attribute` ("email" or "phone_number")."""
    medium = DELIVERY_MEDIUM.get(attribute)
    if medium is None:
        raise ValueError(f"codes cannot be delivered to attribute {attribute!r}")
    masked = mask_email(value) if medium == "EMAIL" else mask_phone(value)
    return {"Destination": masked, "DeliveryMedium": medium, "AttributeName": attribute}
