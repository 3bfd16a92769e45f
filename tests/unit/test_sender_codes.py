"""The custom senders' code encryption (recognito/triggers/senders.py): an AWS Encryption
SDK message a function decrypts with the same SDK, the offline key file's forms, and
temporary passwords HTML-escaped."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import aws_encryption_sdk
import pytest
from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey
from cryptography.exceptions import InvalidTag

from recognito.config import Settings
from recognito.triggers.senders import (
    OFFLINE_KEY_ID,
    OFFLINE_PROVIDER,
    KmsCipher,
    RawAesCipher,
    cipher_of,
    escaped,
    load_sender_key,
    sender_request,
)

ARN = "arn:aws:kms:us-east-1:123456789012:key/k"


def decrypt(code: str, key: bytes) -> str:
    """As a function does (AWS's examples: REQUIRE_ENCRYPT_ALLOW_DECRYPT)."""
    client = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    )
    master = RawMasterKey(
        provider_id=OFFLINE_PROVIDER,
        key_id=OFFLINE_KEY_ID,
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    plaintext, _ = client.decrypt(source=base64.b64decode(code), key_provider=master)
    return str(plaintext.decode())


def test_the_offline_cipher_makes_a_message_the_sdk_decrypts_with_the_same_key() -> None:
    key = os.urandom(32)

    code = RawAesCipher(key).encrypt("123456", ARN, "us-east-1")

    assert "123456" not in code
    assert decrypt(code, key) == "123456"
    with pytest.raises((AWSEncryptionSDKClientError, InvalidTag)):  # another key
        decrypt(code, os.urandom(32))


def test_each_encryption_is_a_new_message() -> None:
    cipher = RawAesCipher(os.urandom(32))

    assert cipher.encrypt("123456", ARN, "us-east-1") != cipher.encrypt("123456", ARN, "us-east-1")


def test_the_key_file_holds_base64_or_the_raw_bytes(tmp_path: Path) -> None:
    key = os.urandom(32)
    encoded, raw, short = tmp_path / "b64", tmp_path / "raw", tmp_path / "short"
    encoded.write_text(base64.b64encode(key).decode() + "\n")
    raw.write_bytes(key)
    short.write_text(base64.b64encode(os.urandom(16)).decode())

    assert load_sender_key(encoded) == key
    assert load_sender_key(raw) == key
    with pytest.raises(ValueError, match="256-bit key"):
        load_sender_key(short)
    with pytest.raises(ValueError, match="cannot read"):
        load_sender_key(tmp_path / "missing")


def test_the_settings_choose_one_mode(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())

    assert cipher_of(Settings()) is None
    assert isinstance(cipher_of(Settings(sender_key_file=key_file)), RawAesCipher)
    assert isinstance(cipher_of(Settings(kms_endpoint_url="http://127.0.0.1:1")), KmsCipher)
    with pytest.raises(ValueError, match="exclude each other"):
        cipher_of(Settings(sender_key_file=key_file, kms_endpoint_url="http://127.0.0.1:1"))


def test_temporary_passwords_are_html_escaped_and_codes_are_not() -> None:
    assert escaped("a<b>&c", temporary_password=True) == "a&lt;b&gt;&amp;c"
    assert escaped("a<b", temporary_password=False) == "a<b"


def test_the_request_leaves_out_client_metadata_not_sent() -> None:
    plain = sender_request("CustomSMSSender", "c0de", {"phone_number": "+1"}, None)
    sent = sender_request("CustomEmailSender", "c0de", {}, {"k": "v"})

    assert plain == {
        "type": "customSMSSenderRequestV1",
        "code": "c0de",
        "userAttributes": {"phone_number": "+1"},
    }
    assert sent["type"] == "customEmailSenderRequestV1" and sent["clientMetadata"] == {"k": "v"}


def test_a_kms_endpoint_that_does_not_answer_is_a_service_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recognito.triggers.senders import SenderKeyError

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    with pytest.raises(SenderKeyError) as failure:
        KmsCipher("http://127.0.0.1:1", 1.0).encrypt("123456", ARN, "us-east-1")

    assert failure.value.code == "ServiceException"
