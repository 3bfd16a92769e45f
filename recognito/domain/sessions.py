"""User sessions and refresh-token rotation (docs/behaviour.md §10.6, "Sessions"): each
sign-in's grant is a token session; the pool's session configuration says whether
they are tracked and how many a user may keep; a client's RefreshTokenRotation says
whether a refresh hands out a new refresh token and how long the old one stays good."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from recognito.shapes import StoredUserPoolClient

MAX_PER_USER_DEFAULT = 20
SSO_MAX_VALIDITY_DEFAULT = 60  # minutes
SESSIONS_PAGE = 125  # the most a listing answers: Cognito gives every session in one page

DEVICE_LIMIT = 1024
IP_LIMIT = 128
UNKNOWN_DEVICE = "unknown"

# Choice: the texts (Cognito's own are not known)
TOKEN_REUSED = "Refresh token has been rotated out and is no longer valid"
ROTATION_ON = "REFRESH_TOKEN_AUTH is not supported for an app client with refresh token rotation"
TRACKING_OFF = "Session tracking is not enabled for this user pool."
NO_SESSION = "Session not found."
OWN_SESSION = "Cannot revoke the session of the access token used in the request."
LITE_TIER = "Session tracking is not available in the LITE feature plan."

_ID_ALPHABET = string.ascii_lowercase + string.digits


TOKEN = "tkn"
SSO = "sso"


def new_session_id(kind: str = TOKEN) -> str:
    """A session's id: `tkn` (a token session) or `sso` (a browser session of the hosted
    pages) and 25 lowercase letters and digits (the model's SessionIdType)."""
    return kind + "".join(secrets.choice(_ID_ALPHABET) for _ in range(25))


@dataclass(frozen=True)
class Rotation:
    """A client's RefreshTokenRotation: whether refreshes rotate, and for how many
    seconds a rotated-out token still works (client retries)."""

    enabled: bool
    grace: int


def rotation(config: StoredUserPoolClient) -> Rotation:
    setting = config.get("RefreshTokenRotation")
    if setting is None:
        return Rotation(False, 0)
    return Rotation(
        setting.get("Feature") == "ENABLED", int(setting.get("RetryGracePeriodSeconds") or 0)
    )


@dataclass(frozen=True)
class PoolSessionConfig:
    """SetUserPoolSessionConfiguration's settings, or Cognito's defaults."""

    tracking: bool = False
    max_per_user: int = MAX_PER_USER_DEFAULT

    @staticmethod
    def of(stored: dict[str, Any] | None) -> PoolSessionConfig:
        if stored is None:
            return PoolSessionConfig()
        return PoolSessionConfig(
            stored.get("UserSessionTracking") == "ENABLED",
            int(stored.get("TokenSession", {}).get("MaxPerUser", MAX_PER_USER_DEFAULT)),
        )


def over_limit(active: int, max_per_user: int) -> int:
    """How many of a user's `active` token sessions a new sign-in evicts first: the
    user ends at the limit with the new one (lowering the limit evicts nothing until
    then)."""
    return max(0, active + 1 - max_per_user)


@lru_cache(maxsize=512)
def device_of(user_agent: str | None) -> str:
    """The device a session's latest use came from, as Cognito describes it: operating
    system and browser or app of the parsed User-Agent, or `unknown`."""
    if not user_agent:
        return UNKNOWN_DEVICE
    from ua_parser import parse  # its rules load on first use, not at every start

    found = parse(user_agent[:2048])
    parts = [
        family
        for family in (
            found.user_agent.family if found.user_agent else None,
            found.os.family if found.os else None,
        )
        if family and family != "Other"
    ]
    return (", ".join(parts) or UNKNOWN_DEVICE)[:DEVICE_LIMIT]
