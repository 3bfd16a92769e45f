"""Sessions: ending them (GlobalSignOut, AdminUserGlobalSignOut, RevokeToken), listing
and revoking a user's token sessions (List/AdminListUserSessions,
Revoke/AdminRevokeUserSession), and their configuration (Get/SetUserPoolSessionConfiguration,
Get/SetUserPoolClientSessionConfiguration). docs/behaviour.md "Sessions"."""

from __future__ import annotations

from recognito import errors
from recognito.domain import sessions
from recognito.domain.records import Grant
from recognito.service import user_sessions
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import (
    check_client_secret,
    client_or_error,
    pool_and_user,
    pool_or_error,
)
from recognito.service.paging import INVALID_TOKEN as INVALID_NEXT_TOKEN
from recognito.service.registry import operation
from recognito.shapes import (
    AdminListUserSessionsRequest,
    AdminListUserSessionsResponse,
    AdminRevokeUserSessionRequest,
    AdminRevokeUserSessionResponse,
    AdminUserGlobalSignOutRequest,
    AdminUserGlobalSignOutResponse,
    ClientSSOSessionConfigType,
    GetUserPoolClientSessionConfigurationRequest,
    GetUserPoolClientSessionConfigurationResponse,
    GetUserPoolSessionConfigurationRequest,
    GetUserPoolSessionConfigurationResponse,
    GlobalSignOutRequest,
    GlobalSignOutResponse,
    ListUserSessionsRequest,
    ListUserSessionsResponse,
    RevokeTokenRequest,
    RevokeTokenResponse,
    RevokeUserSessionRequest,
    RevokeUserSessionResponse,
    SetUserPoolClientSessionConfigurationRequest,
    SetUserPoolClientSessionConfigurationResponse,
    SetUserPoolSessionConfigurationRequest,
    SetUserPoolSessionConfigurationResponse,
)
from recognito.signin.issuing import INVALID_REFRESH_TOKEN, revoke_refresh


@operation("GlobalSignOut")
def global_sign_out(svc: Services, req: GlobalSignOutRequest) -> GlobalSignOutResponse:
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        tx.grants.revoke_all_of(caller.user.id, svc.clock.now())
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(
    svc: Services, req: AdminUserGlobalSignOutRequest
) -> AdminUserGlobalSignOutResponse:
    with svc.store.write() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        tx.grants.revoke_all_of(user.id, svc.clock.now())
    return {}


@operation("RevokeToken")
def revoke_token(svc: Services, req: RevokeTokenRequest) -> RevokeTokenResponse:
    """Revoke a refresh token and every token descended from it."""
    with svc.store.write() as tx:
        client = tx.clients.get(req["ClientId"])
        if client is None:  # OAuth's invalid_client (401): the model lists no ResourceNotFound
            raise errors.UnauthorizedException(f"Client {req['ClientId']} does not exist.")
        check_client_secret(client, req.get("ClientSecret"))
        if not client.config.get("EnableTokenRevocation", True):
            raise errors.UnsupportedOperationException(
                "Token revocation is not enabled for this client."
            )
        revoked = revoke_refresh(svc, tx, client, req["Token"])
        if revoked is False:
            raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)
        # LINKED: the SSO session the token session came through ends too (not the other
        # token sessions that came through it); nothing to follow without tracking
        if (
            isinstance(revoked, Grant)
            and revoked.sso_session_id
            and req.get("RevokeAssociatedSessions") == "LINKED"
            and user_sessions.pool_config(tx, client.pool_id).tracking
        ):
            tx.browser_sessions.end_session(revoked.sso_session_id)
    return {}


# -- a user's token sessions ------------------------------------------------------
def _no_page(token: str | None) -> None:
    """Every session comes in one page: a NextToken was never handed out."""
    if token is not None:
        raise errors.InvalidParameterException(INVALID_NEXT_TOKEN)


@operation("ListUserSessions")
def list_user_sessions(svc: Services, req: ListUserSessionsRequest) -> ListUserSessionsResponse:
    _no_page(req.get("NextToken"))
    with svc.store.read() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        user_sessions.require_tracking(tx, caller.pool)
        found = user_sessions.listed(tx, caller.user.id, svc.clock.now(), caller.origin_jti)
    return {"Sessions": found}


@operation("AdminListUserSessions")
def admin_list_user_sessions(
    svc: Services, req: AdminListUserSessionsRequest
) -> AdminListUserSessionsResponse:
    _no_page(req.get("NextToken"))
    with svc.store.read() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        user_sessions.require_tracking(tx, pool)
        found = user_sessions.listed(tx, user.id, svc.clock.now(), None)
    return {"Sessions": found}


@operation("RevokeUserSession")
def revoke_user_session(svc: Services, req: RevokeUserSessionRequest) -> RevokeUserSessionResponse:
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        user_sessions.require_tracking(tx, caller.pool)
        own = tx.grants.get(caller.origin_jti)
        if own is not None and own.session_id == req["SessionId"]:
            raise errors.InvalidParameterException(sessions.OWN_SESSION)
        linked = req.get("RevokeAssociatedSessions") == "LINKED"
        user_sessions.revoke(tx, caller.user.id, req["SessionId"], svc.clock.now(), linked=linked)
    return {}


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(
    svc: Services, req: AdminRevokeUserSessionRequest
) -> AdminRevokeUserSessionResponse:
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        user_sessions.require_tracking(tx, pool)
        linked = req.get("RevokeAssociatedSessions") == "LINKED"
        user_sessions.revoke(tx, user.id, req["SessionId"], svc.clock.now(), linked=linked)
    return {}


# -- configuration ----------------------------------------------------------------
@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(
    svc: Services, req: GetUserPoolSessionConfigurationRequest
) -> GetUserPoolSessionConfigurationResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        config = user_sessions.pool_config(tx, pool.id)
    return {
        "UserPoolId": pool.id,
        "UserSessionTracking": "ENABLED" if config.tracking else "DISABLED",
        "TokenSession": {"MaxPerUser": config.max_per_user},
    }


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(
    svc: Services, req: SetUserPoolSessionConfigurationRequest
) -> SetUserPoolSessionConfigurationResponse:
    config = {
        "UserSessionTracking": req["UserSessionTracking"],
        "TokenSession": {"MaxPerUser": req["TokenSession"]["MaxPerUser"]},
    }
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        user_sessions.require_tier(pool)
        tx.session_configurations.put(pool.id, "", config)
    return {
        "UserPoolId": pool.id,
        "UserSessionTracking": req["UserSessionTracking"],
        "TokenSession": {"MaxPerUser": req["TokenSession"]["MaxPerUser"]},
    }


@operation("GetUserPoolClientSessionConfiguration")
def get_user_pool_client_session_configuration(
    svc: Services, req: GetUserPoolClientSessionConfigurationRequest
) -> GetUserPoolClientSessionConfigurationResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], pool.id)
        stored = tx.session_configurations.get(pool.id, client.id)
    sso: ClientSSOSessionConfigType = {
        "MaxValidityMinutes": int(
            (stored or {}).get("MaxValidityMinutes", sessions.SSO_MAX_VALIDITY_DEFAULT)
        )
    }
    return {"UserPoolId": pool.id, "ClientId": client.id, "SSOSession": sso}


@operation("SetUserPoolClientSessionConfiguration")
def set_user_pool_client_session_configuration(
    svc: Services, req: SetUserPoolClientSessionConfigurationRequest
) -> SetUserPoolClientSessionConfigurationResponse:
    minutes = req["SSOSession"]["MaxValidityMinutes"]
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], pool.id)
        user_sessions.require_tier(pool)
        user_sessions.require_tracking(tx, pool)
        tx.session_configurations.put(pool.id, client.id, {"MaxValidityMinutes": minutes})
    return {
        "UserPoolId": pool.id,
        "ClientId": client.id,
        "SSOSession": {"MaxValidityMinutes": minutes},
    }
