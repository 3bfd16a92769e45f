"""Validate a parsed AWS JSON 1.1 request body against its botocore input shape.

Two phases, as in the real service: a JSON value of the wrong type is a
`SerializationException` (raised at once), and every model-constraint violation
(required, length, range, pattern, enum) is collected into one
`InvalidParameterException` worded like AWS's:

    2 validation errors detected: Value '' at 'confirmationCode' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\S]+; ...

Each input shape is compiled once into a tree of `_Node`s (precompiled regexes,
lowerCamel names, enum sets), so a request only walks plain attributes.

Strings no store can hold (NUL for PostgreSQL, unpaired surrogates for any UTF-8) are
refused wherever they appear, and messages never repeat them: echoed values are cut to
ECHO_LIMIT characters and at most MAX_LISTED violations are spelt out.
"""

from __future__ import annotations

import binascii
import json
import re
import weakref
from dataclasses import dataclass
from typing import Any, NamedTuple

import botocore.model
import regex

from recognito.errors import InvalidParameterException, SerializationException

__all__ = ["ECHO_LIMIT", "validate_input"]

ECHO_LIMIT = 256  # characters of a bad value quoted in a message
MAX_LISTED = 20  # violations spelt out in one message; the count covers them all
UNSAFE_RULE = "Member must not contain NUL characters or unpaired surrogates"
_UNSAFE = re.compile("[\x00\ud800-\udfff]")

# The model's patterns are Java regexes. Java's \w, \d, \s are ASCII-only while the
# regex package's are Unicode (so Java's [\S]+ accepts a no-break space, regex's
# does not); swap in explicit ASCII sets, which VERSION1 allows inside [...] too.
# regex.ASCII is no substitute: it would also shrink \p{L} to ASCII letters.
_JAVA_ESCAPES = {
    "w": "[0-9A-Za-z_]",
    "W": "[^0-9A-Za-z_]",
    "d": "[0-9]",
    "D": "[^0-9]",
    "s": "[ \\t\\n\\x0B\\f\\r]",
    "S": "[^ \\t\\n\\x0B\\f\\r]",
}
_ESCAPE = regex.compile(r"\\(.)", regex.DOTALL)
_patterns: dict[str, Any] = {}


def _compile_pattern(java: str) -> Any:
    compiled = _patterns.get(java)
    if compiled is None:
        source = _ESCAPE.sub(lambda m: _JAVA_ESCAPES.get(m[1], m[0]), java)
        compiled = _patterns[java] = regex.compile(source, regex.VERSION1)
    return compiled


_INT_RANGE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


class _Member(NamedTuple):
    name: str  # wire (PascalCase) name
    path_name: str  # lowerCamel name used in validation messages
    node: _Node
    required: bool


@dataclass(eq=False, slots=True)
class _Node:
    kind: str  # botocore type name, or "document"
    # Never echo the value in a message: the shape is sensitive, sits inside a
    # sensitive shape, or contains one.
    hidden: bool = False
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    matcher: Any = None
    enum: frozenset[str] = frozenset()
    enum_text: str = ""
    constrained: bool = False
    measure: str = "length"  # what min/max bound: "length", or "value" for numbers
    members: tuple[_Member, ...] = ()
    member: _Node | None = None  # list element
    key: _Node | None = None  # map key
    value: _Node | None = None  # map value
    rules: str = ""  # all scalar constraints, for "Map keys must satisfy constraint: [...]"


class _Mismatch(Exception):
    """A JSON type error; wire-name segments are added while it unwinds."""

    def __init__(self, expected: str) -> None:
        self.expected = expected
        self.segments: list[str] = []


# ---------------------------------------------------------------- compiling


_compiled: weakref.WeakKeyDictionary[botocore.model.Shape, _Node] = weakref.WeakKeyDictionary()


def _node_for(shape: botocore.model.StructureShape) -> _Node:
    node = _compiled.get(shape)
    if node is None:
        node = _compiled[shape] = _Compiler().compile(shape, inherited_secret=False)
    return node


class _Compiler:
    def __init__(self) -> None:
        # Keyed by name + traits: member refs can override traits, and a shape
        # compiles differently below a sensitive parent. Also breaks recursion.
        self._memo: dict[tuple[str, str, bool], _Node] = {}

    def compile(self, shape: botocore.model.Shape, inherited_secret: bool) -> _Node:
        meta = shape.metadata
        memo_key = (shape.name, json.dumps(meta, sort_keys=True, default=str), inherited_secret)
        node = self._memo.get(memo_key)
        if node is not None:
            return node
        kind = "document" if meta.get("document") else shape.type_name
        secret = inherited_secret or bool(meta.get("sensitive"))
        node = self._memo[memo_key] = _Node(kind=kind, hidden=secret)
        node.min, node.max = meta.get("min"), meta.get("max")
        if kind in _INT_RANGE:
            node.measure = "value"
        if "pattern" in meta:
            node.pattern, node.matcher = meta["pattern"], _compile_pattern(meta["pattern"])
        if "enum" in meta:
            node.enum = frozenset(meta["enum"])
            node.enum_text = "[" + ", ".join(meta["enum"]) + "]"
        node.rules = ", ".join(_describe(node))
        node.constrained = bool(node.rules)

        children: list[_Node] = []
        if kind == "structure":
            required = set(shape.required_members)
            node.members = tuple(
                _Member(name, _lower_first(name), self.compile(ref, secret), name in required)
                for name, ref in shape.members.items()
            )
            children = [m.node for m in node.members]
        elif kind == "list":
            node.member = self.compile(shape.member, secret)
            children = [node.member]
        elif kind == "map":
            node.key = self.compile(shape.key, secret)
            node.value = self.compile(shape.value, secret)
            children = [node.key, node.value]
        node.hidden = node.hidden or any(child.hidden for child in children)
        return node


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]  # AWS paths: UserPoolId -> userPoolId


def _describe(node: _Node) -> list[str]:
    rules: list[str] = []
    if node.max is not None:
        rules.append(f"Member must have {node.measure} less than or equal to {node.max}")
    if node.min is not None:
        rules.append(f"Member must have {node.measure} greater than or equal to {node.min}")
    if node.pattern is not None:
        rules.append(f"Member must satisfy regular expression pattern: {node.pattern}")
    if node.enum:
        rules.append(f"Member must satisfy enum value set: {node.enum_text}")
    return rules


# ---------------------------------------------------------------- checking


class _Errors:
    """Violations found: all counted, the first MAX_LISTED kept for the message (a
    1 MiB list of bad values must not become a 100 MB answer)."""

    __slots__ = ("count", "listed")

    def __init__(self) -> None:
        self.count = 0
        self.listed: list[str] = []

    def add(self, text: str) -> None:
        self.count += 1
        if self.count <= MAX_LISTED:
            self.listed.append(text)


def validate_input(shape: botocore.model.StructureShape, body: object) -> dict[str, Any]:
    """Return `body` restricted to the members `shape` names, or raise.

    Raises SerializationException for a JSON type mismatch and
    InvalidParameterException listing every constraint violation.
    """
    if not isinstance(body, dict):
        raise SerializationException("The request body must be a JSON object")
    errors = _Errors()
    try:
        cleaned: dict[str, Any] = _check(_node_for(shape), body, "", errors)
    except _Mismatch as exc:
        where = "".join(s if s.startswith("[") else "." + s for s in reversed(exc.segments))
        raise SerializationException(
            f"Unexpected value type for '{_quoted(where.lstrip('.'))}': expected {exc.expected}"
        ) from None
    if errors.count:
        count = errors.count
        plural = "error" if count == 1 else "errors"
        more = f"; and {count - MAX_LISTED} more" if count > MAX_LISTED else ""
        raise InvalidParameterException(
            f"{count} validation {plural} detected: " + "; ".join(errors.listed) + more
        )
    return cleaned


def _check(node: _Node, value: Any, path: str, errors: _Errors) -> Any:
    kind = node.kind
    if kind == "string":
        if type(value) is not str:
            raise _Mismatch("string")
        if _UNSAFE.search(value):
            errors.add(_unsafe(path))
            return value
        if node.constrained:
            _report(node, value, path, _violations(node, value, len(value)), errors)
        return value
    if kind == "structure":
        if type(value) is not dict:
            raise _Mismatch("structure")
        return _check_structure(node, value, path + "." if path else "", errors)
    if kind == "list":
        return _check_list(node, value, path, errors)
    if kind == "map":
        return _check_map(node, value, path, errors)
    if kind == "boolean":
        if type(value) is not bool:
            raise _Mismatch("boolean")
        return value
    if kind in _INT_RANGE:
        if type(value) is not int:
            raise _Mismatch(kind)
        low, high = _INT_RANGE[kind]
        if not low <= value <= high:  # would overflow the service's Java int/long
            raise _Mismatch(f"{kind} between {low} and {high}")
        if node.constrained:
            _report(node, value, path, _violations(node, value, value), errors)
        return value
    if kind in ("timestamp", "float", "double"):
        if type(value) not in (int, float):
            raise _Mismatch(f"{kind} (number)")
        return value
    if kind == "blob":
        return _check_blob(node, value, path, errors)
    if _unsafe_document(value):
        errors.add(_unsafe(path))
    return value  # document: any JSON value


def _check_structure(node: _Node, value: dict[str, Any], prefix: str, errors: _Errors) -> Any:
    cleaned: dict[str, Any] = {}
    for name, path_name, child, required in node.members:
        item = value.get(name)
        if item is None:  # JSON null counts as absent
            if required:
                errors.add(
                    f"Value null at '{prefix}{path_name}' failed to satisfy constraint: "
                    "Member must not be null"
                )
            continue
        try:
            cleaned[name] = _check(child, item, prefix + path_name, errors)
        except _Mismatch as exc:
            exc.segments.append(name)
            raise
    return cleaned


def _check_list(node: _Node, value: Any, path: str, errors: _Errors) -> Any:
    if type(value) is not list:
        raise _Mismatch("list")
    if node.constrained:
        _report(node, value, path, _violations(node, value, len(value)), errors)
    element = node.member
    assert element is not None
    cleaned: list[Any] = []
    for index, item in enumerate(value):
        try:
            if item is None:
                raise _Mismatch(element.kind)
            cleaned.append(_check(element, item, f"{path}.{index + 1}.member", errors))
        except _Mismatch as exc:
            exc.segments.append(f"[{index}]")
            raise
    return cleaned


def _check_map(node: _Node, value: Any, path: str, errors: _Errors) -> Any:
    if type(value) is not dict:
        raise _Mismatch("map")
    if node.constrained:
        _report(node, value, path, _violations(node, value, len(value)), errors)
    key_node, value_node = node.key, node.value
    assert key_node is not None and value_node is not None
    # Scalar keys and values are judged AWS-style, once per map:
    # "Map keys must satisfy constraint: [<every rule of the key shape>]".
    bad_key = bad_value = unsafe = False
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        try:
            if item is None:
                raise _Mismatch(value_node.kind)
            if _UNSAFE.search(key) or (type(item) is str and _UNSAFE.search(item)):
                unsafe = True
                continue
            if key_node.constrained and _violations(key_node, key, len(key)):
                bad_key = True
            if value_node.kind in ("structure", "list", "map"):
                cleaned[key] = _check(value_node, item, f"{path}.{key}", errors)
                continue
            sink = _Errors()
            cleaned[key] = _check(value_node, item, path, sink)
            bad_value = bad_value or sink.count > 0
        except _Mismatch as exc:
            exc.segments.append(key)
            raise
    if unsafe:  # said alone: the other rules would quote the map
        errors.add(_unsafe(path))
        return cleaned
    if bad_key:
        rule = f"Map keys must satisfy constraint: [{key_node.rules}]"
        _report(node, value, path, [rule], errors)
    if bad_value:
        rule = f"Map value must satisfy constraint: [{value_node.rules}]"
        _report(node, value, path, [rule], errors)
    return cleaned


def _check_blob(node: _Node, value: Any, path: str, errors: _Errors) -> Any:
    if type(value) is not str:
        raise _Mismatch("blob (base64 string)")
    try:
        size = len(binascii.a2b_base64(value, strict_mode=True))
    except ValueError:  # binascii.Error, or text that is not ASCII at all
        raise _Mismatch("blob (base64 string)") from None
    if node.constrained:
        # AWS echoes blobs as the Java ByteBuffer's toString().
        shown = f"java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]"
        _report(node, shown, path, _violations(node, value, size), errors)
    return value  # still base64: callers decode what they keep


def _violations(node: _Node, value: Any, size: int) -> list[str]:
    """Constraint texts `value` breaks; pattern before length, as AWS orders them."""
    broken: list[str] = []
    if node.matcher is not None and node.matcher.fullmatch(value) is None:
        broken.append(f"Member must satisfy regular expression pattern: {node.pattern}")
    if node.min is not None and size < node.min:
        broken.append(f"Member must have {node.measure} greater than or equal to {node.min}")
    if node.max is not None and size > node.max:
        broken.append(f"Member must have {node.measure} less than or equal to {node.max}")
    if node.enum and value not in node.enum:
        broken.append(f"Member must satisfy enum value set: {node.enum_text}")
    return broken


def _report(node: _Node, value: Any, path: str, broken: list[str], errors: _Errors) -> None:
    shown = "Value" if node.hidden else f"Value '{_quoted(_render(value))}'"
    for rule in broken:
        errors.add(f"{shown} at '{path}' failed to satisfy constraint: {rule}")


class _Literal(str):
    """Punctuation `_render` has queued, as opposed to a string value to render."""


def _render(value: Any) -> str:
    """Java toString() style, as AWS echoes values: [a, b], {k=v}, true. Only as much as
    a message quotes (a little over ECHO_LIMIT characters), and without recursion: a value
    may nest as deep as the JSON parser allows."""
    out: list[str] = []
    size = 0
    pending: list[Any] = [value]  # what is left, last first
    while pending and size <= ECHO_LIMIT:
        item = pending.pop()
        if isinstance(item, list):
            parts: list[Any] = [_Literal("[")]
            for index, element in enumerate(item):
                parts += [_Literal(", "), element] if index else [element]
            pending += reversed(parts + [_Literal("]")])
            continue
        if isinstance(item, dict):
            parts = [_Literal("{")]
            for index, (key, element) in enumerate(item.items()):
                parts += [_Literal(f"{', ' if index else ''}{key}="), element]
            pending += reversed(parts + [_Literal("}")])
            continue
        if isinstance(item, bool):
            text = "true" if item else "false"
        elif isinstance(item, str):
            text = item
        else:
            text = "null" if item is None else str(item)
        out.append(text)
        size += len(text)
    return "".join(out)


def _quoted(text: str) -> str:
    """`text` fit to quote: unstorable characters replaced, cut to ECHO_LIMIT."""
    text = _UNSAFE.sub("\ufffd", text)
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "..."


def _unsafe(path: str) -> str:
    return f"Value at '{path}' failed to satisfy constraint: {UNSAFE_RULE}"


def _unsafe_document(value: Any) -> bool:
    """Whether any string or key inside a JSON document is unstorable (no recursion:
    documents may nest as deep as the JSON parser allows)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _UNSAFE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
