"""Valid-ish request bodies drawn from the model's input shapes.

Each member gets a value of its shape's type within its constraints (lengths, ranges,
enums, an approximation of its pattern); members that name a resource (UserPoolId,
ClientId, Username, tokens, ...) are often a `Real` marker instead, which the fuzzer
replaces with an id of its seeded pool when it sends the request, so the operations run
past their lookups instead of stopping at "not found"."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.model import Shape
from hypothesis import strategies as st

from .oracle import MODEL

MAX_DEPTH = 6  # structures below this depth get only their required members
SHORT = 24  # longest free text a valid-ish string gets (constraints permitting)


@dataclass(frozen=True)
class Real:
    """A seeded resource, resolved when the request is sent: `kind` is one of
    Seed.values' keys, `index` picks among several (users)."""

    kind: str
    index: int = 0


# member name -> the seeded resource it may name
REAL_MEMBERS: dict[str, str] = {
    "UserPoolId": "pool",
    "ClientId": "client",
    "ClientSecret": "secret",
    "Username": "user",
    "AccessToken": "access",
    "RefreshToken": "refresh",
    "Token": "refresh",
    "GroupName": "group",
    "Password": "password",
    "PreviousPassword": "password",
    "ProposedPassword": "new_password",
    "TemporaryPassword": "new_password",
    "SecretHash": "secret_hash",
    "Session": "session",
}

# AuthParameters / ChallengeResponses keys Cognito reads, with what they may hold
FLOW_KEYS: dict[str, st.SearchStrategy[Any]] = {
    "USERNAME": st.integers(0, 3).map(lambda i: Real("user", i)),
    "PASSWORD": st.just(Real("password")),
    "NEW_PASSWORD": st.just(Real("new_password")),
    "REFRESH_TOKEN": st.just(Real("refresh")),
    "SECRET_HASH": st.just(Real("secret_hash")),
    "SRP_A": st.text("0123456789abcdef", min_size=1, max_size=512),
    "DEVICE_KEY": st.text(max_size=60),
    "SMS_MFA_CODE": st.from_regex(r"[0-9]{6}", fullmatch=True),
    "SOFTWARE_TOKEN_MFA_CODE": st.from_regex(r"[0-9]{6}", fullmatch=True),
    "EMAIL_OTP_CODE": st.from_regex(r"[0-9]{6}", fullmatch=True),
    "ANSWER": st.sampled_from(["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "PASSWORD"]),
    "PASSWORD_CLAIM_SIGNATURE": st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode()),
    "PASSWORD_CLAIM_SECRET_BLOCK": st.text(max_size=60),
    "TIMESTAMP": st.just("Mon Jan 1 00:00:00 UTC 2024"),
    "USER_ID_FOR_SRP": st.integers(0, 3).map(lambda i: Real("user", i)),
    "CHALLENGE_NAME": st.sampled_from(["SMS_MFA", "PASSWORD_VERIFIER"]),
}
FLOW_MAPS = {"AuthParameters", "ChallengeResponses"}
ATTRIBUTE_NAMES = [
    "email",
    "email_verified",
    "name",
    "phone_number",
    "sub",
    "custom:x",
    "given_name",
]

# Java's Unicode classes and ASCII escapes, as a few characters each Python's re accepts
# inside a set (the values need only often match, not cover the class).
_CLASS_SWAPS = {
    r"\p{L}": "a-zA-Z\u00e9\u4e2d",
    r"\p{M}": "\u0301",
    r"\p{S}": "+$",
    r"\p{N}": "0-9",
    r"\p{P}": "!.,_\\-",
    r"\p{Z}": " ",
    r"\w": "0-9A-Za-z_",
    r"\d": "0-9",
    r"\s": " \\t\\n",
    r"\S": "!-~",
}


def _python_pattern(java: str) -> str:
    out, inside, i = [], False, 0
    while i < len(java):
        for escape, chars in _CLASS_SWAPS.items():
            if java.startswith(escape, i):
                out.append(chars if inside else f"[{chars}]")
                i += len(escape)
                break
        else:
            char = java[i]
            if char == "\\":
                out.append(java[i : i + 2])
                i += 2
                continue
            inside = (inside or char == "[") and char != "]"
            out.append(char)
            i += 1
    return "".join(out)


@cache
def _pattern_strategy(java: str) -> st.SearchStrategy[str] | None:
    try:
        return st.from_regex(re.compile(_python_pattern(java)), fullmatch=True)
    except Exception:  # a construct the approximation cannot express: plain text instead
        return None


def _fit(low: int, high: int | None) -> Any:
    def fit(text: str) -> str:
        text = text + (text[-1:] or "a") * max(0, low - len(text))
        return text if high is None else text[:high]

    return fit


def _string(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    low, high = int(meta.get("min", 0)), meta.get("max")
    free = st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
        min_size=min(low, SHORT),
        max_size=min(high if high is not None else SHORT, SHORT),
    )
    free = free.map(_fit(low, high))
    pattern = _pattern_strategy(meta["pattern"]) if "pattern" in meta else None
    if pattern is None:
        return free
    fitting = pattern.filter(lambda text: low <= len(text) <= (high or len(text)))
    return _mostly(fitting, free)


def _mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` nine times in ten (one_of would merge repeated branches into one)."""
    return st.integers(0, 9).flatmap(lambda n: rare if n == 0 else usual)


def _number(shape: Shape) -> st.SearchStrategy[int]:
    meta = shape.metadata
    bits = 31 if shape.type_name == "integer" else 63
    low, high = int(meta.get("min", -(2**bits))), int(meta.get("max", 2**bits - 1))
    return st.one_of(st.integers(low, min(high, low + 100)), st.integers(low, high))


def _flow_map() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=FLOW_KEYS)


def _attributes() -> st.SearchStrategy[list[dict[str, Any]]]:
    value = st.one_of(
        st.just("fuzz@example.com"), st.just("true"), st.just("+15555550100"), st.text(max_size=20)
    )
    attribute = st.fixed_dictionaries({"Name": st.sampled_from(ATTRIBUTE_NAMES), "Value": value})
    return st.lists(attribute, max_size=3)


def _real_or(name: str, generic: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    kind = REAL_MEMBERS.get(name)
    if kind is None:
        return generic
    return _mostly(st.integers(0, 3).map(lambda i: Real(kind, i)), generic)


def value_of(shape: Shape, name: str = "", depth: int = 0) -> st.SearchStrategy[Any]:
    """A valid-ish JSON value for `shape`, reached as member `name`."""
    kind = shape.type_name
    if name in FLOW_MAPS:
        return st.one_of(_flow_map(), _flow_map(), _generic(shape, name, depth))
    if name in ("UserAttributes", "ValidationData"):
        return st.one_of(_attributes(), _generic(shape, name, depth))
    if name in ("AttributeName",) or (kind == "list" and name == "UserAttributeNames"):
        names = st.sampled_from(ATTRIBUTE_NAMES)
        return st.one_of(names if kind == "string" else st.lists(names, max_size=3))
    return _real_or(name, _generic(shape, name, depth))


def _generic(shape: Shape, name: str, depth: int) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        required = set(shape.required_members)
        fixed = {m: value_of(s, m, depth + 1) for m, s in shape.members.items() if m in required}
        if depth >= MAX_DEPTH:
            return st.fixed_dictionaries(fixed)
        optional = {
            m: value_of(s, m, depth + 1) for m, s in shape.members.items() if m not in required
        }
        return st.fixed_dictionaries(fixed, optional=optional)
    if kind == "list":
        low = int(shape.metadata.get("min", 0))
        high = min(int(shape.metadata.get("max", 3)), max(3, low))
        return st.lists(value_of(shape.member, name, depth + 1), min_size=low, max_size=high)
    if kind == "map":
        keys = _string(shape.key)
        return st.dictionaries(keys, value_of(shape.value, "", depth + 1), max_size=3)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return _number(shape)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.integers(0, 2**33)
    if kind == "blob":
        return st.binary(max_size=64).map(lambda b: base64.b64encode(b).decode())
    return st.text(max_size=SHORT)  # float/double/document: none in today's inputs


@cache
def body_of(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """A valid-ish request body for `operation`."""
    shape = MODEL.operation_model(operation).input_shape
    if shape is None:
        return st.just({})
    body: st.SearchStrategy[dict[str, Any]] = _generic(shape, "", 0)
    return body
