"""Opaque pagination tokens: the last key of the previous page, base64-wrapped."""

from __future__ import annotations

import base64
import binascii

from recognito import errors


def next_token(last_key: str) -> str:
    return base64.urlsafe_b64encode(last_key.encode()).decode()


def page(token: str | None) -> str | None:
    """The key a page starts after; a token we did not issue is a client error."""
    if not token:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise errors.InvalidParameterException("Invalid pagination token.") from exc
