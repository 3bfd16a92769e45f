"""Per-pool signing keys: what new_key makes."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from recognito.crypto.keys import new_key


@pytest.fixture(scope="module")
def pems() -> list[tuple[str, str]]:
    return [new_key() for _ in range(3)]


def _public(pem: str) -> rsa.RSAPublicKey:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return private.public_key()


def test_a_new_key_is_a_2048_bit_rsa_private_key(pems: list[tuple[str, str]]) -> None:
    _, pem = pems[0]
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size == 2048
    assert private.public_key().public_numbers().e == 65537


def test_the_kid_is_base64_of_sha256_of_the_public_key_der(pems: list[tuple[str, str]]) -> None:
    for kid, pem in pems:
        der = _public(pem).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert kid == base64.b64encode(hashlib.sha256(der).digest()).decode()


def test_new_keys_are_fresh(pems: list[tuple[str, str]]) -> None:
    assert len({kid for kid, _ in pems}) == len({pem for _, pem in pems}) == len(pems)


def test_new_key_kid_is_44_char_standard_base64_of_32_bytes() -> None:
    kid, pem = new_key()
    assert len(kid) == 44
    assert len(base64.b64decode(kid, validate=True)) == 32
    assert pem.startswith("-----BEGIN")
