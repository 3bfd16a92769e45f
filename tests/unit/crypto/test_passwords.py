"""argon2id hashing: what verifies and what does not, the decoy checked for a missing hash,
the parameters hashes are made with, hashes of other parameters, and the hashing threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from argon2 import PasswordHasher, Type

from recognito.crypto import passwords
from recognito.crypto.passwords import hash_password, needs_rehash, verify_password

PASSWORD = "Corr3ct!Horse"


class Verified:
    """What argon2's PasswordHasher.verify was asked, and on which thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.answer: bool | None = None  # None: really verify


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> Iterator[Verified]:
    spy = Verified()
    real = PasswordHasher.verify

    def verify(self: PasswordHasher, hash: str, password: str) -> Any:
        spy.calls.append((hash, password, threading.current_thread().name))
        if spy.answer is not None:
            return spy.answer
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    yield spy


@pytest.mark.parametrize("missing", [None, ""])
def test_a_missing_hash_is_checked_against_a_decoy(verified: Verified, missing: str | None) -> None:
    assert verify_password(missing, PASSWORD) is False
    [(decoy, password, _)] = verified.calls
    assert password == PASSWORD
    assert decoy.startswith("$argon2id$")
    # the decoy costs what a real hash costs, or timing would tell users apart
    assert not needs_rehash(decoy)


def test_the_decoy_is_the_same_every_time(verified: Verified) -> None:
    verify_password(None, PASSWORD)
    verify_password(None, "something else")
    assert len(verified.calls) == 2
    assert verified.calls[0][0] == verified.calls[1][0]


def test_a_missing_hash_is_refused_even_if_the_decoy_matched(verified: Verified) -> None:
    verified.answer = True
    assert verify_password(None, PASSWORD) is False
    assert verify_password("", PASSWORD) is False
    assert len(verified.calls) == 2


def test_a_present_hash_is_checked_itself(verified: Verified) -> None:
    stored = hash_password(PASSWORD)
    assert verify_password(stored, PASSWORD) is True
    assert [(h, p) for h, p, _ in verified.calls] == [(stored, PASSWORD)]


def test_verifying_runs_on_the_hashing_threads(verified: Verified) -> None:
    stored = hash_password(PASSWORD)
    verify_password(stored, PASSWORD)
    verify_password(None, PASSWORD)
    caller = threading.current_thread().name
    for _, _, thread in verified.calls:
        assert thread != caller
        assert thread.startswith("argon2")


def test_hashing_runs_on_the_hashing_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = PasswordHasher.hash

    def spy(self: PasswordHasher, password: str, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(self, password, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", spy)
    assert verify_password(hash_password(PASSWORD), PASSWORD) is True
    assert len(threads) == 1
    assert threads[0].startswith("argon2")


def test_hashes_use_owasps_argon2id_baseline() -> None:
    # 19 MiB, 2 passes, 1 lane: hashes made so by another hasher need no rehash
    stored = hash_password(PASSWORD)
    assert stored.split("$")[1:4] == ["argon2id", "v=19", "m=19456,t=2,p=1"]
    baseline = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
    other = baseline.hash(PASSWORD)
    assert not needs_rehash(other)
    assert verify_password(other, PASSWORD) is True


@pytest.mark.parametrize(
    "params",
    [
        {"time_cost": 3, "memory_cost": 19 * 1024, "parallelism": 1},
        {"time_cost": 2, "memory_cost": 32 * 1024, "parallelism": 1},
        {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 2},
        {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1, "type": Type.I},
    ],
    ids=["more-passes", "more-memory", "more-lanes", "argon2i"],
)
def test_hashes_of_other_parameters_still_verify_and_need_rehash(params: dict[str, Any]) -> None:
    stored = PasswordHasher(**params).hash(PASSWORD)
    assert verify_password(stored, PASSWORD) is True
    assert verify_password(stored, PASSWORD + "!") is False
    assert needs_rehash(stored)


def test_a_weaker_hash_refuses_a_wrong_password() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    assert verify_password(weak, "corr3ct!Horse") is False


def test_long_passwords_are_not_truncated() -> None:
    long = "Aa1!" * 64  # 256 characters, Cognito's longest
    stored = hash_password(long)
    assert verify_password(stored, long) is True
    assert verify_password(stored, long[:-1] + "?") is False
    assert verify_password(stored, long[:72]) is False


@pytest.mark.parametrize("password", ["Zoë-Pässwörd1", "パスワード1!", "\U0001f600 emoji 1A"])
def test_non_ascii_passwords_verify(password: str) -> None:
    stored = hash_password(password)
    assert verify_password(stored, password) is True
    assert verify_password(stored, password[:-1]) is False


def test_hashing_from_many_threads_at_once() -> None:
    passwords = [f"Passw0rd-{i}!" for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        hashes = list(pool.map(hash_password, passwords))
        checks = list(pool.map(verify_password, hashes, passwords))
        crossed = list(pool.map(verify_password, hashes, reversed(passwords)))
    assert checks == [True] * 8
    assert crossed == [False] * 8


# --- hash and verify -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return hash_password("Corr3ct!Horse")


def test_password_hash_is_argon2id(stored_hash: str) -> None:
    assert stored_hash.startswith("$argon2id$")
    assert "Corr3ct!Horse" not in stored_hash


def test_password_hash_verifies_the_right_password(stored_hash: str) -> None:
    assert verify_password(stored_hash, "Corr3ct!Horse") is True


def test_password_hash_rejects_a_wrong_password(stored_hash: str) -> None:
    assert verify_password(stored_hash, "corr3ct!Horse") is False
    assert verify_password(stored_hash, "") is False


def test_verify_password_rejects_missing_hash() -> None:
    assert verify_password(None, "Corr3ct!Horse") is False
    assert verify_password("", "Corr3ct!Horse") is False


def test_verify_password_rejects_garbage_hash() -> None:
    assert verify_password("not-a-hash", "Corr3ct!Horse") is False


def test_password_hashes_are_salted() -> None:
    assert hash_password("Corr3ct!Horse") != hash_password("Corr3ct!Horse")


def test_a_hash_made_with_weaker_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("Passw0rd!")
    assert verify_password(weak, "Passw0rd!")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("Passw0rd!"))


@pytest.fixture
def fast_profile() -> Iterator[None]:
    passwords.use_profile("fast")
    yield
    passwords.use_profile("standard")


def test_the_fast_profile_hashes_cheaply_and_still_checks(fast_profile: None) -> None:
    hashed = passwords.hash_password("Corr3ct-Horse!")
    assert "$m=8,t=1,p=1$" in hashed
    assert passwords.verify_password(hashed, "Corr3ct-Horse!") is True
    assert passwords.verify_password(hashed, "Wr0ng-Horse!") is False
    assert passwords.verify_password(None, "Corr3ct-Horse!") is False  # its decoy is fast too


def test_hashes_of_either_profile_verify_under_the_other() -> None:
    standard = passwords.hash_password("Corr3ct-Horse!")
    passwords.use_profile("fast")
    try:
        fast = passwords.hash_password("Corr3ct-Horse!")
        assert passwords.verify_password(standard, "Corr3ct-Horse!") is True
    finally:
        passwords.use_profile("standard")
    assert passwords.verify_password(fast, "Corr3ct-Horse!") is True


def test_the_standard_profile_upgrades_fast_hashes_and_the_fast_one_never_rewrites() -> None:
    standard = passwords.hash_password("Corr3ct-Horse!")
    passwords.use_profile("fast")
    try:
        fast = passwords.hash_password("Corr3ct-Horse!")
        assert passwords.needs_rehash(standard) is False
        assert passwords.needs_rehash(fast) is False
    finally:
        passwords.use_profile("standard")
    assert passwords.needs_rehash(fast) is True
