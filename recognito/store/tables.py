"""SQLAlchemy Core tables: portable types only, so SQLite and PostgreSQL share one schema.

Pool and client settings are kept in the API's own shapes (JSON), so Describe and
Update stay thin. What the database holds of secrets: passwords as argon2id hashes;
codes, sessions and refresh tokens as HMAC-SHA-256 digests under the instance's digest
key; that digest key, client secrets, TOTP secrets, SRP verifiers and the signing keys'
private halves sealed (AES-256-GCM) with the master key, which is kept outside the
database (`store/sealing.py` lists the sealed columns). A copy of the database alone
opens none of them and cannot recompute a digest, so codes cannot be guessed offline.
What is not secret is stored as it is: SRP salts, attribute values, the outbox.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # "secret_key", the digest key: sealed
)

pools = Table(
    "pools",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("config", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("secret", String(256)),  # sealed
    Column("config", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False),
    Column("secret_created_at", Float),
    Column("next_secret", String(256)),  # sealed: the second secret while rotating
    Column("next_secret_created_at", Float),
    Index("ix_clients_pool", "pool_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("username", String(128), nullable=False),
    # username as compared: lower-cased in case-insensitive pools
    Column("username_key", String(128), nullable=False),
    Column("sub", String(36), nullable=False, unique=True),
    Column("status", String(32), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("password_hash", String(256)),
    Column("srp_salt", String(64)),
    Column("srp_verifier", String(1024)),  # sealed
    Column("password_expires_at", Float),  # temporary passwords only
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False),
    UniqueConstraint("pool_id", "username_key", name="uq_users_pool_username"),
    # ListUsers pages are keyset ranges: each index ends in `id`, so a page is one seek and
    # a walk that LIMIT stops (filtered by a value, then in id order; unfiltered, by id)
    Index("ix_users_pool_id", "pool_id", "id"),
    Index("ix_users_pool_status", "pool_id", "status", "id"),
    Index("ix_users_pool_enabled", "pool_id", "enabled", "id"),
    Index("ix_users_pool_username", "pool_id", "username", "id"),
    Index("ix_users_pool_sub", "pool_id", "sub", "id"),
)

password_history = Table(
    "password_history",
    metadata,
    # the passwords a user had before the current one, for PasswordHistorySize: argon2id
    # hashes, the newest PasswordHistorySize - 1 kept
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_password_history_user", "user_id", "created_at"),
)

user_attributes = Table(
    "user_attributes",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("pool_id", String(64), nullable=False),
    Column("value", String(2048), nullable=False),
    # the value as case-insensitive pools compare it (lower-cased)
    Column("value_key", String(2048), nullable=False),
    # ListUsers filters are range scans on (pool, name, value) in (value, user) order, so
    # keyset pages seek and stop; alias lookups use the value_key twin
    Index("ix_user_attributes_lookup", "pool_id", "name", "value", "user_id"),
    Index("ix_user_attributes_key", "pool_id", "name", "value_key"),
)

counters = Table(
    "counters",
    metadata,
    # what is counted for whom: sign-in failures, per-user hourly caps; rows are locked
    # while counting, so concurrent requests on any node see each other's counts
    Column("key", String(160), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("first_at", Float, nullable=False),  # start of the window being counted
    Column("last_at", Float, nullable=False),  # the latest attempt
    Column("until", Float),  # blocked until then (lockouts)
    Index("ix_counters_last", "last_at"),
)

mfa_settings = Table(
    "mfa_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("totp_secret", String(256)),  # sealed
    Column("totp_pending", String(256)),  # sealed
    Column("totp_last_step", Integer),  # a TOTP code is good once
    Column("totp_enabled", Boolean, nullable=False),
    Column("sms_enabled", Boolean, nullable=False),
    Column("preferred", String(32)),
    Column("email_enabled", Boolean, nullable=False, server_default=false()),
)

groups = Table(
    "groups",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("description", String(2048)),
    Column("role_arn", String(2048)),
    Column("precedence", Integer),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("pool_id", String(64), nullable=False),
    Column("group_name", String(128), primary_key=True),
    ForeignKeyConstraint(
        ["pool_id", "group_name"], ["groups.pool_id", "groups.name"], ondelete="CASCADE"
    ),
    Index("ix_memberships_group", "pool_id", "group_name", "user_id"),
)

codes = Table(
    "codes",
    metadata,
    # whose code: a user's sub, or a name no user has (answered like a real user's code
    # when the client hides who exists); housekeeping removes expired ones
    Column("subject", String(64), primary_key=True),
    Column("purpose", String(64), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("issued_at", Float, nullable=False),
    Column("pending_value", String(2048)),
    Index("ix_codes_expires", "expires_at"),
)

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(256), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("challenge", String(64), nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float),
    # wrong answers so far: a session survives a wrong code until the code's attempt limit
    Column("failed_attempts", Integer, nullable=False, default=0),
    # CUSTOM_CHALLENGE: the rounds so far and the private challenge, sealed (signin/custom.py)
    Column("state", Text),
    Index("ix_auth_sessions_expires", "expires_at"),
)

grants = Table(
    "grants",
    metadata,
    # one row per authentication: the refresh token and every token descended from it
    Column("origin_jti", String(36), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(256), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("refresh_digest", String(64), nullable=False, unique=True),
    Column("auth_time", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Float),
    # OAuth grants: the scopes granted and the bound resource (RFC 8707), kept across
    # refreshes; NULL scopes: an API sign-in (aws.cognito.signin.user.admin only)
    Column("scopes", JSON),
    Column("resource", Text),
    # the grant as a user's token session (ListUserSessions): its id (tkn + 25), when it
    # began and was last used (sign-in, refresh, rotation), and by what device and address;
    # NULL session_id: a grant made before sessions were kept (the migration names them)
    Column("session_id", String(28)),
    Column("created_at", Float),
    Column("last_active_at", Float),
    Column("device", String(1024)),
    Column("last_ip", String(128)),
    # the SSO session (hosted pages) the sign-in came through, if any
    Column("sso_session_id", String(28)),
    Index("ix_grants_user", "user_id"),
    Index("ix_grants_expires", "expires_at"),
    Index("ix_grants_session", "session_id", unique=True),
)

rotated_refresh_tokens = Table(
    "rotated_refresh_tokens",
    metadata,
    # a refresh token rotated out of its grant (RefreshTokenRotation): still good until
    # valid_until (the client's RetryGracePeriodSeconds), then known only to be refused
    # as reused; gone with its grant
    Column("digest", String(64), primary_key=True),
    Column(
        "origin_jti",
        String(36),
        ForeignKey("grants.origin_jti", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("valid_until", Float, nullable=False),
    Index("ix_rotated_refresh_tokens_grant", "origin_jti"),
)

session_configurations = Table(
    "session_configurations",
    metadata,
    # Set/GetUserPoolSessionConfiguration (client_id ""), and
    # Set/GetUserPoolClientSessionConfiguration (a client's id), in their request shapes
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", String(128), primary_key=True),
    Column("config", JSON, nullable=False),
)

authorization_codes = Table(
    "authorization_codes",
    metadata,
    # an /oauth2/authorize code, known only by its digest; single use (used_at), 5 minutes
    Column("digest", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(256), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("nonce", Text),
    Column("code_challenge", String(128)),
    Column("auth_time", Integer, nullable=False),
    Column("resource", Text),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float),
    Column("sso_session_id", String(28)),  # the browser session that was given the code
    Index("ix_authorization_codes_expires", "expires_at"),
)

# the hosted pages' `cognito` cookie: a browser signed in to a pool's domain, stored as
# the cookie's digest so /logout on any node ends it
browser_sessions = Table(
    "browser_sessions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("auth_time", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
    # the browser session as a user's SSO session (ListUserSessions): as for grants
    Column("session_id", String(28)),
    Column("client_id", String(128)),  # the app client the sign-in was for
    Column("created_at", Float),
    Column("last_active_at", Float),
    Column("device", String(1024)),
    Column("last_ip", String(128)),
    Index("ix_browser_sessions_expires", "expires_at"),
    Index("ix_browser_sessions_session", "session_id", unique=True),
    Index("ix_browser_sessions_user", "user_id"),
)

# a sign-in sent to an external IdP (federation): the digest of the opaque `state` sent
# upstream -> the sealed original authorization request, the nonce and PKCE verifier
federation_states = Table(
    "federation_states",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("provider_name", String(64), nullable=False),
    Column("request", Text, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_federation_states_expires", "expires_at"),
)

# each pool's SAML signing certificate (GetSigningCertificate; signed AuthnRequests),
# made on first use and kept: its key sealed with the master key
saml_certificates = Table(
    "saml_certificates",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("certificate", Text, nullable=False),  # base64 DER
    Column("private_key", Text, nullable=False),  # sealed PEM
    Column("created", Float, nullable=False),
)

# SAML assertions used to sign in, by the keyed digest of issuer and assertion ID: each
# is taken once, and kept until it could no longer be taken anyway
saml_assertions = Table(
    "saml_assertions",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_saml_assertions_expires", "expires_at"),
)

devices = Table(
    "devices",
    metadata,
    Column("device_key", String(64), primary_key=True),  # <region>_<uuid>
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("group_key", String(64), nullable=False),
    Column("salt", String(128)),  # hex; None until ConfirmDevice
    Column("verifier", Text),  # sealed; None until ConfirmDevice
    Column("name", String(1024)),
    Column("status", String(16)),  # remembered / not_remembered (None: never set)
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False),
    Column("authenticated_at", Float),
    Column("last_ip", String(64)),
    Index("ix_devices_user", "user_id", "created_at"),
)

# registered passkeys (WebAuthn credentials): the public key and signature counter their
# attestation proved; nothing secret (the private key never leaves the authenticator)
webauthn_credentials = Table(
    "webauthn_credentials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("credential_id", String(1400), nullable=False),  # base64url of up to 1023 bytes
    Column("public_key", LargeBinary, nullable=False),  # COSE_Key
    Column("sign_count", Integer, nullable=False),
    Column("transports", JSON, nullable=False),
    Column("friendly_name", String(256), nullable=False),
    Column("attachment", String(32)),
    Column("rp_id", String(127), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_used_at", Float),
    UniqueConstraint("pool_id", "credential_id", name="uq_webauthn_credentials_pool_id"),
    Index("ix_webauthn_credentials_user", "user_id", "id"),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("token_use", String(16), nullable=False),
    Column("private_pem", Text, nullable=False),  # sealed
    Column("created_at", Float, nullable=False),
    Index("ix_signing_keys_pool", "pool_id"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pool_id", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("recipient", String(2048), nullable=False),
    Column("subject", String(256)),
    Column("body", Text),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("created_at", Float, nullable=False),
    Column("sent_at", Float),
    Column("next_attempt_at", Float),  # a failed try is retried from then on
    Column("claimed_until", Float),  # a process is sending it; after this, another may
    Index("ix_outbox_recipient", "recipient"),
    Index("ix_outbox_due", "status", "next_attempt_at"),
)

auth_events = Table(
    "auth_events",
    metadata,
    # recorded only for pools with threat protection (AdvancedSecurityMode AUDIT/ENFORCED),
    # as Cognito does; `id` orders a user's events (newest first) and pages them
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("response", String(16), nullable=False),
    Column("risk", JSON, nullable=False),  # EventRiskType
    Column("challenges", JSON, nullable=False),  # ChallengeResponseListType
    Column("context", JSON, nullable=False),  # EventContextDataType
    # what newness is judged by: the address and a digest of the device
    Column("ip", String(64)),
    Column("device_key", String(64)),
    Column("feedback_value", String(16)),
    Column("feedback_provider", String(32)),
    Column("feedback_date", Float),
    Index("ix_auth_events_user", "user_id", "id"),
)

risk_configurations = Table(
    "risk_configurations",
    metadata,
    # one pool-wide row (client_id "") and any per-client ones, in SetRiskConfiguration's shape
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", String(128), primary_key=True),
    Column("config", JSON, nullable=False),
    Column("modified_at", Float, nullable=False),
)

log_delivery = Table(
    "log_delivery",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("config", JSON, nullable=False),  # LogConfigurationListType
)

trigger_invocations = Table(
    "trigger_invocations",
    metadata,
    # one row per Lambda trigger invocation, written in a short transaction of its own after
    # the function answered (never while it runs); `recognito triggers log` reads it
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("trigger", String(64), nullable=False),  # the LambdaConfig key
    Column("source", String(64), nullable=False),  # the event's triggerSource
    Column("arn", String(2048), nullable=False),
    Column("outcome", String(32), nullable=False),  # ok, or the error type answered
    Column("error", Text),
    Column("duration_ms", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_trigger_invocations_pool", "pool_id", "id"),
)

user_pool_domains = Table(
    "user_pool_domains",
    metadata,
    # a domain names one pool wherever it is looked up (API, Host header, path prefix)
    Column("domain", String(255), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("custom", Boolean, nullable=False),
    Column("certificate_arn", String(2048)),
    Column("managed_login_version", Integer),
    Column("cloudfront", String(255), nullable=False),
    Column("version", String(14), nullable=False),
    Column("created_at", Float, nullable=False),
    # a pool has at most one prefix and one custom domain, however many create at once
    UniqueConstraint("pool_id", "custom", name="uq_user_pool_domains_pool_kind"),
)

resource_servers = Table(
    "resource_servers",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("identifier", String(256), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("scopes", JSON, nullable=False),  # [ResourceServerScopeType]
    Column("created_at", Float, nullable=False),
)

identity_providers = Table(
    "identity_providers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("provider_name", String(32), nullable=False),
    Column("provider_type", String(32), nullable=False),
    # ProviderDetails as given, without its secrets (client_secret, Apple's private_key),
    # which are kept apart so they can be sealed
    Column("provider_details", JSON, nullable=False),
    Column("secrets", Text),  # sealed: a JSON object of the secret details
    Column("attribute_mapping", JSON, nullable=False),
    Column("idp_identifiers", JSON, nullable=False),
    Column("created", Float, nullable=False),
    Column("modified", Float, nullable=False),
    UniqueConstraint("pool_id", "provider_name", name="uq_identity_providers_pool_name"),
)

provider_links = Table(
    "provider_links",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("provider_name", String(32), primary_key=True),
    Column("attribute_name", String(128), primary_key=True),
    Column("attribute_value", String(2048), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", Float, nullable=False),
    Index("ix_provider_links_user", "user_id"),
)

# classic hosted-UI branding (SetUICustomization): the pool default under client_id 'ALL'
ui_customizations = Table(
    "ui_customizations",
    metadata,
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("client_id", String(128), primary_key=True),
    Column("css", Text),  # as given, echoed by GetUICustomization
    Column("safe_css", Text),  # what the pages serve (domain/branding_css.py)
    Column("css_version", String(64), nullable=False),
    Column("image", LargeBinary),
    Column("image_type", String(32)),  # its media type, sniffed from the bytes
    Column("created", Float, nullable=False),
    Column("modified", Float, nullable=False),
)

managed_login_brandings = Table(
    "managed_login_brandings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("use_cognito_values", Boolean, nullable=False),
    Column("settings", JSON),
    Column("assets", JSON, nullable=False),  # [AssetType] with Bytes in base64
    Column("created", Float, nullable=False),
    Column("modified", Float, nullable=False),
    # one style per app client
    UniqueConstraint("pool_id", "client_id", name="uq_managed_login_brandings_client"),
)

terms_documents = Table(
    "terms_documents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("terms_name", String(32), nullable=False),
    Column("terms_source", String(16), nullable=False),
    Column("enforcement", String(16), nullable=False),
    Column("links", JSON, nullable=False),
    Column("created", Float, nullable=False),
    Column("modified", Float, nullable=False),
    # one document of each name per app client
    UniqueConstraint("pool_id", "client_id", "terms_name", name="uq_terms_documents_client_name"),
)

# Client ID Metadata Document policies (api/cimd.py): URL patterns -> one app client
cimd_policies = Table(
    "cimd_policies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("name", String(128), nullable=False),
    Column("cache_duration", Integer),
    Column("url_patterns", JSON, nullable=False),
    Column("created", Float, nullable=False),
    Column("modified", Float, nullable=False),
    Index("ix_cimd_policies_pool", "pool_id", "id"),
)

# the client_id URLs a policy admitted, with the metadata document cached for each
cimd_urls = Table(
    "cimd_urls",
    metadata,
    Column(
        "policy_id",
        String(64),
        ForeignKey("cimd_policies.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("url", String(256), primary_key=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("document", Text),
    Column("cached_at", Float),
    Column("expires_at", Float),
)

user_import_jobs = Table(
    "user_import_jobs",
    metadata,
    # seq orders ListUserImportJobs pages (keyset); job_id is Cognito's JobId
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(64), nullable=False, unique=True),
    Column("pool_id", String(64), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("role_arn", String(2048), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),  # the upload URL's end, and a Created job's
    Column("started_at", Float),
    Column("completed_at", Float),
    Column("csv", LargeBinary),  # the uploaded file, dropped once the job ends
    Column("uploaded_at", Float),
    # progress, committed with each batch: a job a dead process held resumes after it
    Column("lines_done", Integer, nullable=False),
    Column("claimed_until", Float),
    Column("imported", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("message", Text),
    Index("ix_user_import_jobs_pool", "pool_id", "seq"),
    Index("ix_user_import_jobs_status", "status"),
)

user_import_errors = Table(
    "user_import_errors",
    metadata,
    # the job log: why each failed row failed (Cognito writes these to CloudWatch Logs)
    Column(
        "job_id",
        String(64),
        ForeignKey("user_import_jobs.job_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line", Integer, primary_key=True),
    Column("username", String(128)),
    Column("message", Text, nullable=False),
)
