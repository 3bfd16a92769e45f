"""`recognito serve | migrate | outbox | events | triggers log | credentials create |
master-key rotate | keys rotate|list | quotas show | seed apply|export |
users import|export|import-log`: one module per family of commands; every serve flag is
also read from RECOGNITO_<FLAG>."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from recognito.cli import admin, listings, seed, serve, users


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="recognito", description="A self-hosted Amazon Cognito User Pools API."
    )
    commands = found.add_subparsers(dest="command", required=True)
    for family in (serve, listings, admin, seed, users):
        family.add_commands(commands)
    return found


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
