"""Fail when the Alembic migrations and `recognito/store/tables.py` disagree.

Builds a throwaway database with every migration, then asks Alembic's autogenerate to
compare it with the tables the code declares: any difference means a migration is
missing (or a table was changed by hand). Runs on SQLite, and on PostgreSQL too when a
server URL is given.

    python scripts/check_migrations.py [postgresql://user@host/db-to-create-in]
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine

from recognito.store.db import migrate, open_engine, sqlite_url
from recognito.store.tables import metadata


def differences(engine: Engine) -> list[Any]:
    migrate(engine)
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def _postgres(server: str) -> list[Any]:
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"recognito_migrations_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = open_engine(server.rsplit("/", 1)[0] + "/" + name)
    try:
        return differences(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> int:
    found: dict[str, list[Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(sqlite_url(Path(folder)))
        found["sqlite"] = differences(engine)
        engine.dispose()
    if len(sys.argv) > 1:
        found["postgresql"] = _postgres(sys.argv[1])
    failed = False
    for dialect, diffs in found.items():
        for diff in diffs:
            print(f"{dialect}: {diff}")
            failed = True
    if not failed:
        print(f"migrations match tables.py ({', '.join(found)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
