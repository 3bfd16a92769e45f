"""Throwaway PostgreSQL databases for tests, on the server RECOGNITO_TEST_DATABASE_URL
names (default: the local one CI starts). Real PostgreSQL, never mocked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine

from recognito.crypto.at_rest import MasterKey

SERVER = os.environ.get("RECOGNITO_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1/postgres")


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """The URL of a new, empty database `name`, dropped when the block ends."""
    admin = create_engine(
        SERVER.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield SERVER.rsplit("/", 1)[0] + "/" + name
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def server_args(url: str, folder: Path) -> list[str]:
    """`recognito serve` flags for a server on the database at `url`. PostgreSQL needs its
    master key given: it is kept in `folder` (made there once), so every node and every
    restart given the same folder opens the same secrets."""
    key = folder / "master.key"
    if not key.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key.write_text(MasterKey.generate().to_text())
    return ["--database-url", url, "--master-key-file", str(key)]
