"""Which challenge follows a correct password, and how MFA preferences combine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from recognito import errors
from recognito.domain.mfa import (
    SELECT,
    SETUP,
    SMS,
    TOTP,
    MfaSettings,
    next_challenge,
    pool_factors,
    with_preferences,
)
from recognito.domain.records import User
from recognito.shapes import StoredUserPool
from tests.records import a_user

BOTH: StoredUserPool = {
    "SmsMfaConfiguration": {"SmsAuthenticationMessage": "{####}"},
    "SoftwareTokenMfaConfiguration": {"Enabled": True},
}


def _user(phone: bool = True) -> User:
    return a_user(password_hash="h", attributes={"phone_number": "+15550000000"} if phone else {})


TOTP_READY = MfaSettings(totp_secret="S", totp_enabled=True)


def test_pool_factors_follow_the_pool_settings() -> None:
    assert pool_factors(BOTH) == [SMS, TOTP]
    assert pool_factors({"SoftwareTokenMfaConfiguration": {"Enabled": False}}) == []


def test_mfa_off_never_challenges() -> None:
    assert next_challenge({**BOTH, "MfaConfiguration": "OFF"}, _user(), TOTP_READY) is None


def test_optional_mfa_challenges_only_users_with_a_factor() -> None:
    config: StoredUserPool = {**BOTH, "MfaConfiguration": "OPTIONAL"}
    assert next_challenge(config, _user(), MfaSettings()) is None
    assert next_challenge(config, _user(), TOTP_READY) == TOTP


def test_two_factors_lead_to_the_preferred_one_or_a_choice() -> None:
    config: StoredUserPool = {**BOTH, "MfaConfiguration": "OPTIONAL"}
    both = MfaSettings(totp_secret="S", totp_enabled=True, sms_enabled=True)
    assert next_challenge(config, _user(), both) == SELECT
    assert next_challenge(config, _user(), replace(both, preferred=SMS)) == SMS


def test_required_mfa_uses_the_phone_or_sets_up_totp() -> None:
    config: StoredUserPool = {**BOTH, "MfaConfiguration": "ON"}
    assert next_challenge(config, _user(phone=True), MfaSettings()) == SMS
    assert next_challenge(config, _user(phone=False), MfaSettings()) == SETUP


def test_required_mfa_without_any_usable_factor_is_a_pool_error() -> None:
    config: StoredUserPool = {"SmsMfaConfiguration": {}, "MfaConfiguration": "ON"}
    with pytest.raises(errors.InvalidUserPoolConfigurationException):
        next_challenge(config, _user(phone=False), MfaSettings())


def test_preferences_keep_unnamed_factors_and_drop_a_disabled_preference() -> None:
    both = MfaSettings(totp_secret="S", totp_enabled=True, sms_enabled=True, preferred=TOTP)
    updated = with_preferences(both, _user(), {"Enabled": True}, None)
    assert (updated.sms_enabled, updated.totp_enabled, updated.preferred) == (True, True, TOTP)
    updated = with_preferences(both, _user(), None, {"Enabled": False})
    assert (updated.totp_enabled, updated.preferred) == (False, None)


def test_sms_needs_a_phone_number() -> None:
    with pytest.raises(errors.InvalidParameterException):
        with_preferences(MfaSettings(), _user(phone=False), {"Enabled": True}, None)
