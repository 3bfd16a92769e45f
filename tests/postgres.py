"""Throwaway PostgreSQL databases for tests, on the server RECOGNITO_TEST_DATABASE_URL
names (default: the local one CI starts). Real PostgreSQL, never mocked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine

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
