"""`recognito seed apply FILE | export`: a declarative seed file applied to the store the
usual flags name (a server may be running on it), or the store written as one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from recognito.cli.flags import Commands, setting, settings_of, store_flags


def add_commands(commands: Commands) -> None:
    seed_cmd = commands.add_parser("seed", help="apply or export a declarative seed file")
    actions = seed_cmd.add_subparsers(dest="action", required=True)
    apply_cmd = actions.add_parser(
        "apply",
        help="create or update the file's pools, clients, groups and users, in one "
        "transaction; prints one line per change (none when nothing changed)",
    )
    apply_cmd.set_defaults(run=apply_seed)
    apply_cmd.add_argument("file", type=Path, help="the seed file (YAML)")
    store_flags(apply_cmd)
    setting(apply_cmd, "--region", "region of pools the file gives no Id (default: us-east-1)")
    setting(
        apply_cmd,
        "--password-hashing",
        "argon2id parameters of the passwords set: standard or fast (test suites only)",
        choices=("standard", "fast"),
    )
    export_cmd = actions.add_parser(
        "export", help="write every pool, client, group and user as a seed file to stdout"
    )
    export_cmd.set_defaults(run=export_seed)
    store_flags(export_cmd)
    export_cmd.add_argument(
        "--with-password-hashes",
        action="store_true",
        help="also write users' password hashes (argon2id and SRP verifier) and TOTP "
        "secrets: the file is then as secret as the passwords",
    )


def apply_file(settings_file: Path, services: object) -> list[str]:
    """Apply a seed file with built services; exits with the file's error."""
    from recognito.seed import SeedError, apply, load
    from recognito.service.context import Services

    assert isinstance(services, Services)
    try:
        return apply(services, load(settings_file))
    except SeedError as exc:
        sys.exit(f"recognito: {settings_file}: {exc}")


def apply_seed(args: argparse.Namespace) -> None:
    from recognito.app import build_services
    from recognito.crypto.at_rest import MasterKeyError

    try:
        services, _ = build_services(settings_of(args))
    except (ValueError, MasterKeyError) as exc:
        sys.exit(f"recognito: {exc}")
    changes = apply_file(args.file, services)
    for line in changes:
        print(line)
    print(
        f"{args.file}: {len(changes)} changes" if changes else f"{args.file}: nothing to change",
        file=sys.stderr,
    )


def export_seed(args: argparse.Namespace) -> None:
    import yaml

    from recognito.api import operations
    from recognito.app import build_services
    from recognito.crypto.at_rest import MasterKeyError
    from recognito.seed.export import export

    try:
        services, _ = build_services(settings_of(args))
    except (ValueError, MasterKeyError) as exc:
        sys.exit(f"recognito: {exc}")
    state = export(services, operations(), with_secrets=args.with_password_hashes)
    sys.stdout.write(yaml.safe_dump(state, sort_keys=False, allow_unicode=True))
