"""Where a password-reset code goes (behaviour reference §11.6)."""

from __future__ import annotations

import pytest

from recognito.domain.records import User
from recognito.domain.recovery import admin_only, recovery_attribute
from recognito.errors import InvalidParameterException
from recognito.shapes import RecoveryOptionNameType, StoredUserPool
from tests.records import a_user

NO_DESTINATION = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
EMAIL = {"email": "alice@example.com", "email_verified": "true"}
PHONE = {"phone_number": "+14155550123", "phone_number_verified": "true"}
UNVERIFIED_EMAIL = {"email": "alice@example.com", "email_verified": "false"}
UNVERIFIED_PHONE = {"phone_number": "+14155550123", "phone_number_verified": "false"}


def make_user(attributes: dict[str, str]) -> User:
    return a_user(attributes=attributes)


def recovery(*mechanisms: tuple[RecoveryOptionNameType, int]) -> StoredUserPool:
    return {
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [{"Name": name, "Priority": p} for name, p in mechanisms]
        }
    }


# --- no AccountRecoverySetting -------------------------------------------------------------------


def test_without_setting_verified_phone_comes_before_email() -> None:
    assert recovery_attribute({}, make_user({**EMAIL, **PHONE})) == "phone_number"


def test_without_setting_verified_email_is_used_when_phone_unverified() -> None:
    assert recovery_attribute({}, make_user({**EMAIL, **UNVERIFIED_PHONE})) == "email"


def test_without_setting_verified_email_only() -> None:
    assert recovery_attribute({}, make_user(EMAIL)) == "email"


# --- with AccountRecoverySetting -----------------------------------------------------------------


def test_email_first_priority_picks_email() -> None:
    config = recovery(("verified_email", 1), ("verified_phone_number", 2))
    assert recovery_attribute(config, make_user({**EMAIL, **PHONE})) == "email"


def test_priority_order_not_list_order_decides() -> None:
    config = recovery(("verified_phone_number", 2), ("verified_email", 1))
    assert recovery_attribute(config, make_user({**EMAIL, **PHONE})) == "email"


def test_phone_first_priority_picks_phone() -> None:
    config = recovery(("verified_phone_number", 1), ("verified_email", 2))
    assert recovery_attribute(config, make_user({**EMAIL, **PHONE})) == "phone_number"


def test_second_priority_used_when_first_unverified() -> None:
    config = recovery(("verified_email", 1), ("verified_phone_number", 2))
    assert recovery_attribute(config, make_user({**UNVERIFIED_EMAIL, **PHONE})) == "phone_number"


def test_single_mechanism_ignores_other_verified_attribute() -> None:
    config = recovery(("verified_email", 1))
    with pytest.raises(InvalidParameterException) as exc:
        recovery_attribute(config, make_user(PHONE))
    assert exc.value.message == NO_DESTINATION


# --- nothing qualifies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attributes",
    [
        {},
        UNVERIFIED_EMAIL,
        UNVERIFIED_PHONE,
        {**UNVERIFIED_EMAIL, **UNVERIFIED_PHONE},
        {"email_verified": "true"},
    ],
)
def test_no_verified_destination_is_invalid_parameter(attributes: dict[str, str]) -> None:
    with pytest.raises(InvalidParameterException) as exc:
        recovery_attribute({}, make_user(attributes))
    assert exc.value.message == NO_DESTINATION


def test_unverified_attributes_are_ignored_with_setting() -> None:
    config = recovery(("verified_email", 1), ("verified_phone_number", 2))
    with pytest.raises(InvalidParameterException) as exc:
        recovery_attribute(config, make_user({**UNVERIFIED_EMAIL, **UNVERIFIED_PHONE}))
    assert exc.value.message == NO_DESTINATION


# --- admin_only ----------------------------------------------------------------------------------


def test_admin_only_when_configured() -> None:
    assert admin_only(recovery(("admin_only", 1))) is True


def test_not_admin_only_without_setting() -> None:
    assert admin_only({}) is False


def test_not_admin_only_with_self_service_mechanisms() -> None:
    assert admin_only(recovery(("verified_email", 1), ("verified_phone_number", 2))) is False
