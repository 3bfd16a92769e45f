"""Nodes that start together on one empty PostgreSQL database all come up: they migrate
one after the other instead of racing to create the same tables."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import inspect

from recognito.store.db import migrate, open_engine
from tests.postgres import throwaway_database


def test_nodes_migrating_an_empty_database_at_once_all_succeed() -> None:
    name = f"recognito_migrate_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with throwaway_database(name) as url:
        engines = [open_engine(url) for _ in range(4)]
        pool = ThreadPoolExecutor(len(engines))
        try:
            # .result() re-raises a node's failure ("relation already exists"); without
            # turns the nodes can also wait on each other's table locks: the timeout
            # fails the test instead of hanging it
            for done in [pool.submit(migrate, engine) for engine in engines]:
                done.result(timeout=60)
            tables = set(inspect(engines[0]).get_table_names())
            assert {"users", "outbox", "alembic_version"} <= tables
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            for engine in engines:
                engine.dispose()
