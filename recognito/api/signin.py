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
    outcome = password_sign_in(user, password_ok, svc.clock.now(), attempt.hides_existence)
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
