"""The ListUsers `Filter` grammar and its reference matching semantics (docs/behaviour.md §14).

`matches` is the specification the store's SQL must agree with. Cognito's documentation contradicts
itself on case sensitivity; we follow the per-attribute notes: `cognito:user_status` ignores case,
everything else (including `status`, `username`, `sub`, `email`) compares case-sensitively. A
case-insensitive username pool normalises usernames before they reach this layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from recognito.domain.records import User
from recognito.errors import InvalidParameterException

FILTERABLE = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)

# Wording mirrors the AWS-mirroring tests cited by the behaviour doc (no trailing period).
PARSE_ERROR = "Error while parsing filter"

_FILTER = re.compile(r'\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class UserFilter:
    attribute: str
    prefix: bool  # True for `^=`, False for `=`
    value: str  # unescaped


@dataclass(frozen=True)
class UserCursor:
    """Where a ListUsers page starts: after this user (0: from the start) and, in listings
    that come in value order, after this value of the filtered attribute."""

    after_id: int = 0
    after_value: str | None = None


def in_value_order(f: UserFilter | None) -> bool:
    """Whether a listing comes in order of the filtered value, then creation order.

    Prefix filters match many values; walking their index range in (value, id) order lets
    each page seek and stop after `Limit` users, however many match. Other listings come in
    creation order (an exact value, or `status`, which has only two).
    """
    return f is not None and f.prefix and f.attribute != "status"


def cursor_after(f: UserFilter | None, user: User) -> UserCursor:
    """The cursor of the page that follows `user`."""
    if f is None or not in_value_order(f):
        return UserCursor(user.id)
    on_row = {"cognito:user_status": user.status.value, "username": user.username, "sub": user.sub}
    value = on_row.get(f.attribute, user.attributes.get(f.attribute, ""))
    return UserCursor(user.id, value)


def parse_filter(text: str | None) -> UserFilter | None:
    """Parse `<attribute> <op> "<value>"`; None when there is no filter (list everybody)."""
    if text is None or not text.strip():
        return None
    m = _FILTER.fullmatch(text)
    if m is None:
        raise InvalidParameterException(PARSE_ERROR)
    attribute, op, raw = m.groups()
    if attribute not in FILTERABLE:
        raise InvalidParameterException(f"Invalid search attribute: {attribute}")
    return UserFilter(attribute, op == "^=", _ESCAPE.sub(r"\1", raw))


def matches(
    f: UserFilter, *, username: str, status: str, enabled: bool, attributes: Mapping[str, str]
) -> bool:
    """Whether one user satisfies the filter; a user lacking the attribute never matches."""
    if f.attribute == "cognito:user_status":
        return _compare(status.casefold(), f.value.casefold(), f.prefix)
    if f.attribute == "status":
        return _compare("Enabled" if enabled else "Disabled", f.value, f.prefix)
    if f.attribute == "username":
        return _compare(username, f.value, f.prefix)
    actual = attributes.get(f.attribute)
    return actual is not None and _compare(actual, f.value, f.prefix)


def _compare(actual: str, wanted: str, prefix: bool) -> bool:
    return actual.startswith(wanted) if prefix else actual == wanted
