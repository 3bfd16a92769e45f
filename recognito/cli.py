"""`recognito serve | migrate | outbox | events | credentials create | master-key rotate |
keys rotate | keys list | triggers log | quotas show`; every serve flag also read from
RECOGNITO_<FLAG>."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recognito.config import Settings

_DEFAULTS = Settings()
DEFAULT_CREDENTIALS = "recognito-credentials.toml"


def _env(name: str, default: str | None) -> str | None:
    return os.environ.get(f"RECOGNITO_{name.upper().replace('-', '_')}", default)


def _setting(
    parser: argparse.ArgumentParser, flag: str, help: str | None = None, **options: Any
) -> None:
    """A flag of a `Settings` field: its default is the RECOGNITO_<FLAG> variable, else the
    field's default (argparse converts either with the field's type); a yes/no field is a
    switch, turned on by the flag or by the variable set to 1, true or yes."""
    name = flag.removeprefix("--")
    fallback = getattr(_DEFAULTS, name.replace("-", "_"))
    if isinstance(fallback, bool):
        on = (_env(name, "") or "").lower() in ("1", "true", "yes")
        parser.add_argument(flag, action="store_true", default=on or fallback, help=help)
        return
    if isinstance(fallback, int | float):
        options.setdefault("type", type(fallback))
    parser.add_argument(flag, default=_env(name, None) or fallback, help=help, **options)


def _store_flags(parser: argparse.ArgumentParser) -> None:
    _setting(
        parser, "--data-dir", "folder of the embedded SQLite database (default: ./recognito-data)"
    )
    _setting(
        parser,
        "--database-url",
        "use this database instead of SQLite, e.g. postgresql://user@host/db",
    )
    _setting(
        parser,
        "--master-key-file",
        "file of the master key secrets are sealed with (base64 of 32 random bytes); "
        "RECOGNITO_MASTER_KEY may hold the key itself; default with SQLite: "
        "DATA_DIR/master.key, made on first start; PostgreSQL needs one of the two",
        metavar="FILE",
    )


def _key_delay_flag(parser: argparse.ArgumentParser) -> None:
    _setting(
        parser,
        "--key-publish-delay",
        "seconds a rotated-in signing key is published in the JWKS before it signs, so "
        "relying parties' JWKS caches (ours say max-age=300) know it first (default: 600)",
    )


def _quotas_flag(parser: argparse.ArgumentParser) -> None:
    _setting(
        parser,
        "--quotas",
        "request-rate quotas per pool and category, answered with TooManyRequestsException: "
        "cognito (Cognito's defaults), off, or a TOML file of rates (default: cognito with "
        "--admin-credentials, else off)",
        metavar="cognito|off|FILE",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recognito", description="A self-hosted Amazon Cognito User Pools API."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the service")
    _setting(serve, "--host")
    _setting(serve, "--port")
    _store_flags(serve)
    _setting(serve, "--region")
    _setting(
        serve, "--smtp-url", "smtp://[user:pass@]host:port or smtps://...; default: the outbox"
    )
    _setting(serve, "--email-from")
    _setting(serve, "--sms-webhook-url", "POST each SMS as JSON here; default: the outbox")
    _setting(
        serve,
        "--public-url",
        "base URL in token issuers (default: http://HOST:PORT, https:// with TLS)",
    )
    _setting(serve, "--tls-cert", "serve https with this PEM certificate (chain)")
    _setting(serve, "--tls-key", "the PEM private key of --tls-cert")
    _setting(
        serve,
        "--tls-self-signed",
        "serve https with a certificate made for localhost, 127.0.0.1 and --host, kept in "
        "the data folder; its path and fingerprint are printed at start",
    )
    _setting(
        serve,
        "--admin-credentials",
        "TOML file of access key pairs admin (signed) operations must be SigV4-signed with "
        "(`recognito credentials create` makes one); without it admin calls are taken from "
        "this machine only, unverified",
        metavar="FILE",
    )
    _setting(
        serve,
        "--allow-remote-admin",
        "without --admin-credentials: accept admin operations, unauthenticated, from "
        "other machines too; only behind a trusted network",
    )
    _setting(
        serve,
        "--allowed-hosts",
        "comma-separated Host names admin operations may be called by, besides "
        "localhost, IP addresses, --host and the --public-url host; * for any",
    )
    _quotas_flag(serve)
    _setting(
        serve,
        "--max-body-size",
        "largest request body in bytes; larger ones get 413 (default: 1 MiB)",
    )
    _setting(
        serve,
        "--request-timeout",
        "seconds a client has to send a whole request before the connection is closed "
        "(default: 10)",
    )
    _setting(
        serve,
        "--max-connections",
        "open connections beyond this many are closed at once (default: 500)",
    )
    _setting(serve, "--workers", "server processes sharing the port (default: the machine's cores)")
    _setting(
        serve,
        "--delivery-attempts",
        "tries of a message before it is given up; retries wait 10 s, doubling to 15 min "
        "(default: 8)",
    )
    _key_delay_flag(serve)
    _setting(
        serve,
        "--key-rotation-days",
        "rotate every pool's signing keys when its newest is this many days old; each new "
        "key is published --key-publish-delay seconds before it signs (default: 0, never)",
    )
    _setting(
        serve,
        "--delivery-lease",
        "seconds a process holds the messages it claimed to send; a crashed process's "
        "messages are sent by another once it runs out (default: 60)",
    )
    _setting(
        serve,
        "--password-hashing",
        "argon2id parameters: standard (19 MiB, 2 passes; the default) or fast, for the test "
        "suites of apps under test only",
        choices=("standard", "fast"),
    )
    _setting(serve, "--log-level")
    _setting(
        serve,
        "--triggers",
        "TOML file mapping Lambda ARNs of the pools' LambdaConfig to an HTTP hook "
        '("http://...") or an in-process callable ("python:module:function")',
        metavar="FILE",
    )
    _setting(
        serve,
        "--lambda-endpoint-url",
        "Lambda Invoke API for ARNs --triggers does not map (AWS, SAM local, LocalStack); "
        "signed with the standard AWS credential chain in the ARN's region",
    )
    _setting(serve, "--trigger-timeout", "seconds a trigger function may take (default: 5)")
    _setting(
        serve,
        "--activity-log",
        "file the user-activity logs of SetLogDeliveryConfiguration are appended to as JSON "
        "lines, - for standard output (default: DATA_DIR/user-activity.jsonl)",
        metavar="FILE",
    )

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    _store_flags(migrate)

    credentials = commands.add_parser("credentials", help="manage admin credentials")
    actions = credentials.add_subparsers(dest="action", required=True)
    create = actions.add_parser(
        "create", help="make a new access key pair, append it to the file and print it"
    )
    create.add_argument(
        "--file",
        type=Path,
        default=_env("admin-credentials", None) or DEFAULT_CREDENTIALS,
        help="the --admin-credentials file (default: $RECOGNITO_ADMIN_CREDENTIALS, else "
        f"./{DEFAULT_CREDENTIALS})",
    )
    create.add_argument("--name", help="who uses it; named as the IAM user in access errors")
    create.add_argument(
        "--action",
        action="append",
        dest="actions",
        help="allow only this action (e.g. 'cognito-idp:Admin*'; repeatable; default: all)",
    )
    create.add_argument(
        "--resource",
        action="append",
        dest="resources",
        help="allow only this pool ARN pattern (e.g. "
        "'arn:aws:cognito-idp:*:*:userpool/us-east-1_*'; repeatable; default: all)",
    )

    master = commands.add_parser("master-key", help="manage the master key")
    master_actions = master.add_subparsers(dest="action", required=True)
    reseal = master_actions.add_parser(
        "rotate",
        help="re-seal every secret with a new master key, in one transaction; stop the "
        "servers first and start them with the new key after",
    )
    _store_flags(reseal)
    reseal.add_argument(
        "--new-key-file",
        type=Path,
        help="take the new key from this file, or make it there when the file does not "
        "exist (default: a new key replaces the current key file)",
    )

    keys = commands.add_parser("keys", help="rotate and list a pool's token signing keys")
    key_actions = keys.add_subparsers(dest="action", required=True)
    rotate = key_actions.add_parser(
        "rotate",
        help="add a new signing key pair to the pool; it is published at once and signs "
        "after --key-publish-delay; the old keys stay published until their tokens expired",
    )
    _store_flags(rotate)
    rotate.add_argument("--pool", required=True, help="the user pool id")
    _key_delay_flag(rotate)
    rotate.add_argument(
        "--now",
        action="store_true",
        help="sign with the new keys at once (an emergency): relying parties that cached "
        "the JWKS reject its tokens until they fetch it again",
    )
    listing = key_actions.add_parser("list", help="the pool's signing keys and their state")
    _store_flags(listing)
    listing.add_argument("--pool", required=True, help="the user pool id")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")

    outbox = commands.add_parser("outbox", help="list messages, latest first")
    _store_flags(outbox)
    outbox.add_argument("--to", help="only messages to this recipient")
    outbox.add_argument("--limit", type=int, default=20)
    outbox.add_argument("--json", action="store_true", help="one JSON object per line")
    events = commands.add_parser(
        "events", help="auth events of pools with threat protection, latest first"
    )
    _store_flags(events)
    events.add_argument("--pool", help="only this pool's events")
    events.add_argument("--user", help="only this user's (a user name; needs --pool)")
    events.add_argument("--limit", type=int, default=20)
    events.add_argument("--json", action="store_true", help="one JSON object per line")
    triggers = commands.add_parser("triggers", help="Lambda trigger invocations")
    trigger_actions = triggers.add_subparsers(dest="action", required=True)
    trigger_log = trigger_actions.add_parser("log", help="trigger invocations, latest first")
    _store_flags(trigger_log)
    trigger_log.add_argument("--pool", help="only this pool's invocations")
    trigger_log.add_argument("--limit", type=int, default=20)
    trigger_log.add_argument("--json", action="store_true", help="one JSON object per line")
    quotas = commands.add_parser("quotas", help="the request-rate quotas a server enforces")
    quota_actions = quotas.add_subparsers(dest="action", required=True)
    show = quota_actions.add_parser(
        "show",
        help="each category's requests per second, as `serve` with these flags enforces them "
        "(stands in for Cognito's GetProvisionedLimit)",
    )
    _quotas_flag(show)
    _setting(
        show,
        "--admin-credentials",
        "as given to `serve`: without --quotas, quotas apply with it and not without",
        metavar="FILE",
    )
    show.add_argument("--pool", help="the rates for this pool (its overrides in the file)")
    show.add_argument("--json", action="store_true", help="one JSON object")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    fields = {k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__}
    fields["data_dir"] = Path(fields["data_dir"])
    for name in ("tls_cert", "tls_key", "admin_credentials", "master_key_file", "triggers"):
        fields[name] = Path(fields[name]) if fields.get(name) else None
    if isinstance(fields.get("allowed_hosts"), str):  # given as a comma-separated list
        names = fields["allowed_hosts"].split(",")
        fields["allowed_hosts"] = tuple(n.strip().lower() for n in names if n.strip())
    return Settings(**fields)


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from recognito.app import WORKER_SETTINGS, build_services, configure_logging, tls_files
    from recognito.web.connections import GuardedHttpProtocol

    settings = _settings(args)
    configure_logging(settings)
    if settings.workers < 1:
        sys.exit("recognito: --workers must be at least 1")
    if settings.delivery_lease <= 0:
        sys.exit("recognito: --delivery-lease must be more than 0 seconds")
    if settings.key_publish_delay < 0 or settings.key_rotation_days < 0:
        sys.exit("recognito: --key-publish-delay and --key-rotation-days must not be negative")
    if settings.trigger_timeout <= 0:
        sys.exit("recognito: --trigger-timeout must be more than 0 seconds")
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
    services.store.engine.dispose()  # the workers open their own connections
    where = settings.database_url or str(settings.data_dir / "recognito.db")
    scheme = "https" if tls else "http"
    print(f"Recognito listening on {scheme}://{settings.host}:{settings.port}", flush=True)
    print(f"  store: {where}", flush=True)
    print(f"  messages: {deliverer.describe()}", flush=True)
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
    print(f"  {admin}", flush=True)
    print(f"  {quota_line}", flush=True)
    os.environ[WORKER_SETTINGS] = settings.to_json()
    uvicorn.run(
        "recognito.app:worker_app",
        factory=True,
        workers=settings.workers,
        host=settings.host,
        port=settings.port,
        http=GuardedHttpProtocol,
        log_level="warning",
        access_log=False,
        ssl_certfile=tls.cert if tls else None,
        ssl_keyfile=tls.key if tls else None,
    )


def _quotas(settings: Settings) -> str:
    """The start-up line on quotas; exits on a quotas file that does not parse."""
    from recognito.service.rate_quotas import configured, describe

    try:
        return describe(settings, configured(settings))
    except ValueError as exc:
        sys.exit(f"recognito: {exc}")


def quotas(args: argparse.Namespace) -> None:
    from recognito.domain.rate_quotas import ADJUSTABLE, DEFAULT_RPS, Category
    from recognito.service.rate_quotas import configured, describe

    credentials = Path(args.admin_credentials) if args.admin_credentials else None
    settings = Settings(quotas=args.quotas, admin_credentials=credentials)
    try:
        limits = configured(settings)
    except ValueError as exc:
        sys.exit(f"recognito: {exc}")
    pool = args.pool or "*"
    rates = {c.value: (limits.limit(pool, c) if limits is not None else None) for c in Category}
    per_ip = limits.ip_limit(pool) if limits is not None else None
    if args.json:
        shown = {"enforced": limits is not None, "categories": rates, "per_ip": per_ip}
        print(json.dumps(shown))
        return
    print(describe(settings, limits))
    if limits is None:
        return
    for category in Category:
        rate = rates[category.value]
        note = "" if rate == DEFAULT_RPS[category] else f" (Cognito: {DEFAULT_RPS[category]})"
        adjustable = " adjustable on Cognito" if category in ADJUSTABLE else ""
        shown_rate = "unlimited" if rate is None else f"{rate}/s"
        print(f"  {category.value:<24} {shown_rate:>10}{note}{adjustable}")
    print(f"  {'per address (public)':<24} {'unlimited' if per_ip is None else f'{per_ip}/s':>10}")


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


def credentials(args: argparse.Namespace) -> None:
    from recognito.protocol.iam import append, new_credential

    actions = tuple(args.actions or ("*",))
    resources = tuple(args.resources or ("*",))
    try:
        credential = new_credential(args.name, actions, resources)
        append(args.file, credential)
    except (ValueError, OSError) as exc:
        sys.exit(f"recognito: {exc}")
    # as shell variables, so `eval "$(recognito credentials create)"` configures a client
    print(f"AWS_ACCESS_KEY_ID={credential.access_key_id}")
    print(f"AWS_SECRET_ACCESS_KEY={credential.secret_access_key}")
    print(f"appended to {args.file}", file=sys.stderr)


def rotate_master_key(args: argparse.Namespace) -> None:
    """A new master key: written beside the current key file (FILE.new) first, every
    secret re-sealed in one transaction, then moved into place; an interruption leaves
    the database with one of the two keys, and the server's error names which."""
    from recognito.app import open_store
    from recognito.crypto.at_rest import MasterKey, MasterKeyError
    from recognito.store.db import Store
    from recognito.store.master_key import (
        key_file,
        master_key,
        pending_file,
        read_key,
        write_key,
    )
    from recognito.store.sealing import DIGEST_KEY, reseal

    settings = _settings(args)
    current = key_file(settings)
    try:
        engine = open_store(settings)
        old = master_key(settings, engine)
        if args.new_key_file is not None:
            target: Path = args.new_key_file
            if not target.exists():
                write_key(target, MasterKey.generate())
            new = read_key(target)
        elif current is None:
            sys.exit(
                "recognito: the master key comes from RECOGNITO_MASTER_KEY: give "
                "--new-key-file FILE for the new one"
            )
        else:
            target = pending_file(current)
            if target.exists():
                sys.exit(
                    f"recognito: {target} exists (an interrupted rotation?): the database "
                    f"opens with {current}; remove {target} and rotate again"
                )
            write_key(target, MasterKey.generate())
            new = read_key(target)
        if new.kid == old.kid:
            sys.exit(f"recognito: {target} holds the current master key")
        counts: dict[str, int] = {}
        with Store(engine, key=new).write() as tx:
            tx.meta.value(DIGEST_KEY, lock=True)  # other nodes' starts wait for us
            reseal(tx.conn, new, old, progress=counts.__setitem__)
        Store(engine).scrub()
    except (MasterKeyError, OSError) as exc:
        sys.exit(f"recognito: {exc}")
    for where, count in counts.items():
        print(f"  {where}: {count} re-sealed")
    print(f"secrets re-sealed with master key {new.kid} (was {old.kid})")
    if args.new_key_file is None and current is not None:
        os.replace(target, current)
        print(f"{current} holds the new key; the old key no longer opens this database")
    else:
        print(
            f"the new key is in {target}: start the servers with --master-key-file {target} "
            "(or RECOGNITO_MASTER_KEY set to its content); the old key no longer opens this "
            "database"
        )
    print("restart every server: a server still running has the old key")


def migrate(args: argparse.Namespace) -> None:
    from recognito.app import open_store

    open_store(_settings(args))
    print("schema is up to date")


def outbox(args: argparse.Namespace) -> None:
    from recognito.app import open_store
    from recognito.store.db import Store

    store = Store(open_store(_settings(args)))
    with store.read() as tx:
        rows = tx.outbox.rows(args.to, args.limit)
    for row in rows:
        if args.json:
            print(json.dumps(asdict(row)))
            continue
        when = datetime.fromtimestamp(row.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        print(f"#{row.id} {when} {row.channel} to {row.recipient} [{row.status}]")
        if row.subject:
            print(f"  subject: {row.subject}")
        if row.body:
            print(f"  {row.body}")
        if row.attempts:
            print(f"  tries: {row.attempts}")
        if row.error:
            print(f"  error: {row.error}")
        if row.status == "queued" and row.next_attempt_at is not None:
            retry = datetime.fromtimestamp(row.next_attempt_at, UTC).strftime("%H:%M:%S")
            print(f"  next try: {retry} UTC")


def keys(args: argparse.Namespace) -> None:
    from recognito.app import open_sealed_store
    from recognito.clock import SystemClock
    from recognito.crypto.at_rest import MasterKeyError
    from recognito.service.keys import KeyRing

    try:
        ring = KeyRing(open_sealed_store(_settings(args)))
    except MasterKeyError as exc:
        sys.exit(f"recognito: {exc}")
    now = SystemClock().now()
    if args.action == "rotate":
        if float(args.key_publish_delay) < 0:
            sys.exit("recognito: --key-publish-delay must not be negative")
        signs_from = now if args.now else now + float(args.key_publish_delay)
        try:
            kids = ring.rotate(args.pool, signs_from)
        except LookupError:
            sys.exit(f"recognito: User pool {args.pool} does not exist.")
        for kid in kids:
            print(f"added {kid}, signing from {_utc(signs_from)}")
        return
    for key in ring.states(args.pool, now):
        if args.json:
            print(json.dumps(asdict(key)))
            continue
        line = f"{key.kid}  {key.token_use:<6}  signs from {_utc(key.signs_from)}  {key.state}"
        if key.removed_after is not None:
            line += f" (removed after {_utc(key.removed_after)})"
        print(line)


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def events(args: argparse.Namespace) -> None:
    from recognito.app import open_sealed_store
    from recognito.crypto.at_rest import MasterKeyError

    if args.user and not args.pool:
        sys.exit("recognito: --user needs --pool")
    try:  # users' rows hold sealed secrets
        store = open_sealed_store(_settings(args))
    except MasterKeyError as exc:
        sys.exit(f"recognito: {exc}")
    with store.read() as tx:
        if args.user:
            user = tx.users.by_username(args.pool, args.user)
            if user is None:
                sys.exit(f"recognito: no user {args.user} in pool {args.pool}")
            rows = tx.events.page(user.id, None, args.limit)
        else:
            rows = tx.events.of_pool(args.pool, args.limit)
        names = {e.user_id: tx.users.by_id(e.user_id) for _, e in rows}
    for _, event in rows:
        user = names.get(event.user_id)
        record = {**asdict(event), "username": user.username if user else None}
        if args.json:
            print(json.dumps(record))
            continue
        when = datetime.fromtimestamp(event.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        risk = event.risk
        level = risk.get("RiskLevel", "-")
        print(
            f"{when} {event.pool_id} {record['username']} {event.event_type} "
            f"{event.response} risk={risk.get('RiskDecision')}/{level}"
            + (" compromised" if risk.get("CompromisedCredentialsDetected") else "")
        )
        where = ", ".join(f"{k}={v}" for k, v in event.context.items())
        if where:
            print(f"  {where}")
        if event.feedback_value:
            print(f"  feedback: {event.feedback_value} ({event.feedback_provider})")


def triggers(args: argparse.Namespace) -> None:
    from recognito.app import open_store
    from recognito.store.db import Store

    store = Store(open_store(_settings(args)))  # the log holds no sealed secret
    with store.read() as tx:
        rows = tx.triggers.latest(args.pool, args.limit)
    for row in rows:
        if args.json:
            print(json.dumps(asdict(row)))
            continue
        when = datetime.fromtimestamp(row.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        print(
            f"{when} {row.pool_id} {row.trigger} {row.source} {row.outcome} "
            f"{row.duration_ms:.1f} ms {row.arn}"
        )
        if row.error:
            print(f"  {row.error}")


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    commands = {
        "serve": serve,
        "migrate": migrate,
        "outbox": outbox,
        "credentials": credentials,
        "master-key": rotate_master_key,  # its one action
        "keys": keys,
        "events": events,
        "triggers": triggers,
        "quotas": quotas,  # its one action
    }
    commands[args.command](args)


if __name__ == "__main__":
    main()
