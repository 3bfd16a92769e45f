"""How a function ARN is reached, and what came back: the payload, or Lambda's function
error, or an invocation failure (the function never answered).

Three ways, chosen per ARN (`resolve`): the --triggers file maps it to an HTTP hook
(`http://...`: POST the event, the reply body is the payload) or an in-process callable
(`python:module:function`, called as a Lambda handler); an ARN it does not map goes to
the Lambda Invoke REST API at --lambda-endpoint-url, SigV4-signed with botocore's
standard credential chain in the ARN's region.
"""

from __future__ import annotations

import importlib
import json
import re
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

TIMEOUT_ERROR = "Socket timeout while invoking Lambda function."
_ARN = re.compile(r"^arn:[\w+=/,.@-]+:lambda:([\w-]+):[0-9]+:function:([\w-]+)(?::([\w$-]+))?$")


@dataclass(frozen=True)
class Answer:
    """The function's payload (raw bytes) and, when it failed, Lambda's `errorMessage`."""

    payload: bytes
    function_error: str | None = None


class InvocationFailed(Exception):
    """The function could not be invoked; `code` is what Cognito names after
    `invocation failed due to error`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Invoker(Protocol):
    def __call__(self, arn: str, event: bytes, timeout: float) -> Answer: ...


def error_message(payload: bytes) -> str:
    """Lambda's errorMessage out of a function error's payload (the whole text when the
    payload is not Lambda's error object)."""
    try:
        body = json.loads(payload)
    except ValueError:
        return payload.decode("utf-8", "replace")
    if isinstance(body, dict) and "errorMessage" in body:
        return str(body["errorMessage"])
    return payload.decode("utf-8", "replace")


def http_hook(url: str) -> Invoker:
    """POST the event as JSON; a 2xx reply's body is the payload. A reply with
    X-Amz-Function-Error, or a non-2xx one, is a function error whose message is the
    body's errorMessage (or the body)."""

    def invoke(arn: str, event: bytes, timeout: float) -> Answer:
        request = urllib.request.Request(
            url, data=event, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                body = reply.read()
                if reply.headers.get("X-Amz-Function-Error"):
                    return Answer(body, error_message(body))
                return Answer(body)
        except urllib.error.HTTPError as exc:
            body = exc.read()
            return Answer(body, error_message(body) or f"HTTP {exc.code}")
        except TimeoutError as exc:
            raise InvocationFailed(TIMEOUT_ERROR) from exc
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                raise InvocationFailed(TIMEOUT_ERROR) from exc
            raise InvocationFailed("ServiceException") from exc  # the hook is unreachable

    return invoke


@dataclass(frozen=True)
class LambdaContext:
    """The few members of Lambda's context object a handler commonly reads."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    memory_limit_in_mb: int = 128

    def get_remaining_time_in_millis(self) -> int:
        return 0


# in-process callables run here, so a slow one is given up at the timeout (its thread
# finishes on its own; Python cannot stop it)
_CALLABLES = ThreadPoolExecutor(8, thread_name_prefix="trigger")


def python_callable(target: str) -> Invoker:
    """`module:function`, imported on first use and called as `function(event, context)`;
    an exception is a function error with `str(exception)` as Lambda's Python runtime
    gives it."""

    def invoke(arn: str, event: bytes, timeout: float) -> Answer:
        module_name, _, name = target.partition(":")
        try:
            handler: Callable[[Any, Any], Any] = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError, ValueError) as exc:
            return Answer(b"null", f"Unable to import module '{module_name}': {exc}")
        context = LambdaContext(arn.rsplit(":", 1)[-1], arn, str(uuid.uuid4()))
        future = _CALLABLES.submit(handler, json.loads(event), context)
        try:
            result = future.result(timeout=timeout)
        except FutureTimeout as exc:
            raise InvocationFailed(TIMEOUT_ERROR) from exc
        except Exception as exc:  # the function's own error, as Lambda reports it
            return Answer(b"null", str(exc))
        try:
            return Answer(json.dumps(result).encode())
        except (TypeError, ValueError):
            return Answer(b"not json")  # unrecognizable output

    return invoke


def lambda_api(endpoint: str) -> Invoker:
    """Lambda's Invoke REST API (RequestResponse), SigV4-signed for `lambda` in the ARN's
    region with botocore's credential chain (environment, profile, instance role...)."""

    def invoke(arn: str, event: bytes, timeout: float) -> Answer:
        match = _ARN.match(arn)
        if match is None:
            raise InvocationFailed("ResourceNotFoundException")
        region, name, qualifier = match.groups()
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.session import get_session

        credentials = get_session().get_credentials()
        if credentials is None:
            raise InvocationFailed("UnrecognizedClientException")
        url = f"{endpoint.rstrip('/')}/2015-03-31/functions/{urllib.parse.quote(name)}/invocations"
        if qualifier:
            url += "?" + urllib.parse.urlencode({"Qualifier": qualifier})
        signed = AWSRequest(
            method="POST",
            url=url,
            data=event,
            headers={
                "Content-Type": "application/json",
                "X-Amz-Invocation-Type": "RequestResponse",
            },
        )
        SigV4Auth(credentials.get_frozen_credentials(), "lambda", region).add_auth(signed)
        request = urllib.request.Request(
            url, data=event, method="POST", headers=dict(signed.headers.items())
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                body = reply.read()
                if reply.headers.get("X-Amz-Function-Error"):
                    return Answer(body, error_message(body))
                return Answer(body)
        except urllib.error.HTTPError as exc:  # Lambda refused the call itself
            raise InvocationFailed(_lambda_error_code(exc)) from exc
        except TimeoutError as exc:
            raise InvocationFailed(TIMEOUT_ERROR) from exc
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                raise InvocationFailed(TIMEOUT_ERROR) from exc
            raise InvocationFailed("ServiceException") from exc

    return invoke


def _lambda_error_code(exc: urllib.error.HTTPError) -> str:
    """The error type of a refused Invoke: x-amzn-ErrorType, else the body's Type/__type."""
    code = (exc.headers.get("x-amzn-ErrorType") or "").split(":", 1)[0]
    if not code:
        try:
            body = json.loads(exc.read())
            code = str(body.get("Type") or body.get("__type") or "").rsplit("#", 1)[-1]
        except (ValueError, AttributeError):
            code = ""
    return code or "ServiceException"


def load_targets(path: Path | None) -> dict[str, str]:
    """The --triggers file: ARN -> "http(s)://..." | "python:module:function". A target
    of another form is refused at start, not at the first sign-up."""
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read --triggers {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"--triggers {path} is not TOML: {exc}") from exc
    targets: dict[str, str] = {}
    for arn, target in table.items():
        if not isinstance(target, str) or not (
            target.startswith(("http://", "https://"))
            or (target.startswith("python:") and target.count(":") == 2)
        ):
            raise ValueError(
                f"{path}: {arn} must map to an http(s):// URL or python:module:function"
            )
        targets[arn] = target
    return targets


def resolve(targets: dict[str, str], endpoint: str | None, arn: str) -> Invoker | None:
    """How `arn` is reached: its --triggers entry, else the Lambda API, else no way."""
    target = targets.get(arn)
    if target is not None:
        if target.startswith("python:"):
            return python_callable(target.removeprefix("python:"))
        return http_hook(target)
    if endpoint:
        return lambda_api(endpoint)
    return None
