"""What every sign-in step shares: the attempt, its parameters, and how a checked
password ends (tokens, or the NEW_PASSWORD_REQUIRED challenge)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from recognito import errors
from recognito.api.context import Services
from recognito.api.issuing import issue_tokens, open_session
from recognito.api.registry import Response
from recognito.domain import clients
from recognito.domain.attributes import missing_required
from recognito.domain.lockout import LOCKED_OUT, after_failure
from recognito.domain.records import Client, Pool, User
from recognito.domain.tokens import challenge_user_attributes
from recognito.domain.user_status import SignIn, password_sign_in


@dataclass(frozen=True)
class Attempt:
    svc: Services
    pool: Pool
    client: Client
    params: dict[str, str]  # AuthParameters or ChallengeResponses

    def param(self, name: str) -> str:
        value = self.params.get(name)
        if not value:
            raise errors.InvalidParameterException(f"Missing required parameter {name}")
        return value

    @property
    def hides_existence(self) -> bool:
        return clients.hides_user_existence(self.client.config)


def finish_sign_in(attempt: Attempt, user: User, password_ok: bool) -> Response:
    """Cognito's answer once the password (or SRP proof) of `user` was checked."""
    svc, pool, client = attempt.svc, attempt.pool, attempt.client
    now = svc.clock.now()
    _count_attempt(svc, user, password_ok, now)
    outcome = password_sign_in(user, password_ok, now, attempt.hides_existence)
    with svc.store.write() as repo:
        if outcome is SignIn.NEW_PASSWORD_REQUIRED:
            missing = missing_required(pool.config["SchemaAttributes"], user.attributes)
            return {
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": open_session(svc, repo, client, user, "NEW_PASSWORD_REQUIRED"),
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": json.dumps(
                        [f"userAttributes.{n}" for n in missing], separators=(",", ":")
                    ),
                    "userAttributes": challenge_user_attributes(user),
                },
            }
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, repo, pool, client, user),
        }


def _count_attempt(svc: Services, user: User, password_ok: bool, now: float) -> None:
    """Refuse a locked-out user; count a wrong password (committed before the error
    answers); forget past failures once the password was right."""
    with svc.store.read() as repo:
        previous = repo.lockout(user.id)
    if previous is not None and previous.locks(now):
        raise errors.NotAuthorizedException(LOCKED_OUT)
    if not password_ok and user.password_hash:
        with svc.store.write() as repo:  # counted on the latest count, not a stale read
            repo.save_lockout(user.id, after_failure(repo.lockout(user.id), now))
    elif password_ok and previous is not None:
        with svc.store.write() as repo:
            repo.save_lockout(user.id, None)
