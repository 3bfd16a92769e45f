"""The store, looked at and brought up to date: `migrate`, `outbox`, `events`,
`triggers log`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime

from recognito.cli.flags import (
    Commands,
    settings_of,
    store_flags,
)


def add_commands(commands: Commands) -> None:
    migrate_cmd = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate_cmd.set_defaults(run=migrate)
    store_flags(migrate_cmd)

    outbox_cmd = commands.add_parser("outbox", help="list messages, latest first")
    outbox_cmd.set_defaults(run=outbox)
    store_flags(outbox_cmd)
    outbox_cmd.add_argument("--to", help="only messages to this recipient")
    outbox_cmd.add_argument("--limit", type=int, default=20)
    outbox_cmd.add_argument("--json", action="store_true", help="one JSON object per line")

    events_cmd = commands.add_parser(
        "events", help="auth events of pools with threat protection, latest first"
    )
    events_cmd.set_defaults(run=events)
    store_flags(events_cmd)
    events_cmd.add_argument("--pool", help="only this pool's events")
    events_cmd.add_argument("--user", help="only this user's (a user name; needs --pool)")
    events_cmd.add_argument("--limit", type=int, default=20)
    events_cmd.add_argument("--json", action="store_true", help="one JSON object per line")

    triggers_cmd = commands.add_parser("triggers", help="Lambda trigger invocations")
    triggers_cmd.set_defaults(run=triggers)
    trigger_actions = triggers_cmd.add_subparsers(dest="action", required=True)
    trigger_log = trigger_actions.add_parser("log", help="trigger invocations, latest first")
    store_flags(trigger_log)
    trigger_log.add_argument("--pool", help="only this pool's invocations")
    trigger_log.add_argument("--limit", type=int, default=20)
    trigger_log.add_argument("--json", action="store_true", help="one JSON object per line")


def migrate(args: argparse.Namespace) -> None:
    from recognito.app import open_store

    open_store(settings_of(args))
    print("schema is up to date")


def outbox(args: argparse.Namespace) -> None:
    from recognito.app import open_store
    from recognito.store.db import Store

    store = Store(open_store(settings_of(args)))
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


def events(args: argparse.Namespace) -> None:
    from recognito.app import open_sealed_store
    from recognito.crypto.at_rest import MasterKeyError

    if args.user and not args.pool:
        sys.exit("recognito: --user needs --pool")
    try:  # users' rows hold sealed secrets
        store = open_sealed_store(settings_of(args))
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

    store = Store(open_store(settings_of(args)))  # the log holds no sealed secret
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
