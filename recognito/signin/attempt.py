"""One step of a sign-in: the client's parameters, and the challenge session it answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from recognito import errors
from recognito.domain import clients
from recognito.domain.records import Client, Pool, User
from recognito.service import pretoken
from recognito.service.context import Services
from recognito.service.lookups import check_secret_hash, find_user, identifiers
from recognito.service.threats import Context
from recognito.signin.issuing import INVALID_SESSION, LiveSession, live_session
from recognito.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Attempt:
    svc: Services
    pool: Pool
    client: Client
    params: dict[str, str]  # AuthParameters or ChallengeResponses
    where: Context = field(default_factory=Context)  # the caller's address and device
    # the request's ClientMetadata, for the triggers (InitiateAuth's reaches PreAuthentication
    # as validationData; RespondToAuthChallenge's reaches PostAuthentication)
    metadata: dict[str, str] | None = None
    initiating: bool = True  # InitiateAuth, not RespondToAuthChallenge
    challenge: str | None = None  # the challenge RespondToAuthChallenge answers
    # the hosted pages sign in: no tokens at the end (the authorization code brings them,
    # from /oauth2/token), and the pages act for the client, secret included
    hosted: bool = False
    # InitiateAuth's Session: USER_AUTH signs in with the session of a sign-up
    session: str | None = None

    @property
    def token_source(self) -> str:
        """PreTokenGeneration's triggerSource should this step issue tokens."""
        if self.challenge == "NEW_PASSWORD_REQUIRED":
            return pretoken.NEW_PASSWORD_CHALLENGE
        return pretoken.AUTHENTICATION

    def param(self, name: str) -> str:
        value = self.params.get(name)
        if not value:
            raise errors.InvalidParameterException(f"Missing required parameter {name}")
        return value

    @property
    def hides_existence(self) -> bool:
        return clients.hides_user_existence(self.client.config)

    def prove_client(self, user: User | None, username: str) -> None:
        """The SECRET_HASH of a client with a secret, over any name of the user (the
        hosted pages hold the secret themselves)."""
        if self.hosted:
            return
        check_secret_hash(
            self.client, self.params.get("SECRET_HASH"), identifiers(user, username), auth=True
        )

    def answering(
        self, tx: UnitOfWork, handle: str | None, challenge: str, *, lock: bool = True
    ) -> tuple[LiveSession, User]:
        """The session of an answer to `challenge` and its user, after checking the answer
        names that user (and proves the client secret).

        Nothing is spent: inside `tx`'s write transaction (`lock`) the caller judges the
        answer, then spends the session or counts a failure, both before COMMIT."""
        username = self.param("USERNAME")
        session = live_session(self.svc, tx, self.client, handle, lock=lock)
        user = tx.users.by_id(session.record.user_id)
        named = find_user(tx, self.pool, username)
        if (
            session.record.challenge != challenge
            or user is None
            or named is None
            or named.id != user.id
        ):
            raise errors.NotAuthorizedException(INVALID_SESSION)
        self.prove_client(user, username)
        return session, user
