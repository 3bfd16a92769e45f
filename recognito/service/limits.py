"""Counting per user, exactly, across requests and nodes: hourly caps and sign-in failures.

A count is kept for a *subject*: the user, or — for a name no user has, when the client
hides who exists — the name as typed, so an unknown name is counted and refused exactly
as a real user would be, and the answers cannot tell the two apart.
"""

from __future__ import annotations

from recognito.crypto.secrets import digest
from recognito.domain import pools, quotas
from recognito.domain.quotas import Quota
from recognito.domain.records import Pool, User
from recognito.service.context import Services
from recognito.store.unit_of_work import UnitOfWork


def subject(svc: Services, pool: Pool, user: User | None, typed: str) -> str:
    if user is not None:
        return user.sub
    name = pools.username_key(pool.config, typed)
    return "name:" + digest(svc.secret_key, f"{pool.id}\n{name}")[:40]


def take(svc: Services, tx: UnitOfWork, quota: Quota, whom: str) -> None:
    """Count one call under `quota`; LimitExceededException once it is spent.

    In the caller's write transaction: a refusal rolls back, so it is not counted."""
    key = f"{quota}:{whom}"
    now = svc.clock.now()
    tx.counters.save(key, quotas.admit(tx.counters.held(key, now), quota, now))


def take_alone(svc: Services, quota: Quota, whom: str) -> None:
    """`take` in a transaction of its own, for calls that do their work outside one."""
    with svc.store.write() as tx:
        take(svc, tx, quota, whom)
