"""Opaque pagination tokens: the last key of the previous page, base64-wrapped.

Lists fetch one item more than the page holds; `cut` turns that into the page
and the token of the next one.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import TypeVar

from recognito import errors
from recognito.domain.list_users_filter import UserCursor

T = TypeVar("T")
_ROW_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a 64-bit row id


def next_token(last_key: str) -> str:
    return base64.urlsafe_b64encode(last_key.encode()).decode()


INVALID_TOKEN = "Invalid pagination token."


def page(token: str | None) -> str | None:
    """The key a page starts after; a token we did not issue is a client error."""
    if not token:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise errors.InvalidParameterException(INVALID_TOKEN) from exc


def id_page(token: str | None) -> int:
    """The numeric row id a page of users starts after (0: from the start)."""
    after = page(token)
    if after is not None and not _ROW_ID.fullmatch(after):
        raise errors.InvalidParameterException(INVALID_TOKEN)
    return int(after or 0)


def user_page(token: str | None, *, value_order: bool) -> UserCursor:
    """Where a page of ListUsers starts: `id` or, in value-ordered listings, `id:value`."""
    after = page(token)
    if after is None:
        return UserCursor()
    head, colon, value = after.partition(":")
    if not _ROW_ID.fullmatch(head) or (value_order and not colon):
        raise errors.InvalidParameterException(INVALID_TOKEN)
    return UserCursor(int(head), value if value_order else None)


def user_key(cursor: UserCursor) -> str:
    """The token text of `cursor` (the inverse of `user_page`)."""
    if cursor.after_value is None:
        return str(cursor.after_id)
    return f"{cursor.after_id}:{cursor.after_value}"


def cut(found: list[T], limit: int, key: Callable[[T], str]) -> tuple[list[T], str | None]:
    """The page (`limit` items of `limit + 1` fetched) and the next page's token."""
    if len(found) <= limit:
        return found, None
    return found[:limit], next_token(key(found[limit - 1]))
