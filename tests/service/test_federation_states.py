"""The sign-ins sent to an external IdP (federation_states, migration 0014) on both
databases: taken once, never after expiry, purged by housekeeping."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from recognito.domain.records import FederationState
from recognito.store.housekeeping import purge_expired

from .conftest import Service


def _state(pool_id: str, expires_at: float) -> FederationState:
    request = {"query": {"client_id": "c", "state": "app"}, "nonce": "n", "verifier": "v"}
    return FederationState(pool_id, "Upstream", request, expires_at)


def test_a_state_is_taken_once_with_its_request(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    with store.write() as tx:
        tx.federation_states.insert("d1", _state(pool["pool_id"], now + 300))
    with store.write() as tx:
        taken = tx.federation_states.take("d1", now)
    assert taken == _state(pool["pool_id"], now + 300)
    with store.write() as tx:
        assert tx.federation_states.take("d1", now) is None


def test_of_concurrent_takers_one_gets_the_state(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    with store.write() as tx:
        tx.federation_states.insert("d2", _state(pool["pool_id"], now + 300))

    def take(_: int) -> bool:
        with store.write() as tx:
            return tx.federation_states.take("d2", now) is not None

    with ThreadPoolExecutor(4) as threads:
        assert sorted(threads.map(take, range(4))) == [False, False, False, True]


def test_an_expired_state_is_refused_and_purged(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    with store.write() as tx:
        tx.federation_states.insert("d3", _state(pool["pool_id"], now - 1))
        tx.federation_states.insert("d4", _state(pool["pool_id"], now - 1))
    with store.write() as tx:
        assert tx.federation_states.take("d3", now) is None
    purge_expired(store, now)
    with store.write() as tx:
        assert tx.federation_states.take("d4", now - 10) is None  # gone, not just expired


def test_get_reads_a_live_state_without_spending_it(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()
    with store.write() as tx:
        tx.federation_states.insert("d5", _state(pool["pool_id"], now + 300))
    with store.read() as tx:
        assert tx.federation_states.get("d5", now) == _state(pool["pool_id"], now + 300)
        assert tx.federation_states.get("d5", now + 300) is None  # expired
        assert tx.federation_states.get("nothing", now) is None
    with store.write() as tx:
        assert tx.federation_states.take("d5", now) is not None
