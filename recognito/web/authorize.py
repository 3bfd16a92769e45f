"""GET /oauth2/authorize (alias /authorize) and GET /logout of a pool's domain
(reference §4, §9), and how a signed-in browser is sent back to the app.

The authorization parameters are checked in Cognito's order (§4.2): a client or
redirect URI that can't be trusted lands on the domain's error page; anything else wrong
goes back to the app as `error=…&state=…` (in the fragment for implicit requests). The
pages keep the original query in their form actions and check it again on every POST.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from recognito.domain.oauth_scopes import ScopeError, resolve_scopes
from recognito.domain.records import Client, Pool, User
from recognito.service.context import Services
from recognito.signin.oauth import CodeGrant, active_custom_scopes, implicit_tokens, issue_code
from recognito.web import browser
from recognito.web.domains import hosted_domain

COGNITO = "COGNITO"
# response_type -> the AllowedOAuthFlows value that permits it
_FLOWS = {"code": "code", "token": "implicit"}


@dataclass(frozen=True)
class Authorization:
    """A checked authorization request: the app to send the browser back to, and what for."""

    pool: Pool
    client: Client
    redirect_uri: str
    response_type: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    prompt: frozenset[str]
    login_hint: str | None
    resource: str | None

    def grant(self, user: User, auth_time: int) -> CodeGrant:
        return CodeGrant(
            pool_id=self.pool.id,
            client_id=self.client.id,
            username=user.username,
            redirect_uri=self.redirect_uri,
            scopes=self.scopes,
            nonce=self.nonce,
            code_challenge=self.code_challenge,
            auth_time=auth_time,
            resource=self.resource,
        )


class Refused(Exception):
    """The request can't go on; `response` says so to the browser."""

    def __init__(self, response: Response) -> None:
        super().__init__("authorization refused")
        self.response = response


def error_page(request: Request, error: str, client_id: str | None) -> Response:
    """302 to the domain's /error page (no redirect to an app we can't trust)."""
    query = {"error": error, **({"client_id": client_id} if client_id else {})}
    return browser.redirect(f"{hosted_domain(request).base_url}/error?{urlencode(query)}")


def back_to_app(uri: str, fields: Mapping[str, str | int | None], *, fragment: bool) -> Response:
    """302 to the app's callback with `fields` (None ones left out): in the query (appended
    to one the URI has) or, for implicit answers, in the fragment."""
    encoded = urlencode({k: v for k, v in fields.items() if v is not None})
    if fragment:
        return browser.redirect(f"{uri}#{encoded}")
    return browser.redirect(f"{uri}{'&' if '?' in uri else '?'}{encoded}")


def check(svc: Services, request: Request, params: Mapping[str, str]) -> Authorization:
    """The authorization request in `params`, checked (§4.1, §4.2); Refused otherwise."""
    domain = hosted_domain(request)
    client_id = params.get("client_id") or None
    with svc.store.read() as tx:
        client = tx.clients.get(client_id) if client_id else None
        pool = tx.pools.get(domain.pool_id)
    # 1. a client of another pool is as unknown as none (the domain pins the pool)
    if client is None or pool is None or client.pool_id != domain.pool_id:
        raise Refused(error_page(request, "invalid_request", client_id))
    config = client.config
    redirect_uri = params.get("redirect_uri") or config.get("DefaultRedirectURI")
    if not redirect_uri or redirect_uri not in config.get("CallbackURLs", []):
        raise Refused(error_page(request, "redirect_mismatch", client.id))
    if not config.get("AllowedOAuthFlowsUserPoolClient"):
        raise Refused(error_page(request, "unauthorized_client", client.id))
    response_type = params.get("response_type", "")
    state = params.get("state")

    def refuse(error: str) -> Refused:
        fields = {"error": error, "state": state}
        return Refused(back_to_app(redirect_uri, fields, fragment=response_type == "token"))

    # 2. a malformed request
    method, challenge = params.get("code_challenge_method"), params.get("code_challenge")
    if response_type not in _FLOWS:
        raise refuse("invalid_request")
    if response_type == "code" and (method or challenge) and (method != "S256" or not challenge):
        raise refuse("invalid_request")
    # 3. a flow or sign-in the client may not use
    if _FLOWS[response_type] not in config.get("AllowedOAuthFlows", []):
        raise refuse("unauthorized_client")
    if not _local_sign_in(config.get("SupportedIdentityProviders", []), params):
        raise refuse("unauthorized_client")
    # 4. scopes
    try:
        allowed = config.get("AllowedOAuthScopes", [])
        scopes = resolve_scopes(params.get("scope"), allowed, _active_custom(svc, pool, allowed))
    except ScopeError:
        raise refuse("invalid_scope") from None
    return Authorization(
        pool=pool,
        client=client,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scopes=scopes,
        state=state,
        nonce=params.get("nonce"),
        code_challenge=challenge if response_type == "code" else None,
        prompt=frozenset(params.get("prompt", "").split()),
        login_hint=params.get("login_hint"),
        resource=params.get("resource"),
    )


def _local_sign_in(supported: list[str], params: Mapping[str, str]) -> bool:
    """Whether the request may sign in on these pages. An IdP other than COGNITO (by
    identity_provider or idp_identifier) belongs to federation, which Recognito does not
    offer yet: such a request is answered `unauthorized_client` (docs/behaviour.md)."""
    if COGNITO not in supported:
        return False
    if params.get("idp_identifier"):
        return False
    return params.get("identity_provider", COGNITO) == COGNITO


def _active_custom(svc: Services, pool: Pool, allowed: list[str]) -> set[str]:
    """Which of the client's custom scopes a resource server of the pool still defines."""
    with svc.store.read() as tx:
        return active_custom_scopes(tx, pool.id, allowed)


def signed_in(svc: Services, auth: Authorization, user: User, auth_time: int) -> Response:
    """Back to the app with a fresh code, or with the tokens of an implicit grant."""
    grant = auth.grant(user, auth_time)
    if auth.response_type == "code":
        code = issue_code(svc, grant)
        return back_to_app(auth.redirect_uri, {"code": code, "state": auth.state}, fragment=False)
    fields: dict[str, str | int | None] = {**implicit_tokens(svc, grant), "state": auth.state}
    return back_to_app(auth.redirect_uri, fields, fragment=True)


class AuthorizeEndpoints:
    def __init__(self, services: Services) -> None:
        self._svc = services

    async def authorize(self, request: Request) -> Response:
        return await run_in_threadpool(self._authorize, request)

    def _authorize(self, request: Request) -> Response:
        svc = self._svc
        params = dict(request.query_params)
        try:
            auth = check(svc, request, params)
        except Refused as refused:
            return refused.response
        session = None
        if "login" not in auth.prompt:
            session = browser.current_session(svc, request, auth.pool.id)
        if session is not None:
            return signed_in(svc, auth, *session)
        if "none" in auth.prompt:
            fields = {"error": "login_required", "state": auth.state}
            return back_to_app(auth.redirect_uri, fields, fragment=auth.response_type == "token")
        return browser.redirect(f"{hosted_domain(request).base_url}/login?{request.url.query}")

    async def logout(self, request: Request) -> Response:
        return await run_in_threadpool(self._logout, request)

    def _logout(self, request: Request) -> Response:
        """§9: logout_uri (exact match of LogoutURLs) wins; else redirect_uri (a callback)
        goes on to /login with the sign-in parameters; anything else is the error page."""
        svc, params = self._svc, request.query_params
        client_id = params.get("client_id")
        with svc.store.read() as tx:
            client = tx.clients.get(client_id) if client_id else None
        if client is None or client.pool_id != hosted_domain(request).pool_id:
            return error_page(request, "invalid_request", client_id)
        logout_uri, redirect_uri = params.get("logout_uri"), params.get("redirect_uri")
        if logout_uri is not None:
            if logout_uri not in client.config.get("LogoutURLs", []):
                return error_page(request, "redirect_mismatch", client.id)
            response = browser.redirect(logout_uri)
        elif redirect_uri is not None:
            if redirect_uri not in client.config.get("CallbackURLs", []):
                return error_page(request, "redirect_mismatch", client.id)
            kept = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce")
            query = urlencode({k: params[k] for k in kept if k in params})
            response = browser.redirect(f"{hosted_domain(request).base_url}/login?{query}")
        else:
            return error_page(request, "invalid_request", client.id)
        browser.end_session(svc, request)
        browser.forget_session(request, response)
        return response


def routes(services: Services) -> list[BaseRoute]:
    endpoints = AuthorizeEndpoints(services)
    return [
        Route("/oauth2/authorize", endpoints.authorize, methods=["GET"]),
        Route("/authorize", endpoints.authorize, methods=["GET"]),
        Route("/logout", endpoints.logout, methods=["GET"]),
    ]
