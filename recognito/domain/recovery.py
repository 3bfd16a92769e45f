"""Where a password-reset code goes (docs/behaviour.md §11.6)."""

from __future__ import annotations

from recognito import errors
from recognito.domain.records import User
from recognito.shapes import RecoveryOptionType, StoredUserPool

_MECHANISM_ATTRIBUTE = {"verified_email": "email", "verified_phone_number": "phone_number"}
NO_DESTINATION = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)


def admin_only(config: StoredUserPool) -> bool:
    return any(m.get("Name") == "admin_only" for m in _ordered(config))


def recovery_attribute(config: StoredUserPool, user: User) -> str:
    """The verified attribute to send the code to; Cognito's error when there is none."""
    attribute = find_recovery_attribute(config, user)
    if attribute is None:
        raise errors.InvalidParameterException(NO_DESTINATION)
    return attribute


def likely_attribute(config: StoredUserPool) -> str:
    """Where a reset code of a typical user of the pool goes: the first recovery
    mechanism; without a setting, the phone if the pool verifies phones, else email."""
    for mechanism in _ordered(config):
        if mechanism["Name"] in _MECHANISM_ATTRIBUTE:
            return _MECHANISM_ATTRIBUTE[mechanism["Name"]]
    verified = config.get("AutoVerifiedAttributes") or []
    return "phone_number" if "phone_number" in verified else "email"


def _ordered(config: StoredUserPool) -> list[RecoveryOptionType]:
    mechanisms = (config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or []
    return sorted(mechanisms, key=lambda m: m.get("Priority", 0))


def find_recovery_attribute(config: StoredUserPool, user: User) -> str | None:
    """The verified attribute to send the code to, in the pool's priority order.

    Without an AccountRecoverySetting Cognito prefers a verified phone, then email.
    """
    candidates = [
        _MECHANISM_ATTRIBUTE[m["Name"]]
        for m in _ordered(config)
        if m["Name"] in _MECHANISM_ATTRIBUTE
    ]
    for attribute in candidates or ["phone_number", "email"]:
        if user.verified(attribute):
            return attribute
    return None
