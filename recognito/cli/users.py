"""A pool's users in and out as CSV files: `users import`, `users export`,
`users import-log` (the failed rows of an import job)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from recognito.cli.flags import Commands, settings_of, store_flags

if TYPE_CHECKING:
    from recognito.store.db import Store


def add_commands(commands: Commands) -> None:
    users_cmd = commands.add_parser("users", help="import and export a pool's users (CSV)")
    actions = users_cmd.add_subparsers(dest="action", required=True)

    import_cmd = actions.add_parser(
        "import", help="import users from a CSV file in GetCSVHeader's format (RESET_REQUIRED)"
    )
    import_cmd.set_defaults(run=import_users)
    store_flags(import_cmd)
    import_cmd.add_argument("file", type=Path, help="the CSV file")
    import_cmd.add_argument("--user-pool-id", required=True)
    import_cmd.add_argument("--job-name", default="recognito-cli")

    export_cmd = actions.add_parser(
        "export", help="write the pool's users as CSV in GetCSVHeader's format to stdout"
    )
    export_cmd.set_defaults(run=export_users)
    store_flags(export_cmd)
    export_cmd.add_argument("--user-pool-id", required=True)

    log_cmd = actions.add_parser("import-log", help="the failed rows of an import job")
    log_cmd.set_defaults(run=import_log)
    store_flags(log_cmd)
    log_cmd.add_argument("job_id", help="the JobId (import-...)")


def _store(args: argparse.Namespace) -> Store:
    from recognito.app import open_sealed_store
    from recognito.crypto.at_rest import MasterKeyError

    try:
        return open_sealed_store(settings_of(args))
    except MasterKeyError as exc:
        sys.exit(f"recognito: {exc}")


def import_users(args: argparse.Namespace) -> None:
    from recognito.clock import SystemClock
    from recognito.domain.user_imports import MAX_FILE_BYTES, SUCCEEDED
    from recognito.service.user_imports import import_now

    if args.file.stat().st_size > MAX_FILE_BYTES:
        sys.exit(f"recognito: {args.file} is larger than {MAX_FILE_BYTES} bytes")
    store = _store(args)
    with store.read() as tx:
        if tx.pools.get(args.user_pool_id) is None:
            sys.exit(f"recognito: no user pool {args.user_pool_id}")
    job = import_now(store, SystemClock(), args.user_pool_id, args.job_name, args.file.read_bytes())
    print(
        f"{job.job_id} {job.status}: imported {job.imported}, failed {job.failed}, "
        f"skipped {job.skipped}. {job.message or ''}".rstrip()
    )
    _print_failures(store, job.job_id)
    if job.status != SUCCEEDED or job.failed:
        sys.exit(1)


def _print_failures(store: Store, job_id: str) -> None:
    with store.read() as tx:
        failures = tx.user_imports.failures(job_id)
    for failure in failures:
        who = f" ({failure.username})" if failure.username else ""
        print(f"line {failure.line}{who}: {failure.message}", file=sys.stderr)


def import_log(args: argparse.Namespace) -> None:
    store = _store(args)
    with store.read() as tx:
        job = tx.user_imports.by_id(args.job_id)
    if job is None:
        sys.exit(f"recognito: no import job {args.job_id}")
    print(f"{job.job_id} {job.status}: imported {job.imported}, failed {job.failed}")
    _print_failures(store, job.job_id)


def export_users(args: argparse.Namespace) -> None:
    from recognito.service.user_imports import export_rows

    store = _store(args)
    with store.read() as tx:
        pool = tx.pools.get(args.user_pool_id)
    if pool is None:
        sys.exit(f"recognito: no user pool {args.user_pool_id}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for row in export_rows(store, pool):
        writer.writerow(row)
