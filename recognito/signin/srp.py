"""USER_SRP_AUTH: the PASSWORD_VERIFIER challenge and its answer (docs/behaviour.md §8).

The server's ephemeral secret travels inside SECRET_BLOCK, sealed with the
instance key, so any node can check the answer; spending it marks it used.
"""

from __future__ import annotations

import uuid

from recognito import errors
from recognito.crypto import srp
from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.crypto.secrets import digest
from recognito.domain import clients
from recognito.domain.records import AuthSession, User
from recognito.domain.user_status import Status, reset_required
from recognito.service import hooks
from recognito.service.lookups import find_user, unknown_user
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import INVALID_SESSION, SESSION_EXPIRED, SESSION_USED, Answer
from recognito.signin.outcome import finish_sign_in, refuse_unknown

_PURPOSE = "srp-secret-block"


def initiate(attempt: Attempt) -> Answer:
    svc, pool = attempt.svc, attempt.pool
    username = attempt.param("USERNAME")
    a_hex = client_ephemeral(attempt)
    with svc.store.read() as tx:
        user = find_user(tx, pool, username)
    attempt.prove_client(user, username)
    if user is None and not attempt.hides_existence:
        raise unknown_user()
    if user is not None and user.status == Status.RESET_REQUIRED and not attempt.hides_existence:
        raise reset_required()
    if user is not None:  # at InitiateAuth, before the password is proven (behaviour.md)
        hooks.pre_authentication(
            svc, pool, user, attempt.client.id, attempt.metadata, attempt.hides_existence
        )
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": challenge_parameters(attempt, user, username, a_hex),
    }


def client_ephemeral(attempt: Attempt) -> str:
    """The client's SRP_A, refused unless it is a usable ephemeral."""
    a_hex = attempt.param("SRP_A")
    if not srp.valid_client_ephemeral(a_hex):
        raise errors.InvalidParameterException("Invalid SRP_A value.")
    return a_hex


def challenge_parameters(
    attempt: Attempt, user: User | None, username: str, a_hex: str, *, custom: bool = False
) -> dict[str, str]:
    """PASSWORD_VERIFIER's ChallengeParameters for `user` (None: a name nobody has) and the
    client's A. `custom`: asked by DefineAuthChallenge inside CUSTOM_AUTH, whose answer
    goes back to Define (an answer outside that flow is refused, and the reverse)."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    pool_name = pool.id.split("_", 1)[1]
    if user is not None and user.srp_verifier:
        user_id, salt, verifier = user.username, user.srp_salt or "", user.srp_verifier
    else:
        # unknown (or password-less) users get a stable-looking challenge that cannot succeed
        user_id = user.username if user else str(uuid.uuid5(uuid.NAMESPACE_URL, pool.id + username))
        fake = srp.make_verifier(pool_name, user_id, uuid.uuid4().hex)
        salt = digest(svc.secret_key, pool.id + username)[:32]
        verifier = fake.verifier
    b, big_b = srp.server_ephemeral(verifier)
    block = seal(
        svc.secret_key,
        _PURPOSE,
        {
            "pool": pool.id,
            "client": client.id,
            "user": user.id if user else None,
            "user_id": user_id,
            "a": a_hex,
            "b": format(b, "x"),
            "B": format(big_b, "x"),
            "expires_at": svc.clock.now() + clients.session_seconds(client.config),
            "custom": custom,
        },
    )
    return {
        "SALT": salt,
        "SRP_B": format(big_b, "x"),
        "SECRET_BLOCK": block,
        "USERNAME": user_id,
        "USER_ID_FOR_SRP": user_id,
    }


def in_custom_flow(attempt: Attempt) -> bool:
    """Whether the answered SECRET_BLOCK belongs to a CUSTOM_AUTH sign-in (an unreadable
    one is for `proof` to refuse)."""
    block = attempt.params.get("PASSWORD_CLAIM_SECRET_BLOCK") or ""
    try:
        return bool(open_envelope(attempt.svc.secret_key, _PURPOSE, block).get("custom"))
    except BrokenEnvelope:
        return False


def password_verifier(attempt: Attempt, _session: str | None) -> Answer:
    """RespondToAuthChallenge PASSWORD_VERIFIER of USER_SRP_AUTH."""
    user, ok = proof(attempt, custom=False)
    return finish_sign_in(attempt, user, ok)


def proof(attempt: Attempt, *, custom: bool) -> tuple[User, bool]:
    """The user the answered SECRET_BLOCK was made for, and whether the client's signature
    proves their password; the block is spent. A block of the other flow (`custom`) is an
    invalid session; a name nobody has is refused here, as a wrong password is."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    username = attempt.param("USERNAME")
    block = attempt.param("PASSWORD_CLAIM_SECRET_BLOCK")
    signature = attempt.param("PASSWORD_CLAIM_SIGNATURE")
    timestamp = attempt.param("TIMESTAMP")
    try:
        state = open_envelope(svc.secret_key, _PURPOSE, block)
    except BrokenEnvelope as exc:
        raise errors.NotAuthorizedException(INVALID_SESSION) from exc
    if state["pool"] != pool.id or state["client"] != client.id:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    if bool(state.get("custom")) != custom:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    now = svc.clock.now()
    if now > state["expires_at"]:
        raise errors.NotAuthorizedException(SESSION_EXPIRED)
    with svc.store.write() as tx:
        user = tx.users.by_id(state["user"]) if state["user"] is not None else None
        named = find_user(tx, pool, username)
        attempt.prove_client(user, username)
        if user is not None:
            if named is None or named.id != user.id:
                raise errors.NotAuthorizedException(INVALID_SESSION)
            # the answer is single-use: the block's digest is recorded as a spent session
            spent = AuthSession(
                pool.id, client.id, user.id, "PASSWORD_VERIFIER", state["expires_at"], now
            )
            if not tx.sessions.insert(digest(svc.secret_key, block), spent):
                raise errors.NotAuthorizedException(SESSION_USED)
    try:
        expected = srp.expected_signature(
            pool_name=pool.id.split("_", 1)[1],
            user_id=state["user_id"],
            verifier_hex=(user.srp_verifier if user else None) or "0",
            a_hex=state["a"],
            b=int(state["b"], 16),
            big_b=int(state["B"], 16),
            secret_block=block,
            timestamp=timestamp,
        )
    except ValueError:  # a degenerate A (u == 0) proves nothing
        expected = b""
    if user is None:  # the same work as for a real user, then the same refusal
        refuse_unknown(attempt, username)
    ok = bool(user.srp_verifier and expected) and srp.signature_matches(signature, expected)
    return user, ok
