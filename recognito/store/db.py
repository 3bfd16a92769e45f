"""Engines, migrations and transactions for SQLite (embedded default) and PostgreSQL.

`Store.write()` is the one transaction an operation writes through. On SQLite
it starts with BEGIN IMMEDIATE, so two writers queue on the lock instead of
failing when a read lock cannot be upgraded; readers never block (WAL).
When a transaction queued messages, `on_commit` is called after COMMIT (to wake the
delivery thread), and an error the transaction chose to answer with (a wrong code, whose
failure count must stick) is raised only then.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from recognito.crypto.at_rest import MasterKey
from recognito.store.sealing import Vault
from recognito.store.unit_of_work import UnitOfWork

MIGRATIONS = Path(__file__).with_name("migrations")


# Operations run on the server's worker threads (40 by default): keep that many
# connections open rather than opening and closing overflow ones per request.
POOL_SIZE = 40


def open_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=0,
        )
        _tune_sqlite(engine)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    # PostgreSQL is shared by many nodes: keep half open, open the rest on demand
    half = POOL_SIZE // 2
    return create_engine(url, pool_size=half, max_overflow=half, pool_pre_ping=True)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


def sqlite_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'recognito.db'}"


# the PostgreSQL advisory lock that nodes starting together migrate under, one by one
_MIGRATION_LOCK = 0x7265636F  # "reco"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision. Nodes that start at once on one
    PostgreSQL database take turns (the first migrates, the others find it done); SQLite
    is migrated by `serve` before its workers start."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class _WriterQueue:
    """Writers to one SQLite file take turns through an exclusive `flock` on a file beside
    it, across threads and worker processes. SQLite's own wait for its write lock sleeps
    in steps of up to 100 ms and so adds up under contention; the kernel wakes the next
    writer the moment the lock is free."""

    def __init__(self, database: Path) -> None:
        self._path = database.with_name(database.name + ".writer")

    @contextmanager
    def turn(self) -> Iterator[None]:
        with open(self._path, "a") as handle:  # a descriptor of its own: threads queue too
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield  # closing the file releases the lock


class Store:
    def __init__(
        self,
        engine: Engine,
        on_commit: Callable[[], None] | None = None,
        key: MasterKey | None = None,  # without it, no secret can be read or written
    ) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.vault = Vault(key)
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._writers = _WriterQueue(Path(database)) if database else None
        self._open = threading.local()  # transactions this thread has open

    def in_transaction(self) -> bool:
        """Whether the calling thread is inside read() or write(): what must not wait on
        anything slow (a Lambda trigger) asks."""
        return bool(getattr(self._open, "count", 0))

    @contextmanager
    def _counted(self) -> Iterator[None]:
        self._open.count = getattr(self._open, "count", 0) + 1
        try:
            yield
        finally:
            self._open.count -= 1

    @contextmanager
    def one_transaction(self) -> Iterator[UnitOfWork]:
        """One write transaction that every read() and write() this thread opens inside it
        joins (each as a savepoint): a batch of operations, a seed file, commits whole or
        not at all. What the joined units run after commit waits for the outer commit."""
        with self.write() as outer:
            enclosing = getattr(self._open, "joined", None)
            self._open.joined = outer
            try:
                yield outer
            finally:
                self._open.joined = enclosing

    @contextmanager
    def _joined(self, outer: UnitOfWork) -> Iterator[UnitOfWork]:
        with self._counted(), outer.conn.begin_nested():
            tx = UnitOfWork(outer.conn, self.vault)
            yield tx
        outer.after_commit.extend(tx.after_commit)
        outer.queued_messages.extend(tx.queued_messages)
        if tx.answer_after_commit is not None:  # nothing is kept when a batch fails
            raise tx.answer_after_commit

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        joined = getattr(self._open, "joined", None)
        if joined is not None:
            with self._joined(joined) as tx:
                yield tx
            return
        with self._counted(), self.engine.connect() as conn:
            conn.info["write"] = False
            with conn.begin():
                yield UnitOfWork(conn, self.vault)

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        joined = getattr(self._open, "joined", None)
        if joined is not None:
            with self._joined(joined) as tx:
                yield tx
            return
        with self._counted(), self._turn(), self.engine.connect() as conn:
            conn.info["write"] = True
            with conn.begin():
                tx = UnitOfWork(conn, self.vault)
                yield tx
            conn.info["write"] = False
        for then in tx.after_commit:
            then()
        if tx.queued_messages and self.on_commit is not None:
            self.on_commit()
        if tx.answer_after_commit is not None:
            raise tx.answer_after_commit

    def _turn(self) -> AbstractContextManager[None]:
        return self._writers.turn() if self._writers is not None else nullcontext()

    def scrub(self) -> None:
        """After secrets were re-sealed: SQLite rewrites its file and empties its log, so
        the values they replaced are gone from both (its freed pages keep old bytes).
        PostgreSQL keeps old row versions until VACUUM reuses them (docs/operations.md)."""
        if self._writers is None:
            return
        with self._turn():
            raw = self.engine.raw_connection()  # outside any transaction, as VACUUM must be
            try:
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    def ping(self) -> bool:
        with self.read() as tx:
            return tx.ping()
