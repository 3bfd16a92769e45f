"""What an answer may be: the property every fuzzed request is judged by."""

from __future__ import annotations

import json
from functools import cache

import botocore.session

MODEL = botocore.session.get_session().get_service_model("cognito-idp")
PREFIX = str(MODEL.metadata["targetPrefix"]) + "."
OPERATIONS: tuple[str, ...] = tuple(sorted(MODEL.operation_names))

# Errors any operation may answer besides those its model lists, each for a reason that
# sits below the operation itself:
COMMON_ERRORS = frozenset(
    {
        # the body is not JSON, not an object, has a value of the wrong JSON type, or is
        # larger than --max-body-size (AWS JSON 1.1's protocol-level error)
        "SerializationException",
        # X-Amz-Target names no operation of the model
        "UnknownOperationException",
        # an operation of the model that Recognito does not implement (docs/behaviour.md)
        "UnsupportedOperationException",
        # the model's constraints (required, length, pattern, enum): every operation lists
        # it, kept here so an operation added to the model without it is still judged right
        "InvalidParameterException",
        # an admin operation refused by admission (Host, Origin, remote peer, signature)
        # before it runs; five operations of the model do not list it
        "NotAuthorizedException",
    }
)


@cache
def allowed_errors(operation: str | None) -> frozenset[str]:
    """The `__type`s a 4xx answer to `operation` (None: no operation named) may carry."""
    if operation is None:
        return COMMON_ERRORS
    modelled = {shape.name for shape in MODEL.operation_model(operation).error_shapes}
    return COMMON_ERRORS | modelled - {"InternalErrorException"}


def operation_of(target: str | None) -> str | None:
    """The operation an X-Amz-Target header names, as the server reads it."""
    if target is None or not target.startswith(PREFIX):
        return None
    name = target[len(PREFIX) :]
    return name if name in MODEL.operation_names else None


def judge(operation: str | None, status: int, headers: dict[str, str], body: bytes) -> str | None:
    """What is wrong with this answer, or None when it keeps the property."""
    if status == 200:
        try:
            parsed = json.loads(body)
        except ValueError:
            return f"200 with a body that is not JSON: {body[:200]!r}"
        return None if isinstance(parsed, dict) else f"200 with a non-object body: {body[:200]!r}"
    if not 400 <= status < 500:
        return f"HTTP {status}: {body[:500]!r}"
    try:
        error = json.loads(body)
        code = error["__type"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {status} without a Cognito error body: {body[:500]!r}"
    if code not in allowed_errors(operation):
        return f"HTTP {status} {code}, not an error {operation or 'a bad target'} may answer"
    if headers.get("x-amzn-errortype") != code + ":":
        return f"HTTP {status} {code} with x-amzn-ErrorType {headers.get('x-amzn-errortype')!r}"
    if status == 413 and code != "SerializationException":
        return f"HTTP 413 with {code}"
    return None
