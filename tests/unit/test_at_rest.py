"""The sealing of secrets at rest: AES-256-GCM bound to its place, named by its key."""

from __future__ import annotations

import base64

import pytest

from recognito.crypto.at_rest import BrokenSecret, MasterKey, MasterKeyError, sealed_kid


def test_a_sealed_value_opens_with_its_key_and_place() -> None:
    key = MasterKey.generate()
    sealed = key.seal(b"s3cret", "clients.secret:abc")
    assert sealed.startswith(f"v1:{key.kid}:")
    assert b"s3cret" not in sealed.encode()
    assert key.open(sealed, "clients.secret:abc") == b"s3cret"


def test_each_seal_has_a_fresh_nonce() -> None:
    key = MasterKey.generate()
    assert key.seal(b"same", "p") != key.seal(b"same", "p")


def test_a_value_in_another_place_does_not_open() -> None:
    key = MasterKey.generate()
    sealed = key.seal(b"s3cret", "clients.secret:abc")
    with pytest.raises(BrokenSecret, match="does not open"):
        key.open(sealed, "clients.secret:xyz")


def test_another_key_is_named_not_tried() -> None:
    key, other = MasterKey.generate(), MasterKey.generate()
    sealed = key.seal(b"s3cret", "p")
    with pytest.raises(BrokenSecret, match=f"sealed with master key {key.kid}, not {other.kid}"):
        other.open(sealed, "p")


def test_a_tampered_value_does_not_open() -> None:
    key = MasterKey.generate()
    version, kid, body = key.seal(b"s3cret", "p").split(":")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(BrokenSecret):
        key.open(f"{version}:{kid}:{base64.b64encode(bytes(raw)).decode()}", "p")


def test_plaintext_is_not_taken_for_a_sealed_value() -> None:
    key = MasterKey.generate()
    assert sealed_kid("-----BEGIN PRIVATE KEY-----") is None
    assert sealed_kid("ab12") is None
    with pytest.raises(BrokenSecret, match="is not sealed"):
        key.open("ab12", "p")


def test_a_key_round_trips_as_text_with_the_same_kid() -> None:
    key = MasterKey.generate()
    again = MasterKey.from_text(key.to_text() + "\n")
    assert again.kid == key.kid
    assert again.open(key.seal(b"x", "p"), "p") == b"x"


@pytest.mark.parametrize("text", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_malformed_key_is_refused(text: str) -> None:
    with pytest.raises(MasterKeyError):
        MasterKey.from_text(text)
