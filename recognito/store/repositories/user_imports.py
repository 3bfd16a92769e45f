"""User import jobs, their files and logs, and the bulk inserts that run them."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, func, insert, select, update

from recognito.domain.user_imports import (
    CREATED,
    IN_PROGRESS,
    PENDING,
    STOPPED,
    STOPPING,
    FailedRow,
    ImportJob,
)
from recognito.store.repositories._shared import Area
from recognito.store.tables import (
    mfa_settings,
    user_attributes,
    user_import_errors,
    user_import_jobs,
    users,
)

IMPORT_CACHE_KIB = 64 * 1024

_JOB_COLUMNS = tuple(c for c in user_import_jobs.c if c.name not in ("seq", "csv", "lines_done"))
_JOB_FIELDS = tuple(c.name for c in _JOB_COLUMNS if c.name != "claimed_until")


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """The DB-API's executemany with the INSERT compiled once: SQLAlchemy's own builds the
    parameters of each row in Python, which costs more than the database's work here."""
    if not rows:
        return
    columns = list(rows[0])
    compiled = (
        insert(table)
        .values({name: bindparam(name) for name in columns})
        .compile(dialect=conn.dialect)
    )
    if compiled.positional:
        pick = itemgetter(*(compiled.positiontup or []))
        params: list[Any] = [pick(row) for row in rows]
    else:
        params = rows
    conn.exec_driver_sql(str(compiled), params)


def _job(row: Any) -> ImportJob:
    return ImportJob(**{name: getattr(row, name) for name in _JOB_FIELDS})


class UserImportRepository(Area):
    def insert(self, job: ImportJob) -> None:
        values = {name: getattr(job, name) for name in _JOB_FIELDS}
        self.conn.execute(insert(user_import_jobs).values(**values, lines_done=0))

    def get(self, pool_id: str, job_id: str, *, lock: bool = False) -> ImportJob | None:
        query = select(*_JOB_COLUMNS).where(
            user_import_jobs.c.pool_id == pool_id, user_import_jobs.c.job_id == job_id
        )
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        return None if row is None else _job(row)

    def by_id(self, job_id: str) -> ImportJob | None:
        query = select(*_JOB_COLUMNS).where(user_import_jobs.c.job_id == job_id)
        row = self.conn.execute(query).first()
        return None if row is None else _job(row)

    def page(self, pool_id: str, after: int, limit: int) -> list[tuple[int, ImportJob]]:
        """Jobs in the order they were created, after the `after`-th row (keyset)."""
        query = (
            select(user_import_jobs.c.seq, *_JOB_COLUMNS)
            .where(user_import_jobs.c.pool_id == pool_id, user_import_jobs.c.seq > after)
            .order_by(user_import_jobs.c.seq)
            .limit(limit)
        )
        return [(row.seq, _job(row)) for row in self.conn.execute(query)]

    def set_status(self, job_id: str, expected: str, **values: Any) -> bool:
        """A conditional UPDATE: the change happens only from `expected`, so two callers
        (two processes, two nodes) never both make it."""
        query = update(user_import_jobs).where(
            user_import_jobs.c.job_id == job_id, user_import_jobs.c.status == expected
        )
        return self.conn.execute(query.values(**values)).rowcount == 1

    def store_file(self, job_id: str, data: bytes, now: float) -> bool:
        """Keep the uploaded file of a Created job that has none yet (one upload each)."""
        query = update(user_import_jobs).where(
            user_import_jobs.c.job_id == job_id,
            user_import_jobs.c.status == CREATED,
            user_import_jobs.c.uploaded_at.is_(None),
        )
        return self.conn.execute(query.values(csv=data, uploaded_at=now)).rowcount == 1

    def next_claimable(self, now: float) -> str | None:
        """A job to run: one started and waiting, or one whose runner stopped renewing
        its claim (its process died)."""
        query = (
            select(user_import_jobs.c.job_id)
            .where(
                (user_import_jobs.c.status == PENDING)
                | (
                    user_import_jobs.c.status.in_((IN_PROGRESS, STOPPING))
                    & (user_import_jobs.c.claimed_until < now)
                )
            )
            .order_by(user_import_jobs.c.seq)
            .limit(1)
        )
        return self.conn.execute(query).scalar()

    def claim(self, job_id: str, now: float, lease: float) -> bool:
        """Take the job for `lease` seconds: one conditional UPDATE, so of several
        processes or nodes exactly one wins."""
        table = user_import_jobs.c
        query = update(user_import_jobs).where(
            table.job_id == job_id,
            (table.status == PENDING)
            | (table.status.in_((IN_PROGRESS, STOPPING)) & (table.claimed_until < now)),
        )
        values = {
            # a job being stopped stays so; a started one goes in progress
            "status": case((table.status == STOPPING, STOPPING), else_=IN_PROGRESS),
            "claimed_until": now + lease,
            "started_at": func.coalesce(table.started_at, now),
        }
        return self.conn.execute(query.values(values)).rowcount == 1

    def work(self, job_id: str) -> tuple[bytes | None, int, str]:
        """The file, the lines already done and the status of a claimed job."""
        query = select(
            user_import_jobs.c.csv, user_import_jobs.c.lines_done, user_import_jobs.c.status
        ).where(user_import_jobs.c.job_id == job_id)
        row = self.conn.execute(query).one()
        return row.csv, row.lines_done, row.status

    def status(self, job_id: str) -> str | None:
        query = select(user_import_jobs.c.status).where(user_import_jobs.c.job_id == job_id)
        return self.conn.execute(query).scalar()

    def progress(
        self,
        job_id: str,
        lines_done: int,
        imported: int,
        failed: int,
        claimed_until: float,
    ) -> None:
        """Count a batch, in the transaction that inserted it."""
        table = user_import_jobs.c
        query = update(user_import_jobs).where(table.job_id == job_id)
        self.conn.execute(
            query.values(
                lines_done=lines_done,
                imported=table.imported + imported,
                failed=table.failed + failed,
                claimed_until=claimed_until,
            )
        )

    def finish(self, job_id: str, status: str, now: float, message: str, skipped: int = 0) -> None:
        query = update(user_import_jobs).where(user_import_jobs.c.job_id == job_id)
        self.conn.execute(
            query.values(
                status=status,
                completed_at=now,
                message=message,
                skipped=skipped,
                csv=None,  # the file lived to be imported
                claimed_until=None,
            )
        )

    def stop_pending(self, job_id: str, now: float, message: str) -> bool:
        return self.set_status(
            job_id, PENDING, status=STOPPED, completed_at=now, message=message, csv=None
        )

    # the bulk work of a batch

    def prepare_bulk(self) -> None:
        """SQLite: a page cache big enough for the indexes a large import inserts into at
        random (sub, emails), instead of the default 2 MB (it measured a third faster at
        100,000 users). The setting stays with this pooled connection; SQLite fills the
        cache only with pages read and drops it when another connection writes."""
        if self.conn.dialect.name == "sqlite":
            self.conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")

    def taken_usernames(self, pool_id: str, keys: Sequence[str]) -> set[str]:
        query = select(users.c.username_key).where(
            users.c.pool_id == pool_id, users.c.username_key.in_(bindparam("keys", expanding=True))
        )
        return set(self.conn.execute(query, {"keys": list(keys)}).scalars())

    def taken_values(
        self,
        pool_id: str,
        name: str,
        values: Sequence[str],
        *,
        verified_only: bool,
        fold_case: bool,
    ) -> set[str]:
        """Which of `values` some user's `name` already holds (with `fold_case`, compared
        and answered lower-cased); with `verified_only`, only where that user's value is
        verified (an email/phone alias)."""
        column = user_attributes.c.value_key if fold_case else user_attributes.c.value
        query = select(column).where(
            user_attributes.c.pool_id == pool_id,
            user_attributes.c.name == name,
            column.in_(bindparam("keys", expanding=True)),
        )
        if verified_only:
            verified = user_attributes.alias("verified")
            query = query.join(
                verified,
                (verified.c.user_id == user_attributes.c.user_id)
                & (verified.c.name == f"{name}_verified")
                & (verified.c.value == "true"),
            )
        return set(self.conn.execute(query, {"keys": list(values)}).scalars())

    def insert_users(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """INSERT many users in one executemany; their ids by sub."""
        if not rows:
            return {}
        _bulk_insert(self.conn, users, rows)
        query = select(users.c.sub, users.c.id).where(
            users.c.sub.in_(bindparam("subs", expanding=True))
        )
        found = self.conn.execute(query, {"subs": [row["sub"] for row in rows]})
        return {sub: user_id for sub, user_id in found.tuples()}

    def insert_attributes(self, rows: list[dict[str, Any]]) -> None:
        _bulk_insert(self.conn, user_attributes, rows)

    def insert_sms_mfa(self, user_ids: list[int]) -> None:
        if user_ids:
            self.conn.execute(
                insert(mfa_settings),
                [
                    {
                        "user_id": user_id,
                        "totp_enabled": False,
                        "sms_enabled": True,
                        "email_enabled": False,
                        "preferred": None,
                    }
                    for user_id in user_ids
                ],
            )

    def log_failures(self, job_id: str, failures: Sequence[FailedRow]) -> None:
        if failures:
            self.conn.execute(
                insert(user_import_errors),
                [
                    {
                        "job_id": job_id,
                        "line": f.line,
                        "username": (f.username or "")[:128] or None,
                        "message": f.message,
                    }
                    for f in failures
                ],
            )

    def failures(self, job_id: str) -> list[FailedRow]:
        query = (
            select(user_import_errors)
            .where(user_import_errors.c.job_id == job_id)
            .order_by(user_import_errors.c.line)
        )
        return [FailedRow(r.line, r.username, r.message) for r in self.conn.execute(query)]

    def with_mfa(self, user_ids: Sequence[int]) -> set[int]:
        """Which of the users have a second factor on (`cognito:mfa_enabled` of an export)."""
        table = mfa_settings.c
        query = select(table.user_id).where(
            table.user_id.in_(bindparam("ids", expanding=True)),
            table.sms_enabled | table.totp_enabled | table.email_enabled,
        )
        return set(self.conn.execute(query, {"ids": list(user_ids)}).scalars())
