"""What every area repository shares: the transaction's connection, and the few
statements several areas need."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Connection, CursorResult, Insert, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError


def param(name: str) -> BindParameter[Any]:
    """A placeholder for statements built once at import: the hot reads are, because
    SQLAlchemy builds and cache-keys a statement made per call every time, which costs
    several times what SQLite spends running it."""
    return bindparam(name)


class Area:
    """One area's reads and writes, inside the unit of work's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn


def insert_unique(conn: Connection, statement: Insert) -> CursorResult[Any] | None:
    """Run an INSERT in a savepoint; None if it broke a unique key (the transaction
    goes on). Callers check first; this settles the race between two of them."""
    try:
        with conn.begin_nested():
            return conn.execute(statement)
    except IntegrityError:
        return None


def insert_or_keep(conn: Connection, table: Table, values: dict[str, Any]) -> None:
    """INSERT the row unless one with its key exists (then nothing happens): atomic, so
    concurrent writers never meet a unique-key error."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())


def upsert(conn: Connection, table: Table, values: dict[str, Any], key: list[str]) -> None:
    """INSERT the row, or overwrite the one with the same `key` columns: one atomic
    statement, so concurrent writers replace each other instead of failing."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values)
    changed = {k: v for k, v in values.items() if k not in key}
    conn.execute(statement.on_conflict_do_update(index_elements=key, set_=changed))


def inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # every table we insert into has an integer key
    return int(key[0])
