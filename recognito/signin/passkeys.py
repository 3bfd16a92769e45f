"""Passkeys: registering one (Start/CompleteWebAuthnRegistration) and signing in with one
(USER_AUTH's WEB_AUTHN factor). Attestations and assertions are verified with the
`webauthn` package (py_webauthn); what it cannot tell apart is checked here first, so each
failure gets Cognito's own error. The rules themselves are in `recognito.domain.passkeys`."""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Mapping
from typing import Any

from webauthn import verify_registration_response
from webauthn.helpers import (
    decode_credential_public_key,
    parse_attestation_object,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import ClientDataType, CollectedClientData

from recognito import errors
from recognito.crypto.secrets import digest, opaque_token, same
from recognito.domain import passkeys
from recognito.domain.codes import LIFETIME, Purpose
from recognito.domain.passkeys import Passkey
from recognito.domain.records import Code, Pool, User
from recognito.service.access import Caller
from recognito.service.context import Services
from recognito.store.unit_of_work import UnitOfWork

# what a hostile credential can make the parsers raise besides the package's own errors
# (bad base64, CBOR, lengths, types)
_MALFORMED = (
    WebAuthnException,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    binascii.Error,
)
_ALGORITHMS = [COSEAlgorithmIdentifier(alg) for alg in passkeys.ALGORITHMS]


def relying_party(svc: Services, tx: UnitOfWork, pool: Pool) -> str:
    """The pool's RP ID, or Cognito's error for a pool without passkeys or without one."""
    if not passkeys.enabled(pool.config):
        raise errors.WebAuthnNotEnabledException(passkeys.NOT_ENABLED)
    rp_id = passkeys.relying_party_id(
        pool.config, tx.domains.of_pool(pool.id), svc.settings.domain_suffix
    )
    if rp_id is None:
        raise errors.WebAuthnConfigurationMissingException(passkeys.CONFIGURATION_MISSING)
    return rp_id


def start_registration(svc: Services, tx: UnitOfWork, caller: Caller) -> dict[str, Any]:
    """A fresh registration challenge for the caller (it replaces any earlier one), stored
    as its digest with the asking client; the CredentialCreationOptions that carry it."""
    rp_id = relying_party(svc, tx, caller.pool)
    user = caller.user
    challenge = opaque_token(passkeys.CHALLENGE_BYTES)
    now = svc.clock.now()
    purpose = Purpose.WEBAUTHN_REGISTRATION
    tx.codes.put(
        Code(
            subject=user.sub,
            purpose=purpose,
            digest=digest(svc.secret_key, challenge),
            expires_at=now + LIFETIME[purpose],
            failed_attempts=0,
            issued_at=now,
            pending_value=caller.client_id,
        )
    )
    return passkeys.creation_options(
        rp_id=rp_id,
        user_handle=user.sub,
        username=user.username,
        challenge=challenge,
        excluded=[p.credential_id for p in tx.passkeys.of_user(user.id)],
        verification=passkeys.user_verification(caller.pool.config),
    )


def _malformed(exc: BaseException) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(passkeys.MALFORMED.format(detail=exc))


def _client_data(raw: bytes, expected: ClientDataType) -> CollectedClientData:
    try:
        data = parse_client_data_json(raw)
    except _MALFORMED as exc:
        raise _malformed(exc) from None
    if data.type != expected:
        raise errors.InvalidParameterException(
            passkeys.MALFORMED.format(detail=f'clientDataJSON type is not "{expected.value}"')
        )
    return data


def _check_origin(data: CollectedClientData, rp_id: str) -> None:
    if not isinstance(data.origin, str) or not passkeys.origin_allowed(data.origin, rp_id):
        raise errors.WebAuthnOriginNotAllowedException(
            passkeys.ORIGIN_NOT_ALLOWED.format(origin=data.origin, rp_id=rp_id)
        )


def _rp_id_hash_matches(rp_id_hash: bytes, rp_id: str) -> bool:
    return same(rp_id_hash.hex(), hashlib.sha256(rp_id.encode()).hexdigest())


def complete_registration(
    svc: Services, tx: UnitOfWork, caller: Caller, credential: Mapping[str, Any]
) -> None:
    """Verify the browser's RegistrationResponseJSON against the caller's pending
    challenge and store the passkey it proves; the challenge is spent."""
    rp_id = relying_party(svc, tx, caller.pool)
    user = caller.user
    try:
        parsed = parse_registration_credential_json(dict(credential))
    except _MALFORMED as exc:
        raise _malformed(exc) from None
    pending = tx.codes.get(user.sub, Purpose.WEBAUTHN_REGISTRATION, lock=True)
    now = svc.clock.now()
    if pending is None or now > pending.expires_at:
        raise errors.WebAuthnChallengeNotFoundException(passkeys.CHALLENGE_NOT_FOUND)
    if pending.pending_value != caller.client_id:
        raise errors.WebAuthnClientMismatchException(passkeys.CLIENT_MISMATCH)
    data = _client_data(parsed.response.client_data_json, ClientDataType.WEBAUTHN_CREATE)
    challenge = passkeys.b64url(data.challenge)
    if not same(digest(svc.secret_key, challenge), pending.digest):
        # the credential answers another challenge than the one this user has pending
        raise errors.WebAuthnChallengeNotFoundException(passkeys.CHALLENGE_NOT_FOUND)
    _check_origin(data, rp_id)
    try:
        attestation = parse_attestation_object(parsed.response.attestation_object)
    except _MALFORMED as exc:
        raise _malformed(exc) from None
    auth_data = attestation.auth_data
    if not _rp_id_hash_matches(auth_data.rp_id_hash, rp_id):
        raise errors.WebAuthnRelyingPartyMismatchException(passkeys.RELYING_PARTY_MISMATCH)
    attested = auth_data.attested_credential_data
    if attested is None:
        raise errors.InvalidParameterException(
            passkeys.MALFORMED.format(detail="no attested credential data")
        )
    try:
        algorithm = decode_credential_public_key(attested.credential_public_key).alg
    except _MALFORMED as exc:
        raise errors.WebAuthnCredentialNotSupportedException(
            passkeys.NOT_SUPPORTED_ALGORITHM
        ) from exc
    if algorithm not in _ALGORITHMS:
        raise errors.WebAuthnCredentialNotSupportedException(passkeys.NOT_SUPPORTED_ALGORITHM)
    verification = passkeys.user_verification(caller.pool.config)
    if verification == "required" and not auth_data.flags.uv:
        raise errors.WebAuthnCredentialNotSupportedException(passkeys.NOT_SUPPORTED_VERIFICATION)
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=data.challenge,
            expected_rp_id=rp_id,
            expected_origin=data.origin,
            require_user_verification=verification == "required",
            supported_pub_key_algs=_ALGORITHMS,
        )
    except _MALFORMED as exc:
        raise errors.InvalidParameterException(passkeys.NOT_VERIFIED.format(detail=exc)) from None
    if tx.passkeys.count(user.id) >= passkeys.MAX_CREDENTIALS:
        raise errors.LimitExceededException(passkeys.TOO_MANY)
    attachment = parsed.authenticator_attachment
    stored = Passkey(
        id=0,
        pool_id=user.pool_id,
        user_id=user.id,
        credential_id=passkeys.b64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in parsed.response.transports or []],
        friendly_name=passkeys.friendly_name(attachment.value if attachment else None),
        attachment=attachment.value if attachment else None,
        rp_id=rp_id,
        created_at=now,
    )
    if not tx.passkeys.insert(stored):
        raise errors.InvalidParameterException(passkeys.ALREADY_REGISTERED)
    if not tx.codes.spend(user.sub, Purpose.WEBAUTHN_REGISTRATION, pending.digest):
        # another request completed this registration meanwhile
        raise errors.WebAuthnChallengeNotFoundException(passkeys.CHALLENGE_NOT_FOUND)


def passkey_of(tx: UnitOfWork, user: User, credential_id: str) -> Passkey:
    """The user's passkey by its credential id, or Cognito's error."""
    found = tx.passkeys.get(user.pool_id, credential_id)
    if found is None or found.user_id != user.id:
        raise errors.ResourceNotFoundException(passkeys.MISSING)
    return found
