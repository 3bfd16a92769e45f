"""Sealed envelopes: what is sealed opens unchanged, and only with the same key and purpose;
any change to the sealed bytes is refused with the module's own error."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, cast

import pytest

from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal

KEY = bytes(range(32))
PURPOSE = "srp-secret-block"
CONTENT: dict[str, Any] = {
    "pool": "eu-west-1_AbCdEf123",
    "user": None,
    "user_id": "Zoë",
    "b": "f" * 64,
    "expires_at": 1_783_203_683.25,
    "flags": [True, False, 0, -1],
    "nested": {"k": {"v": "\u0000 \U0001f600"}},
}


@pytest.fixture(scope="module")
def sealed() -> str:
    return seal(KEY, PURPOSE, CONTENT)


def _raw(envelope: str) -> bytes:
    return base64.b64decode(envelope, validate=True)


def _text(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _refused(envelope: str, key: bytes = KEY, purpose: str = PURPOSE) -> BrokenEnvelope:
    with pytest.raises(BrokenEnvelope) as caught:
        open_envelope(key, purpose, envelope)
    assert caught.type is BrokenEnvelope
    return caught.value


def test_what_is_sealed_opens_unchanged(sealed: str) -> None:
    assert open_envelope(KEY, PURPOSE, sealed) == CONTENT


def test_an_empty_dict_round_trips() -> None:
    assert open_envelope(KEY, PURPOSE, seal(KEY, PURPOSE, {})) == {}


def test_the_envelope_is_standard_base64_that_hides_its_content(sealed: str) -> None:
    raw = _raw(sealed)
    plain = json.dumps(CONTENT).encode()
    assert plain not in raw
    assert b"eu-west-1_AbCdEf123" not in raw
    assert len(raw) > len(plain)  # nonce and tag travel with it


def test_sealing_twice_gives_different_envelopes_that_both_open() -> None:
    first, second = seal(KEY, PURPOSE, CONTENT), seal(KEY, PURPOSE, CONTENT)
    assert first != second
    assert _raw(first)[:12] != _raw(second)[:12]
    assert open_envelope(KEY, PURPOSE, first) == open_envelope(KEY, PURPOSE, second) == CONTENT


def test_changing_any_byte_is_refused(sealed: str) -> None:
    raw = _raw(sealed)
    for i in range(len(raw)):
        for mask in (0x01, 0x80):
            altered = bytearray(raw)
            altered[i] ^= mask
            with pytest.raises(BrokenEnvelope):
                open_envelope(KEY, PURPOSE, _text(bytes(altered)))


@pytest.mark.parametrize(
    "cut",
    [
        lambda raw: raw[:-1],  # tag shortened
        lambda raw: raw[:-16],  # tag dropped
        lambda raw: raw + b"\x00",  # a byte appended
        lambda raw: raw[1:],  # nonce shifted
        lambda raw: raw[12:],  # nonce dropped
        lambda raw: raw[:12],  # nonce only
        lambda raw: raw[:5],  # shorter than a nonce
    ],
    ids=["short-tag", "no-tag", "appended", "shifted", "no-nonce", "nonce-only", "tiny"],
)
def test_shortened_or_lengthened_envelopes_are_refused(
    sealed: str, cut: Callable[[bytes], bytes]
) -> None:
    _refused(_text(cut(_raw(sealed))))


def test_a_nonce_from_another_envelope_is_refused(sealed: str) -> None:
    other = _raw(seal(KEY, PURPOSE, CONTENT))
    _refused(_text(other[:12] + _raw(sealed)[12:]))


def test_another_key_cannot_open_it(sealed: str) -> None:
    _refused(sealed, key=bytes(reversed(KEY)))
    _refused(sealed, key=KEY + b"\x00")
    _refused(sealed, key=KEY[:-1])


@pytest.mark.parametrize("purpose", ["", "srp-secret-blocK", "srp-secret-block ", "session"])
def test_another_purpose_cannot_open_it(sealed: str, purpose: str) -> None:
    _refused(sealed, purpose=purpose)


def test_each_purpose_opens_only_its_own_envelopes() -> None:
    a = seal(KEY, "a", {"purpose": "a"})
    b = seal(KEY, "b", {"purpose": "b"})
    assert open_envelope(KEY, "a", a) == {"purpose": "a"}
    assert open_envelope(KEY, "b", b) == {"purpose": "b"}
    _refused(a, purpose="b")
    _refused(b, purpose="a")


@pytest.mark.parametrize(
    "envelope", ["", "not base64!", "é", "AAAA", "====", "YWJj\n", "-_-_"], ids=repr
)
def test_text_that_is_not_an_envelope_is_refused(envelope: str) -> None:
    _refused(envelope)


def test_a_sealed_value_that_is_not_an_object_is_refused() -> None:
    # seal is typed for dicts; the check on opening is a second line of defence
    for content in ([1, 2], "text", 3, None):
        _refused(seal(KEY, PURPOSE, cast(dict[str, Any], content)))


def test_the_error_is_the_modules_own_not_a_library_one(sealed: str) -> None:
    error = _refused(_text(_raw(sealed)[:-1]))
    assert not isinstance(error, ValueError)
    assert isinstance(error, Exception)
