from __future__ import annotations

import pytest

from recognito.domain.password_policy import (
    DEFAULT_PASSWORD_POLICY,
    SYMBOLS,
    PasswordContext,
    check_password,
    effective_policy,
    generate_temporary_password,
    policy_violation,
)
from recognito.errors import InvalidPasswordException
from recognito.shapes import PasswordPolicyType

LAX: PasswordPolicyType = {
    "MinimumLength": 6,
    "RequireUppercase": False,
    "RequireLowercase": False,
    "RequireNumbers": False,
    "RequireSymbols": False,
}


def test_default_policy_matches_cognito() -> None:
    assert DEFAULT_PASSWORD_POLICY == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }


def test_effective_policy_fills_defaults() -> None:
    assert effective_policy(None) == DEFAULT_PASSWORD_POLICY
    assert effective_policy({"MinimumLength": 12})["RequireSymbols"] is True
    assert effective_policy({"MinimumLength": 12})["MinimumLength"] == 12


def test_effective_policy_zero_validity_becomes_seven() -> None:
    assert (
        effective_policy({"TemporaryPasswordValidityDays": 0})["TemporaryPasswordValidityDays"] == 7
    )
    assert (
        effective_policy({"TemporaryPasswordValidityDays": 3})["TemporaryPasswordValidityDays"] == 3
    )


def test_effective_policy_does_not_mutate_defaults() -> None:
    effective_policy({"MinimumLength": 20})
    assert DEFAULT_PASSWORD_POLICY["MinimumLength"] == 8


@pytest.mark.parametrize(
    ("password", "suffix"),
    [
        ("Aa1!", "Password not long enough"),
        ("aaaaaa1!", "Password must have uppercase characters"),
        ("AAAAAA1!", "Password must have lowercase characters"),
        ("AAAaaaa!", "Password must have numeric characters"),
        ("AAAaaa11", "Password must have symbol characters"),
        ("AAAaaa1!", None),
    ],
)
def test_policy_violation_reports_first_failing_rule(password: str, suffix: str | None) -> None:
    assert policy_violation(DEFAULT_PASSWORD_POLICY, password) == suffix


def test_length_is_checked_before_character_classes() -> None:
    assert policy_violation(DEFAULT_PASSWORD_POLICY, "abc") == "Password not long enough"


def test_non_ascii_letters_do_not_count_as_cases() -> None:
    assert policy_violation(DEFAULT_PASSWORD_POLICY, "ÉÉÉaaa1!") == (
        "Password must have uppercase characters"
    )
    assert policy_violation(DEFAULT_PASSWORD_POLICY, "AAAééé1!") == (
        "Password must have lowercase characters"
    )


def test_non_ascii_digits_do_not_count_as_numbers() -> None:
    assert policy_violation(DEFAULT_PASSWORD_POLICY, "AAAaaa٣!") == (
        "Password must have numeric characters"
    )


def test_every_listed_symbol_counts() -> None:
    listed = "^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -".split(" ")
    assert len(listed) == 32  # the 33rd documented symbol is an inner space
    assert SYMBOLS == frozenset(listed)
    for symbol in listed:
        assert policy_violation(DEFAULT_PASSWORD_POLICY, "AAAaaa1" + symbol) is None


def test_unlisted_characters_are_not_symbols() -> None:
    for ch in ("€", "§", "é", "\t"):
        assert policy_violation(DEFAULT_PASSWORD_POLICY, "AAAaaa1" + ch) == (
            "Password must have symbol characters"
        )


def test_disabled_rules_are_not_checked() -> None:
    assert policy_violation(LAX, "abcdef") is None
    assert policy_violation(LAX, "abcde") == "Password not long enough"


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (PasswordContext.SIGN_UP, "Password did not conform with policy: Password not long enough"),
        (
            PasswordContext.ADMIN_CREATE_USER,
            "Password did not conform with password policy: Password not long enough",
        ),
        (PasswordContext.OTHER, "Password does not conform to policy: Password not long enough"),
    ],
)
def test_check_password_message_prefix_depends_on_operation(
    context: PasswordContext, message: str
) -> None:
    with pytest.raises(InvalidPasswordException) as info:
        check_password(DEFAULT_PASSWORD_POLICY, "short", context)
    assert info.value.message == message


def test_check_password_accepts_compliant_password() -> None:
    check_password(DEFAULT_PASSWORD_POLICY, "Compliant1!", PasswordContext.OTHER)


def test_generated_password_satisfies_strict_policy() -> None:
    for _ in range(200):
        password = generate_temporary_password(DEFAULT_PASSWORD_POLICY)
        assert policy_violation(DEFAULT_PASSWORD_POLICY, password) is None
        assert len(password) >= 12
        assert not any(ch.isspace() for ch in password)


def test_generated_password_honours_long_minimum() -> None:
    policy: PasswordPolicyType = {**DEFAULT_PASSWORD_POLICY, "MinimumLength": 40}
    password = generate_temporary_password(policy)
    assert len(password) == 40
    assert policy_violation(policy, password) is None


def test_generated_passwords_differ() -> None:
    assert len({generate_temporary_password(LAX) for _ in range(50)}) == 50


def test_only_an_inner_space_counts_as_symbol() -> None:
    assert policy_violation(DEFAULT_PASSWORD_POLICY, "AAA aaa1") is None
    for password in (" AAAaaa1", "AAAaaa1 ", "  AAAaaa1  "):
        assert policy_violation(DEFAULT_PASSWORD_POLICY, password) == (
            "Password must have symbol characters"
        )
