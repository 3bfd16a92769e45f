"""Hostile requests: what a broken or malicious client sends."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from .oracle import OPERATIONS, PREFIX
from .request import FuzzRequest, valid_request
from .shapes import Real

# strings no store keeps or that trip naive code: NUL, lone surrogates, controls,
# noncharacters, bidi overrides, injections
BAD_STRINGS = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\ud800",
            "\udfff",
            "x\udc00y",
            "\x01\x1f\x7f",
            "\r\n\t",
            "\ufffe\uffff",
            "\U0010ffff",
            "\u202e\u200b",
            "\ud83d\ude00",
            "' OR 1=1 --",
            "%00%s%n",
            "../../etc/passwd",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}",
            "\x00" * 300,
            "é" * 2048,
            "",
            " ",
        ]
    ),
    st.text(st.characters(categories=["Cs", "Cc", "Co", "Cn", "Zs"]), max_size=40),
)
WRONG_TYPES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),  # NaN and infinities included: json.dumps writes them, json.loads reads them
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=30,
)
HUGE_SIZES = st.sampled_from([5_000, 70_000, 300_000, 1_040_000])
NON_JSON = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"null",
            b"[]",
            b'"x"',
            b"0",
            b"{",
            b'{"a":1}{',
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b'{"MaxResults": NaN}',
            b'{"MaxResults": -Infinity}',
            b'{"MaxResults": 1e999}',
            b'{"MaxResults": ' + b"9" * 5000 + b"}",
            b'{"Username": "\\ud800"}',
            b'{"Username": "\xff\xfe"}',
            b'{"Username": "\\u0000"}',
            b'{"UserPoolId": "a", "UserPoolId": 1}',
            b"\x00" * 64,
        ]
    ),
    st.text(max_size=200).map(str.encode),
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "",
        "application/json",
        "text/plain",
        "application/x-amz-json-1.0",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/x-amz-json-1.1; charset=latin-1",
        "application/x-amz-json-1.1; charset=utf-16",
        "*/*",
    ]
)
TARGETS: st.SearchStrategy[str | bytes | None] = st.one_of(
    st.sampled_from(
        [
            None,
            "",
            PREFIX,
            PREFIX[:-1],
            PREFIX + "listuserpools",
            PREFIX + "List UserPools",
            PREFIX + "ListUserPools\tX",
            "AmazonSSM.ListUserPools",
            PREFIX + ".ListUserPools",
            PREFIX + "ListUserPools.Extra",
            PREFIX + "__init__",
            PREFIX + "__class__",
            PREFIX + "constructor",
            PREFIX + "A" * 5000,
            b"AWSCognitoIdentityProviderService.\xe9",
        ]
    ),
    st.text(string.printable.strip(), max_size=60).map(lambda s: PREFIX + s),
    st.text(string.printable.strip(), max_size=60),
)


def _slots(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a member, element or map value inside a JSON value."""
    found: list[tuple[Any, ...]] = []
    if not isinstance(value, dict | list):
        return found
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        found.append(path + (key,))
        found.extend(_slots(item, path + (key,)))
    return found


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every object inside a JSON value (the body itself first)."""
    found = [path] if isinstance(value, dict) else []
    for slot in _slots(value):
        if isinstance(_at(value, slot), dict):
            found.append(slot)
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@st.composite
def mutated(draw: st.DrawFn, operation: str) -> FuzzRequest:
    """A valid-ish body with one thing broken."""
    base = draw(valid_request(operation))
    body = _copy(base.body)
    how = draw(
        st.sampled_from(["drop", "wrong_type", "bad_string", "huge", "nest", "extra", "many"])
    )
    slots = _slots(body)
    if how == "drop" or (not slots and how in ("wrong_type", "bad_string", "huge", "nest")):
        containers = _containers(body)
        parent = _at(body, draw(st.sampled_from(containers)))
        if parent:
            del parent[draw(st.sampled_from(sorted(parent)))]
        return FuzzRequest("drop", operation, base.target, body=body)
    if how in ("extra", "many"):
        parent = _at(body, draw(st.sampled_from(_containers(body))))
        if how == "extra":
            parent[draw(st.text(max_size=20))] = draw(JSON_VALUES)
        else:  # a list or map of many entries where a member goes
            count = draw(st.sampled_from([1_000, 20_000, 100_000]))
            bulk: Any = (
                ["a"] * count if draw(st.booleans()) else {str(i): "a" for i in range(count)}
            )
            parent[draw(st.sampled_from(sorted(parent) or ["Extra"]))] = bulk
        return FuzzRequest(how, operation, base.target, body=body)
    slot = draw(st.sampled_from(slots))
    parent, key = _at(body, slot[:-1]), slot[-1]
    if how == "wrong_type":
        parent[key] = draw(WRONG_TYPES)
    elif how == "bad_string":
        parent[key] = draw(BAD_STRINGS)
    elif how == "huge":
        parent[key] = draw(st.sampled_from("aé\x00\ud800")) * draw(HUGE_SIZES)
    else:  # nest: as deep as json.dumps goes; deeper bodies come from deep() as bytes
        depth = draw(st.integers(1, 400))
        nested: Any = draw(st.sampled_from([Real("pool"), "x", 1, None]))
        for _ in range(depth):
            nested = [nested] if draw(st.booleans()) else {"a": nested}
        parent[key] = nested
    return FuzzRequest(how, operation, base.target, body=body)


@st.composite
def deep(draw: st.DrawFn, operation: str) -> FuzzRequest:
    depth = draw(st.sampled_from([50, 999, 1_000, 5_000, 100_000, 500_000]))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
    inner = opener * depth + b"1" + closer * depth
    body = b'{"UserPoolId": ' + inner + b"}" if draw(st.booleans()) else inner
    return FuzzRequest("deep", operation, PREFIX + operation, body=body)


@st.composite
def hostile_request(draw: st.DrawFn, operation: str | None = None) -> FuzzRequest:
    name = operation or draw(st.sampled_from(OPERATIONS))
    target = PREFIX + name
    kind = draw(
        st.sampled_from(
            ["mutated"] * 4
            + ["json", "non_json", "deep", "target", "content_type", "unsigned", "oversize"]
        )
    )
    if kind == "mutated":
        return draw(mutated(name))
    if kind == "deep":
        return draw(deep(name))
    if kind == "json":
        return FuzzRequest(kind, name, target, body=draw(JSON_VALUES))
    if kind == "non_json":
        return FuzzRequest(kind, name, target, body=draw(NON_JSON))
    base = draw(valid_request(name))
    if kind == "target":
        return FuzzRequest(kind, name, draw(TARGETS), body=base.body, sign=draw(st.booleans()))
    if kind == "content_type":
        return FuzzRequest(kind, name, target, content_type=draw(CONTENT_TYPES), body=base.body)
    if kind == "unsigned":
        return FuzzRequest(kind, name, target, body=base.body, sign=False)
    mode = draw(st.sampled_from(["declared", "chunked"]))
    return FuzzRequest(kind, name, target, body=base.body, oversize=mode)
