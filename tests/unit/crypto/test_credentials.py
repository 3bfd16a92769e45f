"""What setting a password stores: an argon2id hash and an SRP salt + verifier that bind the
pool and the username (checked with pycognito's client, as USER_SRP_AUTH would)."""

from __future__ import annotations

import base64
from dataclasses import asdict
from typing import Any

import pytest
from pycognito.aws_srp import (
    AWSSRP,
    G_HEX,
    N_HEX,
    hash_sha256,
    hex_hash,
    hex_to_long,
    long_to_hex,
    pad_hex,
)
from sqlalchemy import String

from recognito.crypto import srp
from recognito.crypto.credentials import NONE, Credentials, credentials
from recognito.crypto.passwords import needs_rehash, verify_password
from recognito.store.tables import users

POOL_ID = "us-east-1_Qw3rTy789"
USERNAME = "34c84488-e0e1-70ae-d2ee-991ad1a898c8"
PASSWORD = "Corr3ct!Horse"
BLOCK = base64.b64encode(b"secret block").decode()
TIMESTAMP = "Thu Nov 26 13:00:00 UTC 2026"


@pytest.fixture(scope="module")
def stored() -> Credentials:
    return credentials(POOL_ID, USERNAME, PASSWORD)


def _client_verifier(salt_hex: str, pool_name: str, username: str, password: str) -> int:
    """v = g^x, with x computed by pycognito's helpers as its client does."""
    inner = hash_sha256(f"{pool_name}{username}:{password}".encode())
    x = hex_to_long(hex_hash(pad_hex(salt_hex) + inner))
    return int(pow(hex_to_long(G_HEX), x, hex_to_long(N_HEX)))


def _signs_in(stored: Credentials, pool_id: str, username: str, password: str) -> bool:
    """One USER_SRP_AUTH exchange: pycognito answers the challenge the stored verifier
    sets for the pool and user the server has (POOL_ID, USERNAME)."""
    assert stored.srp_salt is not None and stored.srp_verifier is not None
    client: Any = AWSSRP(username, password, pool_id, "client-id", client=object())
    b, big_b = srp.server_ephemeral(stored.srp_verifier)
    key = client.get_password_authentication_key(username, password, big_b, stored.srp_salt)
    answer = client.process_challenge(
        {
            "USERNAME": username,
            "USER_ID_FOR_SRP": username,
            "SALT": stored.srp_salt,
            "SRP_B": long_to_hex(big_b),
            "SECRET_BLOCK": BLOCK,
        },
        {"USERNAME": username},
    )
    assert len(key) == 16
    expected = srp.expected_signature(
        pool_name=POOL_ID.split("_", 1)[1],
        user_id=USERNAME,
        verifier_hex=stored.srp_verifier,
        a_hex=long_to_hex(client.large_a_value),
        b=b,
        big_b=big_b,
        secret_block=BLOCK,
        timestamp=answer["TIMESTAMP"],
    )
    return srp.signature_matches(answer["PASSWORD_CLAIM_SIGNATURE"], expected)


def test_the_hash_verifies_the_password(stored: Credentials) -> None:
    assert stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, PASSWORD) is True
    assert not needs_rehash(stored.password_hash)


def test_the_hash_refuses_another_password(stored: Credentials) -> None:
    assert verify_password(stored.password_hash, "corr3ct!Horse") is False
    assert verify_password(stored.password_hash, "") is False


def test_the_verifier_is_pycognitos_for_the_pool_name_and_username(stored: Credentials) -> None:
    assert stored.srp_salt is not None and stored.srp_verifier is not None
    assert len(bytes.fromhex(stored.srp_salt)) == 16
    assert int(stored.srp_verifier, 16) == _client_verifier(
        stored.srp_salt, "Qw3rTy789", USERNAME, PASSWORD
    )


@pytest.mark.parametrize(
    ("pool_name", "username"),
    [(POOL_ID, USERNAME), ("us-east-1", USERNAME), ("Qw3rTy780", USERNAME), ("Qw3rTy789", "x")],
    ids=["whole-pool-id", "region", "other-pool", "other-user"],
)
def test_the_verifier_binds_the_pool_name_and_the_username(
    stored: Credentials, pool_name: str, username: str
) -> None:
    assert stored.srp_salt is not None and stored.srp_verifier is not None
    other = _client_verifier(stored.srp_salt, pool_name, username, PASSWORD)
    assert int(stored.srp_verifier, 16) != other


def test_pycognito_signs_in_with_the_right_password(stored: Credentials) -> None:
    assert _signs_in(stored, POOL_ID, USERNAME, PASSWORD) is True


def test_pycognito_cannot_sign_in_with_a_wrong_password(stored: Credentials) -> None:
    assert _signs_in(stored, POOL_ID, USERNAME, "corr3ct!Horse") is False


def test_a_client_of_another_pool_cannot_sign_in(stored: Credentials) -> None:
    # same region, another pool: the pool name is part of what the verifier proves
    assert _signs_in(stored, "us-east-1_Qw3rTy780", USERNAME, PASSWORD) is False


def test_a_client_claiming_another_username_cannot_sign_in(stored: Credentials) -> None:
    assert _signs_in(stored, POOL_ID, "alice", PASSWORD) is False


def test_the_pool_name_is_the_part_after_the_region() -> None:
    # the region is not bound: only the pool name after it is
    made = credentials("ap-southeast-2_Qw3rTy789", USERNAME, PASSWORD)
    assert made.srp_salt is not None and made.srp_verifier is not None
    assert int(made.srp_verifier, 16) == _client_verifier(
        made.srp_salt, "Qw3rTy789", USERNAME, PASSWORD
    )


def test_each_setting_is_freshly_salted(stored: Credentials) -> None:
    again = credentials(POOL_ID, USERNAME, PASSWORD)
    assert again.password_hash != stored.password_hash
    assert again.srp_salt != stored.srp_salt
    assert again.srp_verifier != stored.srp_verifier
    assert verify_password(again.password_hash, PASSWORD) is True


def test_credentials_fit_the_users_columns(stored: Credentials) -> None:
    columns = asdict(stored)
    assert set(columns) == {"password_hash", "srp_salt", "srp_verifier"}
    assert set(columns) <= set(users.c.keys())
    for name, value in columns.items():
        column_type = users.c[name].type
        assert isinstance(column_type, String) and column_type.length is not None
        assert value is not None and len(value) <= column_type.length, name


def test_none_takes_everything_away() -> None:
    assert asdict(NONE) == {"password_hash": None, "srp_salt": None, "srp_verifier": None}
    assert verify_password(NONE.password_hash, PASSWORD) is False
    assert verify_password(NONE.password_hash, "") is False
