"""Cognito's SRP-6a variant (USER_SRP_AUTH), server side; docs/behaviour.md §8.

    verifier:  x = H(PAD(salt) || hex(H(pool_name + user_id + ":" + password))),  v = g^x
    challenge: B = k*v + g^b                       (b random, never stored in the clear)
    proof:     u = H(PAD(A) || PAD(B)),  S = (A * v^u)^b,  K = HKDF(S, u)[:16]
               signature = HMAC(K, pool_name || user_id || SECRET_BLOCK || TIMESTAMP)

Hashes are SHA-256 over bytes; PAD is the minimal big-endian two's-complement form.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

try:  # GMP does the big modular powers about ten times faster than Python's own
    import gmpy2
except ImportError:  # pragma: no cover - gmpy2 is a dependency; the fallback is tested
    gmpy2 = None

N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
INFO = b"Caldera Derived Key"


def python_powmod(base: int, exponent: int, modulus: int) -> int:
    return pow(base, exponent, modulus)


def gmp_powmod(base: int, exponent: int, modulus: int) -> int:
    return int(gmpy2.powmod(base, exponent, modulus))


powmod: Callable[[int, int, int], int] = gmp_powmod if gmpy2 is not None else python_powmod


def pad(n: int) -> bytes:
    """Minimal big-endian two's-complement bytes of a non-negative integer."""
    hex_value = format(n, "x")
    if len(hex_value) % 2:
        hex_value = "0" + hex_value
    elif hex_value[0] in "89abcdef":
        hex_value = "00" + hex_value
    return bytes.fromhex(hex_value)


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


K_MULTIPLIER = int.from_bytes(_h(pad(N) + pad(G)), "big")


@dataclass(frozen=True)
class Verifier:
    salt: str  # hex
    verifier: str  # hex of v


def make_verifier(pool_name: str, user_id: str, password: str) -> Verifier:
    # a leading zero byte is read differently by pycognito and Amplify: never emit one
    salt = secrets.token_bytes(16)
    while salt[0] == 0:
        salt = secrets.token_bytes(16)
    x = _x(int.from_bytes(salt, "big"), pool_name, user_id, password)
    return Verifier(salt.hex(), format(powmod(G, x, N), "x"))


def _x(salt: int, pool_name: str, user_id: str, password: str) -> int:
    inner = _h(f"{pool_name}{user_id}:{password}".encode()).hex()
    return int.from_bytes(_h(pad(salt) + bytes.fromhex(inner)), "big")


def server_ephemeral(verifier_hex: str) -> tuple[int, int]:
    """(b, B) for a verifier."""
    v = int(verifier_hex, 16)
    while True:
        b = secrets.randbits(256) | (1 << 255)
        big_b = (K_MULTIPLIER * v + powmod(G, b, N)) % N
        if big_b:
            return b, big_b


_HEX = re.compile(r"[0-9a-fA-F]+")


def valid_client_ephemeral(a_hex: str) -> bool:
    """Plain hex digits of a number below N that is no multiple of it (SRP-6a's check)."""
    if not a_hex or not _HEX.fullmatch(a_hex):
        return False
    a = int(a_hex, 16)
    return 0 < a < N


def expected_signature(
    *,
    pool_name: str,
    user_id: str,
    verifier_hex: str,
    a_hex: str,
    b: int,
    big_b: int,
    secret_block: str,
    timestamp: str,
) -> bytes:
    """The PASSWORD_CLAIM_SIGNATURE (raw bytes) a client knowing the password sends."""
    big_a = int(a_hex, 16)
    v = int(verifier_hex, 16)
    u = int.from_bytes(_h(pad(big_a) + pad(big_b)), "big")
    if u == 0:
        raise ValueError("u is zero")
    s = powmod(big_a * powmod(v, u, N), b, N)
    prk = hmac.new(pad(u), pad(s), hashlib.sha256).digest()
    key = hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]
    message = (
        pool_name.encode() + user_id.encode() + base64.b64decode(secret_block) + timestamp.encode()
    )
    return hmac.new(key, message, hashlib.sha256).digest()


def signature_matches(given_b64: str, expected: bytes) -> bool:
    try:
        given = base64.b64decode(given_b64, validate=True)
    except ValueError:
        return False
    return bool(expected) and hmac.compare_digest(given, expected)
