"""Cognito errors on the wire: HTTP status, `__type` + `message` body, x-amzn headers."""

from __future__ import annotations

import json

from recognito import errors

# Header values stay short and printable: botocore (http.client) cannot read a header
# line over 64 KiB, and a CR, LF or NUL in one is no valid response at all.
HEADER_MESSAGE_LIMIT = 512


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
    return {"x-amzn-ErrorType": f"{error.code}:", "x-amzn-ErrorMessage": header_text(error.message)}


def header_text(message: str) -> str:
    """`message` as printable ASCII (others escaped: \\n, \\x00, \\u00e9), at most
    HEADER_MESSAGE_LIMIT characters; the body keeps the whole message."""
    text = "".join(
        c if " " <= c <= "~" else c.encode("unicode_escape").decode("ascii")
        for c in message[:HEADER_MESSAGE_LIMIT]
    )
    if len(text) > HEADER_MESSAGE_LIMIT or len(message) > HEADER_MESSAGE_LIMIT:
        text = text[: HEADER_MESSAGE_LIMIT - 3] + "..."
    return text
