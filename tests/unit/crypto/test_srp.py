"""Cognito's SRP-6a (server side) against pycognito's AWSSRP, the client Python apps use.

For fixed private values (a, b), a fixed salt and a fixed timestamp, the values the server
derives must be the ones pycognito's client derives; everything on the client side below is
computed with pycognito's own helpers, never with recognito's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache
from typing import Any

import pytest
from pycognito.aws_srp import (
    AWSSRP,
    G_HEX,
    N_HEX,
    calculate_u,
    compute_hkdf,
    get_random,
    hash_sha256,
    hex_hash,
    hex_to_long,
    long_to_hex,
    pad_hex,
)

from recognito.crypto import srp
from tests.unit.crypto.conftest import Compared

POOL_ID = "eu-west-1_AbCdEf123"
POOL_NAME = "AbCdEf123"
USERNAME = "5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"
PASSWORD = "Corr3ct!Horse"
BIG_N = int(hex_to_long(N_HEX))
GEN = int(hex_to_long(G_HEX))


def _fixed(label: str, nbytes: int) -> bytes:
    """Deterministic 'random' bytes, so every run checks the same numbers."""
    out = b""
    counter = 0
    while len(out) < nbytes:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:nbytes]


# a salt whose first byte has its high bit set: PAD must then prepend a zero byte
SALT = b"\x9c" + _fixed("salt", 15)
# the client's a as pycognito draws it (128 random bytes mod N); the server's b with
# its top bit clear, so the server has to set it
A_PRIVATE = int.from_bytes(_fixed("a", 128), "big") % BIG_N
B_RAW = int.from_bytes(_fixed("b", 32), "big") & ~(1 << 255)
SECRET_BLOCK = base64.b64encode(_fixed("secret block", 300)).decode()
TIMESTAMP = AWSSRP.get_cognito_formatted_timestamp(datetime(2026, 11, 26, 13, 0, 0))


# --- the client, as pycognito computes it ---------------------------------------------------


def _client(password: str = PASSWORD, pool_id: str = POOL_ID, a: int = A_PRIVATE) -> Any:
    client = AWSSRP(USERNAME, password, pool_id, "client-id", client=object())
    client.small_a_value = a
    client.large_a_value = _public_a(a)
    return client


@cache
def _public_a(a: int) -> int:
    """pycognito's A = g^a for a given a (cached: it is a 3072-bit exponent)."""
    client = AWSSRP(USERNAME, PASSWORD, POOL_ID, "client-id", client=object())
    client.small_a_value = a
    return int(client.calculate_a())


def _random_a() -> int:
    return int(get_random(128)) % BIG_N


def _client_x(salt_hex: str, pool_name: str, user_id: str, password: str) -> int:
    inner = hash_sha256(f"{pool_name}{user_id}:{password}".encode())
    return int(hex_to_long(hex_hash(pad_hex(salt_hex) + inner)))


def _client_verifier(salt_hex: str, pool_name: str, user_id: str, password: str) -> int:
    return pow(GEN, _client_x(salt_hex, pool_name, user_id, password), BIG_N)


def _client_signature(client: Any, salt_hex: str, big_b: int, timestamp: str) -> bytes:
    key = client.get_password_authentication_key(USERNAME, client.password, big_b, salt_hex)
    message = (
        client.pool_id.split("_")[1].encode()
        + USERNAME.encode()
        + base64.b64decode(SECRET_BLOCK)
        + timestamp.encode()
    )
    return hmac.new(key, message, hashlib.sha256).digest()


# --- the server's randomness, fixed ----------------------------------------------------------


def _feed(monkeypatch: pytest.MonkeyPatch, name: str, values: list[Any]) -> list[int]:
    """Make the standard library's `secrets.<name>`, which srp draws from, return `values`
    in turn; the arguments it was called with are recorded in the returned list."""
    calls: list[int] = []
    supply: Iterator[Any] = iter(values)

    def fake(n: int) -> Any:
        calls.append(n)
        return next(supply)

    monkeypatch.setattr(secrets, name, fake)
    return calls


@pytest.fixture
def verifier(monkeypatch: pytest.MonkeyPatch) -> srp.Verifier:
    _feed(monkeypatch, "token_bytes", [SALT])
    return srp.make_verifier(POOL_NAME, USERNAME, PASSWORD)


@pytest.fixture
def ephemeral(monkeypatch: pytest.MonkeyPatch, verifier: srp.Verifier) -> tuple[int, int]:
    _feed(monkeypatch, "randbits", [B_RAW])
    return srp.server_ephemeral(verifier.verifier)


ExpectFn = Callable[..., bytes]


@pytest.fixture
def expect(verifier: srp.Verifier, ephemeral: tuple[int, int]) -> ExpectFn:
    """expected_signature for the fixed exchange; keywords override any input."""
    b, big_b = ephemeral

    def expected(**overrides: Any) -> bytes:
        inputs: dict[str, Any] = {
            "pool_name": POOL_NAME,
            "user_id": USERNAME,
            "verifier_hex": verifier.verifier,
            "a_hex": long_to_hex(_client().large_a_value),
            "b": b,
            "big_b": big_b,
            "secret_block": SECRET_BLOCK,
            "timestamp": TIMESTAMP,
        }
        return srp.expected_signature(**{**inputs, **overrides})

    return expected


# --- group parameters and encoding ----------------------------------------------------------


def test_group_parameters_are_the_ones_cognito_clients_use() -> None:
    client = _client()
    assert srp.N == BIG_N
    assert srp.G == GEN
    assert srp.K_MULTIPLIER == client.val_k


@pytest.mark.parametrize(
    "value",
    [0, 1, 0x0F, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 2**255, BIG_N - 1, BIG_N],
)
def test_pad_is_pycognitos_pad_hex(value: int) -> None:
    assert srp.pad(value) == bytes.fromhex(pad_hex(value))


def test_pad_agrees_on_random_values() -> None:
    for _ in range(200):
        value = get_random(128) % BIG_N
        assert srp.pad(value) == bytes.fromhex(pad_hex(value)), hex(value)


# --- verifier -------------------------------------------------------------------------------


def test_verifier_for_a_fixed_salt_is_the_one_pycognito_proves_knowledge_of(
    verifier: srp.Verifier,
) -> None:
    assert verifier.salt == SALT.hex()
    expected = _client_verifier(SALT.hex(), POOL_NAME, USERNAME, PASSWORD)
    assert int(verifier.verifier, 16) == expected
    assert verifier.verifier == long_to_hex(expected)


def test_verifier_salt_is_16_random_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _feed(monkeypatch, "token_bytes", [SALT])
    assert srp.make_verifier(POOL_NAME, USERNAME, PASSWORD).salt == SALT.hex()
    assert calls == [16]


def test_salt_with_a_leading_zero_byte_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _feed(monkeypatch, "token_bytes", [b"\x00" + SALT[1:], b"\x00" * 16, SALT])
    made = srp.make_verifier(POOL_NAME, USERNAME, PASSWORD)
    assert made.salt == SALT.hex()
    assert len(calls) == 3
    assert int(made.verifier, 16) == _client_verifier(SALT.hex(), POOL_NAME, USERNAME, PASSWORD)


def test_salt_with_a_small_first_byte_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0x01..0x0f: hex starts with "0" yet the byte is not zero; both sides must agree
    salt = b"\x03" + SALT[1:]
    _feed(monkeypatch, "token_bytes", [salt])
    made = srp.make_verifier(POOL_NAME, USERNAME, PASSWORD)
    assert made.salt == salt.hex()
    assert int(made.verifier, 16) == _client_verifier(salt.hex(), POOL_NAME, USERNAME, PASSWORD)


def test_real_salts_are_fresh_and_never_start_with_zero() -> None:
    salts = [srp.make_verifier(POOL_NAME, USERNAME, PASSWORD).salt for _ in range(20)]
    assert len(set(salts)) == len(salts)
    for salt in salts:
        assert len(bytes.fromhex(salt)) == 16
        assert not salt.startswith("00")


@pytest.mark.parametrize(
    ("pool_name", "user_id", "password"),
    [
        ("ZyXwVu987", USERNAME, PASSWORD),
        (POOL_NAME, "alice", PASSWORD),
        (POOL_NAME, USERNAME, "corr3ct!Horse"),
    ],
)
def test_verifier_binds_pool_user_and_password(
    monkeypatch: pytest.MonkeyPatch, pool_name: str, user_id: str, password: str
) -> None:
    _feed(monkeypatch, "token_bytes", [SALT, SALT])
    base = srp.make_verifier(POOL_NAME, USERNAME, PASSWORD)
    other = srp.make_verifier(pool_name, user_id, password)
    assert other.verifier != base.verifier
    assert int(other.verifier, 16) == _client_verifier(SALT.hex(), pool_name, user_id, password)


# --- B ----------------------------------------------------------------------------------------


def test_b_for_a_fixed_private_value_is_k_v_plus_g_to_the_b(
    monkeypatch: pytest.MonkeyPatch, verifier: srp.Verifier
) -> None:
    calls = _feed(monkeypatch, "randbits", [B_RAW])
    b, big_b = srp.server_ephemeral(verifier.verifier)
    assert calls == [256]
    assert b == B_RAW | (1 << 255)  # the top bit is forced: b always has 256 bits
    v = _client_verifier(SALT.hex(), POOL_NAME, USERNAME, PASSWORD)
    assert big_b == (_client().val_k * v + pow(GEN, b, BIG_N)) % BIG_N


def test_a_b_of_zero_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # a verifier chosen so that k*v + g^b == 0 (mod N) for the first b drawn
    first = B_RAW | (1 << 255)
    k = _client().val_k
    degenerate_v = (-pow(GEN, first, BIG_N) * pow(k, -1, BIG_N)) % BIG_N
    second = int.from_bytes(_fixed("b again", 32), "big")
    calls = _feed(monkeypatch, "randbits", [first, second])
    b, big_b = srp.server_ephemeral(long_to_hex(degenerate_v))
    assert len(calls) == 2
    assert b == second | (1 << 255)
    assert big_b == (k * degenerate_v + pow(GEN, b, BIG_N)) % BIG_N != 0


def test_real_server_ephemerals_are_fresh_and_in_range(verifier: srp.Verifier) -> None:
    pairs = [srp.server_ephemeral(verifier.verifier) for _ in range(20)]
    assert len({b for b, _ in pairs}) == len(pairs)
    for b, big_b in pairs:
        assert b.bit_length() == 256
        assert 0 < big_b < BIG_N


# --- u, key and signature ---------------------------------------------------------------------


def test_the_key_pycognito_derives_is_the_servers_key_from_s_and_u(
    verifier: srp.Verifier, ephemeral: tuple[int, int]
) -> None:
    """The server's S = (A * v^u)^b, with pycognito's u, hashed by pycognito's HKDF, is the
    client's key: both sides share S, u and K."""
    b, big_b = ephemeral
    client = _client()
    u = int(calculate_u(client.large_a_value, big_b))
    v = int(verifier.verifier, 16)
    server_s = pow(client.large_a_value * pow(v, u, BIG_N), b, BIG_N)
    server_key = compute_hkdf(
        bytearray.fromhex(pad_hex(server_s)), bytearray.fromhex(pad_hex(long_to_hex(u)))
    )
    client_key = client.get_password_authentication_key(USERNAME, PASSWORD, big_b, verifier.salt)
    assert len(client_key) == 16
    assert server_key == client_key


def test_expected_signature_is_hmac_under_pycognitos_key(
    verifier: srp.Verifier, ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    """Equal signatures over the same message mean equal u and equal HKDF keys."""
    _, big_b = ephemeral
    assert expect() == _client_signature(_client(), verifier.salt, big_b, TIMESTAMP)


def test_signature_pycognito_sends_is_accepted(
    verifier: srp.Verifier, ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    _, big_b = ephemeral
    client = _client()
    challenge = {
        "USERNAME": USERNAME,
        "USER_ID_FOR_SRP": USERNAME,
        "SALT": verifier.salt,
        "SRP_B": long_to_hex(big_b),
        "SECRET_BLOCK": SECRET_BLOCK,
    }
    answer = client.process_challenge(challenge, {"USERNAME": USERNAME})
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == SECRET_BLOCK
    expected = expect(timestamp=answer["TIMESTAMP"])
    assert srp.signature_matches(answer["PASSWORD_CLAIM_SIGNATURE"], expected) is True


def test_a_whole_exchange_with_fresh_randomness_agrees() -> None:
    for _ in range(3):
        made = srp.make_verifier(POOL_NAME, USERNAME, PASSWORD)
        b, big_b = srp.server_ephemeral(made.verifier)
        client = _client(a=_random_a())
        expected = srp.expected_signature(
            pool_name=POOL_NAME,
            user_id=USERNAME,
            verifier_hex=made.verifier,
            a_hex=long_to_hex(client.large_a_value),
            b=b,
            big_b=big_b,
            secret_block=SECRET_BLOCK,
            timestamp=TIMESTAMP,
        )
        assert expected == _client_signature(client, made.salt, big_b, TIMESTAMP)


def test_a_wrong_password_gives_a_signature_that_does_not_match(
    verifier: srp.Verifier, ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    _, big_b = ephemeral
    forged = _client_signature(_client(password="corr3ct!Horse"), verifier.salt, big_b, TIMESTAMP)
    assert forged != expect()
    assert srp.signature_matches(base64.b64encode(forged).decode(), expect()) is False


def test_a_client_of_another_pool_does_not_match(
    verifier: srp.Verifier, ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    _, big_b = ephemeral
    other = _client(pool_id="eu-west-1_ZyXwVu987")
    assert _client_signature(other, verifier.salt, big_b, TIMESTAMP) != expect()


@pytest.mark.parametrize(
    "override",
    [
        {"timestamp": AWSSRP.get_cognito_formatted_timestamp(datetime(2026, 11, 26, 13, 0, 1))},
        {"secret_block": base64.b64encode(_fixed("other block", 300)).decode()},
        {"user_id": "alice"},
        {"pool_name": "ZyXwVu987"},
    ],
    ids=["timestamp", "secret_block", "user_id", "pool_name"],
)
def test_the_signature_covers_every_signed_input(
    verifier: srp.Verifier,
    ephemeral: tuple[int, int],
    expect: ExpectFn,
    override: dict[str, str],
) -> None:
    _, big_b = ephemeral
    honest = _client_signature(_client(), verifier.salt, big_b, TIMESTAMP)
    assert expect() == honest
    assert expect(**override) != honest


def test_another_client_ephemeral_changes_the_signature(
    verifier: srp.Verifier, ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    _, big_b = ephemeral
    other = _client(a=A_PRIVATE + 1)
    assert expect(a_hex=long_to_hex(other.large_a_value)) == _client_signature(
        other, verifier.salt, big_b, TIMESTAMP
    )
    assert expect(a_hex=long_to_hex(other.large_a_value)) != expect()


# --- degenerate A -----------------------------------------------------------------------------


@pytest.mark.parametrize("multiple", [0, 1, 2, 7])
def test_an_a_that_is_a_multiple_of_n_is_refused(multiple: int) -> None:
    assert srp.valid_client_ephemeral(long_to_hex(multiple * BIG_N)) is False


@pytest.mark.parametrize("a_hex", ["", "xyz", "12g4", "0.5"])
def test_an_a_that_is_not_hex_is_refused(a_hex: str) -> None:
    assert srp.valid_client_ephemeral(a_hex) is False


def test_a_real_client_a_is_accepted() -> None:
    assert srp.valid_client_ephemeral(long_to_hex(_client().large_a_value)) is True
    assert srp.valid_client_ephemeral(long_to_hex(_client(a=_random_a()).large_a_value)) is True


def test_a_degenerate_a_would_let_anyone_forge_the_signature(
    ephemeral: tuple[int, int], expect: ExpectFn
) -> None:
    """Why A % N == 0 must be refused: S is then 0, and the key needs no password."""
    _, big_b = ephemeral
    u = int(calculate_u(BIG_N, big_b))
    key = compute_hkdf(bytearray.fromhex(pad_hex(0)), bytearray.fromhex(pad_hex(long_to_hex(u))))
    message = (
        POOL_NAME.encode() + USERNAME.encode() + base64.b64decode(SECRET_BLOCK) + TIMESTAMP.encode()
    )
    forged = hmac.new(key, message, hashlib.sha256).digest()
    assert expect(a_hex=long_to_hex(BIG_N)) == forged
    assert srp.valid_client_ephemeral(long_to_hex(BIG_N)) is False


# --- comparing signatures ---------------------------------------------------------------------


@pytest.fixture
def genuine() -> bytes:
    return _fixed("signature", 32)


def test_the_right_signature_matches(genuine: bytes) -> None:
    assert srp.signature_matches(base64.b64encode(genuine).decode(), genuine) is True


def test_a_signature_differing_in_any_byte_does_not_match(genuine: bytes) -> None:
    for i in range(len(genuine)):
        for mask in (0x01, 0x80):
            altered = bytearray(genuine)
            altered[i] ^= mask
            given = base64.b64encode(bytes(altered)).decode()
            assert srp.signature_matches(given, genuine) is False, (i, mask)


@pytest.mark.parametrize(
    "given",
    [
        lambda sig: sig[:16],  # a prefix
        lambda sig: sig + b"\x00",  # longer
        lambda sig: b"",  # nothing
    ],
    ids=["prefix", "longer", "empty"],
)
def test_a_signature_of_another_length_does_not_match(
    genuine: bytes, given: Callable[[bytes], bytes]
) -> None:
    assert srp.signature_matches(base64.b64encode(given(genuine)).decode(), genuine) is False


@pytest.mark.parametrize("given", ["not base64!", "abc", "é", "=" * 4])
def test_a_signature_that_is_not_base64_does_not_match(genuine: bytes, given: str) -> None:
    assert srp.signature_matches(given, genuine) is False


def test_signatures_are_compared_in_constant_time(
    constant_time_comparisons: Compared, genuine: bytes
) -> None:
    compared = constant_time_comparisons
    wrong = bytes(32)
    assert srp.signature_matches(base64.b64encode(wrong).decode(), genuine) is False
    assert srp.signature_matches(base64.b64encode(genuine).decode(), genuine) is True
    assert compared == [(wrong, genuine), (genuine, genuine)]


@pytest.mark.parametrize("given", ["-1", "0x10", " ff ", "f_f", "", "0", format(srp.N, "x")])
def test_a_client_ephemeral_must_be_plain_hex_between_zero_and_n(given: str) -> None:
    assert not srp.valid_client_ephemeral(given)


def test_a_client_ephemeral_below_n_is_taken() -> None:
    assert srp.valid_client_ephemeral(format(srp.N - 1, "x"))


def test_a_signature_with_stray_characters_or_nothing_to_match_is_refused() -> None:
    expected = hashlib.sha256(b"proof").digest()
    good = base64.b64encode(expected).decode()
    assert srp.signature_matches(good, expected)
    assert not srp.signature_matches(good[:4] + "*" + good[4:], expected)
    assert not srp.signature_matches("", b"")


@pytest.mark.parametrize("seed", range(5))
def test_gmp_and_python_powers_agree(seed: int) -> None:
    base, exponent = secrets.randbits(2048) % srp.N, secrets.randbits(256 + seed)
    assert srp.gmp_powmod(base, exponent, srp.N) == srp.python_powmod(base, exponent, srp.N)
    assert srp.powmod is srp.gmp_powmod  # gmpy2 is a dependency: the fast one is in use


def test_the_python_fallback_computes_the_same_verifier(monkeypatch: pytest.MonkeyPatch) -> None:
    salt = bytes(range(1, 17))  # no leading zero byte, as make_verifier insists
    monkeypatch.setattr(secrets, "token_bytes", lambda n: salt[:n])
    fast = srp.make_verifier("AbCdEfGhI", "alice", "Passw0rd!")
    monkeypatch.setattr(srp, "powmod", srp.python_powmod)
    assert srp.make_verifier("AbCdEfGhI", "alice", "Passw0rd!") == fast
