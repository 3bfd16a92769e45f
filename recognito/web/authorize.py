"""GET /oauth2/authorize (alias /authorize) and GET /logout of a pool's domain
(reference §4, §9), and how a signed-in browser is sent back to the app.

The authorization parameters are checked in Cognito's order (§4.2): a client or
redirect URI that can't be trusted lands on the domain's error page; anything else wrong
goes back to the app as `error=…&state=…` (in the fragment for implicit requests). The
pages keep the original query in their form actions and check it again on every POST.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from recognito.domain.cimd import CIMDRefused, is_metadata_url
from recognito.domain.oauth_scopes import ScopeError, resolve_scopes
from recognito.domain.records import Client, Pool, User
from recognito.domain.saml import ACS_PATH
from recognito.service import cimd, user_sessions
from recognito.service.context import Services
from recognito.signin import federation, saml
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
    # an external IdP to sign in with (identity_provider / idp_identifier), None: the pages
    provider: str | None = None
    # whether the client offers the local sign-in form (COGNITO among its IdPs)
    local: bool = True

    def grant(self, user: User, auth_time: int, sso_session_id: str | None) -> CodeGrant:
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
            sso_session_id=sso_session_id,
        )


class Refused(Exception):
    """The request can't go on; `response` says so to the browser."""

    def __init__(self, response: Response) -> None:
        super().__init__("authorization refused")
        self.response = response


def error_page(
    request: Request, error: str, client_id: str | None, description: str | None = None
) -> Response:
    """302 to the domain's /error page (no redirect to an app we can't trust)."""
    query = {"error": error, **({"client_id": client_id} if client_id else {})}
    if description is not None:
        query["error_description"] = description
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
        pool = tx.pools.get(domain.pool_id)
    # 1. a client of another pool is as unknown as none (the domain pins the pool); a
    # metadata URL no CIMD policy admits, or whose document fails, is unknown too
    try:
        client = cimd.oauth_client(svc, domain.pool_id, client_id) if client_id else None
    except CIMDRefused as refused:
        raise Refused(error_page(request, "invalid_request", None, str(refused))) from None
    if client is None or pool is None:
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
    if is_metadata_url(client.id) and response_type == "code" and not challenge:
        raise refuse("invalid_request")  # a CIMD client is public: PKCE is required
    # 3. a flow or sign-in the client may not use
    if _FLOWS[response_type] not in config.get("AllowedOAuthFlows", []):
        raise refuse("unauthorized_client")
    supported = config.get("SupportedIdentityProviders", [])
    provider = _provider(svc, pool, supported, params)
    if provider is False:
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
        provider=provider or None,
        local=COGNITO in supported,
    )


def _provider(
    svc: Services, pool: Pool, supported: list[str], params: Mapping[str, str]
) -> str | Literal[False] | None:
    """The IdP the request names (identity_provider, else idp_identifier), None for the
    pages, False when the client may not use it: an IdP the client doesn't support, an
    identifier of no IdP, or a client with no IdP at all (docs/behaviour.md
    "Federation: OIDC sign-in")."""
    if not supported:
        return False
    name = params.get("identity_provider")
    if name is None and params.get("idp_identifier"):
        with svc.store.read() as tx:
            found = tx.identity_providers.by_identifier(pool.id, params["idp_identifier"])
        if found is None:
            return False
        name = found.name
    if name is None:
        return None
    if name not in supported:
        return False
    if name == COGNITO:
        return None
    with svc.store.read() as tx:
        exists = tx.identity_providers.get(pool.id, name) is not None
    return name if exists else False


def _active_custom(svc: Services, pool: Pool, allowed: list[str]) -> set[str]:
    """Which of the client's custom scopes a resource server of the pool still defines."""
    with svc.store.read() as tx:
        return active_custom_scopes(tx, pool.id, allowed)


def federation_failed(
    auth: Authorization, description: str, error: str = "invalid_request"
) -> Response:
    """§12.6: back to the app with error=invalid_request (a SAML Response refused:
    server_error, as Cognito answers) and the failure's text."""
    fields = {"error": error, "error_description": description, "state": auth.state}
    return back_to_app(auth.redirect_uri, fields, fragment=auth.response_type == "token")


def signed_in(
    svc: Services, auth: Authorization, user: User, auth_time: int, sso_session_id: str | None
) -> Response:
    """Back to the app with a fresh code, or with the tokens of an implicit grant, from
    the browser's SSO session `sso_session_id`."""
    grant = auth.grant(user, auth_time, sso_session_id)
    if auth.response_type == "code":
        code = issue_code(svc, grant)
        return back_to_app(auth.redirect_uri, {"code": code, "state": auth.state}, fragment=False)
    fields: dict[str, str | int | None] = {**implicit_tokens(svc, grant), "state": auth.state}
    return back_to_app(auth.redirect_uri, fields, fragment=True)


def freshly_signed_in(
    svc: Services,
    request: Request,
    auth: Authorization,
    user: User,
    auth_time: int,
    opening: Callable[[browser.OpenedSession], None] | None = None,
) -> Response:
    """After an interactive sign-in: a new browser (SSO) session, then back to the app
    from it with its cookie. If the answer fails, the session is ended again: nothing of
    a sign-in that gave nothing stays. `opening` keeps what else belongs to the session
    (a SAML sign-in's NameID and SessionIndex)."""
    opened = browser.open_session(svc, request, auth.pool.id, user, auth_time, auth.client.id)
    try:
        if opening is not None:
            opening(opened)
        response = signed_in(svc, auth, user, auth_time, opened.session_id)
    except BaseException:
        browser.discard_session(svc, opened)
        raise
    browser.keep_session(svc, request, response, opened)
    return response


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
            with svc.store.read() as tx:  # the client's SSOSession.MaxValidityMinutes
                reusable = user_sessions.sso_reusable(
                    tx, auth.pool.id, auth.client.id, session[1], svc.clock.now()
                )
            if reusable:
                return signed_in(svc, auth, *session)
        if "none" in auth.prompt:
            fields = {"error": "login_required", "state": auth.state}
            return back_to_app(auth.redirect_uri, fields, fragment=auth.response_type == "token")
        if auth.provider is not None:
            return self._to_provider(request, auth, params)
        return browser.redirect(f"{hosted_domain(request).base_url}/login?{request.url.query}")

    def _to_provider(
        self, request: Request, auth: Authorization, params: dict[str, str]
    ) -> Response:
        """Off to the external IdP (reference §12.2 step 2)."""
        svc = self._svc
        with svc.store.read() as tx:
            provider = tx.identity_providers.get(auth.pool.id, auth.provider or "")
        if provider is None:  # deleted since the check
            return federation_failed(auth, "Identity provider does not exist")
        base_url = hosted_domain(request).base_url
        try:
            if provider.type == "SAML":
                acs = f"{base_url}{ACS_PATH}"
                return browser.redirect(saml.begin(svc, provider, params, acs))
            callback = f"{base_url}/oauth2/idpresponse"
            return browser.redirect(federation.begin(svc, provider, params, callback))
        except federation.FederationError as exc:
            return federation_failed(auth, exc.description)

    async def idp_response(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":  # Apple's response_mode=form_post
            form = await request.form(max_files=0, max_fields=16)
            params = {k: v for k, v in form.items() if isinstance(v, str)}
        return await run_in_threadpool(self._idp_response, request, params)

    def _idp_response(self, request: Request, params: Mapping[str, str]) -> Response:
        """/oauth2/idpresponse: the IdP sends the browser back (§12.2 steps 3-6), by GET
        or, for Apple, a form POST. A state that is unknown, spent or older than 5
        minutes lands on the error page (no app to trust); every other failure goes to
        the app as §12.6 says."""
        svc = self._svc
        state = params.get("state", "")
        pending = federation.take(svc, hosted_domain(request).pool_id, state) if state else None
        if pending is None:
            return error_page(request, "invalid_request", None)
        try:
            auth = check(svc, request, pending.request["query"])
        except Refused as refused:
            return refused.response
        if params.get("error"):
            return federation_failed(auth, params.get("error_description") or params["error"])
        provider = federation.provider_of(svc, pending)
        if provider is None:
            return federation_failed(auth, "Identity provider does not exist")
        try:
            found = federation.finish(
                svc,
                auth.pool,
                auth.client,
                provider,
                pending,
                params.get("code", ""),
                params.get("user"),
            )
        except federation.FederationError as exc:
            return federation_failed(auth, exc.description)
        if auth.nonce is None and svc.settings.federation_nonce == "cognito":
            auth = replace(auth, nonce=found.nonce)  # Cognito's own, as AWS injects it
        auth_time = int(svc.clock.now())
        return freshly_signed_in(svc, request, auth, found.user, auth_time)

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
            then = logout_uri
        elif redirect_uri is not None:
            if redirect_uri not in client.config.get("CallbackURLs", []):
                return error_page(request, "redirect_mismatch", client.id)
            kept = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce")
            query = urlencode({k: params[k] for k in kept if k in params})
            then = f"{hosted_domain(request).base_url}/login?{query}"
        else:
            return error_page(request, "invalid_request", client.id)
        session = browser.current_session(svc, request, client.pool_id)
        session_id = session[2] if session is not None else None
        browser.end_session(svc, request)
        # a SAML sign-in with IDPSignout: on to the IdP's SLO first (reference §9)
        slo = saml.begin_logout(svc, client.pool_id, session_id, then) if session_id else None
        response = browser.redirect(slo or then)
        browser.forget_session(request, response)
        return response


def routes(services: Services) -> list[BaseRoute]:
    endpoints = AuthorizeEndpoints(services)
    return [
        Route("/oauth2/authorize", endpoints.authorize, methods=["GET"]),
        Route("/authorize", endpoints.authorize, methods=["GET"]),
        Route("/oauth2/idpresponse", endpoints.idp_response, methods=["GET", "POST"]),
        Route("/logout", endpoints.logout, methods=["GET"]),
    ]
