"""The SAML endpoints of a pool's domain (reference §12.4): POST /saml2/idpresponse, the
assertion consumer service (HTTP-POST binding), POST /saml2/logout, where the IdP answers
a LogoutRequest (single logout, HTTP-POST binding as Cognito requires), and GET
/saml2/metadata, the pool's SP metadata (a Recognito addition: Cognito publishes none).

A Response that answers a stored request (RelayState, SP-initiated) goes back to that
request's app. One with no such request is IdP-initiated: its RelayState must carry the
authorize parameters (client_id, redirect_uri, response_type, scope, identity_provider
or idp_identifier), as Cognito's, and its provider must allow IDPInit. Whatever can't be
tied to an app lands on the domain's error page; everything after that goes to the app
as `error=…&error_description=…`. Nothing a hostile POST sends is more than a refusal.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from recognito.domain import saml as rules
from recognito.service.context import Services
from recognito.signin import federation, saml
from recognito.web import browser
from recognito.web.authorize import (
    Authorization,
    Refused,
    check,
    error_page,
    federation_failed,
    freshly_signed_in,
)
from recognito.web.bodies import bounded_body
from recognito.web.browser import OpenedSession
from recognito.web.domains import hosted_domain

MAX_BODY = 2 * rules.MAX_RESPONSE + 16_384  # the form, URL-encoded: SAMLResponse and RelayState


class SamlEndpoints:
    def __init__(self, services: Services) -> None:
        self._svc = services

    async def idp_response(self, request: Request) -> Response:
        form = await _form(request)
        if form is None:
            return error_page(request, "invalid_request", None)
        return await run_in_threadpool(self._idp_response, request, form)

    def _idp_response(self, request: Request, form: dict[str, str]) -> Response:
        svc = self._svc
        pool_id = hosted_domain(request).pool_id
        # Cognito's IdP-initiated guide spells it "Relaystate"
        relay_state = form.get("RelayState") or form.get("Relaystate") or ""
        pending = federation.take(svc, pool_id, relay_state) if relay_state else None
        query = pending.request["query"] if pending is not None else _idp_query(relay_state)
        if query is None:
            return error_page(request, "invalid_request", None)
        try:
            auth = check(svc, request, query)
        except Refused as refused:
            return refused.response
        with svc.store.read() as tx:
            name = pending.provider_name if pending is not None else auth.provider
            provider = tx.identity_providers.get(pool_id, name) if name else None
        if provider is None:
            return federation_failed(auth, "Identity provider does not exist")
        acs = f"{hosted_domain(request).base_url}{rules.ACS_PATH}"
        if pending is not None:
            acs = str(pending.request.get("callback", acs))
        try:
            response = rules.decoded_response(form.get("SAMLResponse", ""))
        except rules.SamlError as exc:
            return _refused(auth, saml.invalid(exc.reason))
        try:
            signed = saml.finish(svc, auth.pool, auth.client, provider, response, pending, acs)
        except federation.FederationError as exc:
            return _refused(auth, exc)
        auth_time = int(svc.clock.now())

        def keep(opened: OpenedSession) -> None:
            saml.keep_session(svc, signed, opened.session_id, opened.expires_at)

        return freshly_signed_in(svc, request, auth, signed.user, auth_time, keep)

    async def logout(self, request: Request) -> Response:
        if request.method != "POST":  # Cognito takes the LogoutResponse by POST only
            return error_page(request, "invalid_request", None)
        form = await _form(request)
        if form is None:
            return error_page(request, "invalid_request", None)
        return await run_in_threadpool(self._logout, request, form)

    def _logout(self, request: Request, form: dict[str, str]) -> Response:
        """The IdP's LogoutResponse: on where /logout was going; anything else (an
        IdP-initiated LogoutRequest included) is the error page."""
        domain = hosted_domain(request)
        try:
            response = rules.decoded_logout_response(form.get("SAMLResponse", ""))
            destination = f"{domain.base_url}{rules.LOGOUT_PATH}"
            then = saml.finish_logout(self._svc, domain.pool_id, response, destination)
        except rules.SamlError as exc:
            description = f"Invalid SAML logout response received: {exc.reason}"
            return error_page(request, "invalid_request", None, description)
        return browser.redirect(then)

    async def metadata(self, request: Request) -> Response:
        domain = hosted_domain(request)
        document = await run_in_threadpool(
            saml.sp_metadata, self._svc, domain.pool_id, domain.base_url
        )
        return Response(document, media_type="application/samlmetadata+xml")


async def _form(request: Request) -> dict[str, str] | None:
    """A posted form of bounded size; None when too big or not a form."""
    body = await bounded_body(request, MAX_BODY)
    if body is None:
        return None
    try:
        return dict(parse_qsl(body.decode("ascii"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return None


def _idp_query(relay_state: str) -> dict[str, str] | None:
    """An IdP-initiated RelayState's authorize parameters; None when it has none."""
    try:
        query = dict(parse_qsl(relay_state, keep_blank_values=False))
    except ValueError:
        return None
    named = query.get("identity_provider") or query.get("idp_identifier")
    return query if query.get("client_id") and named else None


def _refused(auth: Authorization, failure: federation.FederationError) -> Response:
    refused = failure.description.startswith("Invalid SAML response received")
    error = "server_error" if refused else "invalid_request"
    return federation_failed(auth, failure.description, error)


def routes(services: Services) -> list[BaseRoute]:
    endpoints = SamlEndpoints(services)
    return [
        Route(rules.ACS_PATH, endpoints.idp_response, methods=["POST"]),
        Route(rules.LOGOUT_PATH, endpoints.logout, methods=["GET", "POST"]),
        Route("/saml2/metadata", endpoints.metadata, methods=["GET"]),
    ]
