"""AWS JSON 1.1 over HTTP: admit, read, parse, validate, dispatch, serialize.

This is the only place that maps exceptions to HTTP. Anything that is not a
CognitoError is a bug: it is logged with the request id and answered as
InternalErrorException (500).

Everything a request's headers decide (operation, admission, region) is settled before
its body is read; the body is read up to --max-body-size, its signature verified, then it
is parsed, validated, authorized and run in a worker thread, so neither a large body nor a
slow operation holds the event loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.model import OperationModel
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from recognito import errors, metrics
from recognito.logs import REQUEST_ID
from recognito.protocol.admission import Admission, Gate
from recognito.protocol.cors import OPEN_HEADERS
from recognito.protocol.errors import PayloadTooLarge, error_body, error_headers, error_status
from recognito.protocol.model import is_signed, operation_model, target_prefix
from recognito.protocol.region import signed_region
from recognito.protocol.serialize import serialize_output
from recognito.protocol.unsupported import refuse_unsupported
from recognito.protocol.validate import ECHO_LIMIT, validate_input
from recognito.service.context import Caller, Services
from recognito.service.rate_quotas import Throttle, configured
from recognito.service.registry import Operation

log = logging.getLogger("recognito.protocol")
CONTENT_TYPE = "application/x-amz-json-1.1"
# Operations run on threads of their own: SQL, hashing and JSON block. A plain executor
# hands work over in half the time anyio's thread portal takes; its size bounds the
# operations a process runs at once, as anyio's default limiter did.
_OPERATION_THREADS = 40


class Dispatcher:
    def __init__(self, services: Services, operations: dict[str, Operation]) -> None:
        self._services = services
        self._operations = operations
        self._prefix = target_prefix() + "."
        self._gate = Gate(services.settings, services.clock)
        self._threads = ThreadPoolExecutor(_OPERATION_THREADS, thread_name_prefix="operation")
        limits = configured(services.settings)  # `serve` checked the file before workers
        self._throttle = Throttle(services, limits) if limits is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The API as a bare ASGI app: the one route every call takes skips the web
        framework's routing and middleware layers (a third of a request's CPU)."""
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        request_id = str(uuid.uuid4())
        REQUEST_ID.set(request_id)  # this request's task: its log lines, the access log's
        model: OperationModel | None = None
        headers: dict[str, str] = {}
        outcome = "success"
        try:
            model = self._operation(request.headers.get("x-amz-target", ""))
            admission = self._gate.admit(model, request)  # headers only: before the body
            raw = await self._read_body(request)
            self._gate.verify(admission, request, raw)
            services = self._services_for(request, admission)
            # the worker thread logs under this request's id too: it runs in a copy of
            # this task's context
            run = functools.partial(
                contextvars.copy_context().run, self._execute, model, raw, services, admission
            )
            body = await asyncio.get_running_loop().run_in_executor(self._threads, run)
            status = 200
        except errors.CognitoError as error:
            status, body, headers = error_status(error), error_body(error), error_headers(error)
            outcome = error.code
            if isinstance(error, PayloadTooLarge):
                headers["Connection"] = "close"  # the rest of the body is not wanted
        except ClientDisconnect:  # gone (or cut off by the request timeout): nobody to answer
            return Response(status_code=400)
        except Exception:
            log.exception("internal error in request %s", request_id)
            internal = errors.InternalErrorException("An internal error occurred.")
            status, body, headers = 500, error_body(internal), error_headers(internal)
            outcome = internal.code
        # an unknown target is one label value, not the text it came with
        name = model.name if model is not None else "unknown"
        metrics.request_answered(name, outcome, time.perf_counter() - started)
        if "origin" in request.headers and (model is None or not is_signed(model)):
            headers.update(OPEN_HEADERS)
        headers["x-amzn-RequestId"] = request_id
        return Response(body, status_code=status, headers=headers, media_type=CONTENT_TYPE)

    def _operation(self, target: str) -> OperationModel:
        name = target[len(self._prefix) :] if target.startswith(self._prefix) else ""
        model = operation_model(name) if name else None
        if model is None:
            shown = target[:ECHO_LIMIT] + ("..." if len(target) > ECHO_LIMIT else "")
            raise errors.UnknownOperationException(f"Unknown operation {shown or '(none)'}")
        return model

    async def _read_body(self, request: Request) -> bytes:
        """The body, refused as soon as it is known to exceed the limit: by its
        Content-Length before a byte is read, or while a chunked body streams in."""
        limit = self._services.settings.max_body_size
        too_large = PayloadTooLarge(f"Request body is larger than {limit} bytes.")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    def _services_for(self, request: Request, admission: Admission | None) -> Services:
        """The services as this request sees them: in the region it was signed for, from
        the address and user agent it came with."""
        if admission is not None and admission.signed is not None:  # verified: its scope
            region: str | None = admission.signed.region
        else:
            region = signed_region(request.headers.get("authorization"))
        peer = request.client.host if request.client else None
        caller = Caller(peer, request.headers.get("user-agent"))
        return dataclasses.replace(self._services, request_region=region, caller=caller)

    def _execute(
        self,
        model: OperationModel,
        raw: bytes,
        services: Services,
        admission: Admission | None,
    ) -> bytes:
        """Parse, validate, authorize, run and serialize; in a worker thread (SQL, password
        hashing and JSON all block)."""
        try:
            body = json.loads(raw or b"{}")
        except RecursionError:
            raise errors.SerializationException("Request body is nested too deeply.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise errors.SerializationException("Request body is not valid JSON.") from exc
        output = self.invoke(model, body, services, admission)
        return json.dumps(output, separators=(",", ":")).encode()

    def invoke(
        self,
        model: OperationModel,
        body: object,
        services: Services,
        admission: Admission | None,
    ) -> dict[str, Any]:
        """Validate, authorize, run and serialize a parsed request: every caller's path,
        the admin console's too (protocol/admin_calls.py)."""
        params = validate_input(model.input_shape, body)
        # after validation: the pool id the allow lists are matched with is well-formed
        self._gate.authorize(admission, model.name, params)
        if self._throttle is not None:  # after authorization: refused callers spend nothing
            public = admission is None
            self._throttle.admit(model.name, params, services.caller.ip if public else None)
        operation = self._operations.get(model.name)
        if operation is None:
            raise errors.UnsupportedOperationException(
                f"{model.name} is not supported by Recognito yet."
            )
        refuse_unsupported(model.name, params)
        result = operation(services, params)
        return serialize_output(model.output_shape, result)

    @property
    def gate(self) -> Gate:
        return self._gate

    @property
    def services(self) -> Services:
        return self._services
