"""Passkeys: registering one (Start/CompleteWebAuthnRegistration) and signing in with one
(USER_AUTH's WEB_AUTHN factor). Attestations and assertions are verified with the
`webauthn` package (py_webauthn); what it cannot tell apart is checked here first, so each
failure gets Cognito's own error. The rules themselves are in `recognito.domain.passkeys`."""

from __future__ import annotations

import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any, cast

from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import (
    decode_credential_public_key,
    parse_attestation_object,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import AuthenticationCredential, ClientDataType, CollectedClientData

from recognito import errors
from recognito.crypto.secrets import digest, opaque_token, same
from recognito.domain import passkeys
from recognito.domain.codes import LIFETIME, Purpose
from recognito.domain.passkeys import Passkey
from recognito.domain.records import Client, Code, Pool, User
from recognito.domain.user_status import Status, check_enabled
from recognito.service import hooks
from recognito.service.access import Caller
from recognito.service.context import Services
from recognito.shapes import ChallengeNameType
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import Answer, open_session
from recognito.signin.outcome import finish_sign_in
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


def relying_party(tx: UnitOfWork, pool: Pool) -> str:
    """The pool's RP ID, or Cognito's error for a pool without passkeys or without one."""
    if not passkeys.enabled(pool.config):
        raise errors.WebAuthnNotEnabledException(passkeys.NOT_ENABLED)
    rp_id = passkeys.relying_party_id(pool.config, tx.domains.of_pool(pool.id))
    if rp_id is None:
        raise errors.WebAuthnConfigurationMissingException(passkeys.CONFIGURATION_MISSING)
    return rp_id


def start_registration(svc: Services, tx: UnitOfWork, caller: Caller) -> dict[str, Any]:
    """A fresh registration challenge for the caller (it replaces any earlier one), stored
    as its digest with the asking client; the CredentialCreationOptions that carry it."""
    rp_id = relying_party(tx, caller.pool)
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
    rp_id = relying_party(tx, caller.pool)
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


# ---- signing in: USER_AUTH's WEB_AUTHN first factor ----


def _usable(tx: UnitOfWork, user: User, rp_id: str) -> list[Passkey]:
    """The user's passkeys registered for the pool's current RP ID (one registered under
    an RP ID the pool no longer has cannot sign for it)."""
    return [p for p in tx.passkeys.of_user(user.id) if p.rp_id == rp_id]


def _signing_rp_id(tx: UnitOfWork, pool: Pool) -> str | None:
    """The RP ID passkeys sign in for; None while the pool has no passkeys (sign-in
    answers model no WebAuthn errors: a pool changed under a sign-in refuses it as an
    unusable passkey)."""
    if not passkeys.enabled(pool.config):
        return None
    return passkeys.relying_party_id(pool.config, tx.domains.of_pool(pool.id))


def available(tx: UnitOfWork, pool: Pool, client: Client | None, user: User) -> bool:
    """Whether `user` can sign in with a passkey: a confirmed user with one registered for
    the pool's relying party."""
    rp_id = _signing_rp_id(tx, pool)
    return rp_id is not None and user.status == Status.CONFIRMED and bool(_usable(tx, user, rp_id))


def start_sign_in(attempt: Attempt, user: User) -> Answer:
    """The WEB_AUTHN challenge: PreAuthentication, then a fresh challenge (its digest kept
    in the session) in CREDENTIAL_REQUEST_OPTIONS, allowing the user's passkeys."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    check_enabled(user)
    hooks.pre_authentication(svc, pool, user, client.id, attempt.metadata, attempt.hides_existence)
    challenge = opaque_token(passkeys.CHALLENGE_BYTES)
    with svc.store.write() as tx:
        rp_id = _signing_rp_id(tx, pool)
        if rp_id is None:  # only if the pool changed since the factor was offered
            raise errors.NotAuthorizedException(passkeys.NOT_ENABLED)
        options = passkeys.request_options(
            rp_id=rp_id,
            challenge=challenge,
            allowed=[p.credential_id for p in _usable(tx, user, rp_id)],
            verification=passkeys.user_verification(pool.config),
        )
        state = digest(svc.secret_key, challenge)
        session = open_session(svc, tx, client, user, passkeys.FACTOR, state)
    return {
        "ChallengeName": cast(ChallengeNameType, passkeys.FACTOR),
        "Session": session,
        "ChallengeParameters": {
            "CREDENTIAL_REQUEST_OPTIONS": json.dumps(options, separators=(",", ":"))
        },
    }


def answer_sign_in(attempt: Attempt, handle: str | None) -> Answer:
    """RespondToAuthChallenge WEB_AUTHN: CREDENTIAL is the browser's
    AuthenticationResponseJSON. Its challenge, origin, RP ID, user handle, signature (with
    the stored public key), user verification and signature counter are checked; a wrong
    one is refused as a wrong code is (the session counts it), the right one signs in."""
    svc = attempt.svc
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, passkeys.FACTOR)
        text = attempt.param("CREDENTIAL")
        try:
            parsed = parse_authentication_credential_json(text)
        except _MALFORMED as exc:
            raise _malformed(exc) from None
        refusal = _judge_assertion(svc, tx, attempt.pool, user, parsed, session.record.state)
        if refusal is not None:
            return session.refuse(errors.NotAuthorizedException(refusal))
        session.spend()
        check_enabled(user)
    return finish_sign_in(attempt, user, True, passwordless=True)


def _judge_assertion(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    parsed: AuthenticationCredential,
    expected_digest: str | None,
) -> str | None:
    """Why the assertion fails (Cognito's NotAuthorizedException text), or None once it
    passed and the passkey's counter moved on."""
    rp_id = _signing_rp_id(tx, pool)
    if rp_id is None:
        return passkeys.NOT_ENABLED
    data = _client_data(parsed.response.client_data_json, ClientDataType.WEBAUTHN_GET)
    challenge = passkeys.b64url(data.challenge)
    if expected_digest is None or not same(digest(svc.secret_key, challenge), expected_digest):
        return passkeys.WRONG_CHALLENGE
    if not isinstance(data.origin, str) or not passkeys.origin_allowed(data.origin, rp_id):
        return passkeys.ORIGIN_NOT_ALLOWED.format(origin=data.origin, rp_id=rp_id)
    try:
        auth_data = parse_authenticator_data(parsed.response.authenticator_data)
    except _MALFORMED as exc:
        raise _malformed(exc) from None
    if not _rp_id_hash_matches(auth_data.rp_id_hash, rp_id):
        return passkeys.RELYING_PARTY_MISMATCH
    stored = tx.passkeys.get(user.pool_id, passkeys.b64url(parsed.raw_id))
    if stored is None or stored.user_id != user.id or stored.rp_id != rp_id:
        return passkeys.UNKNOWN_CREDENTIAL
    handle = parsed.response.user_handle
    if handle is not None and handle != user.sub.encode():
        return passkeys.UNKNOWN_CREDENTIAL
    required = passkeys.user_verification(pool.config) == "required"
    if required and not auth_data.flags.uv:
        return passkeys.NOT_SUPPORTED_VERIFICATION
    if (auth_data.sign_count or stored.sign_count) and auth_data.sign_count <= stored.sign_count:
        return passkeys.COUNTER_NOT_INCREASED
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=data.challenge,
            expected_rp_id=rp_id,
            expected_origin=data.origin,
            credential_public_key=stored.public_key,
            credential_current_sign_count=stored.sign_count,
            require_user_verification=required,
        )
    except _MALFORMED:
        return passkeys.BAD_SIGNATURE
    if not tx.passkeys.used(stored.id, stored.sign_count, verified.new_sign_count, svc.clock.now()):
        return passkeys.COUNTER_NOT_INCREASED  # another sign-in spent this counter first
    return None
