"""Operation name -> plain function. Each api module registers its operations here.

An operation takes the services and the validated request (the input shape as
a dict) and returns a dict that the protocol layer filters through the output
shape. Operations never see HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recognito.api.context import Services

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


def load_all() -> dict[str, Operation]:
    """Import every api module so its operations register themselves."""
    from recognito.api import (  # noqa: F401
        attributes,
        auth,
        clients,
        groups,
        mfa,
        passwords,
        pools,
        sessions,
        signup,
        users,
    )

    return OPERATIONS
