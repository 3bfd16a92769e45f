"""A user's token sessions (one per sign-in's grant): the pool's configuration of them,
the limit on how many a user keeps, and how one is described and revoked."""

from __future__ import annotations

from recognito import errors
from recognito.domain import sessions
from recognito.domain.records import BrowserSession, Grant, Pool
from recognito.service.context import Services
from recognito.shapes import SessionDescriptionType
from recognito.store.unit_of_work import UnitOfWork


def pool_config(tx: UnitOfWork, pool_id: str) -> sessions.PoolSessionConfig:
    return sessions.PoolSessionConfig.of(tx.session_configurations.get(pool_id))


def require_tracking(tx: UnitOfWork, pool: Pool) -> None:
    """The session operations answer only for a pool that tracks sessions.
    **Choice** (docs/behaviour.md "Sessions"): the error and its text."""
    if not pool_config(tx, pool.id).tracking:
        raise errors.OperationNotEnabledException(sessions.TRACKING_OFF)


def require_tier(pool: Pool) -> None:
    """Session tracking is a feature of the Essentials and Plus plans."""
    if pool.config.get("UserPoolTier") == "LITE":
        raise errors.FeatureUnavailableInTierException(sessions.LITE_TIER)


def make_room(tx: UnitOfWork, pool_id: str, user_id: int, now: float) -> None:
    """Before a new sign-in's session: when the pool tracks sessions and the user is at
    its MaxPerUser, the least recently used ones are revoked (their refresh and access
    tokens with them), leaving room for the new one."""
    config = pool_config(tx, pool_id)
    if not config.tracking:
        return
    tx.grants.lock_user(user_id)
    excess = sessions.over_limit(tx.grants.count_active(user_id, now), config.max_per_user)
    if excess:
        for origin_jti in tx.grants.least_recently_used(user_id, now, excess):
            tx.grants.revoke(origin_jti, now)


def where_from(svc: Services) -> tuple[str, str | None]:
    """The device and address of this request, as a session records them."""
    ip = svc.caller.ip[: sessions.IP_LIMIT] if svc.caller.ip else None
    return sessions.device_of(svc.caller.user_agent), ip


def listed(
    tx: UnitOfWork, user_id: int, now: float, current: str | None
) -> list[SessionDescriptionType]:
    """The user's live token and SSO sessions, newest first; `current`: the origin jti
    of the caller's access token (IsCurrentSession)."""
    found = [
        _token_session(grant, grant.origin_jti == current)
        for grant in tx.grants.active_of(user_id, now, sessions.SESSIONS_PAGE)
    ]
    found += [_sso_session(browser) for browser in tx.browser_sessions.live_of(user_id, now)]
    found.sort(key=lambda shape: shape.get("CreateDate", 0.0), reverse=True)
    return found[: sessions.SESSIONS_PAGE]


def _token_session(grant: Grant, current: bool) -> SessionDescriptionType:
    created = grant.created_at if grant.created_at is not None else float(grant.auth_time)
    shape: SessionDescriptionType = {
        "SessionType": "TOKEN",
        "ClientId": grant.client_id,
        "IsCurrentSession": current,
    }
    if grant.sso_session_id:
        shape["OriginSessionId"] = grant.sso_session_id
    return _dated(shape, grant.session_id, created, grant.last_active_at, grant)


def _sso_session(browser: BrowserSession) -> SessionDescriptionType:
    created = browser.created_at if browser.created_at is not None else float(browser.auth_time)
    shape: SessionDescriptionType = {"SessionType": "SSO", "IsCurrentSession": False}
    if browser.client_id:
        shape["ClientId"] = browser.client_id
    return _dated(shape, browser.session_id, created, browser.last_active_at, browser)


def _dated(
    shape: SessionDescriptionType,
    session_id: str | None,
    created: float,
    last_active: float | None,
    where: Grant | BrowserSession,
) -> SessionDescriptionType:
    shape["CreateDate"] = created
    shape["LastActiveDate"] = last_active if last_active is not None else created
    shape["DeviceType"] = where.device or sessions.UNKNOWN_DEVICE
    if session_id:
        shape["SessionId"] = session_id
    if where.last_ip:
        shape["LastIPAddress"] = where.last_ip
    return shape


def revoke(tx: UnitOfWork, user_id: int, session_id: str, now: float, *, linked: bool) -> None:
    """Revoke the user's live session `session_id`. A token session: its refresh tokens,
    and the access and ID tokens issued from it, stop working; `linked` also ends the SSO
    session it came through. An SSO session: the browser is signed out; `linked` also
    revokes the token sessions that came through it. Another user's, an ended or an
    unknown session: ResourceNotFoundException (**Choice**: the text)."""
    grant = tx.grants.by_session(user_id, session_id, now)
    if grant is not None:
        tx.grants.revoke(grant.origin_jti, now)
        if linked and grant.sso_session_id:
            tx.browser_sessions.end_session(grant.sso_session_id)
        return
    if tx.browser_sessions.by_session(user_id, session_id, now) is None:
        raise errors.ResourceNotFoundException(sessions.NO_SESSION)
    tx.browser_sessions.end_session(session_id)
    if linked:
        tx.grants.revoke_from_sso(user_id, session_id, now)


def sso_reusable(tx: UnitOfWork, pool_id: str, client_id: str, auth_time: int, now: float) -> bool:
    """Whether the client may give tokens from an SSO session without a new sign-in: its
    SSOSession.MaxValidityMinutes since the session's sign-in (0: never), once the pool
    tracks sessions."""
    if not pool_config(tx, pool_id).tracking:
        return True
    stored = tx.session_configurations.get(pool_id, client_id) or {}
    minutes = int(stored.get("MaxValidityMinutes", sessions.SSO_MAX_VALIDITY_DEFAULT))
    return minutes > 0 and now - auth_time < minutes * 60
