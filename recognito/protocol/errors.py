"""Cognito errors on the wire: HTTP status, `__type` + `message` body, x-amzn headers."""

from __future__ import annotations

import json

from recognito import errors


class PayloadTooLarge(errors.SerializationException):
    """A request body over --max-body-size, refused before it is read (HTTP 413)."""


# The model carries no HTTP status for its errors; everything a client can cause is a 400.
_STATUS: dict[type[errors.CognitoError], int] = {
    errors.InternalErrorException: 500,
    errors.ForbiddenException: 403,
    PayloadTooLarge: 413,
}


def error_status(error: errors.CognitoError) -> int:
    return _STATUS.get(type(error), 400)


def error_body(error: errors.CognitoError) -> bytes:
    body = {"__type": error.code, "message": error.message, **error.fields}
    return json.dumps(body, separators=(",", ":")).encode()


def error_headers(error: errors.CognitoError) -> dict[str, str]:
    # header values must be latin-1; messages are ASCII in practice
    message = error.message.encode("ascii", "replace").decode()
    return {"x-amzn-ErrorType": f"{error.code}:", "x-amzn-ErrorMessage": message}
