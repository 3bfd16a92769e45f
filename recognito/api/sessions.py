"""Ending sessions: GlobalSignOut, AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

from recognito import errors
from recognito.crypto.secrets import digest
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import (
    check_client_secret,
    client_or_error,
    pool_or_error,
    user_or_error,
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
from recognito.signin.issuing import INVALID_REFRESH_TOKEN


@operation("GlobalSignOut")
def global_sign_out(svc: Services, req: GlobalSignOutRequest) -> GlobalSignOutResponse:
    with svc.store.write() as repo:
        caller = authorize(svc, repo, req["AccessToken"])
        repo.revoke_user_grants(caller.user.id, svc.clock.now())
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(
    svc: Services, req: AdminUserGlobalSignOutRequest
) -> AdminUserGlobalSignOutResponse:
    with svc.store.write() as repo:
        user = user_or_error(repo, pool_or_error(repo, req["UserPoolId"]), req["Username"])
        repo.revoke_user_grants(user.id, svc.clock.now())
    return {}


@operation("RevokeToken")
def revoke_token(svc: Services, req: RevokeTokenRequest) -> RevokeTokenResponse:
    """Revoke a refresh token and every token descended from it."""
    with svc.store.write() as repo:
        client = client_or_error(repo, req["ClientId"])
        check_client_secret(client, req.get("ClientSecret"))
        if not client.config.get("EnableTokenRevocation", True):
            raise errors.UnsupportedOperationException(
                "Token revocation is not enabled for this client."
            )
        grant = repo.grant_by_refresh(digest(svc.secret_key, req["Token"]))
        if grant is None:
            return {}  # RFC 7009: revoking an unknown token is not an error
        if grant.client_id != client.id:
            raise errors.NotAuthorizedException(INVALID_REFRESH_TOKEN)
        repo.revoke_grant(grant.origin_jti, svc.clock.now())
    return {}
