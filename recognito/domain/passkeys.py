"""Passkeys (WebAuthn): the pool's relying party, the options a browser is handed, which
origins may answer, and Cognito's messages (docs/behaviour.md "Passkeys").

Nothing here does I/O or cryptography: `recognito.signin.passkeys` verifies attestations
and assertions with the `webauthn` package and stores what they prove.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from recognito.domain import pools
from recognito.domain.records import UserPoolDomain
from recognito.shapes import StoredUserPool

COGNITO_DOMAIN = "amazoncognito.com"  # where Cognito's prefix domains live
FACTOR = "WEB_AUTHN"  # its name among USER_AUTH's first factors and challenges
# what Cognito offers to create: ES256 and RS256, in that order
ALGORITHMS = (-7, -257)
REGISTRATION_TIMEOUT_MS = 60_000
AUTHENTICATION_TIMEOUT_MS = 180_000
CHALLENGE_BYTES = 16  # Cognito's challenges are 16 random bytes (22 base64url characters)
MAX_CREDENTIALS = 20  # a user's passkeys; ListWebAuthnCredentials' MaxResults maximum
LIST_PAGE = 20

UserVerification = Literal["required", "preferred"]

NOT_ENABLED = "Passkeys are not enabled for this user pool."
CONFIGURATION_MISSING = (
    "The user pool has no relying party ID: set WebAuthnConfiguration.RelyingPartyId with "
    "SetUserPoolMfaConfig, or add a user pool domain."
)
CHALLENGE_NOT_FOUND = "The passkey registration challenge was not found or has expired."
CLIENT_MISMATCH = (
    "The access token is for a different app client than the one that started the "
    "passkey registration."
)
ORIGIN_NOT_ALLOWED = "The origin {origin} is not allowed for the relying party ID {rp_id}."
RELYING_PARTY_MISMATCH = "The passkey credential is for a different relying party ID."
NOT_SUPPORTED_ALGORITHM = "The passkey credential uses an unsupported public key algorithm."
NOT_SUPPORTED_VERIFICATION = (
    "The user pool requires user verification, and the passkey authenticator did not "
    "verify the user."
)
TOO_MANY = f"A user can register at most {MAX_CREDENTIALS} passkeys."
ALREADY_REGISTERED = "The passkey credential is already registered."
MALFORMED = "The passkey credential is malformed: {detail}"
NOT_VERIFIED = "The passkey credential could not be verified: {detail}"
MISSING = "Credential does not exist."
# signing in (NotAuthorizedException: RespondToAuthChallenge models no WebAuthn errors)
WRONG_CHALLENGE = "The passkey assertion does not answer this sign-in's challenge."
UNKNOWN_CREDENTIAL = "The passkey credential is not registered for this user."
COUNTER_NOT_INCREASED = (
    "The passkey's signature counter did not increase: the assertion was replayed or the "
    "authenticator cloned."
)
BAD_SIGNATURE = "The passkey assertion's signature could not be verified."


@dataclass(frozen=True)
class Passkey:
    """A registered passkey: what its attestation proved (the COSE public key, the
    authenticator's signature counter) and what ListWebAuthnCredentials describes."""

    id: int
    pool_id: str
    user_id: int
    credential_id: str  # base64url, as browsers and the API name it
    public_key: bytes  # COSE_Key
    sign_count: int
    transports: list[str]
    friendly_name: str
    attachment: str | None  # platform / cross-platform, when the browser said
    rp_id: str
    created_at: float
    last_used_at: float | None = None


def enabled(config: StoredUserPool) -> bool:
    """Whether the pool offers passkeys: WEB_AUTHN among its sign-in policy's first
    factors, on a tier that has them (Essentials or Plus)."""
    return FACTOR in pools.first_factors(config) and config.get("UserPoolTier") != "LITE"


def relying_party_id(config: StoredUserPool, domains: Sequence[UserPoolDomain]) -> str | None:
    """The pool's RP ID: WebAuthnConfiguration.RelyingPartyId, else its custom domain,
    else its prefix domain by Cognito's name (`<prefix>.auth.<region>.amazoncognito.com`);
    None without any."""
    chosen = (config.get("WebAuthnConfiguration") or {}).get("RelyingPartyId")
    if chosen:
        return chosen
    for domain in sorted(domains, key=lambda d: not d.custom):  # custom first
        if domain.custom:
            return domain.domain
        region = domain.pool_id.split("_", 1)[0]
        return f"{domain.domain}.auth.{region}.{COGNITO_DOMAIN}"
    return None


def user_verification(config: StoredUserPool) -> UserVerification:
    """The pool's UserVerification; `preferred` when it set none."""
    chosen = (config.get("WebAuthnConfiguration") or {}).get("UserVerification")
    return "required" if chosen == "required" else "preferred"


def _is_localhost(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


def origin_allowed(origin: str, rp_id: str) -> bool:
    """Whether a ceremony run at `origin` may speak for `rp_id`: https on the RP ID or a
    subdomain of it (any port), as browsers scope credentials; plain http only when the
    RP ID is localhost (or under .localhost), where browsers treat http as secure."""
    try:
        parts = urlsplit(origin)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a malformed port raises here)
    except ValueError:
        return False
    if parts.path or parts.query or parts.fragment or parts.username or not host:
        return False
    rp = rp_id.lower()
    if host != rp and not host.endswith("." + rp):
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and _is_localhost(rp))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def creation_options(
    *,
    rp_id: str,
    user_handle: str,
    username: str,
    challenge: str,
    excluded: Sequence[str],
    verification: UserVerification,
) -> dict[str, Any]:
    """StartWebAuthnRegistration's CredentialCreationOptions, as Cognito shapes them
    (PublicKeyCredentialCreationOptionsJSON: base64url strings, discoverable credentials
    required, no attestation asked for). `user_handle` is the user's sub."""
    return {
        "rp": {"id": rp_id, "name": rp_id},
        "user": {"id": b64url(user_handle.encode()), "name": username, "displayName": ""},
        "challenge": challenge,
        "pubKeyCredParams": [{"type": "public-key", "alg": alg} for alg in ALGORITHMS],
        "timeout": REGISTRATION_TIMEOUT_MS,
        "excludeCredentials": [{"type": "public-key", "id": cid} for cid in excluded],
        "authenticatorSelection": {
            "requireResidentKey": True,
            "residentKey": "required",
            "userVerification": verification,
        },
    }


def request_options(
    *, rp_id: str, challenge: str, allowed: Sequence[str], verification: UserVerification
) -> dict[str, Any]:
    """The WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS (JSON-encoded in the challenge
    parameters), as Cognito shapes them (PublicKeyCredentialRequestOptionsJSON)."""
    return {
        "hints": [],
        "attestation": "none",
        "attestationFormats": [],
        "challenge": challenge,
        "timeout": AUTHENTICATION_TIMEOUT_MS,
        "rpId": rp_id,
        "allowCredentials": [{"id": cid, "type": "public-key"} for cid in allowed],
        "userVerification": verification,
    }


def friendly_name(attachment: str | None) -> str:
    """The name Cognito generates for a new passkey (it takes none from the caller)."""
    if attachment == "platform":
        return "Platform passkey"
    if attachment == "cross-platform":
        return "Security key"
    return "Passkey"
