"""CORS: browser SDKs (Amplify, amazon-cognito-identity-js) call the public operations
cross-origin, as they call Cognito's own endpoint.

A preflight does not say which operation follows (X-Amz-Target's value is not sent), so
every origin gets one; the POST itself is judged by the dispatcher, which adds
`OPEN_HEADERS` to public operations' answers only. GET routes (/health, JWKS, OpenID
configuration) are public data, readable from any origin.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXPOSED = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage"
OPEN_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED}
_METHODS = {"GET", "POST"}
_HEADER_LIST = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*")


class Cors:
    """ASGI middleware: answers preflights, opens GET answers to every origin."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or "origin" not in headers:
            await self._app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(headers)(scope, receive, send)
            return
        if method not in ("GET", "HEAD"):
            await self._app(scope, receive, send)
            return

        async def send_open(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(OPEN_HEADERS)
            await send(message)

        await self._app(scope, receive, send_open)


def _preflight(headers: Headers) -> PlainTextResponse:
    if headers["access-control-request-method"] not in _METHODS:
        return PlainTextResponse("Disallowed CORS method", status_code=400)
    answer = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Max-Age": "600",
    }
    requested = headers.get("access-control-request-headers", "").strip()
    if requested:
        if not _HEADER_LIST.fullmatch(requested):
            return PlainTextResponse("Disallowed CORS headers", status_code=400)
        answer["Access-Control-Allow-Headers"] = requested  # any: the POST is judged
    return PlainTextResponse("OK", headers=answer)
