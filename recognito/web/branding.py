"""The branding a domain's pages show: the client's stylesheet and logo, served from the
domain itself so the pages' CSP (`style-src 'self'; img-src 'self' data:`) holds.

    GET <domain>/branding/<client_id>/style.css   the allowed part of the CSS
    GET <domain>/branding/<client_id>/logo        the logo image

Both answer 404 when there is nothing to serve. The `?v=` the pages add changes with the
branding, so both may be cached."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from recognito.service import branding
from recognito.service.context import Services
from recognito.web.domains import hosted_domain

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # opened on its own, neither may run or load anything
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "public, max-age=86400",
}


def load(svc: Services, request: Request, client_id: str) -> branding.PageBranding:
    """The branding of a client on the domain this request is for."""
    domain = hosted_domain(request)
    with svc.store.read() as tx:
        return branding.page_branding(tx, domain.pool_id, client_id, domain.name)


def attach(svc: Services, request: Request, client_id: str) -> None:
    """Have `browser.render` brand the page of this request."""
    request.state.branding = (client_id, load(svc, request, client_id))


def routes(svc: Services) -> list[BaseRoute]:
    async def stylesheet(request: Request) -> Response:
        found = await run_in_threadpool(load, svc, request, request.path_params["client_id"])
        if found.stylesheet is None:
            return PlainTextResponse("Not Found", 404, headers=_HEADERS)
        return Response(found.stylesheet, media_type="text/css", headers=_HEADERS)

    async def logo(request: Request) -> Response:
        found = await run_in_threadpool(load, svc, request, request.path_params["client_id"])
        if found.logo is None:
            return PlainTextResponse("Not Found", 404, headers=_HEADERS)
        return Response(found.logo.data, media_type=found.logo.media_type, headers=_HEADERS)

    return [
        Route("/branding/{client_id}/style.css", stylesheet, methods=["GET"]),
        Route("/branding/{client_id}/logo", logo, methods=["GET"]),
    ]
