"""Redirect and sign-out URIs (cognito-oauth.md §2.3): what an app client may register as
a CallbackURL, LogoutURL or DefaultRedirectURI (and what a `resource` may be), and how a
URI in a request is matched against the registered ones.

- absolute (a scheme), no fragment;
- https, or http only to a loopback host (`localhost`, `127.0.0.1`, `[::1]`, any port);
- custom schemes (`myapp://callback`) are allowed, except those that run or embed
  content in a browser (`javascript:`, `data:`, `vbscript:`, `file:`);
- matching is by exact string: scheme, host, port, path, trailing slash and case.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_REFUSED_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})


def problem(uri: str) -> str | None:
    """Why `uri` cannot be registered, in a sentence, or None when it can."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return "It is not a valid URI."
    scheme = parts.scheme.lower()
    if not scheme or not (parts.netloc or parts.path):
        return "It must be an absolute URI."
    if "#" in uri:
        return "It must not contain a fragment."
    if any(c.isspace() for c in uri):
        return "It must not contain white space."
    if scheme in _REFUSED_SCHEMES:
        return f"The {scheme} scheme is not allowed."
    if scheme in ("http", "https") and not host:
        return "It must name a host."
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        return "It must use https; http is allowed for localhost, 127.0.0.1 and [::1] only."
    return None


def is_registered(uri: str, registered: Collection[str]) -> bool:
    """Whether a request's redirect or logout URI is one of the client's: exact string match."""
    return uri in registered
