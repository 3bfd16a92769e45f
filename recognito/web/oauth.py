"""The token plane's domain routes (reference §6–§8): POST /oauth2/token, GET|POST
/oauth2/userInfo, POST /oauth2/revoke.

Here: the wire (form bodies, headers, client authentication, error shapes). What a grant
yields is decided in recognito/signin/oauth.py."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from recognito.crypto.secrets import same
from recognito.domain import clients, token_exchange
from recognito.domain.cimd import CIMDRefused
from recognito.domain.records import Client, Pool
from recognito.service import cimd
from recognito.service.context import Services
from recognito.signin import exchange, oauth
from recognito.signin.oauth import OAuthError
from recognito.web.domains import hosted_domain

FORM = "application/x-www-form-urlencoded"
GRANT_TYPES = (
    "authorization_code",
    "refresh_token",
    "client_credentials",
    token_exchange.GRANT_TYPE,
)
# an exchange's API token types by their RFC 8693 names, and back
_TOKEN_TYPES = {urn: name for name, urn in token_exchange.TOKEN_TYPE_URNS.items()}
# what every token-plane answer carries: never cached, readable from any origin
_HEADERS = {
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "Access-Control-Allow-Origin": "*",
}


def routes(services: Services) -> list[BaseRoute]:
    endpoints = TokenPlane(services)
    return [
        Route("/oauth2/token", endpoints.token, methods=["GET", "POST", "OPTIONS"]),
        Route("/oauth2/userInfo", endpoints.user_info, methods=["GET", "POST", "OPTIONS"]),
        Route("/oauth2/revoke", endpoints.revoke, methods=["GET", "POST", "OPTIONS"]),
    ]


class Form:
    """A form-urlencoded body: each parameter at most once (RFC 6749 §3.2)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        for name, value in pairs:
            if name in self.values:
                raise OAuthError("invalid_request")
            self.values[name] = value

    def get(self, name: str) -> str | None:
        """The parameter, or None when absent or empty (RFC 6749 §3.1)."""
        return self.values.get(name) or None

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise OAuthError("invalid_request")
        return value


class TokenPlane:
    def __init__(self, services: Services) -> None:
        self._svc = services

    async def token(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight("POST")
        if request.method != "POST":
            return Response(status_code=405, headers=_HEADERS)
        return await self._answer(request, self._token)

    async def revoke(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight("POST")
        if request.method != "POST":
            return Response(status_code=405, headers=_HEADERS)
        return await self._answer(request, self._revoke)

    async def user_info(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight("GET, POST")
        pool_id = hosted_domain(request).pool_id
        token = _bearer(request.headers.get("authorization"))
        try:
            if token is None:
                raise OAuthError("invalid_request", oauth.USERINFO_BAD_REQUEST)
            claims = await run_in_threadpool(oauth.user_info, self._svc, pool_id, token)
        except OAuthError as refused:
            challenge = f'error="{refused.error}", error_description="{refused.description}"'
            headers = {**_HEADERS, "WWW-Authenticate": challenge}
            status = 401 if refused.error == "invalid_token" else 400
            return Response(status_code=status, headers=headers)
        return _json(claims)

    async def _answer(
        self, request: Request, handle: Callable[[str, Form, str | None], Response]
    ) -> Response:
        pool_id = hosted_domain(request).pool_id
        try:
            media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != FORM:
                raise OAuthError("invalid_request")
            try:
                pairs = parse_qsl((await request.body()).decode(), keep_blank_values=True)
            except UnicodeDecodeError as exc:
                raise OAuthError("invalid_request") from exc
            form = Form(pairs)
            authorization = request.headers.get("authorization")
            return await run_in_threadpool(handle, pool_id, form, authorization)
        except OAuthError as refused:
            return _error(refused)

    def _token(self, pool_id: str, form: Form, authorization: str | None) -> Response:
        grant_type = form.require("grant_type")
        if grant_type not in GRANT_TYPES:
            raise OAuthError("unsupported_grant_type")
        pool, client = self._client(pool_id, form, authorization)
        flows = client.config.get("AllowedOAuthFlows") or []
        oauth_on = bool(client.config.get("AllowedOAuthFlowsUserPoolClient"))
        svc = self._svc
        if grant_type == "authorization_code":
            if not oauth_on or "code" not in flows:
                raise OAuthError("unauthorized_client")
            code = form.require("code")
            redirect_uri = form.require("redirect_uri")
            verifier = form.get("code_verifier")
            answer = oauth.redeem_code(svc, pool, client, code, redirect_uri, verifier)
        elif grant_type == "refresh_token":
            if "ALLOW_REFRESH_TOKEN_AUTH" not in clients.allowed_flows(client.config):
                raise OAuthError("unauthorized_client")
            answer = oauth.refresh(svc, pool, client, form.require("refresh_token"))
        elif grant_type == token_exchange.GRANT_TYPE:
            answer = _exchange(svc, pool, client, form)
        else:
            if client.secret is None:
                raise OAuthError("invalid_client")
            if not oauth_on or "client_credentials" not in flows:
                raise OAuthError("unauthorized_client")
            metadata = _client_metadata(form.get("aws_client_metadata"))
            scope = form.get("scope")
            answer = oauth.client_credentials(svc, pool, client, scope, metadata)
        return _json(answer)

    def _revoke(self, pool_id: str, form: Form, authorization: str | None) -> Response:
        token = form.get("token")
        try:
            _, client = self._client(pool_id, form, authorization)
        except OAuthError as refused:
            if refused.error == "invalid_client":
                refused.status = 401  # the one 401 of the token plane (reference §8)
            raise
        if token is None:
            raise OAuthError("invalid_request")
        oauth.revoke(self._svc, client, token)
        return Response(status_code=200, headers=_HEADERS)

    def _client(self, pool_id: str, form: Form, authorization: str | None) -> tuple[Pool, Client]:
        """The client authenticated by client_secret_basic, client_secret_post or, for a
        client without a secret, its client_id alone; it must be of this domain's pool."""
        basic = _basic(authorization)
        if basic is not None and (form.get("client_secret") is not None):
            raise OAuthError("invalid_request")  # one authentication method per request
        if basic is not None and form.get("client_id") not in (None, basic[0][0]):
            raise OAuthError("invalid_request")
        candidates = basic or [(form.require("client_id"), form.get("client_secret"))]
        with self._svc.store.read() as tx:
            pool = tx.pools.get(pool_id)
        for client_id, secret in candidates:
            try:  # a metadata URL: the public client its document makes (domain/cimd.py)
                client = cimd.oauth_client(self._svc, pool_id, client_id)
            except CIMDRefused:
                client = None
            if pool is None or client is None:
                continue
            # a client without a secret authenticates by its id alone
            if _same_secret(client, secret) if secret else client.secret is None:
                return pool, client
        raise OAuthError("invalid_client")


def _exchange(svc: Services, pool: Pool, client: Client, form: Form) -> dict[str, Any]:
    """RFC 8693 §2: the token-exchange grant, carried out as GetDerivedToken is; its
    refusals in OAuth's words (§2.2.2): a bad token is invalid_grant, an audience not
    allowed invalid_target, a client without the flow unauthorized_client."""

    def token_type(name: str, required: bool) -> str | None:
        value = form.require(name) if required else form.get(name)
        if value is not None and value not in _TOKEN_TYPES:
            raise OAuthError("invalid_request", f"Unsupported {name}")
        return _TOKEN_TYPES.get(value or "")

    audience, resource, scope = form.get("audience"), form.get("resource"), form.get("scope")
    request = exchange.Exchange(
        subject_token=form.require("subject_token"),
        subject_type=token_type("subject_token_type", True) or "",
        actor_token=form.get("actor_token"),
        actor_type=token_type("actor_token_type", False),
        audiences=(audience,) if audience else None,
        resources=(resource,) if resource else None,
        scopes=tuple(scope.split()) if scope else None,
        requested_type=token_type("requested_token_type", False) or "ACCESS_TOKEN",
    )
    try:
        derived = exchange.exchange(svc, pool, client, request)
    except exchange.Refused as refused:
        raise OAuthError(refused.oauth_error, refused.error.message) from None
    answer: dict[str, Any] = {
        "access_token": derived.token,  # RFC 8693 §2.2.1: whatever the type, this name
        "issued_token_type": token_exchange.TOKEN_TYPE_URNS[derived.token_type],
        "token_type": "Bearer" if derived.token_type == "ACCESS_TOKEN" else "N_A",
        "expires_in": derived.expires_in,
    }
    if derived.scopes:
        answer["scope"] = " ".join(derived.scopes)
    return answer


def _same_secret(client: Client, secret: str) -> bool:
    """Either of the client's secrets (one may be rotating out)."""
    return any(same(secret, known) for known in client.secrets)


def _basic(authorization: str | None) -> list[tuple[str, str | None]] | None:
    """client_secret_basic's credentials, as sent and form-url-decoded: RFC 6749 §2.3.1
    encodes them before base64, many clients do not; ids and secrets Cognito makes are
    the same either way, and a secret is tried both ways."""
    if authorization is None:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client") from exc
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise OAuthError("invalid_client")
    raw = (client_id, secret or None)
    unquoted = (unquote_plus(client_id), unquote_plus(secret) or None)
    return [raw] if unquoted == raw else [raw, unquoted]


def _bearer(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _client_metadata(value: str | None) -> Mapping[str, str] | None:
    """aws_client_metadata: a JSON object of strings (URL-decoded already)."""
    if value is None:
        return None
    try:
        parsed: Any = json.loads(value)
    except ValueError as exc:
        raise OAuthError("invalid_request") from exc
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise OAuthError("invalid_request")
    return parsed


def _preflight(methods: str) -> Response:
    """A browser app's CORS preflight (userInfo's Authorization header needs one)."""
    headers = {
        **_HEADERS,
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Amz-User-Agent",
        "Access-Control-Max-Age": "300",
    }
    return Response(status_code=204, headers=headers)


def _json(body: Mapping[str, Any]) -> Response:
    return JSONResponse(
        body,
        headers={**_HEADERS, "x-amz-cognito-request-id": str(uuid.uuid4())},
        media_type="application/json;charset=UTF-8",
    )


def _error(refused: OAuthError) -> Response:
    body = {"error": refused.error}
    if refused.description is not None:
        body["error_description"] = refused.description
    response = _json(body)
    response.status_code = refused.status
    return response
