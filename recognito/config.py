"""Settings: every flag of `recognito serve` also read from a RECOGNITO_* variable."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 9229
    data_dir: Path = Path("recognito-data")
    database_url: str | None = None  # default: SQLite in data_dir
    # the key secrets at rest are sealed with (store/master_key.py); RECOGNITO_MASTER_KEY
    # may carry the key itself instead, and SQLite's default is data_dir/master.key
    master_key_file: Path | None = None
    region: str = "us-east-1"
    smtp_url: str | None = None
    email_from: str = "no-reply@verificationemail.com"
    sms_webhook_url: str | None = None
    public_url: str | None = None  # default: http://host:port
    # TOML file of access key pairs admin calls must be SigV4-signed with (protocol/iam.py);
    # none: the developer default, admin calls from loopback clients only, not verified
    admin_credentials: Path | None = None
    # without admin credentials, take admin calls from any address (a trusted network)
    allow_remote_admin: bool = False
    # Host names admin calls may use besides loopback names, IP addresses, --host and
    # the --public-url host (DNS rebinding); "*" accepts any
    allowed_hosts: tuple[str, ...] = ()
    # request-rate quotas (service/rate_quotas.py): "cognito" (Cognito's defaults, per
    # pool), "off", or a TOML file; default: "cognito" with admin_credentials, else "off"
    quotas: str | None = None
    max_body_size: int = 1024 * 1024  # bytes; Cognito's largest requests are a few 100 KB
    request_timeout: float = 10.0  # seconds to send a whole request (head and body)
    max_connections: int = 500  # open connections beyond this are closed at once
    workers: int = os.cpu_count() or 1  # server processes sharing the port
    delivery_attempts: int = 8  # tries before a message is given up
    delivery_lease: float = 60.0  # seconds a process holds the messages it claimed to send
    # signing keys: seconds a rotated-in key is published before it signs, and days
    # between scheduled rotations (0: none; `recognito keys rotate` rotates by hand)
    key_publish_delay: float = 600.0
    key_rotation_days: float = 0.0
    password_hashing: str = "standard"  # or "fast", for the test suites of apps under test
    log_level: str = "info"
    log_format: str = "text"  # or "json": one object a line, with request ids (logs.py)
    # GET /metrics (Prometheus): "local" (loopback clients only, as unauthenticated admin
    # calls), "open" (any client: a scraper on a trusted network) or "off"
    metrics: str = "local"
    # where SetLogDeliveryConfiguration's user-activity logs go as JSON lines: a file
    # ("-": standard output); default: user-activity.jsonl in data_dir
    activity_log: str | None = None
    # https: a certificate and key of the operator's, or one made for local use
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_self_signed: bool = False
    # Lambda triggers: a TOML file mapping function ARNs to an HTTP hook ("http://...") or
    # an in-process callable ("python:module:function"); ARNs it does not map go to the
    # Lambda Invoke API at lambda_endpoint_url (SigV4, the standard AWS credential chain)
    triggers: Path | None = None
    lambda_endpoint_url: str | None = None
    trigger_timeout: float = 5.0  # seconds a function may take, as Cognito's fixed limit
    # user pool domains (web/domains.py): besides <prefix>.auth.<region>.amazoncognito.com,
    # a prefix domain answers to <prefix>.auth.<region>.<domain_suffix>
    domain_suffix: str = "localhost"
    # the base of token issuers (`iss`, discovery's `issuer`): default the public URL; may
    # name the pool's region as {region}, e.g. Cognito's own
    # "https://cognito-idp.{region}.amazonaws.com" for setups that point that name here
    issuer_base: str | None = None
    # where discovery says a pool's domain endpoints are: "path" (the public URL's
    # /_domain/<domain>, works without DNS) or "host" (the domain's own host name)
    discovery_domain_form: str = "path"
    # discovery adds code_challenge_methods_supported ["S256"], which Cognito does not
    # list but MCP clients insist on, and serves /.well-known/oauth-authorization-server
    discovery_pkce: bool = False
    # CustomEmailSender/CustomSMSSender codes are encrypted with the AWS Encryption SDK:
    # a KMS master key for the pool's KMSKeyID at this KMS endpoint (standard credential
    # chain, the pool's region), or offline (not AWS) with a raw AES-256 key from a file
    kms_endpoint_url: str | None = None
    sender_key_file: Path | None = None
    # federation (signin/federation.py): seconds each call to an external IdP may take, and
    # whose nonce an ID token of a federated sign-in carries when the app sent none: "app"
    # (none, what RPs expect) or "cognito" (Cognito's own, injected as AWS does)
    federation_timeout: float = 10.0
    federation_nonce: str = "app"
    # Client ID Metadata Documents (service/cimd.py): a client_id URL on loopback
    # (http://127.0.0.1, http://localhost, [::1]) is fetched too; for tests only
    cimd_allow_loopback: bool = False
    # social identity providers (Google, Facebook, ...) pointed at a stand-in, as
    # "TYPE=BASE_URL": Google's issuer becomes BASE_URL (its endpoints discovered), the
    # others' endpoints their public paths under BASE_URL (domain/identity_providers.py)
    social_idp_endpoints: tuple[str, ...] = ()
    # a seed file (recognito/seed/) applied at start, and again by the test API's reset
    seed: Path | None = None
    # the test-control API under /_recognito/ (web/test_api.py): clock, codes, reset
    test_api: bool = False

    @property
    def tls(self) -> bool:
        return self.tls_self_signed or self.tls_cert is not None

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return (self.public_url or f"{scheme}://{self.host}:{self.port}").rstrip("/")

    @property
    def activity_log_path(self) -> Path | None:
        """The activity log's file, or None for standard output."""
        if self.activity_log == "-":
            return None
        return (
            Path(self.activity_log) if self.activity_log else self.data_dir / "user-activity.jsonl"
        )

    def issuer(self, pool_id: str) -> str:
        if self.issuer_base:
            region = pool_id.split("_", 1)[0]
            return f"{self.issuer_base.replace('{region}', region).rstrip('/')}/{pool_id}"
        return f"{self.base_url}/{pool_id}"

    @property
    def social_bases(self) -> dict[str, str]:
        """The social types pointed elsewhere (social_idp_endpoints), by type."""
        return dict(entry.split("=", 1) for entry in self.social_idp_endpoints)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        fields: dict[str, Any] = json.loads(text)
        for name in (
            "data_dir",
            "tls_cert",
            "tls_key",
            "admin_credentials",
            "master_key_file",
            "triggers",
            "sender_key_file",
            "seed",
        ):
            if fields.get(name) is not None:
                fields[name] = Path(fields[name])
        fields["allowed_hosts"] = tuple(fields["allowed_hosts"])
        fields["social_idp_endpoints"] = tuple(fields.get("social_idp_endpoints", ()))
        return cls(**fields)
