"""The records operations work on: plain frozen data, no I/O.

Pool and client settings are kept in the API's own shapes: `StoredUserPool` and
`StoredUserPoolClient` (recognito/shapes.py), `UserPoolType` and `UserPoolClientType`
without what is not stored, so Describe/Update need no translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from recognito.shapes import StoredUserPool, StoredUserPoolClient


@dataclass(frozen=True)
class Pool:
    id: str
    name: str
    config: StoredUserPool
    created_at: float
    modified_at: float


@dataclass(frozen=True)
class Client:
    id: str
    pool_id: str
    name: str
    secret: str | None  # the oldest of its secrets (DescribeUserPoolClient's ClientSecret)
    config: StoredUserPoolClient
    created_at: float
    modified_at: float
    # a second secret, while one is rotated out (AddUserPoolClientSecret); both are good
    secret_created_at: float | None = None
    next_secret: str | None = None
    next_secret_created_at: float | None = None
    # a client a metadata document makes (domain/cimd.py): the app client it acts as where
    # the pages call the API by client id (sign-up, confirmation, password reset)
    acts_for: Client | None = None

    @property
    def secrets(self) -> list[str]:
        """Every secret the client authenticates with."""
        return [s for s in (self.secret, self.next_secret) if s is not None]


class Status(StrEnum):
    """A user's status (the state machine is drawn in `recognito.domain.user_status`)."""

    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    RESET_REQUIRED = "RESET_REQUIRED"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"


@dataclass(frozen=True)
class User:
    id: int
    pool_id: str
    username: str
    sub: str
    status: Status
    enabled: bool
    password_hash: str | None
    srp_salt: str | None
    srp_verifier: str | None
    password_expires_at: float | None
    created_at: float
    modified_at: float
    attributes: dict[str, str] = field(default_factory=dict)

    def verified(self, attribute: str) -> bool:
        """Whether `email` / `phone_number` is present and marked verified."""
        return bool(self.attributes.get(attribute)) and (
            self.attributes.get(f"{attribute}_verified", "").lower() == "true"
        )


@dataclass(frozen=True)
class Grant:
    """One authentication: its refresh token and every token descended from it."""

    origin_jti: str
    pool_id: str
    client_id: str
    user_id: int
    auth_time: int
    expires_at: float
    revoked_at: float | None
    scopes: tuple[str, ...] | None = None  # OAuth grants only: the scopes granted
    resource: str | None = None  # OAuth: the resource the access tokens are bound to
    # the grant as a token session (ListUserSessions)
    session_id: str | None = None
    created_at: float | None = None
    last_active_at: float | None = None
    device: str | None = None  # what the User-Agent of its latest use names
    last_ip: str | None = None
    sso_session_id: str | None = None  # the SSO session the sign-in came through


@dataclass(frozen=True)
class AuthorizationCode:
    """What an /oauth2/authorize code stands for (stored under the code's digest)."""

    pool_id: str
    client_id: str
    user_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    nonce: str | None
    code_challenge: str | None
    auth_time: int
    resource: str | None
    expires_at: float
    used_at: float | None = None
    sso_session_id: str | None = None  # the browser session that was given the code


@dataclass(frozen=True)
class AuthSession:
    pool_id: str
    client_id: str
    user_id: int
    challenge: str
    expires_at: float
    used_at: float | None
    failed_attempts: int = 0
    state: str | None = None  # what a CUSTOM_CHALLENGE round carries to the next, sealed


@dataclass(frozen=True)
class BrowserSession:
    """A browser signed in on a pool's hosted pages (the `cognito` cookie)."""

    pool_id: str
    user_id: int
    auth_time: int  # the interactive sign-in; the session ends an hour after it
    expires_at: float
    # as a user's SSO session (ListUserSessions)
    session_id: str | None = None
    client_id: str | None = None
    created_at: float | None = None
    last_active_at: float | None = None
    device: str | None = None
    last_ip: str | None = None


@dataclass(frozen=True)
class FederationState:
    """A sign-in sent to an external IdP: the original authorization request (and the
    nonce, PKCE verifier and callback used upstream), until the IdP sends the browser back."""

    pool_id: str
    provider_name: str
    request: dict[str, Any]
    expires_at: float


@dataclass(frozen=True)
class Counter:
    """How often something happened for someone: sign-in failures, calls under a cap."""

    count: int
    first_at: float  # start of the window being counted
    last_at: float  # the latest attempt
    until: float | None = None  # refused until then (a lockout)


@dataclass(frozen=True)
class Code:
    subject: str  # a user's sub, or an unknown name's digest
    purpose: str
    digest: str
    expires_at: float
    failed_attempts: int
    issued_at: float = 0.0
    pending_value: str | None = None  # a new email/phone that takes effect once verified


@dataclass(frozen=True)
class StoredKey:
    """A pool's signing key as stored: the private half, PEM-encoded, and when it starts
    signing (the `created_at` column: a rotated-in key is stored ahead of its time)."""

    kid: str
    token_use: str
    private_pem: str
    signs_from: float = 0.0


@dataclass(frozen=True)
class OutboxEntry:
    """A message in the outbox and what became of it."""

    id: int
    pool_id: str
    channel: str
    kind: str
    recipient: str
    subject: str | None
    body: str | None  # dropped once delivered through a channel
    status: str
    attempts: int
    error: str | None
    created_at: float
    sent_at: float | None
    next_attempt_at: float | None  # a failed try is retried from then on
    claimed_until: float | None  # a process is sending it until then


@dataclass(frozen=True)
class Group:
    pool_id: str
    name: str
    description: str | None
    role_arn: str | None
    precedence: int | None
    created_at: float
    modified_at: float


@dataclass(frozen=True)
class AuthEvent:
    """One recorded sign-in, sign-up, password change, reset or resent code
    (threat protection); `risk`, `challenges` and `context` are in the API's shapes."""

    event_id: str
    pool_id: str
    user_id: int
    event_type: str
    created_at: float
    response: str
    risk: dict[str, Any]
    challenges: list[dict[str, str]]
    context: dict[str, str]
    ip: str | None = None
    device_key: str | None = None
    feedback_value: str | None = None
    feedback_provider: str | None = None
    feedback_date: float | None = None


@dataclass(frozen=True)
class TriggerInvocation:
    """One call of a pool's Lambda trigger and how it ended (`recognito triggers log`)."""

    pool_id: str
    trigger: str  # the LambdaConfig key, e.g. PreSignUp
    source: str  # the event's triggerSource, e.g. PreSignUp_SignUp
    arn: str
    outcome: str  # "ok", or the error type the caller was answered with
    error: str | None
    duration_ms: float
    created_at: float
    id: int | None = None


@dataclass(frozen=True)
class UserPoolDomain:
    """A user pool domain: a prefix (`auth-demo`, custom=False) or a custom FQDN
    (`auth.example.com`, custom=True, with its ACM certificate ARN)."""

    domain: str
    pool_id: str
    custom: bool
    certificate_arn: str | None
    managed_login_version: int | None
    cloudfront: str  # the *.cloudfront.net name Cognito would point DNS at
    version: str  # yyyyMMddHHmmss of the last create or update
    created_at: float


@dataclass(frozen=True)
class ResourceServer:
    """A pool's resource server; `scopes` in the API's shape (ResourceServerScopeType)."""

    pool_id: str
    identifier: str
    name: str
    scopes: list[dict[str, str]]
    created_at: float


@dataclass(frozen=True)
class IdentityProvider:
    """A pool's identity provider. `details` is ProviderDetails as given (secrets
    included, plaintext above the store), without the keys Cognito derives on describe
    (`recognito.domain.identity_providers.described_details` adds those)."""

    pool_id: str
    name: str
    type: str  # OIDC | SAML | Google | Facebook | LoginWithAmazon | SignInWithApple
    details: dict[str, str]
    attribute_mapping: dict[str, str]
    identifiers: list[str]
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class ProviderLink:
    """A native user linked to an identity at a provider (AdminLinkProviderForUser)."""

    pool_id: str
    provider_name: str
    attribute_name: str  # Cognito_Subject for OIDC and social providers
    attribute_value: str
    user_id: int
    created: float


@dataclass(frozen=True)
class UICustomization:
    """Classic branding of a pool (client_id 'ALL') or of one app client."""

    pool_id: str
    client_id: str
    css: str | None
    safe_css: str | None  # the part of `css` the pages serve
    css_version: str
    image: bytes | None
    image_type: str | None
    created: float
    modified: float


@dataclass(frozen=True)
class ManagedLoginBranding:
    """A managed-login style; `assets` in the API's shape (AssetType) with Bytes in base64."""

    id: str
    pool_id: str
    client_id: str
    use_cognito_values: bool
    settings: Any
    assets: list[dict[str, Any]]
    created: float
    modified: float


@dataclass(frozen=True)
class TermsDocument:
    """A terms-of-use or privacy-policy document of an app client."""

    id: str
    pool_id: str
    client_id: str
    terms_name: str
    terms_source: str
    enforcement: str
    links: dict[str, str]
    created: float
    modified: float


@dataclass(frozen=True)
class CIMDPolicy:
    """A pool's Client ID Metadata Document policy: the URL patterns of client_id URLs it
    admits, as public clients of one app client."""

    id: str
    pool_id: str
    client_id: str
    name: str
    cache_duration: int | None
    url_patterns: list[str]
    created: float
    modified: float


@dataclass(frozen=True)
class ClientMetadataURL:
    """A client_id URL a policy admitted, and its cached metadata document (None with
    no dates once invalidated or never fetched whole)."""

    pool_id: str
    policy_id: str
    url: str
    document: str | None  # the JSON text as fetched and validated
    cached_at: float | None
    expires_at: float | None
