"""SECRET_HASH = base64(HMAC-SHA256(key=client secret, msg=username + client id)), checked
against a reference HMAC and pycognito's independent implementation, and what matches it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

import pytest
from pycognito.aws_srp import AWSSRP

from recognito.crypto.secret_hash import secret_hash, secret_hash_matches
from tests.unit.crypto.conftest import Compared

CLIENT_ID = "6h89qn2bfglbmvfebq9aaknqk0"
CLIENT_SECRET = "1ac4pmokjnuu4kc8rjq5ajcm6bcol1jls2n3cnqh84ssknqvulgi"


def reference_hash(secret: str, username: str, client_id: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def _pycognito(username: str, client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> str:
    return str(AWSSRP.get_secret_hash(username, client_id, secret))


@pytest.mark.parametrize(
    "username",
    ["alice", "Alice", "", "alice@example.com", "+14155550123", "Zoë", "名前", "a" * 128],
)
def test_secret_hash_is_what_pycognito_sends(username: str) -> None:
    assert secret_hash(CLIENT_SECRET, username, CLIENT_ID) == _pycognito(username)


def test_the_key_is_the_secret_and_the_message_username_then_client_id() -> None:
    value = base64.b64decode(secret_hash(CLIENT_SECRET, "alice", CLIENT_ID))
    message = ("alice" + CLIENT_ID).encode()
    assert value == hmac.new(CLIENT_SECRET.encode(), message, hashlib.sha256).digest()
    swapped_roles = hmac.new(message, CLIENT_SECRET.encode(), hashlib.sha256).digest()
    swapped_order = hmac.new(
        CLIENT_SECRET.encode(), (CLIENT_ID + "alice").encode(), hashlib.sha256
    ).digest()
    assert value not in (swapped_roles, swapped_order)


def test_the_client_id_is_part_of_it() -> None:
    other = "7cg4g8vorirlhelebcriqnj95a"
    assert secret_hash(CLIENT_SECRET, "alice", other) == _pycognito("alice", client_id=other)
    assert secret_hash(CLIENT_SECRET, "alice", other) != secret_hash(
        CLIENT_SECRET, "alice", CLIENT_ID
    )


def test_usernames_are_hashed_as_given_case_and_all() -> None:
    given = _pycognito("Alice")
    assert secret_hash_matches(given, CLIENT_SECRET, ["Alice"], CLIENT_ID) is True
    assert secret_hash_matches(given, CLIENT_SECRET, ["alice"], CLIENT_ID) is False


@pytest.mark.parametrize(
    "alter",
    [
        lambda v: v.rstrip("="),  # unpadded
        lambda v: v[:-2] + "=",  # truncated
        lambda v: v + "=",  # extended
        lambda v: f" {v}",  # whitespace
        lambda v: v.lower(),  # case folded
        lambda v: ("B" if v[0] == "A" else "A") + v[1:],  # one character changed
        lambda v: base64.b64decode(v).hex(),  # hex instead of base64
        lambda v: "",
    ],
    ids=["unpadded", "truncated", "extended", "whitespace", "lower", "changed", "hex", "empty"],
)
def test_only_the_exact_value_matches(alter: Callable[[str], str]) -> None:
    given = _pycognito("alice")
    altered = alter(given)
    assert altered != given
    assert secret_hash_matches(altered, CLIENT_SECRET, ["alice"], CLIENT_ID) is False


def test_a_non_ascii_given_value_is_refused_not_an_error() -> None:
    assert secret_hash_matches("é" * 44, CLIENT_SECRET, ["alice"], CLIENT_ID) is False


def test_matching_compares_in_constant_time(constant_time_comparisons: Compared) -> None:
    compared = constant_time_comparisons
    given = _pycognito("alice@example.com")
    names = ["alice", "alice@example.com"]
    assert secret_hash_matches(given, CLIENT_SECRET, names, CLIENT_ID) is True
    assert compared == [
        (given.encode(), _pycognito("alice").encode()),
        (given.encode(), given.encode()),
    ]


# --- against a reference HMAC --------------------------------------------------------------------


@pytest.mark.parametrize("username", ["alice", "alice@example.com", "Zoë", "+14155550123"])
def test_secret_hash_is_base64_hmac_sha256_of_username_and_client_id(username: str) -> None:
    assert secret_hash(CLIENT_SECRET, username, CLIENT_ID) == reference_hash(
        CLIENT_SECRET, username, CLIENT_ID
    )


def test_secret_hash_is_44_chars_of_padded_standard_base64() -> None:
    value = secret_hash(CLIENT_SECRET, "alice", CLIENT_ID)
    assert len(value) == 44
    assert value.endswith("=")
    assert len(base64.b64decode(value, validate=True)) == 32


def test_secret_hash_depends_on_the_secret() -> None:
    assert secret_hash(CLIENT_SECRET, "alice", CLIENT_ID) != secret_hash(
        CLIENT_SECRET[::-1], "alice", CLIENT_ID
    )


def test_secret_hash_matches_any_listed_identifier() -> None:
    identifiers = ["alice", "alice@example.com", "5f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"]
    for name in identifiers:
        given = reference_hash(CLIENT_SECRET, name, CLIENT_ID)
        assert secret_hash_matches(given, CLIENT_SECRET, identifiers, CLIENT_ID) is True


def test_secret_hash_over_unlisted_identifier_does_not_match() -> None:
    given = reference_hash(CLIENT_SECRET, "bob", CLIENT_ID)
    assert secret_hash_matches(given, CLIENT_SECRET, ["alice", "a@example.com"], CLIENT_ID) is False


def test_secret_hash_with_wrong_secret_or_client_does_not_match() -> None:
    wrong_secret = reference_hash("x" * 52, "alice", CLIENT_ID)
    wrong_client = reference_hash(CLIENT_SECRET, "alice", "7cg4g8vorirlhelebcriqnj95a")
    assert secret_hash_matches(wrong_secret, CLIENT_SECRET, ["alice"], CLIENT_ID) is False
    assert secret_hash_matches(wrong_client, CLIENT_SECRET, ["alice"], CLIENT_ID) is False


def test_secret_hash_matches_nothing_for_no_identifiers() -> None:
    given = reference_hash(CLIENT_SECRET, "alice", CLIENT_ID)
    assert secret_hash_matches(given, CLIENT_SECRET, [], CLIENT_ID) is False
