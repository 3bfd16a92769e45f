"""The KeyRing over a store (an in-memory stand-in for Store/UnitOfWork: KeyRing only reads
`keys.of_pool` and writes one row per key with `keys.insert`)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import RSAKey

from recognito.crypto.jwt import InvalidToken, sign, verified_claims
from recognito.crypto.keys import TOKEN_USES, new_key
from recognito.domain.records import StoredKey
from recognito.service.keys import KeyRing
from recognito.store.db import Store
from recognito.store.unit_of_work import UnitOfWork

POOL = "eu-west-1_AbCdEf123"
NOW = 1_783_203_683.0
CLAIMS = {"sub": "34c84488-e0e1-70ae-d2ee-991ad1a898c8", "token_use": "access"}


class Rows:
    """signing_keys rows, and how often KeyRing read them."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, float]] = []  # kid, pool, use, pem, created
        self.reads = 0

    @property
    def keys(self) -> Rows:  # the unit of work's key repository
        return self

    def insert(self, kid: str, pool_id: str, token_use: str, private_pem: str, now: float) -> None:
        self.rows.append((kid, pool_id, token_use, private_pem, now))

    def of_pool(self, pool_id: str) -> list[StoredKey]:
        self.reads += 1
        mine = sorted((r for r in self.rows if r[1] == pool_id), key=lambda r: r[4])
        return [StoredKey(kid, use, pem, created) for kid, _, use, pem, created in mine]

    @contextmanager
    def read(self) -> Iterator[Rows]:
        yield self

    @property
    def tx(self) -> UnitOfWork:
        return cast(UnitOfWork, self)

    @property
    def store(self) -> Store:
        return cast(Store, self)


@pytest.fixture(scope="module")
def pems() -> list[tuple[str, str]]:
    return [new_key() for _ in range(3)]


@pytest.fixture
def rows() -> Rows:
    return Rows()


def _public(pem: str) -> rsa.RSAPublicKey:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return private.public_key()


def _b64url_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def test_a_new_pool_gets_one_key_per_token_use(rows: Rows) -> None:
    KeyRing.create_pool_keys(rows.tx, POOL, 1_783_203_683.0)
    assert TOKEN_USES == ("id", "access")
    assert [(pool, use, now) for _, pool, use, _, now in rows.rows] == [
        (POOL, "id", 1_783_203_683.0),
        (POOL, "access", 1_783_203_683.0),
    ]
    ring = KeyRing(rows.store)
    id_key, access_key = ring.signing_key(POOL, "id", NOW), ring.signing_key(POOL, "access", NOW)
    assert id_key.kid != access_key.kid
    assert (id_key.token_use, access_key.token_use) == ("id", "access")


def test_the_newest_key_of_a_use_signs(rows: Rows, pems: list[tuple[str, str]]) -> None:
    (old_kid, old_pem), (access_kid, access_pem), (new_kid, new_pem) = pems
    rows.insert(new_kid, POOL, "id", new_pem, 3.0)
    rows.insert(old_kid, POOL, "id", old_pem, 1.0)
    rows.insert(access_kid, POOL, "access", access_pem, 2.0)
    ring = KeyRing(rows.store)
    assert ring.signing_key(POOL, "id", NOW).kid == new_kid
    assert ring.signing_key(POOL, "access", NOW).kid == access_kid
    # older keys still verify what they signed
    assert ring.verification_key(POOL, old_kid) is not None


def test_a_kid_finds_its_key_in_its_own_pool_only(rows: Rows, pems: list[tuple[str, str]]) -> None:
    (kid, pem), (other_kid, other_pem), _ = pems
    rows.insert(kid, POOL, "id", pem, 1.0)
    rows.insert(other_kid, "eu-west-1_Other0000", "id", other_pem, 1.0)
    ring = KeyRing(rows.store)
    found = ring.verification_key(POOL, kid)
    assert found is not None and found.kid == kid and found.token_use == "id"
    assert ring.verification_key(POOL, other_kid) is None
    assert ring.verification_key(POOL, "no-such-kid") is None


def test_what_the_signing_key_signs_its_verification_key_verifies(
    rows: Rows, pems: list[tuple[str, str]]
) -> None:
    (kid, pem), (other_kid, other_pem), _ = pems
    rows.insert(kid, POOL, "access", pem, 1.0)
    rows.insert(other_kid, POOL, "id", other_pem, 1.0)
    ring = KeyRing(rows.store)
    signing = ring.signing_key(POOL, "access", NOW)
    token = sign(CLAIMS, signing.kid, signing.key)
    found = ring.verification_key(POOL, kid)
    assert found is not None
    assert verified_claims(token, found.key) == CLAIMS
    wrong = ring.verification_key(POOL, other_kid)
    assert wrong is not None
    with pytest.raises(InvalidToken):
        verified_claims(token, wrong.key)


def test_jwks_publishes_the_public_half_of_every_key(
    rows: Rows, pems: list[tuple[str, str]]
) -> None:
    for (kid, pem), use in zip(pems[:2], TOKEN_USES, strict=True):
        rows.insert(kid, POOL, use, pem, 1.0)
    published = KeyRing(rows.store).jwks(POOL)
    assert list(published) == ["keys"]
    assert [entry["kid"] for entry in published["keys"]] == [pems[0][0], pems[1][0]]
    for entry, (_, pem) in zip(published["keys"], pems[:2], strict=True):
        assert set(entry) == {"alg", "e", "kid", "kty", "n", "use"}  # nothing private
        assert (entry["alg"], entry["kty"], entry["use"]) == ("RS256", "RSA", "sig")
        numbers = _public(pem).public_numbers()
        assert _b64url_int(entry["n"]) == numbers.n
        assert _b64url_int(entry["e"]) == numbers.e


def test_a_token_verifies_with_the_key_from_jwks(rows: Rows, pems: list[tuple[str, str]]) -> None:
    kid, pem = pems[0]
    rows.insert(kid, POOL, "id", pem, 1.0)
    ring = KeyRing(rows.store)
    signing = ring.signing_key(POOL, "id", NOW)
    token = sign(CLAIMS, signing.kid, signing.key)
    [entry] = ring.jwks(POOL)["keys"]
    public: dict[str, Any] = {k: entry[k] for k in ("kty", "n", "e")}
    assert verified_claims(token, RSAKey.import_key(public)) == CLAIMS


def test_keys_are_read_once_then_kept(rows: Rows, pems: list[tuple[str, str]]) -> None:
    kid, pem = pems[0]
    rows.insert(kid, POOL, "id", pem, 1.0)
    ring = KeyRing(rows.store)
    ring.signing_key(POOL, "id", NOW)
    ring.verification_key(POOL, kid)
    ring.jwks(POOL)
    assert rows.reads == 1


def test_forget_reads_the_pools_keys_again(rows: Rows, pems: list[tuple[str, str]]) -> None:
    (kid, pem), (new_kid, new_pem), _ = pems
    rows.insert(kid, POOL, "id", pem, 1.0)
    ring = KeyRing(rows.store)
    assert ring.signing_key(POOL, "id", NOW).kid == kid
    rows.insert(new_kid, POOL, "id", new_pem, 2.0)
    assert ring.signing_key(POOL, "id", NOW).kid == kid  # kept in memory
    ring.forget(POOL)
    assert ring.signing_key(POOL, "id", NOW).kid == new_kid
    assert rows.reads == 2


def test_a_pool_without_keys_is_not_remembered_as_keyless(
    rows: Rows, pems: list[tuple[str, str]]
) -> None:
    ring = KeyRing(rows.store)
    assert ring.jwks(POOL) == {"keys": []}
    assert ring.verification_key(POOL, pems[0][0]) is None
    KeyRing.create_pool_keys(rows.tx, POOL, 1.0)
    assert len(ring.jwks(POOL)["keys"]) == 2


def test_forgetting_a_pool_leaves_the_others(rows: Rows, pems: list[tuple[str, str]]) -> None:
    (kid, pem), (other_kid, other_pem), _ = pems
    rows.insert(kid, POOL, "id", pem, 1.0)
    rows.insert(other_kid, "eu-west-1_Other0000", "id", other_pem, 1.0)
    ring = KeyRing(rows.store)
    ring.jwks(POOL)
    ring.jwks("eu-west-1_Other0000")
    ring.forget("eu-west-1_Other0000")
    ring.forget("eu-west-1_NeverSeen")
    ring.jwks(POOL)
    ring.jwks("eu-west-1_Other0000")
    assert rows.reads == 3
