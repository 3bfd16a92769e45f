"""What every area repository shares: the transaction's connection, and the few
statements several areas need."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    CursorResult,
    Dialect,
    Table,
    TextClause,
    bindparam,
    insert,
    text,
)
from sqlalchemy.exc import IntegrityError

from recognito.store.sealing import Vault


def param(name: str) -> BindParameter[Any]:
    """A placeholder for statements built once at import: the hot reads are, because
    SQLAlchemy builds and cache-keys a statement made per call every time, which costs
    several times what SQLite spends running it."""
    return bindparam(name)


class Area:
    """One area's reads and writes, inside the unit of work's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class SecretArea(Area):
    """An area that keeps secrets: sealed with the master key on the way in, opened on
    the way out."""

    def __init__(self, conn: Connection, vault: Vault) -> None:
        super().__init__(conn)
        self.vault = vault


def insert_unique(
    conn: Connection, table: Table, values: dict[str, Any]
) -> CursorResult[Any] | None:
    """INSERT the row in a savepoint; None if it broke a unique key (the transaction
    goes on). Callers check first; this settles the race between two of them."""
    try:
        with conn.begin_nested():
            return conn.execute(insert(table), values)
    except IntegrityError:
        return None


def insert_or_keep(conn: Connection, table: Table, values: dict[str, Any]) -> None:
    """INSERT the row unless one with its key exists (then nothing happens): atomic, so
    concurrent writers never meet a unique-key error."""
    conn.execute(_on_conflict(conn.dialect, table, tuple(values), None), values)


def upsert(conn: Connection, table: Table, values: dict[str, Any], key: tuple[str, ...]) -> None:
    """INSERT the row, or overwrite the one with the same `key` columns: one atomic
    statement, so concurrent writers replace each other instead of failing."""
    conn.execute(_on_conflict(conn.dialect, table, tuple(values), key), values)


@functools.cache
def _on_conflict(
    dialect: Dialect, table: Table, columns: tuple[str, ...], key: tuple[str, ...] | None
) -> TextClause:
    """INSERT ... ON CONFLICT, which SQLite and PostgreSQL spell alike: written once per
    table and shape, because SQLAlchemy compiles its own ON CONFLICT constructs anew on
    every call (they are not cacheable), at several times the cost of running them."""
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({values}) ON CONFLICT"
    if key is None:
        return text(sql + " DO NOTHING")
    changed = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in columns if n not in key)
    return text(f"{sql} ({', '.join(quote(n) for n in key)}) DO UPDATE SET {changed}")


def inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # every table we insert into has an integer key
    return int(key[0])
