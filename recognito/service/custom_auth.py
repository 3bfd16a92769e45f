"""The three functions of the custom authentication flow (reference §7.8): Define decides
what comes next from the rounds so far, Create makes a challenge, Verify judges an answer.
Like every trigger call, none may run inside a store transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recognito import errors
from recognito.domain.records import Pool, User
from recognito.service.context import Services
from recognito.triggers import Call, user_attributes
from recognito.triggers.events import metadata

CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE"
NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."


@dataclass(frozen=True)
class Challenge:
    """What CreateAuthChallenge made: the client sees `public`, only Verify `private`."""

    public: dict[str, str] = field(default_factory=dict)
    private: dict[str, Any] = field(default_factory=dict)
    metadata: str | None = None


def _call(
    svc: Services,
    trigger: str,
    user: User,
    client_id: str,
    request: dict[str, Any],
    response: dict[str, Any],
    hides_existence: bool,
) -> Call:
    request = {"userAttributes": user_attributes(user), **request}
    if hides_existence:
        request["userNotFound"] = False
    source = f"{trigger}_Authentication"
    return Call(trigger, source, user.username, client_id, svc.caller.user_agent, request, response)


def _run(svc: Services, pool: Pool, call: Call) -> dict[str, Any]:
    if svc.triggers.arn(pool, call.trigger) is None:
        raise errors.InvalidParameterException(NOT_CONFIGURED)
    return svc.triggers.run(pool, call) or {}


def define(
    svc: Services,
    pool: Pool,
    user: User,
    client_id: str,
    rounds: list[dict[str, Any]],
    client_metadata: dict[str, str] | None,
    hides_existence: bool,
) -> dict[str, Any]:
    """DefineAuthChallenge_Authentication over the rounds so far (oldest first)."""
    request = metadata({"session": rounds}, client_metadata)
    response = {"challengeName": None, "issueTokens": None, "failAuthentication": None}
    call = _call(svc, "DefineAuthChallenge", user, client_id, request, response, hides_existence)
    return _run(svc, pool, call)


def create(
    svc: Services,
    pool: Pool,
    user: User,
    client_id: str,
    challenge_name: str,
    rounds: list[dict[str, Any]],
    hides_existence: bool,
) -> Challenge:
    """CreateAuthChallenge_Authentication. The public parameters become the API's
    ChallengeParameters (a map of strings: anything else is an unusable answer)."""
    request = {"challengeName": challenge_name, "session": rounds}
    response = {
        "publicChallengeParameters": None,
        "privateChallengeParameters": None,
        "challengeMetadata": None,
    }
    call = _call(svc, "CreateAuthChallenge", user, client_id, request, response, hides_existence)
    answer = _run(svc, pool, call)
    public = answer.get("publicChallengeParameters") or {}
    if not all(isinstance(v, str) for v in public.values()):
        raise errors.InvalidLambdaResponseException("Unrecognizable lambda output")
    private = answer.get("privateChallengeParameters") or {}
    return Challenge(public, private, answer.get("challengeMetadata"))


def verify(
    svc: Services,
    pool: Pool,
    user: User,
    client_id: str,
    private: dict[str, Any],
    answer: str,
    client_metadata: dict[str, str] | None,
    hides_existence: bool,
) -> bool:
    """VerifyAuthChallengeResponse_Authentication: whether `answer` is right."""
    request = metadata(
        {"privateChallengeParameters": private, "challengeAnswer": answer}, client_metadata
    )
    call = _call(
        svc,
        "VerifyAuthChallengeResponse",
        user,
        client_id,
        request,
        {"answerCorrect": None},
        hides_existence,
    )
    return bool(_run(svc, pool, call).get("answerCorrect"))
