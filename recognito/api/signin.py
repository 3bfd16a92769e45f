"""How a sign-in goes on once the password (or SRP proof) was checked: a lockout, the
NEW_PASSWORD_REQUIRED challenge, a multi-factor challenge, or tokens."""

from __future__ import annotations

import json
from dataclasses import replace

from recognito import errors
from recognito.api.attempt import Attempt
from recognito.api.context import Services
from recognito.api.issuing import issue_tokens, open_session
from recognito.api.mfa import challenge
from recognito.api.registry import Response
from recognito.domain import mfa
from recognito.domain.attributes import missing_required
from recognito.domain.lockout import LOCKED_OUT, after_failure
from recognito.domain.records import User
from recognito.domain.tokens import challenge_user_attributes
from recognito.domain.user_status import SignIn, password_sign_in


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
        factor = mfa.next_challenge(pool.config, user, repo.mfa(user.id))
        if factor is not None:
            return challenge(svc, repo, pool, client, user, factor)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": issue_tokens(svc, repo, pool, client, user),
        }


def _count_attempt(svc: Services, user: User, password_ok: bool, now: float) -> None:
    """Refuse a locked-out user; count a wrong password; forget past failures once the
    password was right. Checked and counted in one write, committed before any error."""
    with svc.store.read() as repo:
        if password_ok and repo.lockout(user.id) is None:
            return  # the common case needs no write
    with svc.store.write() as repo:
        current = repo.lockout(user.id)
        if current is not None and current.locks(now):
            # refused, and counted only as a sign of life
            repo.save_lockout(user.id, replace(current, last_attempt_at=now))
            repo.fail_after_commit(errors.NotAuthorizedException(LOCKED_OUT))
        elif not password_ok and user.password_hash:
            repo.save_lockout(user.id, after_failure(current, now))
        elif password_ok:
            repo.save_lockout(user.id, None)
