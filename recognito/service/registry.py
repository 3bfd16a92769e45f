"""Operation name -> plain function. Each `recognito.api` module registers its operations
here; `recognito.api.operations()` imports them all and hands out the table.

An operation takes the services and the validated request, typed as its input shape
(`recognito.shapes.<Operation>Request`), and returns its output shape
(`<Operation>Response`, or `NoOutput` for the few operations the model gives none),
which the protocol layer filters through the model's output shape. Operations never see
HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict, TypeVar

from recognito.service.context import Services


class NoOutput(TypedDict):
    """What an operation without an output shape returns: nothing (`{}`)."""


# The table holds every operation, so it knows them only as "some request in, some shape
# out": which TypedDict a request is depends on the operation's name, known at run time
# (the protocol layer validated the request against that operation's input shape).
Operation = Callable[[Services, Any], Mapping[str, Any]]
AnyOperation = TypeVar("AnyOperation", bound=Operation)

OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[AnyOperation], AnyOperation]:
    def register(fn: AnyOperation) -> AnyOperation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name} registered twice")
        OPERATIONS[name] = fn
        return fn

    return register
