"""Secrets and limits: `credentials create`, `master-key rotate`, `keys rotate|list`,
`quotas show`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from recognito.cli.flags import (
    Commands,
    env,
    key_delay_flag,
    quotas_flag,
    setting,
    settings_of,
    store_flags,
)
from recognito.config import Settings

DEFAULT_CREDENTIALS = "recognito-credentials.toml"


def add_commands(commands: Commands) -> None:
    credentials_cmd = commands.add_parser("credentials", help="manage admin credentials")
    credentials_cmd.set_defaults(run=credentials)
    actions = credentials_cmd.add_subparsers(dest="action", required=True)
    create = actions.add_parser(
        "create", help="make a new access key pair, append it to the file and print it"
    )
    create.add_argument(
        "--file",
        type=Path,
        default=env("admin-credentials", None) or DEFAULT_CREDENTIALS,
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

    master_cmd = commands.add_parser("master-key", help="manage the master key")
    master_cmd.set_defaults(run=rotate_master_key)
    master_actions = master_cmd.add_subparsers(dest="action", required=True)
    reseal = master_actions.add_parser(
        "rotate",
        help="re-seal every secret with a new master key, in one transaction; stop the "
        "servers first and start them with the new key after",
    )
    store_flags(reseal)
    reseal.add_argument(
        "--new-key-file",
        type=Path,
        help="take the new key from this file, or make it there when the file does not "
        "exist (default: a new key replaces the current key file)",
    )

    keys_cmd = commands.add_parser("keys", help="rotate and list a pool's token signing keys")
    keys_cmd.set_defaults(run=keys)
    key_actions = keys_cmd.add_subparsers(dest="action", required=True)
    rotate = key_actions.add_parser(
        "rotate",
        help="add a new signing key pair to the pool; it is published at once and signs "
        "after --key-publish-delay; the old keys stay published until their tokens expired",
    )
    store_flags(rotate)
    rotate.add_argument("--pool", required=True, help="the user pool id")
    key_delay_flag(rotate)
    rotate.add_argument(
        "--now",
        action="store_true",
        help="sign with the new keys at once (an emergency): relying parties that cached "
        "the JWKS reject its tokens until they fetch it again",
    )
    listing = key_actions.add_parser("list", help="the pool's signing keys and their state")
    store_flags(listing)
    listing.add_argument("--pool", required=True, help="the user pool id")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")

    quotas_cmd = commands.add_parser("quotas", help="the request-rate quotas a server enforces")
    quotas_cmd.set_defaults(run=quotas)
    quota_actions = quotas_cmd.add_subparsers(dest="action", required=True)
    show = quota_actions.add_parser(
        "show",
        help="each category's requests per second, as `serve` with these flags enforces them "
        "(stands in for Cognito's GetProvisionedLimit)",
    )
    quotas_flag(show)
    setting(
        show,
        "--admin-credentials",
        "as given to `serve`: without --quotas, quotas apply with it and not without",
        metavar="FILE",
    )
    show.add_argument("--pool", help="the rates for this pool (its overrides in the file)")
    show.add_argument("--json", action="store_true", help="one JSON object")


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

    settings = settings_of(args)
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


def keys(args: argparse.Namespace) -> None:
    from recognito.app import open_sealed_store
    from recognito.clock import SystemClock
    from recognito.crypto.at_rest import MasterKeyError
    from recognito.service.keys import KeyRing

    try:
        ring = KeyRing(open_sealed_store(settings_of(args)))
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
