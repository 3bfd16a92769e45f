"""Setting up an authenticator app: AssociateSoftwareToken and VerifySoftwareToken, by
access token or inside the MFA_SETUP challenge. The operations and the hosted pages both
call these."""

from __future__ import annotations

from dataclasses import dataclass, replace

from recognito import errors
from recognito.crypto import totp
from recognito.domain import mfa
from recognito.domain.cimd import is_metadata_url
from recognito.domain.records import Client, Pool, User
from recognito.service import cimd
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.shapes import (
    AssociateSoftwareTokenRequest,
    AssociateSoftwareTokenResponse,
    VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
)
from recognito.signin.issuing import (
    INVALID_SESSION,
    LiveSession,
    live_session,
    open_session,
)
from recognito.store.unit_of_work import UnitOfWork


def associate_software_token(
    svc: Services, req: AssociateSoftwareTokenRequest
) -> AssociateSoftwareTokenResponse:
    """A new TOTP secret for the user, by access token or inside MFA_SETUP."""
    secret = totp.new_secret()
    with svc.store.write() as tx:
        caller = _caller(svc, tx, req)
        if not mfa.totp_offered(caller.pool.config):
            raise errors.SoftwareTokenMFANotFoundException(mfa.TOTP_OFF_IN_POOL)
        tx.mfa.save(caller.user.id, replace(tx.mfa.get(caller.user.id), totp_pending=secret))
        session = caller.next_step(svc, tx, mfa.SETUP)
    answer: AssociateSoftwareTokenResponse = {"SecretCode": secret}
    if session is not None:
        answer["Session"] = session
    return answer


def verify_software_token(
    svc: Services, req: VerifySoftwareTokenRequest
) -> VerifySoftwareTokenResponse:
    """A code from the authenticator proves the secret arrived: it becomes the user's."""
    with svc.store.write() as tx:
        caller = _caller(svc, tx, req)
        user, pool = caller.user, caller.pool
        settings = tx.mfa.get(user.id)
        if settings.totp_pending is None:
            raise errors.SoftwareTokenMFANotFoundException(mfa.NO_TOTP)
        step = totp.matching_step(settings.totp_pending, req["UserCode"], svc.clock.now())
        if step is None:
            return caller.refuse(errors.EnableSoftwareTokenMFAException(mfa.VERIFY_FAILED))
        verified = replace(
            settings, totp_secret=settings.totp_pending, totp_pending=None, totp_last_step=step
        )
        if caller.session is not None or mfa.switch_on_when_verified(pool.config):
            verified = replace(verified, totp_enabled=True, preferred=mfa.TOTP)
        tx.mfa.save(user.id, verified)
        session = caller.next_step(svc, tx, mfa.SETUP_VERIFIED)
    answer: VerifySoftwareTokenResponse = {"Status": "SUCCESS"}
    if session is not None:
        answer["Session"] = session
    return answer


@dataclass(frozen=True)
class _Caller:
    """Whom an AssociateSoftwareToken or VerifySoftwareToken call speaks for: the user of an
    AccessToken (no session), or the user whose MFA_SETUP session it answers."""

    user: User
    pool: Pool
    session: LiveSession | None = None
    client: Client | None = None

    def next_step(self, svc: Services, tx: UnitOfWork, challenge: str) -> str | None:
        """Inside MFA_SETUP this step's session is spent and the next step's opened."""
        if self.session is None or self.client is None:
            return None
        self.session.spend()
        return open_session(svc, tx, self.client, self.user, challenge)

    def refuse(self, error: Exception) -> VerifySoftwareTokenResponse:
        """A wrong code: counted against the session (kept for another try), if any."""
        if self.session is None:
            raise error
        self.session.refuse(error)
        return {}  # never reaches the client: the error is answered after COMMIT


def _caller(
    svc: Services,
    tx: UnitOfWork,
    req: AssociateSoftwareTokenRequest | VerifySoftwareTokenRequest,
) -> _Caller:
    """Who an AccessToken speaks for, or whose MFA_SETUP session this is (held locked in
    `tx`'s write transaction until the call is judged)."""
    if req.get("AccessToken"):
        caller = authorize(svc, tx, req["AccessToken"])
        return _Caller(caller.user, caller.pool)
    if not req.get("Session"):
        raise errors.InvalidParameterException("Either AccessToken or Session is required.")
    session = live_session(svc, tx, None, req["Session"], lock=True)
    user = tx.users.by_id(session.record.user_id)
    client = tx.clients.get(session.record.client_id)
    if client is None and is_metadata_url(session.record.client_id):
        client = cimd.cached_client_in(tx, session.record.pool_id, session.record.client_id)
    pool = tx.pools.get(session.record.pool_id)
    if session.record.challenge != mfa.SETUP or user is None or client is None or pool is None:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    return _Caller(user, pool, session, client)
