"""The custom senders' outbox rows on SQLite and PostgreSQL: stored with the operation,
holding the event with its code encrypted, claimed and invoked by the delivery thread,
retried after a function error, and emptied once the function took the event. The
function is an in-process callable of this module, with a clock the test moves."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from recognito.app import build_services
from recognito.clock import FrozenClock
from recognito.delivery.outbox import Deliverer
from recognito.domain.records import OutboxEntry
from recognito.triggers.senders import OFFLINE_KEY_ID, OFFLINE_PROVIDER
from tests.service.conftest import Service, settings_for

ARN = "arn:aws:lambda:us-east-1:123456789012:function:sender"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/k"
PASSWORD = "Passw0rd!x"
RECEIVED: list[dict[str, Any]] = []  # what `sender` was given
FAILURES: list[str] = []  # each a function error still to come


def sender(event: dict[str, Any], context: Any) -> None:
    RECEIVED.append(event)
    if FAILURES:
        raise RuntimeError(FAILURES.pop())


@pytest.fixture(params=["sqlite", "postgresql"])
def senders(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Service, bytes]]:
    """A service whose triggers file maps ARN to `sender`, encrypting with an offline key;
    its delivery thread is off: the test delivers by hand."""
    key = os.urandom(32)
    (tmp_path / "sender.key").write_text(base64.b64encode(key).decode())
    (tmp_path / "triggers.toml").write_text(f'"{ARN}" = "python:{__name__}:sender"\n')
    settings = replace(
        settings_for(request, tmp_path / "data"),
        triggers=tmp_path / "triggers.toml",
        sender_key_file=tmp_path / "sender.key",
    )
    clock = FrozenClock()
    services, deliverer = build_services(settings, clock)
    services.store.on_commit = None
    RECEIVED.clear()
    FAILURES.clear()
    yield Service(services, clock), key
    deliverer.close()
    services.store.engine.dispose()


def _decrypt(code: str, key: bytes) -> str:
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import (
        CommitmentPolicy,
        EncryptionKeyType,
        WrappingAlgorithm,
    )
    from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey

    master = RawMasterKey(
        provider_id=OFFLINE_PROVIDER,
        key_id=OFFLINE_KEY_ID,
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    client = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    )
    plaintext, _ = client.decrypt(source=base64.b64decode(code), key_provider=master)
    return str(plaintext.decode())


def _row(service: Service, recipient: str) -> OutboxEntry:
    with service.services.store.read() as tx:
        [row] = tx.outbox.rows(recipient, 10)
    return row


def test_a_sender_row_is_retried_then_emptied_once_delivered(
    senders: tuple[Service, bytes],
) -> None:
    service, key = senders
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={
            "KMSKeyID": KEY_ARN,
            "CustomEmailSender": {"LambdaArn": ARN, "LambdaVersion": "V1_0"},
        },
    )["UserPool"]["Id"]
    client_id = service("CreateUserPoolClient", UserPoolId=pool_id, ClientName="c")[
        "UserPoolClient"
    ]["ClientId"]
    email = "ann@example.com"
    service(
        "SignUp",
        ClientId=client_id,
        Username="ann",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    stored = _row(service, email)
    assert stored.channel == "custom-email" and stored.status == "queued"
    assert stored.body is not None
    event = json.loads(stored.body)["event"]
    code = _decrypt(event["request"]["code"], key)
    assert code not in stored.body  # encrypted before it was stored
    store, clock = service.services.store, service.clock
    deliverer = Deliverer(store, clock, service.services.triggers.channels())

    FAILURES.append("mail service unavailable")
    assert deliverer.deliver_due() == 1
    failed = _row(service, email)
    assert (failed.status, failed.attempts) == ("queued", 1)
    assert failed.error == "CustomEmailSender failed with error mail service unavailable."
    assert deliverer.deliver_due() == 0  # not before its wait is over
    clock.advance(10)
    assert deliverer.deliver_due() == 1

    assert RECEIVED == [event, event]  # the stored event, as it was, both times
    delivered = _row(service, email)
    assert (delivered.status, delivered.body) == ("sent", None)
    service("ConfirmSignUp", ClientId=client_id, Username="ann", ConfirmationCode=code)
    with store.read() as tx:
        log = tx.triggers.latest(pool_id, 10)
    assert sorted(entry.outcome for entry in log) == ["UserLambdaValidationException", "ok"]
