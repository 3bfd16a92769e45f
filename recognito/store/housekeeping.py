"""Deleting what expired — long enough ago that no answer depends on it any more.

A challenge session is kept for an hour past its expiry so that it is still
answered "session is expired"; a refresh grant for a day, longer than any access
token descended from it can live; a counter once no window or lock depends on it; a
code an hour after it expired; a signing key once every token it signed has expired
(a day past its successor's first signature).
Every node may run this: the deletes are idempotent.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from recognito.domain.tokens import KEY_RETENTION
from recognito.store import tables
from recognito.store.db import Store

SESSION_GRACE = 3600.0
GRANT_GRACE = 86400.0
COUNTER_GRACE = 7200.0  # past every window (an hour) and lock (15 minutes) they count for
OUTBOX_RETENTION = 7 * 86400.0  # what `recognito outbox` shows of the past
SIMULATED_RETENTION = 3600.0
INTERVAL = 600.0  # seconds between runs


def purge_expired(store: Store, now: float) -> None:
    with store.write() as tx:
        tx.sessions.purge(now - SESSION_GRACE)
        tx.browser_sessions.purge(now)
        tx.federation_states.purge(now)
        tx.saml_assertions.purge(now)
        tx.grants.purge(now - GRANT_GRACE)
        tx.counters.purge(now - COUNTER_GRACE)
        tx.codes.purge(now - SESSION_GRACE)
        tx.authorization_codes.purge(now - SESSION_GRACE)
        tx.keys.purge_retired(now - KEY_RETENTION)
        tx.outbox.purge(now - OUTBOX_RETENTION, now - SIMULATED_RETENTION)


def erase_everything(store: Store) -> list[str]:
    """Every row of every table but the instance's own (its digest key, the schema's
    version), in one transaction: the test API's reset. The ids of the pools that were."""
    with store.write() as tx:
        pool_ids = tx.pools.ids()
        for table in reversed(tables.metadata.sorted_tables):
            if table is not tables.meta:
                tx.conn.execute(delete(table))
    return pool_ids


def erase_users(store: Store, pool_id: str) -> None:
    """A pool's users, with all that hangs on them (their attributes, codes, sessions,
    tokens, devices, events), and the pool's messages; its settings, clients, groups and
    domain stay: the test API's reset of one pool."""
    with store.write() as tx:
        of_pool = select(tables.users.c.sub).where(tables.users.c.pool_id == pool_id)
        subs = list(tx.conn.execute(of_pool).scalars())
        tx.conn.execute(delete(tables.codes).where(tables.codes.c.subject.in_(subs)))
        for sub in subs:  # their lockouts and hourly caps: counters keyed "<what>:<sub>"
            counted = tables.counters.c.key.endswith(":" + sub, autoescape=True)
            tx.conn.execute(delete(tables.counters).where(counted))
        tx.conn.execute(delete(tables.users).where(tables.users.c.pool_id == pool_id))
        tx.conn.execute(delete(tables.outbox).where(tables.outbox.c.pool_id == pool_id))
