"""Remembered devices in sign-in (docs/behaviour.md "Devices"): a pool tracking devices
hands each new device a key (NewDeviceMetadata); a remembered device proves its secret
with SRP over its group and key (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER) in place
of MFA."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from typing import Final

from recognito import errors
from recognito.crypto import srp
from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.domain import devices
from recognito.domain.devices import Device
from recognito.domain.records import User
from recognito.domain.user_status import INCORRECT, Status, check_enabled
from recognito.service.lookups import find_user
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import (
    INVALID_SESSION,
    Answer,
    deferred_tokens,
    hosted_sign_in,
    issue_tokens,
    open_session,
    tokens_deferred,
)
from recognito.store.unit_of_work import UnitOfWork

DEVICE_SRP_AUTH: Final = "DEVICE_SRP_AUTH"
DEVICE_PASSWORD_VERIFIER: Final = "DEVICE_PASSWORD_VERIFIER"
_PURPOSE = "device-secret-block"
_GROUP_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def known_device(tx: UnitOfWork, user: User, params: dict[str, str]) -> Device | None:
    """The confirmed device of `user` the sign-in's DEVICE_KEY names, if any."""
    key = params.get("DEVICE_KEY")
    device = tx.devices.get(user.pool_id, key) if key else None
    if device is None or device.user_id != user.id or not device.confirmed:
        return None
    return device


def remembered_device_challenge(attempt: Attempt, tx: UnitOfWork, user: User) -> Answer | None:
    """DEVICE_SRP_AUTH once the password is proven from a remembered device: that device,
    not MFA, is the second factor, where the pool says so (ChallengeRequiredOnNewDevice;
    otherwise MFA is asked as if no device were named)."""
    tracking = devices.configuration(attempt.pool.config)
    if tracking is None or not tracking.get("ChallengeRequiredOnNewDevice"):
        return None
    device = known_device(tx, user, attempt.params)
    if device is None or not device.remembered:
        return None
    return {
        "ChallengeName": DEVICE_SRP_AUTH,
        "Session": open_session(attempt.svc, tx, attempt.client, user, DEVICE_SRP_AUTH),
        "ChallengeParameters": {"USERNAME": user.username},
    }


def with_new_device(attempt: Attempt, answer: Answer) -> Answer:
    """Tokens of a pool that tracks devices, signed in from no known device, bring a new
    device's key (NewDeviceMetadata), for the client to confirm (ConfirmDevice)."""
    result = answer.get("AuthenticationResult")
    svc, pool = attempt.svc, attempt.pool
    if result is None or devices.configuration(pool.config) is None:
        return answer
    with svc.store.write() as tx:
        user = find_user(tx, pool, attempt.params.get("USERNAME") or "")
        if user is None:
            return answer
        now = svc.clock.now()
        known = known_device(tx, user, attempt.params)
        if known is not None:  # signed in from it, with or without its proof
            ip = attempt.where.ip or known.last_ip
            tx.devices.save(replace(known, authenticated_at=now, last_ip=ip))
            return answer
        group = "-" + "".join(secrets.choice(_GROUP_ALPHABET) for _ in range(9))
        device = Device(
            device_key=f"{pool.id.split('_', 1)[0]}_{uuid.uuid4()}",
            pool_id=pool.id,
            user_id=user.id,
            group_key=group,
            salt=None,
            verifier=None,
            name=None,
            status=None,
            created_at=now,
            modified_at=now,
            authenticated_at=now,
            last_ip=attempt.where.ip,
        )
        tx.devices.insert(device)
    result["NewDeviceMetadata"] = {"DeviceKey": device.device_key, "DeviceGroupKey": group}
    return answer


def _device_of(tx: UnitOfWork, attempt: Attempt, user: User) -> Device:
    device = known_device(tx, user, attempt.params)
    if device is None or not device.remembered:
        raise errors.ResourceNotFoundException(devices.MISSING)
    return device


def answer_device_srp(attempt: Attempt, handle: str | None) -> Answer:
    """DEVICE_SRP_AUTH answered with the device's SRP_A: DEVICE_PASSWORD_VERIFIER asks
    for its proof, the server's ephemeral sealed in SECRET_BLOCK and the new session."""
    svc = attempt.svc
    a_hex = attempt.param("SRP_A")
    if not srp.valid_client_ephemeral(a_hex):
        raise errors.InvalidParameterException("Invalid SRP_A value.")
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, DEVICE_SRP_AUTH)
        device = _device_of(tx, attempt, user)
        session.spend()
        b, big_b = srp.server_ephemeral(device.verifier or "0")
        block = seal(
            svc.secret_key,
            _PURPOSE,
            {"device": device.device_key, "a": a_hex, "b": format(b, "x"), "B": format(big_b, "x")},
        )
        next_session = open_session(
            svc, tx, attempt.client, user, DEVICE_PASSWORD_VERIFIER, state=block
        )
    return {
        "ChallengeName": DEVICE_PASSWORD_VERIFIER,
        "Session": next_session,
        "ChallengeParameters": {
            "USERNAME": user.username,
            "DEVICE_KEY": device.device_key,
            "SALT": device.salt or "",
            "SRP_B": format(big_b, "x"),
            "SECRET_BLOCK": block,
        },
    }


def answer_device_verifier(attempt: Attempt, handle: str | None) -> Answer:
    """DEVICE_PASSWORD_VERIFIER: the signature proves the device's secret; tokens follow,
    without MFA."""
    svc = attempt.svc
    block = attempt.param("PASSWORD_CLAIM_SECRET_BLOCK")
    signature = attempt.param("PASSWORD_CLAIM_SIGNATURE")
    timestamp = attempt.param("TIMESTAMP")
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, DEVICE_PASSWORD_VERIFIER)
        device = _device_of(tx, attempt, user)
        try:
            state = open_envelope(svc.secret_key, _PURPOSE, block)
        except BrokenEnvelope as exc:
            raise errors.NotAuthorizedException(INVALID_SESSION) from exc
        if block != session.record.state or state["device"] != device.device_key:
            raise errors.NotAuthorizedException(INVALID_SESSION)
        try:
            expected = srp.expected_signature(
                pool_name=device.group_key,
                user_id=device.device_key,
                verifier_hex=device.verifier or "0",
                a_hex=state["a"],
                b=int(state["b"], 16),
                big_b=int(state["B"], 16),
                secret_block=block,
                timestamp=timestamp,
            )
        except ValueError:  # a degenerate A proves nothing
            expected = b""
        if not srp.signature_matches(signature, expected):
            return session.refuse(errors.NotAuthorizedException(INCORRECT))
        if user.status != Status.CONFIRMED:
            raise errors.NotAuthorizedException(INVALID_SESSION)
        check_enabled(user)
        session.spend()
        now = svc.clock.now()
        ip = attempt.where.ip or device.last_ip
        tx.devices.save(replace(device, authenticated_at=now, last_ip=ip))
        if not (tokens_deferred(svc, attempt.pool) or attempt.hosted):
            result = issue_tokens(svc, tx, attempt.pool, attempt.client, user)
            return {"ChallengeParameters": {}, "AuthenticationResult": result}
    if attempt.hosted:
        return hosted_sign_in(svc, attempt.pool, attempt.client, user, attempt.metadata, False)
    return deferred_tokens(
        svc, attempt.pool, attempt.client, user, attempt.metadata, False, attempt.token_source
    )
