"""The session rules that need no storage: session ids, a client's rotation setting, the
pool's configuration with Cognito's defaults, how many sessions a sign-in evicts, and the
device a User-Agent names."""

from __future__ import annotations

import re

from recognito.domain import sessions
from recognito.shapes import StoredUserPoolClient


def test_session_ids_have_the_models_form() -> None:
    assert re.fullmatch(r"tkn[a-z0-9]{25}", sessions.new_session_id())
    assert re.fullmatch(r"sso[a-z0-9]{25}", sessions.new_session_id(sessions.SSO))


def test_rotation_is_off_unless_enabled() -> None:
    assert sessions.rotation({}) == sessions.Rotation(False, 0)
    assert sessions.rotation({"RefreshTokenRotation": {"Feature": "DISABLED"}}).enabled is False
    enabled: StoredUserPoolClient = {
        "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30}
    }
    assert sessions.rotation(enabled) == sessions.Rotation(True, 30)


def test_pool_configuration_defaults_to_untracked_and_twenty() -> None:
    assert sessions.PoolSessionConfig.of(None) == sessions.PoolSessionConfig(False, 20)
    stored = {"UserSessionTracking": "ENABLED", "TokenSession": {"MaxPerUser": 3}}
    assert sessions.PoolSessionConfig.of(stored) == sessions.PoolSessionConfig(True, 3)


def test_a_sign_in_evicts_down_to_the_limit_with_itself() -> None:
    assert sessions.over_limit(0, 1) == 0
    assert sessions.over_limit(1, 1) == 1
    assert sessions.over_limit(19, 20) == 0
    assert sessions.over_limit(20, 20) == 1
    assert sessions.over_limit(7, 2) == 6  # a lowered limit applies in full


def test_the_device_is_the_app_or_browser_and_the_os() -> None:
    chrome = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
    )
    assert sessions.device_of(chrome) == "Chrome, Mac OS X"
    assert sessions.device_of(None) == sessions.device_of("") == "unknown"
    assert len(sessions.device_of("x" * 5000)) <= sessions.DEVICE_LIMIT
