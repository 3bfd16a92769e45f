"""CUSTOM_AUTH: sign-in driven by the pool's DefineAuthChallenge, CreateAuthChallenge and
VerifyAuthChallengeResponse functions (reference §7.8, docs/behaviour.md §18), any number
of CUSTOM_CHALLENGE rounds, and USER_SRP_AUTH's PASSWORD_VERIFIER among them when the
client starts with SRP_A.

Each round's session is single-use and carries, sealed with the instance key, the rounds
so far and the private challenge: any node can take the next answer, and nothing is held
in memory. The session is spent before Verify runs, so a trigger failure ends the flow,
as on Cognito, and two answers to one session cannot both go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recognito import errors
from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.domain import mfa as factors
from recognito.domain.records import User
from recognito.domain.user_status import (
    INCORRECT,
    NOT_CONFIRMED,
    Status,
    check_enabled,
    reset_required,
)
from recognito.service import custom_auth
from recognito.service.custom_auth import CUSTOM_CHALLENGE as CUSTOM_CHALLENGE
from recognito.service.lookups import find_user, unknown_user
from recognito.signin import mfa, srp
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import (
    INVALID_SESSION,
    Answer,
    deferred_tokens,
    issue_tokens,
    open_session,
    tokens_deferred,
)
from recognito.signin.outcome import judge_password
from recognito.triggers.runner import UNRECOGNIZABLE

_PURPOSE = "custom-auth-state"
SRP_A = "SRP_A"
PASSWORD_VERIFIER = "PASSWORD_VERIFIER"


def initiate(attempt: Attempt) -> Answer:
    """InitiateAuth CUSTOM_AUTH: DefineAuthChallenge with no rounds yet decides; with
    CHALLENGE_NAME SRP_A (a password first) the rounds start with SRP_A's."""
    svc, pool = attempt.svc, attempt.pool
    username = attempt.param("USERNAME")
    if svc.triggers.arn(pool, "DefineAuthChallenge") is None:
        raise errors.InvalidParameterException(custom_auth.NOT_CONFIGURED)
    a_hex = None
    if attempt.params.get("CHALLENGE_NAME") == SRP_A:
        a_hex = srp.client_ephemeral(attempt)
    with svc.store.read() as tx:
        user = find_user(tx, pool, username)
    attempt.prove_client(user, username)
    if user is None:
        # Cognito would run the functions with userNotFound: true (not yet, behaviour.md)
        if attempt.hides_existence:
            raise errors.NotAuthorizedException(INCORRECT)
        raise unknown_user()
    _may_sign_in(user, attempt.hides_existence)
    rounds = [] if a_hex is None else [_round(SRP_A, True)]
    return _next(attempt, user, rounds, a_hex)


def answer_password(attempt: Attempt, handle: str | None) -> Answer:
    """RespondToAuthChallenge PASSWORD_VERIFIER inside CUSTOM_AUTH: the SRP proof is judged
    as in USER_SRP_AUTH, lockout included; a wrong password ends the sign-in at once (a
    `false` round would let Define's code try passwords without lockout: behaviour.md);
    a right one joins the rounds and DefineAuthChallenge decides again."""
    svc = attempt.svc
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, PASSWORD_VERIFIER)
        sealed = session.record.state
        session.spend()
    rounds = _opened(attempt, sealed)["rounds"]
    proven, ok = srp.proof(attempt, custom=True)
    if proven.id != user.id:  # a block made for another sign-in
        raise errors.NotAuthorizedException(INVALID_SESSION)
    # refuses a wrong password (counted) and a user disabled or reset meanwhile; a
    # temporary password passes as in a custom challenge: no NEW_PASSWORD_REQUIRED here
    judge_password(attempt, proven, ok)
    rounds = [*rounds, _round(PASSWORD_VERIFIER, True)]
    factor = _second_factor(attempt, proven, rounds)
    return factor if factor is not None else _next(attempt, proven, rounds)


def _second_factor(attempt: Attempt, user: User, rounds: list[dict[str, Any]]) -> Answer | None:
    """The MFA challenge a proven password leads to for a user with MFA (reference §7.8),
    keeping the rounds: its right answer is one more round (`after_factor`). None: no MFA."""
    svc, pool = attempt.svc, attempt.pool
    with svc.store.read() as tx:
        settings = tx.mfa.get(user.id)
    factor = factors.next_challenge(pool.config, user, settings)
    if factor is None:
        return None
    if factor == factors.SETUP:  # its answer comes through VerifySoftwareToken's session
        raise errors.UnsupportedOperationException(
            "MFA setup in a custom authentication flow is not supported by Recognito yet."
        )
    custom = None  # CustomMessage_Authentication for the code, asked with no tx open
    if factor in (factors.SMS, factors.EMAIL) and svc.triggers.arn(pool, "CustomMessage"):
        custom = mfa.sms_message(svc, pool, user, attempt.client, factor)
    state = seal(svc.secret_key, _PURPOSE, {"rounds": rounds})
    with svc.store.write() as tx:
        return mfa.challenge(svc, tx, pool, attempt.client, user, factor, custom, state)


def after_factor(attempt: Attempt, passed: mfa.Passed) -> Answer:
    """A right MFA answer inside CUSTOM_AUTH: its round joins the others, Define decides."""
    rounds = _opened(attempt, passed.state)["rounds"]
    return _next(attempt, passed.user, [*rounds, _round(passed.factor, True)])


def answer_custom(attempt: Attempt, handle: str | None) -> Answer:
    """RespondToAuthChallenge CUSTOM_CHALLENGE: Verify judges ANSWER, the round joins the
    history, and DefineAuthChallenge decides again."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    answer = attempt.param("ANSWER")
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, CUSTOM_CHALLENGE)
        sealed = session.record.state
        session.spend()
    check_enabled(user)
    state = _opened(attempt, sealed)
    correct = custom_auth.verify(
        svc,
        pool,
        user,
        client.id,
        state["private"],
        answer,
        attempt.metadata,
        attempt.hides_existence,
    )
    done = _round(CUSTOM_CHALLENGE, correct, state["metadata"])
    return _next(attempt, user, [*state["rounds"], done])


def _round(name: str, result: bool, metadata: str | None = None) -> dict[str, Any]:
    """One element of Define's `session`; challengeMetadata is Create's, so null for the
    password rounds (reference §7.8)."""
    return {"challengeName": name, "challengeResult": result, "challengeMetadata": metadata}


def _opened(attempt: Attempt, sealed: str | None) -> dict[str, Any]:
    """What a round's session keeps: the rounds so far (and a custom challenge's own)."""
    try:
        return open_envelope(attempt.svc.secret_key, _PURPOSE, sealed or "")
    except BrokenEnvelope as exc:
        raise errors.NotAuthorizedException(INVALID_SESSION) from exc


def _may_sign_in(user: User, hides_existence: bool) -> None:
    """The statuses that refuse any sign-in (no password is judged here)."""
    check_enabled(user)
    if user.status == Status.UNCONFIRMED:
        if hides_existence:
            raise errors.NotAuthorizedException(INCORRECT)
        raise errors.UserNotConfirmedException(NOT_CONFIRMED)
    if user.status == Status.RESET_REQUIRED:
        if hides_existence:
            raise errors.NotAuthorizedException(INCORRECT)
        raise reset_required()


def _next(
    attempt: Attempt, user: User, rounds: list[dict[str, Any]], a_hex: str | None = None
) -> Answer:
    """DefineAuthChallenge's decision over `rounds`: tokens, a refusal or a new round.
    `a_hex`: the client's SRP_A, when this InitiateAuth sent one (PASSWORD_VERIFIER can
    follow only then). InitiateAuth's ClientMetadata reaches neither Define nor Create
    (reference §7.8)."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    hides = attempt.hides_existence
    client_metadata = None if attempt.initiating else attempt.metadata
    decision = custom_auth.define(svc, pool, user, client.id, rounds, client_metadata, hides)
    if decision.get("failAuthentication"):  # it wins over issueTokens: the safer reading
        raise errors.NotAuthorizedException(INCORRECT)
    if decision.get("issueTokens"):
        return _tokens(attempt, user)
    name = decision.get("challengeName")
    if name is None:  # a decision that decides nothing
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    if name == PASSWORD_VERIFIER:
        return _password_challenge(attempt, user, rounds, a_hex)
    if name == SRP_A:  # the client's step, not one Define can ask for
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    if name != CUSTOM_CHALLENGE:
        raise errors.UnsupportedOperationException(
            f"Challenge {name} in a custom authentication flow is not supported by Recognito yet."
        )
    challenge = custom_auth.create(svc, pool, user, client.id, name, rounds, hides)
    state = seal(
        svc.secret_key,
        _PURPOSE,
        {"rounds": rounds, "private": challenge.private, "metadata": challenge.metadata},
    )
    with svc.store.write() as tx:
        handle = open_session(svc, tx, client, user, CUSTOM_CHALLENGE, state)
    return {
        "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": handle,
        # Cognito adds the user's name to what the function made public
        "ChallengeParameters": {**challenge.public, "USERNAME": user.username},
    }


def _password_challenge(
    attempt: Attempt, user: User, rounds: list[dict[str, Any]], a_hex: str | None
) -> Answer:
    """USER_SRP_AUTH's PASSWORD_VERIFIER challenge, with a session keeping the rounds.
    Only the InitiateAuth that sent SRP_A can be answered so: later rounds have no A."""
    if a_hex is None:
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    svc = attempt.svc
    parameters = srp.challenge_parameters(attempt, user, user.username, a_hex, custom=True)
    state = seal(svc.secret_key, _PURPOSE, {"rounds": rounds})
    with svc.store.write() as tx:
        handle = open_session(svc, tx, attempt.client, user, PASSWORD_VERIFIER, state)
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": handle,
        "ChallengeParameters": parameters,
    }


def _tokens(attempt: Attempt, user: User) -> Answer:
    """Tokens through the usual path: PostAuthentication and PreTokenGeneration first
    when the pool has them. No MFA follows a custom challenge (behaviour.md §18)."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    if tokens_deferred(svc, pool):
        return deferred_tokens(
            svc, pool, client, user, attempt.metadata, attempt.initiating, attempt.token_source
        )
    with svc.store.write() as tx:
        current = tx.users.by_id(user.id)  # the functions took time: still there, enabled?
        if current is None:
            raise errors.NotAuthorizedException(INCORRECT)
        check_enabled(current)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, tx, pool, client, current),
        }


def factor(
    answer: Callable[[Attempt, str | None], Answer | mfa.Passed],
) -> Callable[[Attempt, str | None], Answer]:
    """An MFA answer; one passed inside CUSTOM_AUTH goes back to DefineAuthChallenge."""

    def respond(attempt: Attempt, session: str | None) -> Answer:
        result = answer(attempt, session)
        if isinstance(result, mfa.Passed):
            return after_factor(attempt, result)
        return result

    return respond
