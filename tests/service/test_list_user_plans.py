"""Every ListUsers page is an index seek that LIMIT stops, on SQLite and PostgreSQL.

The plans are read from the engines themselves (EXPLAIN QUERY PLAN, EXPLAIN) for the very
statements `UserRepository.page` runs, for each filterable attribute with `=` and `^=`, on
the first page and on a later one. SQLite keeps no statistics here, so its plan is the same
at any size; PostgreSQL plans from statistics, so its pool holds a few thousand users
(beside another pool of the same size) and is ANALYZEd first, with sequential scans
allowed: it has to choose the index by itself.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Select, insert, select

from recognito.domain.list_users_filter import (
    FILTERABLE,
    UserCursor,
    cursor_after,
    in_value_order,
    parse_filter,
)
from recognito.store.repositories.users import page_queries
from recognito.store.tables import user_attributes, users
from tests.service.conftest import Service

CROWD = 3000  # users in each of two pools: enough for PostgreSQL to prefer a scan if it could
GIVEN = ["Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Grace", "John"]

# (filter, the index that must serve it, or |-separated ones that may) for each attribute,
# exact and prefix
UNIQUE_SUB = ("users_sub_key", "autoindex_users_2")  # PostgreSQL's and SQLite's names
FILTERS = [
    ('username = "user1234"', "ix_users_pool_username"),
    ('username ^= "user1"', "ix_users_pool_username"),
    ('email = "user77@example.com"', "ix_user_attributes_lookup"),
    ('email ^= "user7"', "ix_user_attributes_lookup"),
    ('phone_number = "+15550001234"', "ix_user_attributes_lookup"),
    ('phone_number ^= "+155500012"', "ix_user_attributes_lookup"),
    ('name = "Grace Hopper 6"', "ix_user_attributes_lookup"),
    ('name ^= "Grace"', "ix_user_attributes_lookup"),
    ('given_name = "Ada"', "ix_user_attributes_lookup"),
    ('given_name ^= "A"', "ix_user_attributes_lookup"),
    ('family_name = "Family 3"', "ix_user_attributes_lookup"),
    ('family_name ^= "Family 1"', "ix_user_attributes_lookup"),
    ('preferred_username = "pref42"', "ix_user_attributes_lookup"),
    ('preferred_username ^= "pref4"', "ix_user_attributes_lookup"),
    ('cognito:user_status = "confirmed"', "ix_users_pool_status"),
    ('cognito:user_status ^= "FORCE"', "ix_users_pool_status"),
    ('status = "Enabled"', "ix_users_pool_enabled"),
    ('status ^= "Dis"', "ix_users_pool_enabled"),
    # a sub is unique in the whole store: its unique index finds the one user as well
    (
        'sub = "{run}-0000-0000-0000-000000001234"',
        "ix_users_pool_sub|users_sub_key|autoindex_users_2",
    ),
    (
        'sub ^= "{run}-0000-0000-0000-0000000012"',
        "ix_users_pool_sub|users_sub_key|autoindex_users_2",
    ),
    ("", "ix_users_pool_id"),
]


def test_every_filterable_attribute_is_covered() -> None:
    covered = {parse_filter(text).attribute for text, _ in FILTERS if text}  # type: ignore[union-attr]
    assert covered == FILTERABLE
    assert all(f"{a} =" in " ".join(t for t, _ in FILTERS) for a in FILTERABLE)


def _seed(service: Service, run: str) -> str:
    """A pool of CROWD users with every filterable attribute, written straight to the store
    (through the API it would take minutes of the test run); returns the pool's id."""
    pool_id = service("CreateUserPool", PoolName=f"crowd-{run}")["UserPool"]["Id"]
    now = service.clock.now()
    with service.services.store.write() as tx:
        tx.conn.execute(
            insert(users),
            [
                {
                    "pool_id": pool_id,
                    "username": f"user{k}",
                    "username_key": f"user{k}",
                    "sub": f"{run}-0000-0000-0000-{k:012d}",  # unique in the database
                    "status": "CONFIRMED" if k % 5 else "FORCE_CHANGE_PASSWORD",
                    "enabled": k % 10 != 0,
                    "created_at": now,
                    "modified_at": now,
                }
                for k in range(CROWD)
            ],
        )
        ids = dict(
            tx.conn.execute(select(users.c.username, users.c.id).where(users.c.pool_id == pool_id))
            .tuples()
            .all()
        )
        tx.conn.execute(
            insert(user_attributes),
            [
                {
                    "user_id": ids[f"user{k}"],
                    "pool_id": pool_id,
                    "name": n,
                    "value": v,
                    "value_key": v.lower(),
                }
                for k in range(CROWD)
                for n, v in {
                    "email": f"user{k}@example.com",
                    "phone_number": f"+1555{k:07d}",
                    "name": f"{GIVEN[k % len(GIVEN)]} Hopper {k}",
                    "given_name": GIVEN[k % len(GIVEN)],
                    "family_name": f"Family {k % 50}",
                    "preferred_username": f"pref{k}",
                }.items()
            ],
        )
    return str(pool_id)


@pytest.fixture
def crowd(service: Service) -> tuple[str, str]:
    """The pool of the crowd and the tag of its subs."""
    run = uuid.uuid4().hex[:8]
    pool_id = _seed(service, run)
    _seed(service, uuid.uuid4().hex[:8])  # a neighbour: a plan walking every pool would show
    if service.services.store.engine.dialect.name == "postgresql":
        with service.services.store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM ANALYZE users")
            conn.exec_driver_sql("VACUUM ANALYZE user_attributes")
    return pool_id, run


def _plan(service: Service, query: Select[Any]) -> str:
    engine = service.services.store.engine
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(explain + sql).all()
    return "\n".join(str(row[-1]) for row in rows)


def test_each_page_is_an_index_seek(service: Service, crowd: tuple[str, str]) -> None:
    pool_id, run = crowd
    sqlite = service.services.store.engine.dialect.name == "sqlite"
    for text, index in FILTERS:
        user_filter = parse_filter(text.replace("{run}", run))
        with service.services.store.read() as tx:
            found = tx.users.page(pool_id, user_filter, UserCursor(), 61)
        assert found, f"{text!r} should match users in the crowd"
        # where the token after the first user points: part of a page is left at the
        # cursor's value (value-ordered listings), and more after it
        later = cursor_after(user_filter, found[0])
        assert in_value_order(user_filter) == (later.after_value is not None)
        for cursor in (UserCursor(), later):
            for query in page_queries(pool_id, user_filter, cursor, 61):
                plan = _plan(service, query)
                assert any(name in plan for name in index.split("|")), (text, plan)
                if sqlite:
                    # SEARCH is a range of the index; SCAN would walk the whole table or
                    # index, and a temp B-tree would sort every match before LIMIT stops
                    assert plan.startswith("SEARCH") and "TEMP B-TREE" not in plan, (text, plan)
                else:
                    assert "Seq Scan" not in plan and "Sort" not in plan, (text, plan)
                if cursor is later and not any(name in plan for name in UNIQUE_SUB):
                    # the seek starts at the cursor: earlier matches are not walked again
                    # (a lookup of one sub finds one user at most: nothing to walk)
                    assert _bound(later, sqlite) in plan, (text, plan)


def _bound(cursor: UserCursor, sqlite: bool) -> str:
    if sqlite:
        return "id>?" if cursor.after_value is None else ">?"
    return f"> {cursor.after_id})" if cursor.after_value is None else f"'{cursor.after_value}'"
