"""`recognito serve`: the service, its settings, and what it says at start."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile

from recognito.cli.flags import (
    Commands,
    key_delay_flag,
    quotas_flag,
    setting,
    settings_of,
    store_flags,
)
from recognito.config import Settings


def add_commands(commands: Commands) -> None:
    serve_cmd = commands.add_parser("serve", help="run the service")
    serve_cmd.set_defaults(run=serve)
    setting(serve_cmd, "--host")
    setting(serve_cmd, "--port")
    store_flags(serve_cmd)
    setting(serve_cmd, "--region")
    setting(
        serve_cmd, "--smtp-url", "smtp://[user:pass@]host:port or smtps://...; default: the outbox"
    )
    setting(serve_cmd, "--email-from")
    setting(serve_cmd, "--sms-webhook-url", "POST each SMS as JSON here; default: the outbox")
    setting(
        serve_cmd,
        "--public-url",
        "base URL in token issuers (default: http://HOST:PORT, https:// with TLS)",
    )
    setting(serve_cmd, "--tls-cert", "serve https with this PEM certificate (chain)")
    setting(serve_cmd, "--tls-key", "the PEM private key of --tls-cert")
    setting(
        serve_cmd,
        "--tls-self-signed",
        "serve https with a certificate made for localhost, 127.0.0.1 and --host, kept in "
        "the data folder; its path and fingerprint are printed at start",
    )
    setting(
        serve_cmd,
        "--domain-suffix",
        "a prefix domain answers to Host <prefix>.auth.<region>.SUFFIX besides "
        "<prefix>.auth.<region>.amazoncognito.com (default: localhost, which browsers "
        "resolve to this machine)",
    )
    setting(
        serve_cmd,
        "--issuer-base",
        "base URL of token issuers instead of --public-url; {region} stands for the pool's "
        "region, e.g. https://cognito-idp.{region}.amazonaws.com when that name is pointed "
        "at this server",
    )
    setting(
        serve_cmd,
        "--discovery-domain-form",
        "how discovery documents give a pool domain's endpoints: path "
        "(PUBLIC_URL/_domain/DOMAIN, the default, no DNS needed) or host (the domain's own "
        "host name: PREFIX.auth.REGION.SUFFIX or the custom domain)",
        choices=("path", "host"),
    )
    setting(
        serve_cmd,
        "--discovery-pkce",
        "discovery documents also list code_challenge_methods_supported [S256] (which "
        "Cognito's do not; MCP clients require it) and are served at "
        "/POOL_ID/.well-known/oauth-authorization-server too",
    )
    setting(
        serve_cmd,
        "--admin-credentials",
        "TOML file of access key pairs admin (signed) operations must be SigV4-signed with "
        "(`recognito credentials create` makes one); without it admin calls are taken from "
        "this machine only, unverified",
        metavar="FILE",
    )
    setting(
        serve_cmd,
        "--allow-remote-admin",
        "without --admin-credentials: accept admin operations, unauthenticated, from "
        "other machines too; only behind a trusted network",
    )
    setting(
        serve_cmd,
        "--allowed-hosts",
        "comma-separated Host names admin operations may be called by, besides "
        "localhost, IP addresses, --host and the --public-url host; * for any",
    )
    quotas_flag(serve_cmd)
    setting(
        serve_cmd,
        "--max-body-size",
        "largest request body in bytes; larger ones get 413 (default: 1 MiB)",
    )
    setting(
        serve_cmd,
        "--request-timeout",
        "seconds a client has to send a whole request before the connection is closed "
        "(default: 10)",
    )
    setting(
        serve_cmd,
        "--max-connections",
        "open connections beyond this many are closed at once (default: 500)",
    )
    setting(
        serve_cmd, "--workers", "server processes sharing the port (default: the machine's cores)"
    )
    setting(
        serve_cmd,
        "--delivery-attempts",
        "tries of a message before it is given up; retries wait 10 s, doubling to 15 min "
        "(default: 8)",
    )
    key_delay_flag(serve_cmd)
    setting(
        serve_cmd,
        "--key-rotation-days",
        "rotate every pool's signing keys when its newest is this many days old; each new "
        "key is published --key-publish-delay seconds before it signs (default: 0, never)",
    )
    setting(
        serve_cmd,
        "--delivery-lease",
        "seconds a process holds the messages it claimed to send; a crashed process's "
        "messages are sent by another once it runs out (default: 60)",
    )
    setting(
        serve_cmd,
        "--password-hashing",
        "argon2id parameters: standard (19 MiB, 2 passes; the default) or fast, for the test "
        "suites of apps under test only",
        choices=("standard", "fast"),
    )
    setting(serve_cmd, "--log-level")
    setting(
        serve_cmd,
        "--log-format",
        "text (the default) or json: one JSON object a line (time, level, logger, message, "
        "request_id), uvicorn's access log included",
        choices=("text", "json"),
    )
    setting(
        serve_cmd,
        "--metrics",
        "GET /metrics, Prometheus' text format summed over the workers: local (loopback "
        "clients only; the default), open (any client: keep the port on a trusted network) "
        "or off",
        choices=("local", "open", "off"),
    )
    setting(
        serve_cmd,
        "--triggers",
        "TOML file mapping Lambda ARNs of the pools' LambdaConfig to an HTTP hook "
        '("http://...") or an in-process callable ("python:module:function")',
        metavar="FILE",
    )
    setting(
        serve_cmd,
        "--lambda-endpoint-url",
        "Lambda Invoke API for ARNs --triggers does not map (AWS, SAM local, LocalStack); "
        "signed with the standard AWS credential chain in the ARN's region",
    )
    setting(serve_cmd, "--trigger-timeout", "seconds a trigger function may take (default: 5)")
    setting(
        serve_cmd,
        "--federation-timeout",
        "seconds each call to an external identity provider may take (default: 10)",
    )
    setting(
        serve_cmd,
        "--federation-nonce",
        "the nonce in ID tokens of federated sign-ins when the app sent none: app (none, "
        "the default) or cognito (Cognito's own, injected as AWS does)",
        choices=("app", "cognito"),
    )
    setting(
        serve_cmd,
        "--cimd-allow-loopback",
        "for tests: accept client ID metadata document URLs on loopback "
        "(http://127.0.0.1:PORT/..., http://localhost:PORT/..., http://[::1]:PORT/...), "
        "matched against CIMD policies as if https",
    )
    setting(
        serve_cmd,
        "--kms-endpoint-url",
        "KMS API the codes of CustomEmailSender/CustomSMSSender are encrypted with, under the "
        "pool's KMSKeyID (AWS Encryption SDK; standard AWS credential chain, the pool's region)",
    )
    setting(
        serve_cmd,
        "--sender-key-file",
        "offline, not AWS: encrypt the custom senders' codes with this raw AES-256 key "
        "(base64 of 32 bytes) instead of KMS",
        metavar="FILE",
    )
    setting(
        serve_cmd,
        "--activity-log",
        "file the user-activity logs of SetLogDeliveryConfiguration are appended to as JSON "
        "lines, - for standard output (default: DATA_DIR/user-activity.jsonl)",
        metavar="FILE",
    )
    setting(
        serve_cmd,
        "--seed",
        "a seed file (YAML) of pools, clients, groups and users applied at start, and again "
        "by the test API's reset",
        metavar="FILE",
    )
    setting(
        serve_cmd,
        "--test-api",
        "serve the test-control API under /_recognito/ (clock, codes sent, fixed codes, "
        "expired tokens, reset): for test suites, on loopback, in one process",
    )
    setting(
        serve_cmd,
        "--social-idp-endpoints",
        "comma-separated TYPE=BASE_URL pairs pointing social identity providers at a "
        "stand-in, e.g. a local one for tests: Google at an OIDC issuer (its endpoints "
        "discovered from BASE_URL/.well-known/openid-configuration, e.g. a Recognito "
        "pool's issuer); Facebook, LoginWithAmazon and SignInWithApple at their "
        "public endpoints' paths under BASE_URL (/v17.0/dialog/oauth, /ap/oa, /auth/token, "
        "...; Apple's issuer is BASE_URL)",
        metavar="TYPE=URL,...",
    )


def serve(args: argparse.Namespace) -> None:
    settings = settings_of(args)
    # before prometheus_client is imported here or in a worker: every process counts in
    # files of this folder, which /metrics sums (recognito/metrics.py)
    counts = tempfile.mkdtemp(prefix="recognito-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = counts
    try:
        _serve(settings)
    finally:
        shutil.rmtree(counts, ignore_errors=True)


def _serve(settings: Settings) -> None:
    import uvicorn

    from recognito.app import WORKER_SETTINGS, build_services, configure_logging, tls_files
    from recognito.web.connections import GuardedHttpProtocol

    configure_logging(settings)
    if settings.workers < 1:
        sys.exit("recognito: --workers must be at least 1")
    if settings.delivery_lease <= 0:
        sys.exit("recognito: --delivery-lease must be more than 0 seconds")
    if settings.key_publish_delay < 0 or settings.key_rotation_days < 0:
        sys.exit("recognito: --key-publish-delay and --key-rotation-days must not be negative")
    if settings.trigger_timeout <= 0:
        sys.exit("recognito: --trigger-timeout must be more than 0 seconds")
    if settings.federation_timeout <= 0:
        sys.exit("recognito: --federation-timeout must be more than 0 seconds")
    if settings.test_api:
        from recognito.protocol.admission import is_loopback

        if not is_loopback(settings.host):
            sys.exit(
                "recognito: --test-api resets and rewinds the store: it is served on a "
                "loopback --host only"
            )
        # its clock, fixed codes and codes sent live in the process: one serves them all
        settings = dataclasses.replace(settings, workers=1)
    admin = _admin_access(settings)
    quota_line = _quotas(settings)
    try:
        tls = tls_files(settings)
    except ValueError as exc:
        sys.exit(f"recognito: {exc}")
    try:  # migrations, the instance key and the delivery URLs, once, before any worker
        services, deliverer = build_services(settings)
    except ValueError as exc:  # bad SMTP / webhook URL, a missing or wrong master key
        sys.exit(f"recognito: {exc}")
    seeded = None
    if settings.seed is not None:
        from recognito.cli.seed import apply_file

        seeded = apply_file(settings.seed, services)
    services.store.engine.dispose()  # the workers open their own connections
    where = settings.database_url or str(settings.data_dir / "recognito.db")
    scheme = "https" if tls else "http"
    print(f"Recognito listening on {scheme}://{settings.host}:{settings.port}", flush=True)
    print(f"  store: {where}", flush=True)
    print(f"  messages: {deliverer.describe()}", flush=True)
    if settings.kms_endpoint_url:
        print(
            f"  custom senders: codes encrypted with KMS at {settings.kms_endpoint_url}",
            flush=True,
        )
    elif settings.sender_key_file:
        print(
            f"  custom senders: codes encrypted OFFLINE with the raw AES key "
            f"{settings.sender_key_file} (not AWS KMS: for local use)",
            flush=True,
        )
    print(f"  workers: {settings.workers} processes", flush=True)
    if tls and tls.fingerprint:
        print(
            f"  tls: self-signed certificate {tls.cert} (SHA-256 {tls.fingerprint}); "
            f"clients trust it with AWS_CA_BUNDLE={tls.cert}",
            flush=True,
        )
    if settings.password_hashing == "fast":
        print(
            "  warning: password hashing is fast (argon2id with 8 KiB, 1 pass): for test "
            "suites only, never for real passwords",
            flush=True,
        )
    if seeded is not None:
        print(f"  seed: {settings.seed}, {len(seeded)} changes", flush=True)
        for line in seeded:
            print(f"    {line}", flush=True)
    if settings.test_api:
        print(
            f"  test API: {scheme}://{settings.host}:{settings.port}/_recognito/ "
            "(clock, codes, reset; described at /_recognito/openapi.json)",
            flush=True,
        )
    print(f"  {admin}", flush=True)
    print(f"  {quota_line}", flush=True)
    print(f"  {_metrics_line(settings)}", flush=True)
    os.environ[WORKER_SETTINGS] = settings.to_json()
    as_json = settings.log_format == "json"
    uvicorn.run(
        "recognito.app:worker_app",
        factory=True,
        workers=settings.workers,
        host=settings.host,
        port=settings.port,
        http=GuardedHttpProtocol,
        # json: uvicorn's loggers, its access log too, go to the root logger's JSON lines
        # at --log-level (configure_logging); text: its own format, trouble only
        log_config=None if as_json else uvicorn.config.LOGGING_CONFIG,
        log_level=None if as_json else "warning",
        access_log=as_json,
        ssl_certfile=tls.cert if tls else None,
        ssl_keyfile=tls.key if tls else None,
    )


def _metrics_line(settings: Settings) -> str:
    if settings.metrics == "off":
        return "metrics: off"
    if settings.metrics == "open":
        return "metrics: /metrics to any client (--metrics open)"
    return "metrics: /metrics to this machine only (--metrics open for a remote scraper)"


def _quotas(settings: Settings) -> str:
    """The start-up line on quotas; exits on a quotas file that does not parse."""
    from recognito.service.rate_quotas import configured, describe

    try:
        return describe(settings, configured(settings))
    except ValueError as exc:
        sys.exit(f"recognito: {exc}")


def _admin_access(settings: Settings) -> str:
    """How admin calls are admitted, as the start-up line says it; exits when the server
    would be reachable from other machines with admin calls unauthenticated."""
    from recognito.protocol.admission import is_loopback
    from recognito.protocol.iam import load

    if settings.admin_credentials is not None:
        try:
            count = len(load(settings.admin_credentials))
        except ValueError as exc:
            sys.exit(f"recognito: --admin-credentials {exc}")
        if count == 0:
            sys.exit(
                f"recognito: --admin-credentials {settings.admin_credentials} holds no "
                "[[credential]]; add one with `recognito credentials create`"
            )
        return f"admin: SigV4-signed, {count} credentials in {settings.admin_credentials}"
    if settings.allow_remote_admin:
        return (
            "warning: admin operations are accepted from any address and are not "
            "authenticated (--allow-remote-admin without --admin-credentials); keep this "
            "port on a trusted network"
        )
    if not is_loopback(settings.host):
        sys.exit(
            f"recognito: --host {settings.host} is reachable from other machines, so admin "
            "operations must be authenticated: give --admin-credentials FILE (make one with "
            "`recognito credentials create --file FILE`), or, on a trusted network only, "
            "--allow-remote-admin"
        )
    return (
        "warning: admin operations are not authenticated (no --admin-credentials): taken "
        "from this machine only, with any credentials"
    )
