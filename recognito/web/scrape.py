"""GET /metrics: the Prometheus text page (recognito/metrics.py), per --metrics.

`local`, the default, answers loopback clients only (403 to others), as admin calls are
taken without --admin-credentials: the page holds no secret, but says how busy the
service is and how its sign-ins go. `open` answers anyone, for a scraper on a trusted
network (a container's port); `off` leaves the route out (404).
"""

from __future__ import annotations

import ipaddress

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from recognito import metrics
from recognito.config import Settings


def metrics_routes(settings: Settings) -> list[BaseRoute]:
    if settings.metrics == "off":
        return []
    local_only = settings.metrics != "open"

    async def page(request: Request) -> Response:
        if local_only and not _loopback(request.client.host if request.client else ""):
            return PlainTextResponse(
                "/metrics is served to this machine only; start the server with "
                "--metrics open for a remote scraper.\n",
                status_code=403,
            )
        # reads every worker's files: off the event loop
        body = await run_in_threadpool(metrics.exposition)
        return Response(body, media_type=metrics.CONTENT_TYPE)

    return [Route("/metrics", page, methods=["GET"])]


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
