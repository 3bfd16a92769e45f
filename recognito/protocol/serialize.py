"""Shape an operation's result into the JSON its botocore output shape describes.

The output shape is an allow-list: only members it names are emitted, at every
depth, so an internal field (a hash, a secret) put next to real data can never
reach the wire. Such a key is still a bug in the operation: it is dropped and
reported as an `UnknownResponseKey` warning (an error under the test suite).
None means "absent" and is dropped. A value of the wrong type for its shape is a
bug in the operation, reported as TypeError with its path.

botocore caches `members`/`member`/`key`/`value` on each shape object, so
walking the shape per response is plain attribute access.
"""

from __future__ import annotations

import base64
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import botocore.model

__all__ = ["UnknownResponseKey", "serialize_output"]


class UnknownResponseKey(RuntimeWarning):
    """An operation returned a key its output shape does not name (the key is dropped)."""


class _Mismatch(Exception):
    """A value/shape type mismatch; path segments are added while it unwinds."""

    def __init__(self, expected: str, value: Any) -> None:
        self.expected = expected
        self.got = type(value).__name__
        self.segments: list[str] = []


def serialize_output(
    shape: botocore.model.StructureShape | None, value: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the JSON-ready body for `value`, keeping only what `shape` names."""
    if shape is None:
        return {}
    unknown: set[str] = set()
    try:
        body: dict[str, Any] = _structure(shape, value, unknown)
    except _Mismatch as exc:
        where = "".join(s if s.startswith("[") else "." + s for s in reversed(exc.segments))
        raise TypeError(f"{shape.name}{where}: expected {exc.expected}, got {exc.got}") from None
    if unknown:
        warnings.warn(
            f"{shape.name}: dropped keys the output shape does not name: "
            + ", ".join(sorted(unknown)),
            UnknownResponseKey,
            stacklevel=2,  # the caller, which handed the operation's result over
        )
    return body


def _serialize(shape: botocore.model.Shape, value: Any, unknown: set[str]) -> Any:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            raise _Mismatch("str", value)
        return value if type(value) is str else str.__str__(value)  # StrEnum -> plain str
    if kind == "structure":
        if shape.is_document_type:
            return value
        return _structure(shape, value, unknown)
    if kind == "list":
        if not isinstance(value, list | tuple):
            raise _Mismatch("list", value)
        return _list(shape.member, value, unknown)
    if kind == "map":
        return _map(shape.value, value, unknown)
    if kind == "boolean":
        if type(value) is not bool:
            raise _Mismatch("bool", value)
        return value
    if kind in ("integer", "long"):
        if type(value) is not int:
            raise _Mismatch("int", value)
        return value
    if kind == "timestamp":
        return _timestamp(value)
    if kind in ("float", "double"):
        if type(value) not in (int, float):
            raise _Mismatch("number", value)
        return value
    if kind == "blob":
        if isinstance(value, bytes | bytearray | memoryview):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, str):  # already base64
            return value
        raise _Mismatch("bytes", value)
    raise _Mismatch(f"a value for unsupported shape type {kind}", value)


def _structure(
    shape: botocore.model.StructureShape, value: Any, unknown: set[str]
) -> dict[str, Any]:
    """The members `shape` names; any other key goes into `unknown` as `Shape.key`."""
    if not isinstance(value, Mapping):
        raise _Mismatch("mapping", value)
    members = shape.members
    out: dict[str, Any] = {}
    for name, item in value.items():
        member = members.get(name)
        if member is None:
            unknown.add(f"{shape.name}.{name}")
            continue
        if item is None:
            continue
        try:
            out[name] = _serialize(member, item, unknown)
        except _Mismatch as exc:
            exc.segments.append(name)
            raise
    return out


def _list(
    member: botocore.model.Shape, value: list[Any] | tuple[Any, ...], unknown: set[str]
) -> list[Any]:
    out: list[Any] = []
    for index, item in enumerate(value):
        if item is None:
            continue
        try:
            out.append(_serialize(member, item, unknown))
        except _Mismatch as exc:
            exc.segments.append(f"[{index}]")
            raise
    return out


def _map(value_shape: botocore.model.Shape, value: Any, unknown: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Mismatch("mapping", value)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if item is None:
            continue
        if not isinstance(key, str):
            raise _Mismatch("str keys", key)
        try:
            out[key] = _serialize(value_shape, item, unknown)
        except _Mismatch as exc:
            exc.segments.append(key)
            raise
    return out


def _timestamp(value: Any) -> float:
    """Epoch seconds with millisecond precision, as Cognito sends (1689721665.239)."""
    if isinstance(value, datetime):
        moment: datetime = value
        if moment.tzinfo is None:  # naive means UTC here, never the host's local time
            moment = moment.replace(tzinfo=UTC)
        return round(moment.timestamp(), 3)
    if type(value) in (int, float):
        return round(float(value), 3)
    raise _Mismatch("datetime or epoch seconds", value)
