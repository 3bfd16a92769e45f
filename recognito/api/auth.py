"""Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
AdminRespondToAuthChallenge, GetTokensFromRefreshToken. The flows and challenges
themselves live in `recognito.signin`."""

from __future__ import annotations

from recognito.service.context import Services
from recognito.service.lookups import (
    check_client_secret,
    client_and_pool,
    client_or_error,
    pool_or_error,
)
from recognito.service.registry import operation
from recognito.shapes import (
    AdminInitiateAuthRequest,
    AdminInitiateAuthResponse,
    AdminRespondToAuthChallengeRequest,
    AdminRespondToAuthChallengeResponse,
    GetTokensFromRefreshTokenRequest,
    GetTokensFromRefreshTokenResponse,
    InitiateAuthRequest,
    InitiateAuthResponse,
    RespondToAuthChallengeRequest,
    RespondToAuthChallengeResponse,
)
from recognito.signin.flows import initiate, respond
from recognito.signin.issuing import refreshed_tokens


@operation("InitiateAuth")
def initiate_auth(svc: Services, req: InitiateAuthRequest) -> InitiateAuthResponse:
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
    return initiate(svc, req, pool, client, admin=False)


@operation("AdminInitiateAuth")
def admin_initiate_auth(svc: Services, req: AdminInitiateAuthRequest) -> AdminInitiateAuthResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], pool.id)
    return initiate(svc, req, pool, client, admin=True)


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(
    svc: Services, req: GetTokensFromRefreshTokenRequest
) -> GetTokensFromRefreshTokenResponse:
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
    check_client_secret(client, req.get("ClientSecret"))
    result = refreshed_tokens(
        svc, pool, client, req["RefreshToken"], lambda _: None, req.get("ClientMetadata")
    )
    return {"AuthenticationResult": result}


@operation("RespondToAuthChallenge")
def respond_to_auth_challenge(
    svc: Services, req: RespondToAuthChallengeRequest
) -> RespondToAuthChallengeResponse:
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
    return respond(svc, req, pool, client)


@operation("AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(
    svc: Services, req: AdminRespondToAuthChallengeRequest
) -> AdminRespondToAuthChallengeResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        client = client_or_error(tx, req["ClientId"], pool.id)
    return respond(svc, req, pool, client)
