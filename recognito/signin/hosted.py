"""Signing in on the hosted pages (/login and the pages after it): the same password flow
and challenges as InitiateAuth and RespondToAuthChallenge, with the pages acting for the
app client. The client's ExplicitAuthFlows don't apply (they govern the API, as on
Cognito), and the end is no tokens but the signed-in user: the authorization code brings
the tokens from /oauth2/token."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from recognito import errors
from recognito.crypto.secret_hash import secret_hash
from recognito.domain import mfa
from recognito.domain.records import Client, Pool
from recognito.service.context import Services
from recognito.signin import custom, password, totp_setup
from recognito.signin import mfa as factors
from recognito.signin.attempt import Attempt
from recognito.signin.flows import counted
from recognito.signin.issuing import Answer


@dataclass(frozen=True)
class Step:
    """Where a hosted sign-in stands: signed in (`challenge` None) or facing a challenge."""

    username: str  # the user's username, whatever name was typed
    challenge: str | None = None
    session: str | None = None  # the challenge session, to answer it
    parameters: Mapping[str, str] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.challenge is None


HOSTED = "HOSTED_UI"  # the flow label of the hosted pages' sign-ins in the metrics
# the challenges the pages answer (custom auth is not offered on Cognito's pages either)
_CHALLENGES: dict[str, Callable[[Attempt, str | None], Answer]] = {
    password.NEW_PASSWORD_REQUIRED: password.answer_new_password,
    mfa.TOTP: custom.factor(factors.answer_totp),
    mfa.SMS: custom.factor(factors.answer_sms),
    mfa.EMAIL: custom.factor(factors.answer_email),
    mfa.SELECT: factors.answer_selection,
    mfa.SETUP: custom.factor(factors.answer_setup),
}


def sign_in(svc: Services, pool: Pool, client: Client, username: str, secret: str) -> Step:
    """The sign-in form: USER_PASSWORD_AUTH's rules (lockout, triggers, statuses, MFA)."""
    attempt = Attempt(svc, pool, client, {"USERNAME": username, "PASSWORD": secret}, hosted=True)
    return _step(counted(HOSTED, lambda: password.password_flow(attempt)))


def answer(
    svc: Services,
    pool: Pool,
    client: Client,
    step: Step,
    responses: dict[str, str],
) -> Step:
    """A page's answer to `step`'s challenge, judged as RespondToAuthChallenge would."""
    if step.challenge not in _CHALLENGES:
        raise errors.NotAuthorizedException("Invalid session for the user.")
    params = {**responses, "USERNAME": step.username}
    attempt = Attempt(
        svc, pool, client, params, initiating=False, challenge=step.challenge, hosted=True
    )
    respond = _CHALLENGES[step.challenge]
    return _step(counted(HOSTED, lambda: respond(attempt, step.session)))


def start_totp_setup(svc: Services, step: Step) -> tuple[str, str]:
    """MFA_SETUP's authenticator secret and the session to verify it with."""
    found = totp_setup.associate_software_token(svc, {"Session": step.session or ""})
    return found["SecretCode"], found.get("Session", "")


def verify_totp_setup(svc: Services, session: str, code: str) -> str:
    """The first code from the authenticator; the session that completes MFA_SETUP."""
    found = totp_setup.verify_software_token(svc, {"Session": session, "UserCode": code})
    return found.get("Session", "")


def secret_hash_for(client: Client, username: str) -> str | None:
    """The SecretHash the pages send with SignUp-family calls of a client with a secret."""
    if client.secret is None:
        return None
    return secret_hash(client.secret, username, client.id)


def _step(found: Answer) -> Step:
    params = found.get("ChallengeParameters", {})
    name = found.get("ChallengeName")
    if name is None:
        return Step(params["USERNAME"])
    return Step(params.get("USER_ID_FOR_SRP", ""), name, found.get("Session"), params)
