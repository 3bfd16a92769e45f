"""GET /{poolId}/.well-known/jwks.json and openid-configuration (also as
oauth-authorization-server with --discovery-pkce), and GET /health."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from recognito.domain.pool_domains import advertised, domain_base_url
from recognito.domain.records import UserPoolDomain
from recognito.service.context import Services

# where each endpoint is on a pool's domain, and under the issuer when it has none
_DOMAIN_PATHS = {
    "authorization_endpoint": "/oauth2/authorize",
    "end_session_endpoint": "/logout",
    "revocation_endpoint": "/oauth2/revoke",
    "token_endpoint": "/oauth2/token",
    "userinfo_endpoint": "/oauth2/userInfo",
}
_POOL_PATHS = {
    "authorization_endpoint": "/authorize",
    "end_session_endpoint": "/logout",
    "revocation_endpoint": "/revoke",
    "token_endpoint": "/token",
    "userinfo_endpoint": "/userInfo",
}


class WellKnown:
    def __init__(self, services: Services) -> None:
        self._services = services

    async def jwks(self, request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        if not await run_in_threadpool(self._exists, pool_id):
            return _no_such_pool(pool_id)
        keys = self._services.keys.jwks(pool_id)
        return JSONResponse(keys, headers={"Cache-Control": "public, max-age=300"})

    def _exists(self, pool_id: str) -> bool:
        """Asked of the store, not of this process's key cache: another process or node
        may have deleted the pool."""
        with self._services.store.read() as tx:
            return tx.pools.get(pool_id) is not None

    def _domains(self, pool_id: str) -> list[UserPoolDomain] | None:
        """The pool's domains, or None when there is no such pool."""
        with self._services.store.read() as tx:
            if tx.pools.get(pool_id) is None:
                return None
            return tx.domains.of_pool(pool_id)

    async def openid_configuration(self, request: Request) -> Response:
        """Cognito's document, key for key (cognito-oauth.md §10.1): the OAuth endpoints
        are the pool domain's (the custom one when there are both), else under the issuer,
        where Cognito lists them too although nothing answers there."""
        pool_id = request.path_params["pool_id"]
        domains = await run_in_threadpool(self._domains, pool_id)
        if domains is None:
            return _no_such_pool(pool_id)
        settings = self._services.settings
        issuer = settings.issuer(pool_id)
        domain = advertised(domains)
        if domain is not None:
            base = domain_base_url(settings, domain)
            endpoints = {name: f"{base}{path}" for name, path in _DOMAIN_PATHS.items()}
        else:
            endpoints = {name: f"{issuer}{path}" for name, path in _POOL_PATHS.items()}
        document: dict[str, object] = {
            **endpoints,
            "id_token_signing_alg_values_supported": ["RS256"],
            "issuer": issuer,
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
        if settings.discovery_pkce:
            document["code_challenge_methods_supported"] = ["S256"]
            # MCP clients name themselves by metadata URL where this says they may
            if await run_in_threadpool(self._admits_metadata_urls, pool_id):
                document["client_id_metadata_document_supported"] = True
        return JSONResponse(dict(sorted(document.items())))

    def _admits_metadata_urls(self, pool_id: str) -> bool:
        """Whether a CIMD policy of the pool admits client_id URLs."""
        with self._services.store.read() as tx:
            return tx.cimd_policies.count(pool_id) > 0

    async def health(self, request: Request) -> Response:
        try:
            healthy = self._services.store.ping()
        except Exception:  # any store failure means "not ready", which is the answer
            healthy = False
        return JSONResponse({"status": "ok" if healthy else "unavailable"}, 200 if healthy else 503)


def _no_such_pool(pool_id: str) -> Response:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, 404)
