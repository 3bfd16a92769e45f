"""Flags shared by the commands; every `serve` flag is a `Settings` field, also read from
RECOGNITO_<FLAG>."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TypeAlias

from recognito.config import Settings

_DEFAULTS = Settings()
# what `add_subparsers` returns: each command family adds its commands to it
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def env(name: str, default: str | None) -> str | None:
    return os.environ.get(f"RECOGNITO_{name.upper().replace('-', '_')}", default)


def setting(
    parser: argparse.ArgumentParser, flag: str, help: str | None = None, **options: Any
) -> None:
    """A flag of a `Settings` field: its default is the RECOGNITO_<FLAG> variable, else the
    field's default (argparse converts either with the field's type); a yes/no field is a
    switch, turned on by the flag or by the variable set to 1, true or yes."""
    name = flag.removeprefix("--")
    fallback = getattr(_DEFAULTS, name.replace("-", "_"))
    if isinstance(fallback, bool):
        on = (env(name, "") or "").lower() in ("1", "true", "yes")
        parser.add_argument(flag, action="store_true", default=on or fallback, help=help)
        return
    if isinstance(fallback, int | float):
        options.setdefault("type", type(fallback))
    parser.add_argument(flag, default=env(name, None) or fallback, help=help, **options)


def store_flags(parser: argparse.ArgumentParser) -> None:
    setting(
        parser, "--data-dir", "folder of the embedded SQLite database (default: ./recognito-data)"
    )
    setting(
        parser,
        "--database-url",
        "use this database instead of SQLite, e.g. postgresql://user@host/db",
    )
    setting(
        parser,
        "--master-key-file",
        "file of the master key secrets are sealed with (base64 of 32 random bytes); "
        "RECOGNITO_MASTER_KEY may hold the key itself; default with SQLite: "
        "DATA_DIR/master.key, made on first start; PostgreSQL needs one of the two",
        metavar="FILE",
    )


def key_delay_flag(parser: argparse.ArgumentParser) -> None:
    setting(
        parser,
        "--key-publish-delay",
        "seconds a rotated-in signing key is published in the JWKS before it signs, so "
        "relying parties' JWKS caches (ours say max-age=300) know it first (default: 600)",
    )


def quotas_flag(parser: argparse.ArgumentParser) -> None:
    setting(
        parser,
        "--quotas",
        "request-rate quotas per pool and category, answered with TooManyRequestsException: "
        "cognito (Cognito's defaults), off, or a TOML file of rates (default: cognito with "
        "--admin-credentials, else off)",
        metavar="cognito|off|FILE",
    )


def settings_of(args: argparse.Namespace) -> Settings:
    fields = {k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__}
    fields["data_dir"] = Path(fields["data_dir"])
    for name in (
        "tls_cert",
        "tls_key",
        "admin_credentials",
        "master_key_file",
        "triggers",
        "sender_key_file",
        "seed",
    ):
        fields[name] = Path(fields[name]) if fields.get(name) else None
    if isinstance(fields.get("allowed_hosts"), str):  # given as a comma-separated list
        names = fields["allowed_hosts"].split(",")
        fields["allowed_hosts"] = tuple(n.strip().lower() for n in names if n.strip())
    if isinstance(fields.get("social_idp_endpoints"), str):  # TYPE=URL,TYPE=URL
        fields["social_idp_endpoints"] = social_endpoints(fields["social_idp_endpoints"])
    return Settings(**fields)


SOCIAL_TYPES = ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple")


def social_endpoints(text: str) -> tuple[str, ...]:
    """`--social-idp-endpoints`, checked: each entry a social type and an http(s) URL."""
    entries = tuple(e.strip() for e in text.split(",") if e.strip())
    for entry in entries:
        kind, _, url = entry.partition("=")
        if kind not in SOCIAL_TYPES or not url.startswith(("https://", "http://")):
            raise SystemExit(
                f"--social-idp-endpoints: {entry!r} is not TYPE=URL with TYPE one of "
                f"{', '.join(SOCIAL_TYPES)}"
            )
    return entries
