"""Members of the pinned model that Recognito does not carry out.

Each newer model adds members to old operations (multi-region routing, customer keys,
dynamic client registration, ...). A request that sets one is refused rather than
stored or ignored in silence, so a caller never believes a setting took effect.
"""

from __future__ import annotations

from typing import Any

from recognito.errors import UnsupportedOperationException

__all__ = ["refuse_unsupported"]

_POOL = (
    "AcrConfiguration",
    "DcrConfiguration",
    "IssuerConfiguration",
    "KeyConfiguration",
    "SmsConfiguration.EumsSms",
)
_DOMAIN = ("Routing", "CustomDomainConfig.SecurityPolicy")
_CLIENT = ("PublishSecretsInAWSSecretsManager",)
# passkeys as a second factor (only passkeys as a first factor are carried out)
_PASSKEY_MFA = ("WebAuthnMfaSettings.Enabled",)

# operation -> dotted member paths; `path=VALUE`: that value only is refused
UNSUPPORTED: dict[str, tuple[str, ...]] = {
    "CreateUserPool": _POOL,
    "UpdateUserPool": _POOL,
    "SetUserPoolMfaConfig": (
        "SmsMfaConfiguration.SmsConfiguration.EumsSms",
        "WebAuthnConfiguration.FactorConfiguration=MULTI_FACTOR_WITH_USER_VERIFICATION",
    ),
    "SetUserMFAPreference": _PASSKEY_MFA,
    "AdminSetUserMFAPreference": _PASSKEY_MFA,
    "CreateUserPoolDomain": _DOMAIN,
    "UpdateUserPoolDomain": _DOMAIN,
    "CreateUserPoolClient": _CLIENT,
    "UpdateUserPoolClient": _CLIENT,
    "CreateIdentityProvider": ("AcrMapping",),
    "UpdateIdentityProvider": ("AcrMapping",),
    # imported users carry no password (Cognito's CSV has none): hashes are not taken
    "CreateUserImportJob": ("PasswordHashingAlgorithm",),
}


def refuse_unsupported(operation: str, params: dict[str, Any]) -> None:
    for entry in UNSUPPORTED.get(operation, ()):
        path, _, only = entry.partition("=")
        value: Any = params
        for name in path.split("."):
            value = value.get(name) if isinstance(value, dict) else None
        if value is None or value is False:  # false asks for nothing
            continue
        if not only:
            raise UnsupportedOperationException(f"{path} is not supported by Recognito yet.")
        if value == only:
            raise UnsupportedOperationException(f"{path} {only} is not supported by Recognito yet.")
