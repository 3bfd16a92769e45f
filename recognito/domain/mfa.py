"""Multi-factor sign-in: which factors a pool offers, which a user has, and which challenge
follows a correct password (docs/behaviour.md §7.3; Cognito's MfaConfiguration OFF/OPTIONAL/ON).

    password ok ─┬─ pool OFF, or OPTIONAL and nothing enabled ──────> tokens
                 ├─ one factor enabled (or the preferred one) ──> SMS_MFA | EMAIL_OTP
                 │                                                  | SOFTWARE_TOKEN_MFA
                 ├─ several enabled, none preferred ────────────> SELECT_MFA_TYPE
                 └─ pool ON, nothing enabled: SMS if the user has a phone, else EMAIL_OTP if
                    the user has an email address, else MFA_SETUP (TOTP)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from recognito import errors
from recognito.domain.records import User
from recognito.shapes import (
    EmailMfaSettingsType,
    MFAOptionType,
    SMSMfaSettingsType,
    SoftwareTokenMfaSettingsType,
    StoredUserPool,
)

SMS = "SMS_MFA"
TOTP = "SOFTWARE_TOKEN_MFA"
EMAIL = "EMAIL_OTP"
SELECT = "SELECT_MFA_TYPE"
SETUP = "MFA_SETUP"
SETUP_VERIFIED = "MFA_SETUP:verified"  # session state once VerifySoftwareToken succeeded

WRONG_TOTP = "Invalid code or auth state for the user."
WRONG_SMS = "Invalid code received for user."
WRONG_EMAIL = "Invalid code or auth state for the user."
TOTP_USED = "Your software token has already been used once."
NO_TOTP = "Software Token MFA does not exist for the user."
TOTP_NOT_VERIFIED = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
VERIFY_FAILED = "Code mismatch and fail enable Software Token MFA"
TOTP_OFF_IN_POOL = "Software Token MFA has not been enabled by the userPool."


@dataclass(frozen=True)
class MfaSettings:
    """A user's factors. The TOTP secret is stored because checking a code needs it."""

    totp_secret: str | None = None
    totp_pending: str | None = None  # associated, not yet verified
    totp_last_step: int | None = None  # the newest code accepted: none at or before it again
    totp_enabled: bool = False
    sms_enabled: bool = False
    preferred: str | None = None
    email_enabled: bool = False

    def fresh(self, step: int) -> bool:
        """Whether a TOTP code of this time step is still unused."""
        return self.totp_last_step is None or step > self.totp_last_step

    def enabled(self, user: User) -> list[str]:
        factors = []
        if self.sms_enabled and user.attributes.get("phone_number"):
            factors.append(SMS)
        if self.email_enabled and user.attributes.get("email"):
            factors.append(EMAIL)
        if self.totp_enabled and self.totp_secret:
            factors.append(TOTP)
        return factors


def totp_offered(config: StoredUserPool) -> bool:
    return TOTP in pool_factors(config)


def switch_on_when_verified(config: StoredUserPool) -> bool:
    """In a pool that requires MFA a verified authenticator is in use at once; elsewhere
    the user switches it on with SetUserMFAPreference."""
    return config.get("MfaConfiguration") == "ON"


def pool_factors(config: StoredUserPool) -> list[str]:
    factors = []
    if config.get("SmsMfaConfiguration") or (
        config.get("SmsConfiguration") and config.get("MfaConfiguration", "OFF") != "OFF"
    ):
        factors.append(SMS)
    # Recognito sends its own mail: no SES account or feature plan to require (docs/behaviour.md)
    if "EmailMfaConfiguration" in config:
        factors.append(EMAIL)
    if (config.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"):
        factors.append(TOTP)
    return factors


def next_challenge(config: StoredUserPool, user: User, settings: MfaSettings) -> str | None:
    """The MFA challenge a correct password leads to, or None for tokens at once."""
    mode = config.get("MfaConfiguration") or "OFF"
    if mode == "OFF":
        return None
    # a factor the user set up stays theirs even if the pool stops offering it to others
    usable = settings.enabled(user)
    if settings.preferred in usable:
        return settings.preferred
    if len(usable) == 1:
        return usable[0]
    if usable:
        return SELECT
    if mode != "ON":
        return None
    offered = pool_factors(config)
    if SMS in offered and user.attributes.get("phone_number"):
        return SMS
    if EMAIL in offered and user.attributes.get("email"):
        return EMAIL
    if TOTP in offered:
        return SETUP
    raise errors.InvalidUserPoolConfigurationException(
        "MFA is required but no MFA method is available for the user."
    )


def choices(factors: list[str]) -> str:
    return json.dumps(factors, separators=(",", ":"))


def setting_list(user: User, settings: MfaSettings) -> tuple[list[str], str | None]:
    """`UserMFASettingList` and `PreferredMfaSetting` of GetUser / AdminGetUser."""
    enabled = settings.enabled(user)
    preferred = settings.preferred if settings.preferred in enabled else None
    return enabled, preferred


def with_preferences(
    settings: MfaSettings,
    user: User,
    sms: SMSMfaSettingsType | None,
    totp: SoftwareTokenMfaSettingsType | None,
    email: EmailMfaSettingsType | None = None,
) -> MfaSettings:
    """SetUserMFAPreference: a factor not named keeps its state; only an enabled factor
    can be the preferred one."""
    enabled = {
        SMS: settings.sms_enabled,
        TOTP: settings.totp_enabled,
        EMAIL: settings.email_enabled,
    }
    preferred = settings.preferred
    given_factors = ((SMS, sms), (TOTP, totp), (EMAIL, email))
    for factor, given in given_factors:
        if given is None:
            continue
        enabled[factor] = bool(given.get("Enabled"))
        if given.get("PreferredMfa"):
            preferred = factor
        elif given.get("PreferredMfa") is False and preferred == factor:
            preferred = None
    if enabled[SMS] and not user.attributes.get("phone_number"):
        raise errors.InvalidParameterException(
            "User does not have delivery config set to turn on SMS_MFA"
        )
    if enabled[TOTP] and not settings.totp_secret:
        raise errors.InvalidParameterException(TOTP_NOT_VERIFIED)
    if enabled[EMAIL] and not user.attributes.get("email"):
        raise errors.InvalidParameterException(
            "User does not have delivery config set to turn on EMAIL_OTP"
        )
    return replace(
        settings,
        sms_enabled=enabled[SMS],
        totp_enabled=enabled[TOTP],
        email_enabled=enabled[EMAIL],
        preferred=preferred if preferred and enabled[preferred] else None,
    )


LEGACY_ONLY_SMS = "Only SMS_MFA on phone_number can be set through MFAOptions."


def legacy_sms(options: list[MFAOptionType]) -> SMSMfaSettingsType:
    """Set/AdminSetUserSettings, the switch that predates SetUserMFAPreference: it turns SMS
    MFA on (an SMS option on phone_number) or off (no option); other factors are not its own."""
    for option in options:
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise errors.InvalidParameterException(LEGACY_ONLY_SMS)
    return {"Enabled": bool(options)}


def legacy_options(user: User, settings: MfaSettings) -> list[MFAOptionType]:
    """GetUser's and AdminGetUser's `MFAOptions`: the legacy view of SMS MFA."""
    if SMS not in settings.enabled(user):
        return []
    return [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]


def without_totp(settings: MfaSettings) -> MfaSettings:
    """AdminDeleteSoftwareToken: the authenticator (verified or only associated) is
    gone, with its switch and preference; the user may associate a new one. None to
    delete: ResourceNotFoundException (**Choice**)."""
    if not settings.totp_secret and not settings.totp_pending:
        raise errors.ResourceNotFoundException(NO_TOTP)
    return replace(
        settings,
        totp_secret=None,
        totp_pending=None,
        totp_last_step=None,
        totp_enabled=False,
        preferred=None if settings.preferred == TOTP else settings.preferred,
    )
