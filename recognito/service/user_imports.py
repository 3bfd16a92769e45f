"""User import jobs: the signed upload URL, and the runner that imports a started job's
file in batches (docs/behaviour.md, "User import and export").

Every server process runs an import thread. A started job is claimed with a conditional
UPDATE (Pending -> InProgress), so of several processes or nodes one runs it; the claim
is a lease renewed with each batch, and each batch commits its users, its failures and
the job's progress together: a job whose process died is claimed again once its lease
runs out and resumes after the last committed batch, counting nobody twice.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError

from recognito.clock import Clock
from recognito.crypto.secrets import digest, same
from recognito.domain import pools
from recognito.domain.attributes import VERIFIABLE
from recognito.domain.list_users_filter import UserCursor
from recognito.domain.records import Pool, Status
from recognito.domain.user_imports import (
    CREATED,
    FAILED,
    IN_PROGRESS,
    MAX_USERS,
    MFA_ENABLED,
    STOPPED,
    STOPPED_MESSAGE,
    STOPPING,
    SUCCEEDED,
    SUCCEEDED_MESSAGE,
    TOO_MANY_USERS,
    URL_LIFETIME,
    USER_EXISTS,
    USERNAME,
    FailedRow,
    ImportedRow,
    ImportJob,
    RowRules,
    check_header,
    csv_header,
    read_csv,
)
from recognito.service.lookups import sign_in_attributes
from recognito.store.db import Store

log = logging.getLogger("recognito.imports")

BATCH = 2000  # users per transaction: one executemany for the users, one for attributes
LEASE = 60.0  # seconds a runner's claim holds without a batch committing
POLL = 1.0  # seconds between looks for started jobs when nothing wakes the thread
NOT_UPLOADED = "The CSV file was not uploaded."


def new_job(pool_id: str, name: str, role_arn: str, now: float) -> ImportJob:
    return ImportJob(
        job_id=f"import-{secrets.token_hex(5)}",
        pool_id=pool_id,
        name=name,
        role_arn=role_arn,
        status=CREATED,
        created_at=now,
        expires_at=now + URL_LIFETIME,
        started_at=None,
        completed_at=None,
        uploaded_at=None,
        imported=0,
        skipped=0,
        failed=0,
        message=None,
    )


def _signature(secret_key: bytes, job_id: str, expires: int) -> str:
    return digest(secret_key, f"user-import\n{job_id}\n{expires}")


def upload_url(base_url: str, secret_key: bytes, job: ImportJob) -> str:
    """Where the job's CSV file is PUT: this server, signed for this job until it expires."""
    expires = int(job.expires_at)
    query = urlencode(
        {"expires": expires, "signature": _signature(secret_key, job.job_id, expires)}
    )
    return f"{base_url}/_user-import/{job.job_id}?{query}"


def upload_allowed(
    secret_key: bytes, job_id: str, expires: str, signature: str, now: float
) -> bool:
    """Whether an upload URL is one this server signed for `job_id` and still good."""
    if not expires.isdigit() or int(expires) <= now:
        return False
    return same(signature, _signature(secret_key, job_id, int(expires)))


def store_upload(
    store: Store,
    job_id: str,
    expires: str,
    signature: str,
    data: bytes,
    now: float,
    secret_key: bytes,
) -> str | None:
    """Keep an uploaded file; None, or why it is refused."""
    if not upload_allowed(secret_key, job_id, expires, signature, now):
        return "The upload URL is not valid or has expired."
    with store.write() as tx:
        job = tx.user_imports.by_id(job_id)
        if job is None or job.status_at(now) != CREATED:
            return "The import job no longer takes a file."
        if not tx.user_imports.store_file(job_id, data, now):
            return "The import job already has its file."
    return None


def run_next(
    store: Store, clock: Clock, lease: float = LEASE, halt: Callable[[], bool] = lambda: False
) -> bool:
    """Claim one started job (or one a dead runner left) and run it; whether there was one."""
    now = clock.now()
    with store.read() as tx:
        job_id = tx.user_imports.next_claimable(now)
    if job_id is None:
        return False
    with store.write() as tx:
        claimed = tx.user_imports.claim(job_id, now, lease)
    if claimed:
        run_claimed(store, clock, job_id, lease, halt)
    return True


def run_claimed(
    store: Store,
    clock: Clock,
    job_id: str,
    lease: float = LEASE,
    halt: Callable[[], bool] = lambda: False,
) -> None:
    """Import a job this process claimed, batch by batch, from where it was left."""
    with store.read() as tx:
        data, done, _ = tx.user_imports.work(job_id)
        job = tx.user_imports.by_id(job_id)
        pool = tx.pools.get(job.pool_id) if job else None
    if job is None or pool is None:  # deleted with its pool meanwhile
        return
    if data is None:
        _finish(store, clock, job_id, FAILED, NOT_UPLOADED)
        return
    try:
        header, rows = read_csv(data)
        check_header(pool.config, header)
        total = sum(1 for _ in read_csv(data)[1])
    except ValueError as exc:
        _finish(store, clock, job_id, FAILED, str(exc))
        return
    if total > MAX_USERS:
        _finish(store, clock, job_id, FAILED, TOO_MANY_USERS)
        return
    batcher = _Batcher(store, clock, pool, job_id, RowRules(pool.config, header), lease)
    rows = iter(rows)
    for _ in islice(rows, done):  # committed before a restart
        pass
    for batch in _batches(rows, BATCH):
        if halt():  # this process is stopping: another takes the job once the lease ends
            return
        if batcher.stopping():
            _finish(store, clock, job_id, STOPPED, STOPPED_MESSAGE, skipped=total - done)
            return
        done += len(batch)
        batcher.run(batch, done)
    _finish(store, clock, job_id, SUCCEEDED, SUCCEEDED_MESSAGE)


def _batches(
    rows: Iterator[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    while batch := list(islice(rows, size)):
        yield batch


def _finish(
    store: Store, clock: Clock, job_id: str, status: str, message: str, skipped: int = 0
) -> None:
    with store.write() as tx:
        tx.user_imports.finish(job_id, status, clock.now(), message, skipped)
    log.info("user import %s: %s (%s)", job_id, status, message)


class _Batcher:
    """One job's batches: rows judged in Python, then checked against the pool's users
    and inserted with executemany, in one transaction per batch."""

    def __init__(
        self, store: Store, clock: Clock, pool: Pool, job_id: str, rules: RowRules, lease: float
    ) -> None:
        self._store, self._clock, self._pool = store, clock, pool
        self._job_id, self._rules, self._lease = job_id, rules, lease
        config = pool.config
        self._by_attribute = pools.username_attributes(config)
        self._fold = not pools.case_sensitive(config)
        # sign-in names a new user must not share: (attribute, only when verified)
        self._names = [
            (a, a in VERIFIABLE and a not in self._by_attribute) for a in sign_in_attributes(config)
        ]
        self._seen: dict[str, set[str]] = {"": set(), **{a: set() for a, _ in self._names}}

    def stopping(self) -> bool:
        with self._store.read() as tx:
            return tx.user_imports.status(self._job_id) == STOPPING

    def run(self, batch: Sequence[tuple[int, list[str]]], lines_done: int) -> None:
        judged = [self._rules.judge(line, fields) for line, fields in batch]
        for attempt in range(3):
            try:
                self._write(judged, lines_done)
                return
            except IntegrityError:  # a user created meanwhile on another node: judge again
                if attempt == 2:
                    raise

    def _key(self, value: str) -> str:
        return value.lower() if self._fold else value

    def _write(self, judged: list[ImportedRow | FailedRow], lines_done: int) -> None:
        now = self._clock.now()
        good = [row for row in judged if isinstance(row, ImportedRow)]
        failures = [row for row in judged if isinstance(row, FailedRow)]
        seen = {name: set(values) for name, values in self._seen.items()}
        with self._store.write() as tx:
            repo = tx.user_imports
            repo.prepare_bulk()
            keys = [self._key(row.username) for row in good if not self._by_attribute]
            taken = {"": repo.taken_usernames(self._pool.id, keys) if keys else set()}
            for name, verified_only in self._names:
                values = [
                    self._key(row.attributes[name]) for row in good if row.attributes.get(name)
                ]
                taken[name] = (
                    repo.taken_values(
                        self._pool.id,
                        name,
                        values,
                        verified_only=verified_only,
                        fold_case=self._fold,
                    )
                    if values
                    else set()
                )
            accepted: list[tuple[ImportedRow, str]] = []
            for row in good:
                problem = self._clash(row, taken, seen)
                if problem:
                    failures.append(FailedRow(row.line, row.username, problem))
                    continue
                sub = str(uuid.uuid4())
                accepted.append((row, sub))
            # inserted in index order: each B-tree is then walked once, not at random
            accepted.sort(key=lambda item: item[1])
            ids = repo.insert_users([self._user_row(row, sub, now) for row, sub in accepted])
            attributes = list(self._attribute_rows(accepted, ids))
            attributes.sort(key=itemgetter("name", "value"))
            repo.insert_attributes(attributes)
            repo.insert_sms_mfa([ids[sub] for row, sub in accepted if row.mfa_enabled])
            failures.sort(key=lambda f: f.line)
            repo.log_failures(self._job_id, failures)
            repo.progress(self._job_id, lines_done, len(accepted), len(failures), now + self._lease)
        self._seen = seen

    def _clash(
        self, row: ImportedRow, taken: dict[str, set[str]], seen: dict[str, set[str]]
    ) -> str | None:
        claims: list[tuple[str, str]] = []
        if not self._by_attribute:
            claims.append(("", self._key(row.username)))
        for name, verified_only in self._names:
            value = row.attributes.get(name)
            if value and (not verified_only or row.attributes.get(VERIFIABLE[name]) == "true"):
                claims.append((name, self._key(value)))
        for name, key in claims:
            if key in taken[name] or key in seen[name]:
                return USER_EXISTS
        for name, key in claims:
            seen[name].add(key)
        return None

    def _user_row(self, row: ImportedRow, sub: str, now: float) -> dict[str, Any]:
        username = sub if self._by_attribute else row.username
        return {
            "pool_id": self._pool.id,
            "username": username,
            "username_key": pools.username_key(self._pool.config, username),
            "sub": sub,
            "status": Status.RESET_REQUIRED,
            "enabled": True,
            "password_hash": None,
            "srp_salt": None,
            "srp_verifier": None,
            "password_expires_at": None,
            "created_at": now,
            "modified_at": now,
        }

    def _attribute_rows(
        self, accepted: Iterable[tuple[ImportedRow, str]], ids: Mapping[str, int]
    ) -> Iterator[dict[str, Any]]:
        for row, sub in accepted:
            user_id = ids[sub]
            # sub is an attribute too, as every user's (service/identity.py)
            for name, value in {**row.attributes, "sub": sub}.items():
                yield {
                    "user_id": user_id,
                    "pool_id": self._pool.id,
                    "name": name,
                    "value": value,
                    "value_key": value.lower(),
                }


class ImportRunner:
    """The import thread of one server process."""

    def __init__(self, store: Store, clock: Clock, poll: float = POLL) -> None:
        self._store, self._clock, self._poll = store, clock, poll
        self._wake = threading.Event()
        self._stopping = False
        self._worker: threading.Thread | None = None

    def start(self) -> None:
        if self._worker is None:
            self._stopping = False
            self._worker = threading.Thread(target=self._run, name="user-import", daemon=True)
            self._worker.start()

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        """Stop after the batch under way; a job left in progress resumes elsewhere or later."""
        worker, self._worker = self._worker, None
        self._stopping = True
        if worker is not None:
            self._wake.set()
            worker.join()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self._poll)
            self._wake.clear()
            try:
                while not self._stopping and run_next(
                    self._store, self._clock, halt=lambda: self._stopping
                ):
                    pass
            except Exception:  # the thread must outlive a bad moment of the store; logged
                log.exception("user import failed")


CLI_ROLE = "arn:aws:iam::000000000000:role/recognito-cli"  # no CloudWatch Logs behind it


def import_now(store: Store, clock: Clock, pool_id: str, name: str, data: bytes) -> ImportJob:
    """`recognito users import`: a job made, given its file and run in this process (held
    from the start, so no server thread takes it); listed with the pool's other jobs."""
    now = clock.now()
    job = new_job(pool_id, name, CLI_ROLE, now)
    with store.write() as tx:
        tx.user_imports.insert(job)
        tx.user_imports.store_file(job.job_id, data, now)
        tx.user_imports.set_status(
            job.job_id, CREATED, status=IN_PROGRESS, started_at=now, claimed_until=now + LEASE
        )
    run_claimed(store, clock, job.job_id)
    with store.read() as tx:
        return tx.user_imports.by_id(job.job_id) or job


EXPORT_PAGE = 1000


def export_rows(store: Store, pool: Pool) -> Iterator[list[str]]:
    """`recognito users export`: the header of GetCSVHeader, then a row per user, in the
    order users were created; an import of the file makes them again (RESET_REQUIRED)."""
    header = csv_header(pool.config)
    yield header
    after = UserCursor()
    while True:
        with store.read() as tx:
            found = tx.users.page(pool.id, None, after, EXPORT_PAGE)
            with_mfa = tx.user_imports.with_mfa([user.id for user in found])
        for user in found:
            values = {
                **user.attributes,
                USERNAME: user.username,
                MFA_ENABLED: "true" if user.id in with_mfa else "false",
            }
            yield [values.get(column, "") for column in header]
        if len(found) < EXPORT_PAGE:
            return
        after = UserCursor(found[-1].id)
