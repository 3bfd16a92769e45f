"""User pool settings: defaults, immutable parts, sign-in identifiers (docs/behaviour.md §3).

A pool's config is its `UserPoolType` minus identity and timestamps.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from recognito import errors
from recognito.domain.attributes import build_schema
from recognito.domain.password_policy import effective_policy
from recognito.shapes import PasswordPolicyType

ACCOUNT = "000000000000"  # no AWS account stands behind a self-hosted pool
MAX_TAGS = 50

# what UpdateUserPool cannot change: fixed at creation, or set by SetUserPoolMfaConfig only
IMMUTABLE = (
    "SchemaAttributes",
    "UsernameAttributes",
    "AliasAttributes",
    "UsernameConfiguration",
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
)

_DEFAULTS: dict[str, Any] = {
    "LambdaConfig": {},
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    "MfaConfiguration": "OFF",
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "UserPoolTags": {},
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "DeletionProtection": "INACTIVE",
    "UserPoolTier": "ESSENTIALS",
}
_NOT_SETTINGS = {"PoolName", "Schema", "UserPoolId"}
# (legacy top-level field, VerificationMessageTemplate key) holding the same text
_VERIFICATION_TEXTS = (
    ("SmsVerificationMessage", "SmsMessage"),
    ("EmailVerificationMessage", "EmailMessage"),
    ("EmailVerificationSubject", "EmailSubject"),
)


def new_config(request: Mapping[str, Any]) -> dict[str, Any]:
    if request.get("UsernameAttributes") and request.get("AliasAttributes"):
        raise errors.InvalidParameterException(
            "Only one of the username attributes or alias attributes may be set."
        )
    config = _settings(request)
    config["SchemaAttributes"] = build_schema(request.get("Schema"))
    return config


def updated_config(current: dict[str, Any], request: Mapping[str, Any]) -> dict[str, Any]:
    """UpdateUserPool resets every setting it is not given to its default, as Cognito does."""
    config = _settings(request)
    for key in IMMUTABLE:
        if key in current:
            config[key] = current[key]
    return config


def _settings(request: Mapping[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(_DEFAULTS)
    config.update({k: copy.deepcopy(v) for k, v in request.items() if k not in _NOT_SETTINGS})
    given: PasswordPolicyType | None = (config.get("Policies") or {}).get("PasswordPolicy")
    # a PasswordPolicy given in part leaves the unnamed rules off
    rules: PasswordPolicyType = (
        {
            "RequireUppercase": False,
            "RequireLowercase": False,
            "RequireNumbers": False,
            "RequireSymbols": False,
            **given,
        }
        if given is not None
        else {}
    )
    policy = effective_policy(rules)
    if not policy.get("PasswordHistorySize"):
        policy.pop("PasswordHistorySize", None)  # 0 means "not enforced": Cognito omits it
    config.setdefault("Policies", {})["PasswordPolicy"] = policy
    admin = config["AdminCreateUserConfig"]
    admin.setdefault("AllowAdminCreateUserOnly", False)
    admin.setdefault("UnusedAccountValidityDays", 7)
    _mirror_verification_texts(config)
    return config


def _mirror_verification_texts(config: dict[str, Any]) -> None:
    """Cognito keeps the legacy verification fields and VerificationMessageTemplate in step:
    a text given in one place shows in the other. A text given in both keeps both values."""
    template = config["VerificationMessageTemplate"]
    for legacy, key in _VERIFICATION_TEXTS:
        text = template.get(key) or config.get(legacy)
        if text:
            template.setdefault(key, text)
            config.setdefault(legacy, text)


def password_policy(config: dict[str, Any]) -> PasswordPolicyType:
    return effective_policy((config.get("Policies") or {}).get("PasswordPolicy"))


def temporary_password_seconds(config: dict[str, Any]) -> float:
    return float(password_policy(config)["TemporaryPasswordValidityDays"]) * 86400


def case_sensitive(config: dict[str, Any]) -> bool:
    return bool((config.get("UsernameConfiguration") or {}).get("CaseSensitive", True))


def username_key(config: dict[str, Any], username: str) -> str:
    """The username as the pool compares it."""
    return username if case_sensitive(config) else username.lower()


def username_attributes(config: dict[str, Any]) -> list[str]:
    return list(config.get("UsernameAttributes") or [])


def alias_attributes(config: dict[str, Any]) -> list[str]:
    return list(config.get("AliasAttributes") or [])


def auto_verified(config: dict[str, Any]) -> list[str]:
    return list(config.get("AutoVerifiedAttributes") or [])


def admin_create_only(config: dict[str, Any]) -> bool:
    return bool(config["AdminCreateUserConfig"].get("AllowAdminCreateUserOnly"))


def verified_before_update(config: dict[str, Any]) -> list[str]:
    """Attributes whose new value waits for verification before it replaces the old one."""
    settings = config.get("UserAttributeUpdateSettings") or {}
    return list(settings.get("AttributesRequireVerificationBeforeUpdate") or [])


def arn(pool_id: str) -> str:
    region = pool_id.split("_", 1)[0]
    return f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool_id}"


def pool_id_of(resource_arn: str) -> str | None:
    """The pool an ARN names, or None when it names no user pool."""
    prefix, _, pool_id = resource_arn.partition(":userpool/")
    if not prefix.startswith("arn:") or ":cognito-idp:" not in prefix or not pool_id:
        return None
    return pool_id if arn(pool_id) == resource_arn else None
