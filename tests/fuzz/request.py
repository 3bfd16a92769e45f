"""One fuzzed request as drawn: what to send, before the seeded ids are filled in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from .oracle import OPERATIONS, PREFIX
from .shapes import body_of

JSON_TYPE = "application/x-amz-json-1.1"


@dataclass(frozen=True)
class FuzzRequest:
    """`body` is bytes sent as they are, or a JSON value (with `Real` markers) to encode.
    `oversize` sends a body past the limit on a raw socket: "declared" announces it in
    Content-Length, "chunked" streams it; either way the server must answer 413."""

    kind: str  # which generator made it, for the reports
    operation: str  # the operation it was drawn for (the target may name another)
    target: str | bytes | None = None  # X-Amz-Target; None leaves the header out
    content_type: str | None = JSON_TYPE
    body: Any = None
    sign: bool = True  # SigV4-sign it (as boto3 does for the admin operations)
    oversize: str | None = None


@st.composite
def valid_request(draw: st.DrawFn, operation: str | None = None) -> FuzzRequest:
    name = operation or draw(st.sampled_from(OPERATIONS))
    return FuzzRequest("valid", name, PREFIX + name, body=draw(body_of(name)))
