"""SAML's storage (migration 0018) on both databases: the pool's signing certificate is
made once and kept (concurrent first calls agree), an assertion is taken once (of
concurrent posts one wins), and used assertions are purged once they could not be
taken anyway."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from recognito.service.saml import signing_certificate
from recognito.store.housekeeping import purge_expired

from .conftest import Service


def test_the_signing_certificate_is_made_once(service: Service, pool: dict[str, Any]) -> None:
    svc = service.services
    with ThreadPoolExecutor(3) as threads:
        made = list(threads.map(lambda _: signing_certificate(svc, pool["pool_id"]), range(3)))
    assert len(set(made)) == 1
    assert signing_certificate(svc, pool["pool_id"]) == made[0]
    assert made[0][1].startswith(b"-----BEGIN PRIVATE KEY-----")


def test_an_assertion_is_used_once(service: Service, pool: dict[str, Any]) -> None:
    store, now = service.services.store, service.services.clock.now()

    def use(_: int) -> bool:
        with store.write() as tx:
            return tx.saml_assertions.use("a1", pool["pool_id"], now + 300)

    with ThreadPoolExecutor(4) as threads:
        assert sorted(threads.map(use, range(4))) == [False, False, False, True]


def test_used_assertions_are_purged_after_their_validity(
    service: Service, pool: dict[str, Any]
) -> None:
    store, now = service.services.store, service.services.clock.now()
    with store.write() as tx:
        assert tx.saml_assertions.use("a2", pool["pool_id"], now - 1)
        assert tx.saml_assertions.use("a3", pool["pool_id"], now + 300)
    purge_expired(store, now)
    with store.write() as tx:
        assert tx.saml_assertions.use("a2", pool["pool_id"], now + 300)  # gone: free again
        assert not tx.saml_assertions.use("a3", pool["pool_id"], now + 300)  # kept
