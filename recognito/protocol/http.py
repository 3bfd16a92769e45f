"""AWS JSON 1.1 over HTTP: parse, validate, dispatch, serialize.

This is the only place that maps exceptions to HTTP. Anything that is not a
CognitoError is a bug: it is logged with the request id and answered as
InternalErrorException (500).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import uuid
from typing import Any

from botocore.model import OperationModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from recognito import errors
from recognito.api.context import Services
from recognito.api.registry import Operation
from recognito.protocol.errors import error_body, error_headers, error_status
from recognito.protocol.model import is_signed, operation_model, target_prefix
from recognito.protocol.serialize import serialize_output
from recognito.protocol.validate import validate_input

log = logging.getLogger("recognito.protocol")
CONTENT_TYPE = "application/x-amz-json-1.1"


class Dispatcher:
    def __init__(self, services: Services, operations: dict[str, Operation]) -> None:
        self._services = services
        self._operations = operations
        self._prefix = target_prefix() + "."

    async def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        try:
            model, params = self._parse(
                request.headers.get("x-amz-target", ""), await request.body()
            )
            self._admit(model, request)
            body = await self._run(model, params)
            status, headers = 200, {}
        except errors.CognitoError as error:
            status, body, headers = error_status(error), error_body(error), error_headers(error)
        except Exception:
            log.exception("internal error in request %s", request_id)
            internal = errors.InternalErrorException("An internal error occurred.")
            status, body, headers = 500, error_body(internal), error_headers(internal)
        headers["x-amzn-RequestId"] = request_id
        return Response(body, status_code=status, headers=headers, media_type=CONTENT_TYPE)

    def _parse(self, target: str, raw: bytes) -> tuple[OperationModel, dict[str, Any]]:
        name = target[len(self._prefix) :] if target.startswith(self._prefix) else ""
        model = operation_model(name) if name else None
        if model is None:
            raise errors.UnknownOperationException(f"Unknown operation {target or '(none)'}")
        try:
            body = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise errors.SerializationException("Request body is not valid JSON.") from exc
        return model, validate_input(model.input_shape, body)

    def _admit(self, model: OperationModel, request: Request) -> None:
        """Admin calls come from this machine only, unless the operator allows more:
        without SigV4 checks yet, the network is what protects them."""
        if not is_signed(model) or self._services.settings.allow_remote_admin:
            return
        host = request.client.host if request.client else ""
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise errors.NotAuthorizedException(
                f"{model.name} is an admin operation, accepted only from this machine "
                "unless the server runs with --allow-remote-admin."
            )

    async def _run(self, model: OperationModel, params: dict[str, Any]) -> bytes:
        operation = self._operations.get(model.name)
        if operation is None:
            raise errors.UnsupportedOperationException(
                f"{model.name} is not supported by Recognito yet."
            )
        # operations block (SQL, password hashing): keep them off the event loop
        result = await run_in_threadpool(operation, self._services, params)
        output = serialize_output(model.output_shape, result)
        return json.dumps(output, separators=(",", ":")).encode()
