"""User pool settings (behaviour reference §3)."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from recognito.domain.messages import Text, verification
from recognito.domain.pools import (
    _NOT_SETTINGS,
    case_sensitive,
    first_factors,
    new_config,
    password_policy,
    temporary_password_seconds,
    updated_config,
    username_key,
)
from recognito.errors import InvalidParameterException
from recognito.shapes import CreateUserPoolRequest, StoredUserPool, UpdateUserPoolRequest
from tests.cognito_reference import DEFAULT_PASSWORD_POLICY, STANDARD_SCHEMA_ORDER


def minimal() -> StoredUserPool:
    return new_config({"PoolName": "pool"})


@pytest.mark.parametrize("request_shape", [CreateUserPoolRequest, UpdateUserPoolRequest])
def test_each_setting_a_request_gives_is_a_stored_setting_of_its_type(request_shape: type) -> None:
    """new_config and updated_config store a validated request's settings as they come (the
    one cast in pools._given): each is a StoredUserPool member of the same type."""
    stored = typing.get_type_hints(StoredUserPool)
    given = typing.get_type_hints(request_shape)
    assert {name: given[name] for name in given.keys() - _NOT_SETTINGS} == {
        name: stored.get(name) for name in given.keys() - _NOT_SETTINGS
    }


# --- new_config defaults (§3.1) ------------------------------------------------------------------


def test_new_config_default_password_policy() -> None:
    assert minimal()["Policies"]["PasswordPolicy"] == DEFAULT_PASSWORD_POLICY


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("LambdaConfig", {}),
        ("VerificationMessageTemplate", {"DefaultEmailOption": "CONFIRM_WITH_CODE"}),
        ("MfaConfiguration", "OFF"),
        ("EmailConfiguration", {"EmailSendingAccount": "COGNITO_DEFAULT"}),
        ("UserPoolTags", {}),
        (
            "AdminCreateUserConfig",
            {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
        ),
        ("UserPoolTier", "ESSENTIALS"),
        ("DeletionProtection", "INACTIVE"),
    ],
)
def test_new_config_defaults(key: str, value: Any) -> None:
    assert minimal().get(key) == value


@pytest.mark.parametrize(
    "absent", ["AccountRecoverySetting", "UsernameConfiguration", "UsernameAttributes"]
)
def test_new_config_does_not_echo_unset_settings(absent: str) -> None:
    assert absent not in minimal()


def test_new_config_has_the_standard_schema_in_order() -> None:
    assert [entry["Name"] for entry in minimal()["SchemaAttributes"]] == STANDARD_SCHEMA_ORDER


def test_new_config_does_not_share_default_containers() -> None:
    first = minimal()
    first["LambdaConfig"]["PreSignUp"] = "arn:aws:lambda:us-east-1:1:function:x"
    first["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] = True
    second = minimal()
    assert second["LambdaConfig"] == {}
    assert second["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False


def test_new_config_fills_unused_account_validity_in_partial_admin_config() -> None:
    config = new_config(
        {"PoolName": "pool", "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True}}
    )
    assert config["AdminCreateUserConfig"] == {
        "AllowAdminCreateUserOnly": True,
        "UnusedAccountValidityDays": 7,
    }


# --- password policy -----------------------------------------------------------------------------


def test_partial_password_policy_leaves_unnamed_rules_off() -> None:
    config = new_config(
        {
            "PoolName": "pool",
            "Policies": {"PasswordPolicy": {"MinimumLength": 10, "RequireNumbers": True}},
        }
    )
    assert config["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 10,
        "RequireUppercase": False,
        "RequireLowercase": False,
        "RequireNumbers": True,
        "RequireSymbols": False,
        "TemporaryPasswordValidityDays": 7,
    }


def test_temporary_password_validity_zero_becomes_seven_days() -> None:
    config = new_config(
        {
            "PoolName": "pool",
            "Policies": {"PasswordPolicy": {"TemporaryPasswordValidityDays": 0}},
        }
    )
    assert config["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 7
    assert temporary_password_seconds(config) == 7 * 86400


def test_temporary_password_seconds_follow_the_policy() -> None:
    config = new_config(
        {
            "PoolName": "pool",
            "Policies": {"PasswordPolicy": {"TemporaryPasswordValidityDays": 3}},
        }
    )
    assert temporary_password_seconds(config) == 3 * 86400


def test_password_history_size_is_kept_when_set() -> None:
    config = new_config(
        {"PoolName": "pool", "Policies": {"PasswordPolicy": {"PasswordHistorySize": 5}}}
    )
    assert config["Policies"]["PasswordPolicy"]["PasswordHistorySize"] == 5


def test_password_history_size_zero_is_not_echoed() -> None:
    # reference §3.2: 0 or absent = not enforced and not echoed by DescribeUserPool
    config = new_config(
        {"PoolName": "pool", "Policies": {"PasswordPolicy": {"PasswordHistorySize": 0}}}
    )
    assert "PasswordHistorySize" not in config["Policies"]["PasswordPolicy"]


def test_password_policy_of_a_config_without_policies_is_the_default() -> None:
    assert password_policy({}) == DEFAULT_PASSWORD_POLICY


# --- sign-in identifiers -------------------------------------------------------------------------


def test_username_and_alias_attributes_together_are_rejected() -> None:
    with pytest.raises(InvalidParameterException):
        new_config(
            {
                "PoolName": "pool",
                "UsernameAttributes": ["email"],
                "AliasAttributes": ["preferred_username"],
            }
        )


def test_username_attributes_alone_are_kept() -> None:
    config = new_config({"PoolName": "pool", "UsernameAttributes": ["email"]})
    assert config["UsernameAttributes"] == ["email"]


def test_usernames_are_case_sensitive_by_default() -> None:
    config = minimal()
    assert case_sensitive(config) is True
    assert username_key(config, "Alice") == "Alice"


def test_username_key_folds_case_when_case_insensitive() -> None:
    config = new_config({"PoolName": "pool", "UsernameConfiguration": {"CaseSensitive": False}})
    assert case_sensitive(config) is False
    assert username_key(config, "Alice") == "alice"
    assert username_key(config, "ALICE") == username_key(config, "alice")


def test_username_key_keeps_case_when_case_sensitive_true() -> None:
    config = new_config({"PoolName": "pool", "UsernameConfiguration": {"CaseSensitive": True}})
    assert username_key(config, "Alice") == "Alice"


# --- updated_config ------------------------------------------------------------------------------


def _current() -> StoredUserPool:
    return new_config(
        {
            "PoolName": "pool",
            "UsernameAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": False},
            "Schema": [{"Name": "role", "AttributeDataType": "String", "Mutable": True}],
            "MfaConfiguration": "OPTIONAL",
            "AutoVerifiedAttributes": ["email"],
            "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
        }
    )


def test_updated_config_keeps_immutable_settings() -> None:
    current = _current()
    config = updated_config(
        current, {"UserPoolId": "us-east-1_AbCdEfGhI", "DeletionProtection": "ACTIVE"}
    )
    assert config["UsernameAttributes"] == ["email"]
    assert config["UsernameConfiguration"] == {"CaseSensitive": False}
    assert config["SchemaAttributes"] == current["SchemaAttributes"]
    assert "custom:role" in [entry["Name"] for entry in config["SchemaAttributes"]]
    assert config["DeletionProtection"] == "ACTIVE"


def test_updated_config_ignores_attempts_to_change_immutable_settings() -> None:
    config = updated_config(
        _current(),
        {"UsernameAttributes": ["phone_number"], "UsernameConfiguration": {"CaseSensitive": True}},
    )
    assert config["UsernameAttributes"] == ["email"]
    assert config["UsernameConfiguration"] == {"CaseSensitive": False}


def test_updated_config_resets_omitted_settings_to_defaults() -> None:
    config = updated_config(_current(), {"UserPoolId": "us-east-1_AbCdEfGhI"})
    assert config["MfaConfiguration"] == "OFF"
    assert "AutoVerifiedAttributes" not in config
    assert config["Policies"]["PasswordPolicy"] == DEFAULT_PASSWORD_POLICY


def test_updated_config_applies_given_settings() -> None:
    config = updated_config(
        _current(), {"UserPoolId": "us-east-1_AbCdEfGhI", "MfaConfiguration": "ON"}
    )
    assert config["MfaConfiguration"] == "ON"


# --- the legacy verification texts and VerificationMessageTemplate mirror each other (§3.3) ------

TEMPLATE = {"SmsMessage": "SMS {####}", "EmailMessage": "Email {####}", "EmailSubject": "Subject"}
LEGACY = {
    "SmsVerificationMessage": "SMS {####}",
    "EmailVerificationMessage": "Email {####}",
    "EmailVerificationSubject": "Subject",
}


def _legacy_of(config: StoredUserPool) -> dict[str, Any]:
    return {key: config.get(key) for key in LEGACY}


def test_legacy_fields_show_inside_the_template() -> None:
    config = new_config({"PoolName": "p", **LEGACY})
    assert config["VerificationMessageTemplate"] == {
        "DefaultEmailOption": "CONFIRM_WITH_CODE",
        **TEMPLATE,
    }
    assert _legacy_of(config) == LEGACY


def test_template_shows_in_the_legacy_fields() -> None:
    config = new_config({"PoolName": "p", "VerificationMessageTemplate": TEMPLATE})
    assert _legacy_of(config) == LEGACY
    assert TEMPLATE.items() <= config["VerificationMessageTemplate"].items()


def test_each_text_mirrors_on_its_own() -> None:
    config = new_config(
        {
            "PoolName": "p",
            "SmsVerificationMessage": "Old SMS {####}",
            "VerificationMessageTemplate": {"EmailSubject": "New subject"},
        }
    )
    template = config["VerificationMessageTemplate"]
    assert template["SmsMessage"] == "Old SMS {####}"
    assert template["EmailSubject"] == "New subject"
    assert "EmailMessage" not in template
    assert config["EmailVerificationSubject"] == "New subject"
    assert "EmailVerificationMessage" not in config


def test_texts_given_both_ways_are_kept_as_given() -> None:
    config = new_config(
        {
            "PoolName": "p",
            "SmsVerificationMessage": "Legacy {####}",
            "VerificationMessageTemplate": {"SmsMessage": "Template {####}"},
        }
    )
    assert config["SmsVerificationMessage"] == "Legacy {####}"
    assert config["VerificationMessageTemplate"]["SmsMessage"] == "Template {####}"
    assert verification(config, "SMS", "123456") == Text(None, "Template 123456")


def test_no_texts_given_none_are_echoed() -> None:
    config = new_config({"PoolName": "p"})
    assert config["VerificationMessageTemplate"] == {"DefaultEmailOption": "CONFIRM_WITH_CODE"}
    assert not any(key in config for key in LEGACY)


def test_update_user_pool_mirrors_both_ways() -> None:
    current = new_config({"PoolName": "p"})
    from_legacy = updated_config(current, {"UserPoolId": "us-east-1_x", **LEGACY})
    assert from_legacy["VerificationMessageTemplate"]["SmsMessage"] == "SMS {####}"
    from_template = updated_config(
        current, {"UserPoolId": "us-east-1_x", "VerificationMessageTemplate": TEMPLATE}
    )
    assert _legacy_of(from_template) == LEGACY


def test_first_factors_are_password_alone_unless_the_pool_says_more() -> None:
    assert first_factors(minimal()) == ["PASSWORD"]
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["EMAIL_OTP", "PASSWORD", "EMAIL_OTP"]}}
    config = new_config({"PoolName": "pool", "Policies": policy})
    assert first_factors(config) == ["EMAIL_OTP", "PASSWORD"]  # each once


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        (["EMAIL_OTP"], "AllowedFirstAuthFactors must include PASSWORD."),
        (["PASSWORD", "SOFTWARE_TOKEN"], "SOFTWARE_TOKEN is not currently supported"),
    ],
)
def test_a_sign_in_policy_without_password_or_with_software_token_is_refused(
    factors: list[str], message: str
) -> None:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}
    with pytest.raises(InvalidParameterException, match=message):
        new_config({"PoolName": "pool", "Policies": policy})
