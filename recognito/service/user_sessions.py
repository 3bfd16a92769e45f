"""A user's token sessions (one per sign-in's grant): the pool's configuration of them,
the limit on how many a user keeps, and how one is described and revoked."""

from __future__ import annotations

from recognito import errors
from recognito.domain import sessions
from recognito.domain.records import Grant, Pool
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
    """The user's live token sessions, newest first; `current`: the origin jti of the
    caller's access token (IsCurrentSession)."""
    return [
        describe(grant, grant.origin_jti == current)
        for grant in tx.grants.active_of(user_id, now, sessions.SESSIONS_PAGE)
    ]


def describe(grant: Grant, current: bool) -> SessionDescriptionType:
    created = grant.created_at if grant.created_at is not None else float(grant.auth_time)
    shape: SessionDescriptionType = {
        "SessionType": "TOKEN",
        "ClientId": grant.client_id,
        "CreateDate": created,
        "LastActiveDate": grant.last_active_at if grant.last_active_at is not None else created,
        "DeviceType": grant.device or sessions.UNKNOWN_DEVICE,
        "IsCurrentSession": current,
    }
    if grant.session_id:
        shape["SessionId"] = grant.session_id
    if grant.last_ip:
        shape["LastIPAddress"] = grant.last_ip
    return shape


def revoke(tx: UnitOfWork, user_id: int, session_id: str, now: float) -> Grant:
    """Revoke the user's live session `session_id`: its refresh tokens, and the access
    and ID tokens issued from it, stop working. Another user's, an ended or an unknown
    session: ResourceNotFoundException (**Choice**: the text)."""
    grant = tx.grants.by_session(user_id, session_id, now)
    if grant is None:
        raise errors.ResourceNotFoundException(sessions.NO_SESSION)
    tx.grants.revoke(grant.origin_jti, now)
    return grant
