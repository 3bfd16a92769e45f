"""GetDerivedToken: RFC 8693 token exchange through the API (signin/exchange.py does it;
the token endpoint's token-exchange grant is the other door)."""

from __future__ import annotations

from recognito import errors
from recognito.crypto.secrets import same
from recognito.service.context import Services
from recognito.service.lookups import client_and_pool
from recognito.service.registry import operation
from recognito.shapes import GetDerivedTokenRequest, GetDerivedTokenResponse
from recognito.signin import exchange


@operation("GetDerivedToken")
def get_derived_token(svc: Services, req: GetDerivedTokenRequest) -> GetDerivedTokenResponse:
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
    given = req.get("ClientSecret")
    if client.secret is not None and not (given and any(same(given, s) for s in client.secrets)):
        raise errors.NotAuthorizedException(
            f"Client {client.id} is configured for secret but the ClientSecret was missing or wrong"
        )
    audiences, resources, scopes = req.get("Audiences"), req.get("Resources"), req.get("Scopes")
    request = exchange.Exchange(
        subject_token=req["SubjectToken"],
        subject_type=req["SubjectTokenType"],
        actor_token=req.get("ActorToken"),
        actor_type=req.get("ActorTokenType"),
        audiences=tuple(audiences) if audiences is not None else None,
        resources=tuple(resources) if resources is not None else None,
        scopes=tuple(scopes) if scopes else None,
        requested_type=req.get("RequestedTokenType", "ACCESS_TOKEN"),
        external="SubjectTokenProviderName" in req or "ActorTokenProviderName" in req,
    )
    try:
        derived = exchange.exchange(svc, pool, client, request)
    except exchange.Refused as refused:
        raise refused.error from None
    answer: GetDerivedTokenResponse = {
        "IssuedToken": derived.token,
        "IssuedTokenType": "ID_TOKEN" if derived.token_type == "ID_TOKEN" else "ACCESS_TOKEN",
        "TokenType": "Bearer" if derived.token_type == "ACCESS_TOKEN" else "N_A",
        "ExpiresIn": derived.expires_in,
    }
    if derived.scopes:
        answer["Scopes"] = list(derived.scopes)
    return answer
