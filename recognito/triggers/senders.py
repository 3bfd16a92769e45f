"""CustomEmailSender and CustomSMSSender (reference §7.9): a pool with a sender for a
channel hands every code of that channel to its function instead of SMTP or the SMS
webhook, with the code encrypted by the AWS Encryption SDK and base64-encoded.

The event, its code already encrypted, is stored in the outbox in the transaction that
issued the code (no plaintext code at rest); the delivery thread invokes the function
from there (`SenderChannel`), as Cognito invokes senders asynchronously. The code is
encrypted with a KMS master key for the pool's KMSKeyID (--kms-endpoint-url), or offline
with a raw AES-256 key (--sender-key-file), which is not AWS: a function decrypts it with
the same SDK and a RawMasterKey (README, "Triggers").
"""

from __future__ import annotations

import base64
import binascii
import html
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from recognito.config import Settings

Medium = Literal["email", "sms"]  # the channel a message would go by
# the LambdaConfig key of each channel's sender, and the outbox channel of its events
SENDERS: dict[Medium, str] = {"email": "CustomEmailSender", "sms": "CustomSMSSender"}
OutboxChannel = Literal["custom-email", "custom-sms"]
OUTBOX_CHANNELS: dict[Medium, OutboxChannel] = {"email": "custom-email", "sms": "custom-sms"}
REQUEST_TYPES = {
    "CustomEmailSender": "customEmailSenderRequestV1",
    "CustomSMSSender": "customSMSSenderRequestV1",
}
# the offline key's names in the Encryption SDK message; a function's RawMasterKey uses them
OFFLINE_PROVIDER = "recognito-offline"
OFFLINE_KEY_ID = b"custom-sender"


@dataclass(frozen=True)
class Origin:
    """What caused a code to be sent, as the sender's event reports it: the source
    (`SignUp` -> `CustomEmailSender_SignUp`), the app client (None: an admin call) and
    the call's ClientMetadata."""

    source: str
    client_id: str | None
    client_metadata: Mapping[str, str] | None = None


class SenderKeyError(Exception):
    """The code could not be encrypted; `code` is what follows `invocation failed due to
    error` in Cognito's UnexpectedLambdaException."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class CodeCipher(Protocol):
    def encrypt(self, secret: str, key_arn: str, region: str) -> str:
        """`secret` encrypted for `key_arn`, as base64 of an Encryption SDK message."""
        ...


def _sdk() -> Any:
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    # the SDK's default: key-committing suites, which any v2+ decryptor accepts
    return aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )


class KmsCipher:
    """A KMS master key for the pool's KMSKeyID, reached at `endpoint` in the pool's
    region and signed with botocore's standard credential chain."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        self._endpoint = endpoint
        self._timeout = timeout
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _client(self, region: str) -> Any:
        with self._lock:
            if region not in self._clients:
                from botocore.config import Config
                from botocore.session import get_session

                config = Config(
                    connect_timeout=self._timeout,
                    read_timeout=self._timeout,
                    retries={"max_attempts": 1},
                )
                self._clients[region] = get_session().create_client(
                    "kms", region_name=region, endpoint_url=self._endpoint, config=config
                )
            return self._clients[region]

    def encrypt(self, secret: str, key_arn: str, region: str) -> str:
        from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
        from aws_encryption_sdk.key_providers.kms import KMSMasterKey
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            key = KMSMasterKey(key_id=key_arn, client=self._client(region))
            message, _ = _sdk().encrypt(source=secret.encode(), key_provider=key)
        except (AWSEncryptionSDKClientError, BotoCoreError, ClientError) as exc:
            raise SenderKeyError(_kms_error(exc)) from exc
        return base64.b64encode(message).decode("ascii")


def _kms_error(exc: BaseException) -> str:
    """KMS's error code (AccessDeniedException, NotFoundException...), looked for in the
    chain of causes the SDK wraps it in; a connection failure is ServiceException."""
    from botocore.exceptions import ClientError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ClientError):
            return str(seen.response.get("Error", {}).get("Code") or "ServiceException")
        seen = seen.__cause__ or seen.__context__
    return "ServiceException"


class RawAesCipher:
    """Offline, not AWS: a raw AES-256-GCM master key (`OFFLINE_PROVIDER`,
    `OFFLINE_KEY_ID`) from --sender-key-file, the same for every pool."""

    def __init__(self, key: bytes) -> None:
        from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
        from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey

        self._key = RawMasterKey(
            provider_id=OFFLINE_PROVIDER,
            key_id=OFFLINE_KEY_ID,
            wrapping_key=WrappingKey(
                wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
                wrapping_key=key,
                wrapping_key_type=EncryptionKeyType.SYMMETRIC,
            ),
        )

    def encrypt(self, secret: str, key_arn: str, region: str) -> str:
        message, _ = _sdk().encrypt(source=secret.encode(), key_provider=self._key)
        return base64.b64encode(message).decode("ascii")


def load_sender_key(path: Path) -> bytes:
    """The offline key: a file holding base64 of 32 random bytes (`openssl rand -base64
    32`), or the 32 bytes themselves."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read --sender-key-file {path}: {exc.strerror}") from exc
    try:
        key = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = data
    if len(key) != 32:
        key = data
    if len(key) != 32:
        raise ValueError(
            f"--sender-key-file {path} must hold a 256-bit key: base64 of 32 bytes "
            "(openssl rand -base64 32) or the 32 bytes"
        )
    return key


def cipher_of(settings: Settings) -> CodeCipher | None:
    """How this server encrypts sender codes; None: it cannot (a pool with a sender then
    fails the call that sends a code). Both settings at once are refused."""
    if settings.kms_endpoint_url and settings.sender_key_file:
        raise ValueError("--kms-endpoint-url and --sender-key-file exclude each other")
    if settings.kms_endpoint_url:
        return KmsCipher(settings.kms_endpoint_url, settings.trigger_timeout)
    if settings.sender_key_file:
        return RawAesCipher(load_sender_key(settings.sender_key_file))
    return None


def escaped(secret: str, temporary_password: bool) -> str:
    """What is encrypted: temporary passwords HTML-escaped (`<` -> `&lt;`, also `&` and
    `>`), as Cognito does; functions unescape after decrypting. Codes are digits."""
    return html.escape(secret, quote=False) if temporary_password else secret


def sender_request(
    trigger: str,
    code: str,
    attributes: Mapping[str, str],
    client_metadata: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The event's `request`: clientMetadata left out when the call sent none."""
    request: dict[str, Any] = {"type": REQUEST_TYPES[trigger], "code": code}
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    request["userAttributes"] = dict(attributes)
    return request
