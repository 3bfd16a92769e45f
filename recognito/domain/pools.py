"""User pool settings: defaults, immutable parts, sign-in identifiers (docs/behaviour.md §3).

A pool's config is a `StoredUserPool` (recognito/shapes.py): its `UserPoolType` minus
identity and timestamps, plus the MFA settings SetUserPoolMfaConfig sets.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal, cast, get_args

from recognito import errors
from recognito.domain.attributes import build_schema
from recognito.domain.password_policy import effective_policy
from recognito.shapes import PasswordPolicyType, StoredUserPool

ACCOUNT = "000000000000"  # no AWS account stands behind a self-hosted pool
MAX_TAGS = 50

# what UpdateUserPool cannot change: fixed at creation, or set by SetUserPoolMfaConfig only
Immutable = Literal[
    "SchemaAttributes",
    "UsernameAttributes",
    "AliasAttributes",
    "UsernameConfiguration",
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
]
IMMUTABLE: tuple[Immutable, ...] = get_args(Immutable)

_DEFAULTS: StoredUserPool = {
    "LambdaConfig": {},
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    "MfaConfiguration": "OFF",
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "UserPoolTags": {},
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "DeletionProtection": "INACTIVE",
    "UserPoolTier": "ESSENTIALS",
}
# the members of Create/UpdateUserPool's request that are not settings
_NOT_SETTINGS = {"PoolName", "Schema", "UserPoolId"}
# (legacy top-level field, VerificationMessageTemplate key) holding the same text
_VERIFICATION_TEXTS: tuple[
    tuple[
        Literal["SmsVerificationMessage", "EmailVerificationMessage", "EmailVerificationSubject"],
        Literal["SmsMessage", "EmailMessage", "EmailSubject"],
    ],
    ...,
] = (
    ("SmsVerificationMessage", "SmsMessage"),
    ("EmailVerificationMessage", "EmailMessage"),
    ("EmailVerificationSubject", "EmailSubject"),
)


def new_config(request: Mapping[str, Any]) -> StoredUserPool:
    """A new pool's config from CreateUserPool's validated request."""
    if request.get("UsernameAttributes") and request.get("AliasAttributes"):
        raise errors.InvalidParameterException(
            "Only one of the username attributes or alias attributes may be set."
        )
    config = _settings(request)
    config["SchemaAttributes"] = build_schema(request.get("Schema"))
    return config


def updated_config(current: StoredUserPool, request: Mapping[str, Any]) -> StoredUserPool:
    """UpdateUserPool resets every setting it is not given to its default, as Cognito does.
    What it cannot change (IMMUTABLE) stays as it was, even if `request` names it."""
    config = _settings(request)
    for key in IMMUTABLE:
        if key in current:
            config[key] = current[key]
    return config


def _given(request: Mapping[str, object]) -> StoredUserPool:
    """The settings a validated CreateUserPool or UpdateUserPool request gives, copied.

    The one cast from a request to stored config: every member of either request but
    _NOT_SETTINGS is a StoredUserPool member of the same type (both are generated from the
    model; tests/unit/domain/test_pools.py checks it), so the settings are stored as given.
    """
    settings = {k: copy.deepcopy(v) for k, v in request.items() if k not in _NOT_SETTINGS}
    return cast(StoredUserPool, settings)


def _settings(request: Mapping[str, object]) -> StoredUserPool:
    config = copy.deepcopy(_DEFAULTS)
    config.update(_given(request))
    given = (config.get("Policies") or {}).get("PasswordPolicy")
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
    _mirror_pre_token_generation(config)
    _check_custom_senders(config)
    _check_sign_in_policy(config)
    return config


# **Choice** (texts): Cognito's own words for these refusals are unknown
PASSWORD_REQUIRED_FIRST = "AllowedFirstAuthFactors must include PASSWORD."
NO_SOFTWARE_TOKEN_FIRST = "SOFTWARE_TOKEN is not currently supported as a first auth factor."


def _check_sign_in_policy(config: StoredUserPool) -> None:
    """SignInPolicy.AllowedFirstAuthFactors: PASSWORD is always among them (Cognito's
    console cannot remove it), and SOFTWARE_TOKEN is none (the model: "Do not include
    this value")."""
    policy = (config.get("Policies") or {}).get("SignInPolicy")
    if policy is None or "AllowedFirstAuthFactors" not in policy:
        return
    factors = policy["AllowedFirstAuthFactors"]
    if "SOFTWARE_TOKEN" in factors:
        raise errors.InvalidParameterException(NO_SOFTWARE_TOKEN_FIRST)
    if "PASSWORD" not in factors:
        raise errors.InvalidParameterException(PASSWORD_REQUIRED_FIRST)
    policy["AllowedFirstAuthFactors"] = list(dict.fromkeys(factors))  # each once


def passwordless(config: StoredUserPool) -> bool:
    """Whether users may sign up without a password: the pool lets them sign in with a
    factor that is none (a one-time code, a passkey)."""
    return any(f != "PASSWORD" for f in first_factors(config))


def first_factors(config: StoredUserPool) -> list[str]:
    """The factors USER_AUTH may start with (AllowedFirstAuthFactors; PASSWORD alone when
    the pool sets none, as a new Cognito pool has it)."""
    policy = (config.get("Policies") or {}).get("SignInPolicy") or {}
    return list(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"])


# **Choice** (text): Cognito refuses a custom sender without a key, its words are unknown
NO_KMS_KEY = "A KMSKeyID is required when CustomEmailSender or CustomSMSSender is set."


def _check_custom_senders(config: StoredUserPool) -> None:
    """A custom sender's codes are encrypted under the pool's KMSKeyID: no key, no sender."""
    lambdas = config.get("LambdaConfig") or {}
    senders = lambdas.get("CustomEmailSender") or lambdas.get("CustomSMSSender")
    if senders and not lambdas.get("KMSKeyID"):
        raise errors.InvalidParameterException(NO_KMS_KEY)


def _mirror_pre_token_generation(config: StoredUserPool) -> None:
    """Cognito echoes PreTokenGeneration in both forms: the legacy ARN alone is the
    V1_0 PreTokenGenerationConfig, and a PreTokenGenerationConfig shows its ARN in the
    legacy key too. Both given must name the same function."""
    lambdas = config.get("LambdaConfig")
    if not lambdas:
        return
    legacy, versioned = lambdas.get("PreTokenGeneration"), lambdas.get("PreTokenGenerationConfig")
    if versioned is not None:
        if legacy is not None and legacy != versioned["LambdaArn"]:
            raise errors.InvalidParameterException(
                "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same."
            )
        lambdas["PreTokenGeneration"] = versioned["LambdaArn"]
    elif legacy is not None:
        lambdas["PreTokenGenerationConfig"] = {"LambdaArn": legacy, "LambdaVersion": "V1_0"}


def _mirror_verification_texts(config: StoredUserPool) -> None:
    """Cognito keeps the legacy verification fields and VerificationMessageTemplate in step:
    a text given in one place shows in the other. A text given in both keeps both values."""
    template = config["VerificationMessageTemplate"]
    for legacy, key in _VERIFICATION_TEXTS:
        text = template.get(key) or config.get(legacy)
        if text:
            template.setdefault(key, text)
            config.setdefault(legacy, text)


def password_policy(config: StoredUserPool) -> PasswordPolicyType:
    return effective_policy((config.get("Policies") or {}).get("PasswordPolicy"))


def password_history_size(config: StoredUserPool) -> int:
    """How many of a user's latest passwords, the current one included, a new one must not
    repeat (PasswordHistorySize; 0: none)."""
    return int(password_policy(config).get("PasswordHistorySize") or 0)


def temporary_password_seconds(config: StoredUserPool) -> float:
    return float(password_policy(config)["TemporaryPasswordValidityDays"]) * 86400


def case_sensitive(config: StoredUserPool) -> bool:
    return config.get("UsernameConfiguration", {}).get("CaseSensitive", True)


def username_key(config: StoredUserPool, username: str) -> str:
    """The username as the pool compares it."""
    return username if case_sensitive(config) else username.lower()


def username_attributes(config: StoredUserPool) -> list[str]:
    return list(config.get("UsernameAttributes") or [])


def alias_attributes(config: StoredUserPool) -> list[str]:
    return list(config.get("AliasAttributes") or [])


def auto_verified(config: StoredUserPool) -> list[str]:
    return list(config.get("AutoVerifiedAttributes") or [])


def admin_create_only(config: StoredUserPool) -> bool:
    return bool(config["AdminCreateUserConfig"].get("AllowAdminCreateUserOnly"))


def verified_before_update(config: StoredUserPool) -> list[str]:
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
