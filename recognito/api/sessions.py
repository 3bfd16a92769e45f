"""Ending sessions: GlobalSignOut, AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

from recognito import errors
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import (
    check_client_secret,
    pool_and_user,
)
from recognito.service.registry import operation
from recognito.shapes import (
    AdminUserGlobalSignOutRequest,
    AdminUserGlobalSignOutResponse,
    GlobalSignOutRequest,
    GlobalSignOutResponse,
    RevokeTokenRequest,
    RevokeTokenResponse,
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
        if revoke_refresh(svc, tx, client, req["Token"]) is False:
            raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)
    return {}
