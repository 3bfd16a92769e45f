"""Request-rate quota categories: every operation has one, Cognito's defaults, the special
handling of challenge responses, leasing shares, and the quotas file."""

from __future__ import annotations

import pytest

from recognito.domain.rate_quotas import (
    DEFAULT_RPS,
    OPERATION_CATEGORY,
    PER_IP_DEFAULT,
    Category,
    Charge,
    charges,
    parse_limits,
    share,
    window_of,
)
from recognito.protocol.model import service_model


def test_every_operation_of_the_model_has_a_category() -> None:
    missing = [n for n in service_model().operation_names if n not in OPERATION_CATEGORY]
    assert missing == []


def test_every_category_has_a_default_rate() -> None:
    assert set(DEFAULT_RPS) == set(Category)


@pytest.mark.parametrize(
    ("operation", "category", "rps"),
    [
        ("InitiateAuth", Category.USER_AUTHENTICATION, 120),
        ("SignUp", Category.USER_CREATION, 50),
        ("ForgotPassword", Category.USER_ACCOUNT_RECOVERY, 30),
        ("AdminSetUserPassword", Category.USER_ACCOUNT_RECOVERY, 30),
        ("GetUser", Category.USER_READ, 120),
        ("AdminUpdateUserAttributes", Category.USER_UPDATE, 25),
        ("RevokeToken", Category.USER_TOKEN, 120),
        ("ResendConfirmationCode", Category.USER_RESOURCE_READ, 50),
        ("SetUserSettings", Category.USER_RESOURCE_UPDATE, 25),
        ("ListUsersInGroup", Category.USER_LIST, 30),
        ("ListUserPools", Category.USER_POOL_READ, 15),
        ("DeleteUserPool", Category.USER_POOL_UPDATE, 15),
        ("GetUserPoolMfaConfig", Category.USER_POOL_RESOURCE_READ, 20),
        ("SetUserPoolMfaConfig", Category.USER_POOL_RESOURCE_UPDATE, 15),
        ("DescribeUserPoolClient", Category.USER_POOL_CLIENT_READ, 15),
        ("CreateUserPoolClient", Category.USER_POOL_CLIENT_UPDATE, 15),
    ],
)
def test_operations_fall_in_cognitos_published_categories(
    operation: str, category: Category, rps: int
) -> None:
    assert OPERATION_CATEGORY[operation] is category
    assert DEFAULT_RPS[category] == rps


def test_a_new_password_challenge_counts_as_account_recovery() -> None:
    params = {"ChallengeName": "NEW_PASSWORD_REQUIRED"}
    assert charges("RespondToAuthChallenge", params) == (
        Charge("UserAccountRecovery", Category.USER_ACCOUNT_RECOVERY),
    )


def test_other_challenge_responses_draw_on_three_times_authentication_first() -> None:
    first, then = charges("AdminRespondToAuthChallenge", {"ChallengeName": "SMS_MFA"})
    assert (first.category, first.multiplier) == (Category.USER_AUTHENTICATION, 3)
    assert first.bucket != then.bucket
    assert (then.category, then.multiplier) == (Category.USER_AUTHENTICATION, 1)


def test_an_operation_outside_the_table_is_not_counted() -> None:
    assert charges("NoSuchOperation", {}) == ()


def test_a_process_leases_a_quarter_of_the_window_or_what_is_left() -> None:
    assert share(120, 0) == 30
    assert share(120, 100) == 20
    assert share(120, 120) == 0
    assert share(3, 0) == 1  # tiny limits: one call at a time, exact per process
    assert share(1, 1) == 0


def test_windows_are_whole_seconds() -> None:
    assert window_of(100.0) == window_of(100.999) != window_of(101.0)


def test_a_quotas_file_overrides_defaults_per_category_and_pool() -> None:
    limits = parse_limits(
        {
            "UserRead": 500,
            "per_ip": "unlimited",
            "pools": {"us-east-1_abc": {"UserRead": 7, "per_ip": 2}},
        },
        "q.toml",
    )
    assert limits.limit("us-east-1_other", Category.USER_READ) == 500
    assert limits.limit("us-east-1_abc", Category.USER_READ) == 7
    assert limits.limit("us-east-1_abc", Category.USER_LIST) == 30  # Cognito's default
    assert limits.ip_limit("us-east-1_other") is None
    assert limits.ip_limit("us-east-1_abc") == 2
    assert parse_limits({}, "q.toml").per_ip == PER_IP_DEFAULT


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"UserReed": 5}, "UserReed is not a quota category"),
        ({"UserRead": 0}, "UserRead must be a whole number"),
        ({"UserRead": 2.5}, "UserRead must be a whole number"),
        ({"UserRead": True}, "UserRead must be a whole number"),
        ({"pools": {"p_1": {"Nope": 1}}}, 'pools."p_1".Nope is not a quota category'),
        ({"pools": 3}, '"pools" must be a table'),
    ],
)
def test_a_wrong_quotas_file_is_refused_with_what_is_wrong(
    document: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint.replace(".", r"\.")):
        parse_limits(document, "q.toml")
