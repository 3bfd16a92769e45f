"""GET /{poolId}/.well-known/jwks.json and openid-configuration, and GET /health."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from recognito.service.context import Services


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

    async def openid_configuration(self, request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        if not await run_in_threadpool(self._exists, pool_id):
            return _no_such_pool(pool_id)
        issuer = self._services.settings.issuer(pool_id)
        return JSONResponse(
            {
                "issuer": issuer,
                "jwks_uri": f"{issuer}/.well-known/jwks.json",
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
                "response_types_supported": ["code", "token"],
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "auth_time",
                    "token_use",
                    "cognito:username",
                    "email",
                    "email_verified",
                    "phone_number",
                    "phone_number_verified",
                ],
            }
        )

    async def health(self, request: Request) -> Response:
        try:
            healthy = self._services.store.ping()
        except Exception:  # any store failure means "not ready", which is the answer
            healthy = False
        return JSONResponse({"status": "ok" if healthy else "unavailable"}, 200 if healthy else 503)


def _no_such_pool(pool_id: str) -> Response:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, 404)
