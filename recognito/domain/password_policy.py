"""Password policy: defaults, the per-rule check, and temporary-password generation.

Character classes follow Cognito's documented definitions (docs/behaviour.md §3.2): only Basic-Latin
letters count as upper/lower case, only 0-9 as numbers, and as symbols only the 32 listed
characters plus a space that is neither leading nor trailing (the documented 33rd). The API model
forbids whitespace in passwords, so in practice the space rule only matters to direct callers.
"""

from __future__ import annotations

import secrets
import string
from enum import StrEnum
from typing import Literal

from recognito.errors import InvalidPasswordException
from recognito.shapes import PasswordPolicyType

DEFAULT_PASSWORD_POLICY: PasswordPolicyType = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}

SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")
_UPPER = frozenset(string.ascii_uppercase)
_LOWER = frozenset(string.ascii_lowercase)
_DIGITS = frozenset(string.digits)

# (policy flag, allowed characters, suffix), in the order Cognito reports them after length.
_Flag = Literal["RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"]
_CLASS_RULES: tuple[tuple[_Flag, frozenset[str], str], ...] = (
    ("RequireUppercase", _UPPER, "Password must have uppercase characters"),
    ("RequireLowercase", _LOWER, "Password must have lowercase characters"),
    ("RequireNumbers", _DIGITS, "Password must have numeric characters"),
    ("RequireSymbols", SYMBOLS, "Password must have symbol characters"),
)
TOO_SHORT = "Password not long enough"
# PasswordHistoryPolicyViolationException: Cognito's text is not documented (docs/behaviour.md)
USED_BEFORE = "The password was used previously."


class PasswordContext(StrEnum):
    """Message prefix, which Cognito words differently per operation (docs/behaviour.md §15.3)."""

    SIGN_UP = "Password did not conform with policy: "
    ADMIN_CREATE_USER = "Password did not conform with password policy: "
    OTHER = "Password does not conform to policy: "


def effective_policy(policy: PasswordPolicyType | None) -> PasswordPolicyType:
    """The policy with defaults filled in; a validity of 0 means "unset" and becomes 7 days."""
    result = DEFAULT_PASSWORD_POLICY.copy()
    result.update(policy or {})
    if not result["TemporaryPasswordValidityDays"]:
        result["TemporaryPasswordValidityDays"] = DEFAULT_PASSWORD_POLICY[
            "TemporaryPasswordValidityDays"
        ]
    return result


def policy_violation(policy: PasswordPolicyType, password: str) -> str | None:
    """The suffix of the first rule the password breaks (length first), or None."""
    rules = effective_policy(policy)
    if len(password) < rules["MinimumLength"]:
        return TOO_SHORT
    for flag, allowed, suffix in _CLASS_RULES:
        if rules[flag] and not _has_class(password, allowed):
            return suffix
    return None


def _has_class(password: str, allowed: frozenset[str]) -> bool:
    if any(ch in allowed for ch in password):
        return True
    return allowed is SYMBOLS and " " in password.strip(" ")


def check_password(policy: PasswordPolicyType, password: str, prefix: str) -> None:
    """Raise InvalidPasswordException worded for the calling operation if the policy fails."""
    suffix = policy_violation(policy, password)
    if suffix is not None:
        raise InvalidPasswordException(prefix + suffix)


# Generated passwords are read from emails and typed by people: leave out look-alikes
# (0/O, 1/l/I) and symbols that are awkward to copy or break out of quotes and markup.
_GEN_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_GEN_LOWER = "abcdefghijkmnopqrstuvwxyz"
_GEN_DIGITS = "23456789"
_GEN_SYMBOLS = "!#$%*+-=?@^_"
_GEN_ALL = _GEN_UPPER + _GEN_LOWER + _GEN_DIGITS + _GEN_SYMBOLS
_GEN_MIN_LENGTH = 12


def generate_temporary_password(policy: PasswordPolicyType) -> str:
    """A random password with every character class, so it satisfies any policy."""
    length = max(int(effective_policy(policy)["MinimumLength"]), _GEN_MIN_LENGTH)
    chars = [secrets.choice(group) for group in (_GEN_UPPER, _GEN_LOWER, _GEN_DIGITS, _GEN_SYMBOLS)]
    chars += [secrets.choice(_GEN_ALL) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
