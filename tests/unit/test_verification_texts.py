"""The legacy verification texts and VerificationMessageTemplate mirror each other
(behaviour reference §3.3)."""

from __future__ import annotations

from typing import Any

from recognito.domain.messages import Text, verification
from recognito.domain.pools import new_config, updated_config

TEMPLATE = {"SmsMessage": "SMS {####}", "EmailMessage": "Email {####}", "EmailSubject": "Subject"}
LEGACY = {
    "SmsVerificationMessage": "SMS {####}",
    "EmailVerificationMessage": "Email {####}",
    "EmailVerificationSubject": "Subject",
}


def _legacy_of(config: dict[str, Any]) -> dict[str, Any]:
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
