"""The test-control API under /_recognito/ (`serve --test-api` only): read the codes and
messages sent, move the clock, expire a user's tokens, a fixed code per pool, reset the
store or a pool. Described by /_recognito/openapi.json.

It is for test code on this machine: the server refuses --test-api on a non-loopback
--host, and each call must name a loopback Host (no DNS rebinding) and carry no Origin
(no web page can drive it, whatever it fetches).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from recognito.service.context import Services
from recognito.service.lookups import find_user
from recognito.service.test_controls import TestControls
from recognito.store.housekeeping import erase_everything, erase_users

PREFIX = "/_recognito"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
FIXED_CODE = re.compile(r"[0-9]{6}|[0-9]{8}")
# applies the server's seed file again after a reset: to every pool (None) or to one
Reseed = Callable[[str | None], list[str]]


def routes(services: Services, reseed: Reseed | None) -> list[BaseRoute]:
    api = _TestApi(services, reseed)
    return [
        Route(f"{PREFIX}/openapi.json", api.openapi, methods=["GET"]),
        Route(f"{PREFIX}/codes/latest", api.latest_code, methods=["GET"]),
        Route(f"{PREFIX}/messages/latest", api.latest_message, methods=["GET"]),
        Route(f"{PREFIX}/clock", api.clock, methods=["GET"]),
        Route(f"{PREFIX}/clock/advance", api.advance, methods=["POST"]),
        Route(
            f"{PREFIX}/pools/{{pool_id}}/users/{{username}}/expire-tokens",
            api.expire_tokens,
            methods=["POST"],
        ),
        Route(f"{PREFIX}/pools/{{pool_id}}/fixed-code", api.fixed_code, methods=["PUT", "DELETE"]),
        Route(f"{PREFIX}/reset", api.reset, methods=["POST"]),
    ]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _TestApi:
    def __init__(self, services: Services, reseed: Reseed | None) -> None:
        assert services.controls is not None
        self.svc = services
        self.controls: TestControls = services.controls
        self.reseed = reseed

    @staticmethod
    def _admit(request: Request) -> None:
        host = (request.headers.get("host") or "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in LOOPBACK_HOSTS:
            raise _Refused(403, "The test API answers Host localhost, 127.0.0.1 or [::1] only.")
        if "origin" in request.headers:
            raise _Refused(403, "The test API answers no web page (a request with Origin).")

    async def _body(self, request: Request) -> dict[str, Any]:
        raw = await request.body()
        if not raw:
            return {}
        try:
            body = await request.json()
        except ValueError:
            raise _Refused(400, "The body is not JSON.") from None
        if not isinstance(body, dict):
            raise _Refused(400, "The body is not a JSON object.")
        return body

    def _pool_exists(self, pool_id: str) -> None:
        with self.svc.store.read() as tx:
            if tx.pools.get(pool_id) is None:
                raise _Refused(404, f"User pool {pool_id} does not exist.")

    async def _answer(self, request: Request, work: Callable[[], Any]) -> Response:
        try:
            self._admit(request)
            answer = await run_in_threadpool(work)
        except _Refused as refused:
            return _error(refused.status, str(refused))
        if answer is None:
            return Response(status_code=204)
        return JSONResponse(answer)

    async def openapi(self, request: Request) -> Response:
        return await self._answer(request, lambda: OPENAPI)

    async def latest_code(self, request: Request) -> Response:
        query = request.query_params

        def work() -> Any:
            pool_id = query.get("poolId")
            if not pool_id or not (query.get("username") or query.get("to")):
                raise _Refused(400, "Give poolId, and username or to.")
            sent = self.controls.latest(pool_id, query.get("username"), query.get("to"))
            if sent is None:
                raise _Refused(404, "No code was sent to them since the server started.")
            return {
                "code": sent.code,
                "purpose": sent.purpose,
                "username": sent.username,
                "destination": sent.destination,
                "sentAt": sent.sent_at,
            }

        return await self._answer(request, work)

    async def latest_message(self, request: Request) -> Response:
        query = request.query_params

        def work() -> Any:
            to = query.get("to")
            if not to:
                raise _Refused(400, "Give to (an email address or phone number).")
            with self.svc.store.read() as tx:
                rows = tx.outbox.rows(to, 50)
            pool_id = query.get("poolId")
            found = [r for r in rows if pool_id is None or r.pool_id == pool_id]
            if not found:
                raise _Refused(404, f"No message to {to} in the outbox.")
            row = found[0]
            return {
                "id": row.id,
                "poolId": row.pool_id,
                "channel": row.channel,
                "kind": row.kind,
                "recipient": row.recipient,
                "subject": row.subject,
                "body": row.body,
                "status": row.status,
                "createdAt": row.created_at,
            }

        return await self._answer(request, work)

    def _clock(self) -> dict[str, float]:
        return {"now": self.controls.clock.now(), "offset": self.controls.clock.offset}

    async def clock(self, request: Request) -> Response:
        return await self._answer(request, self._clock)

    async def advance(self, request: Request) -> Response:
        try:
            body = await self._body(request)
        except _Refused as refused:
            return _error(refused.status, str(refused))
        seconds = body.get("seconds")

        def work() -> Any:
            valid = isinstance(seconds, int | float) and not isinstance(seconds, bool)
            if not valid or not 0 <= float(seconds) <= 10 * 365 * 86400:  # type: ignore[arg-type]
                raise _Refused(400, "seconds must be a number from 0 to ten years' worth.")
            self.controls.clock.advance(float(seconds))  # type: ignore[arg-type]
            return self._clock()

        return await self._answer(request, work)

    async def expire_tokens(self, request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        username = request.path_params["username"]

        def work() -> Any:
            with self.svc.store.read() as tx:
                pool = tx.pools.get(pool_id)
                user = find_user(tx, pool, username) if pool is not None else None
            if user is None:
                raise _Refused(404, f"No user {username} in pool {pool_id}.")
            self.controls.expire_tokens(pool_id, user.sub, self.svc.clock.now())
            return None

        return await self._answer(request, work)

    async def fixed_code(self, request: Request) -> Response:
        pool_id = request.path_params["pool_id"]
        try:
            body = await self._body(request) if request.method == "PUT" else {}
        except _Refused as refused:
            return _error(refused.status, str(refused))

        def work() -> Any:
            self._pool_exists(pool_id)
            if request.method == "DELETE":
                self.controls.set_fixed_code(pool_id, None)
                return None
            code = body.get("code")
            if not isinstance(code, str) or not FIXED_CODE.fullmatch(code):
                raise _Refused(400, "code must be six or eight digits.")
            self.controls.set_fixed_code(pool_id, code)
            return None

        return await self._answer(request, work)

    async def reset(self, request: Request) -> Response:
        try:
            body = await self._body(request)
        except _Refused as refused:
            return _error(refused.status, str(refused))
        pool_id = body.get("poolId")

        def work() -> Any:
            if pool_id is not None:
                if not isinstance(pool_id, str):
                    raise _Refused(400, "poolId must be a string.")
                self._pool_exists(pool_id)
                erase_users(self.svc.store, pool_id)
                self.controls.forget_pool(pool_id)
            else:
                for gone in erase_everything(self.svc.store):
                    self.svc.keys.forget(gone)  # a seeded pool may come back with its id
                self.controls.clear()
            seeded = self.reseed(pool_id) if self.reseed is not None else []
            return {"reset": pool_id or "store", "seeded": seeded}

        return await self._answer(request, work)


def _op(summary: str, responses: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": responses, **more}


def _query(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json_body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


_ERROR = {
    "description": "refused",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}
        }
    },
}
_CLOCK = {
    "description": "the server's clock",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"now": {"type": "number"}, "offset": {"type": "number"}},
            }
        }
    },
}
_DONE = {"description": "done"}
_PURPOSES = "sign_up, password_reset, verify:email, mfa:sms, ..., or invitation (a password)"

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Recognito test-control API",
        "version": "1",
        "description": "Only on a server started with --test-api, on loopback. Every call "
        "must name a loopback Host and carry no Origin header.",
    },
    "paths": {
        f"{PREFIX}/codes/latest": {
            "get": _op(
                "The latest code or temporary password sent to a user or an address",
                {
                    "200": {
                        "description": "the code",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string"},
                                        "purpose": {
                                            "type": "string",
                                            "description": _PURPOSES,
                                        },
                                        "username": {"type": "string"},
                                        "destination": {"type": "string"},
                                        "sentAt": {"type": "number"},
                                    },
                                }
                            }
                        },
                    },
                    "400": _ERROR,
                    "404": _ERROR,
                },
                parameters=[
                    _query("poolId", "the user pool", True),
                    _query("username", "the user's name (or give to)"),
                    _query("to", "the email address or phone number it went to"),
                ],
            )
        },
        f"{PREFIX}/messages/latest": {
            "get": _op(
                "The latest message in the outbox to an address",
                {
                    "200": {"description": "the message (its subject and body as sent)"},
                    "400": _ERROR,
                    "404": _ERROR,
                },
                parameters=[
                    _query("to", "email address or phone number", True),
                    _query("poolId", "only this pool's messages"),
                ],
            )
        },
        f"{PREFIX}/clock": {"get": _op("The server's clock", {"200": _CLOCK})},
        f"{PREFIX}/clock/advance": {
            "post": _op(
                "Move the clock forward: codes, sessions, tokens and lockouts expire as if the "
                "time had passed",
                {"200": _CLOCK, "400": _ERROR},
                requestBody=_json_body({"seconds": {"type": "number", "minimum": 0}}, ["seconds"]),
            )
        },
        f"{PREFIX}/pools/{{poolId}}/users/{{username}}/expire-tokens": {
            "post": _op(
                "Expire the user's access tokens issued so far (refused as expired; refresh "
                "tokens still work)",
                {"204": _DONE, "404": _ERROR},
                parameters=[_path("poolId"), _path("username")],
            )
        },
        f"{PREFIX}/pools/{{poolId}}/fixed-code": {
            "put": _op(
                "Send this code instead of random ones to the pool's users",
                {"204": _DONE, "400": _ERROR, "404": _ERROR},
                parameters=[_path("poolId")],
                requestBody=_json_body(
                    {"code": {"type": "string", "pattern": "^[0-9]{6}$"}}, ["code"]
                ),
            ),
            "delete": _op(
                "Random codes again", {"204": _DONE, "404": _ERROR}, parameters=[_path("poolId")]
            ),
        },
        f"{PREFIX}/reset": {
            "post": _op(
                "Erase the whole store (or, with poolId, the pool's users and messages), then "
                "apply the server's --seed file again",
                {
                    "200": {
                        "description": "what the seed file applied again",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "reset": {"type": "string"},
                                        "seeded": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            }
                        },
                    },
                    "400": _ERROR,
                    "404": _ERROR,
                },
                requestBody={
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"poolId": {"type": "string"}},
                            }
                        }
                    },
                },
            )
        },
        f"{PREFIX}/openapi.json": {"get": _op("This description", {"200": _DONE})},
    },
}
