"""Operation name -> plain function. Each `recognito.api` module registers its operations
here; `recognito.api.operations()` imports them all and hands out the table.

An operation takes the services and the validated request (the input shape as
a dict) and returns a dict that the protocol layer filters through the output
shape. Operations never see HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recognito.service.context import Services

Request = dict[str, Any]
Response = dict[str, Any]
Operation = Callable[[Services, Request], Response]

OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Operation], Operation]:
    def register(fn: Operation) -> Operation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name} registered twice")
        OPERATIONS[name] = fn
        return fn

    return register
