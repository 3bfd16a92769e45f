"""Which web pages may reach the admin operations through a browser: none but our own.

In the developer default (no --admin-credentials) admin (signed) operations are not
authenticated; what protects them is that they come from this machine. A browser on this
machine must not turn that into a hole (and with credentials the rule stays, as a second
wall):

- a page of another origin may send them (its preflight passes, as public operations
  need) but they are refused on the POST, which carries the page's Origin;
- a page whose own DNS name now resolves to 127.0.0.1 (DNS rebinding) is same-origin to
  the browser, but its requests name that foreign host in Host.

Host names are trusted when they can only mean this server: loopback names, IP
addresses (a rebound page always has a DNS name), --host, the --public-url host and
--allowed-hosts.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from recognito.config import Settings

_DEFAULT_PORTS = {"http": 80, "https": 443}


Origin = tuple[str, str, int | None]  # scheme, host, port


def _origin(scheme: str, authority: str) -> Origin | None:
    """The origin of `authority` ("host[:port]") under `scheme`, or None if malformed."""
    try:
        parts = urlsplit(f"//{authority}")
        host, port = parts.hostname, parts.port
    except ValueError:  # bad port or brackets
        return None
    if not host:
        return None
    return scheme, host, port if port is not None else _DEFAULT_PORTS.get(scheme)


@dataclass(frozen=True)
class Boundary:
    names: frozenset[str]  # trusted Host names (lower case)
    any_host: bool
    public: Origin | None  # the --public-url origin, this server's own too

    @classmethod
    def of(cls, settings: Settings) -> Boundary:
        names = {"localhost", settings.host.lower(), *settings.allowed_hosts}
        public = None
        if settings.public_url:
            url = urlsplit(settings.public_url)
            public = _origin(url.scheme, url.netloc)
            if public is not None:
                names.add(public[1])
        return cls(frozenset(names), "*" in names, public)

    def trusts_host(self, host: str | None) -> bool:
        """Whether a request with this Host header may call admin operations."""
        if host is None or self.any_host:  # no Host: HTTP/1.0 tools, never a browser
            return True
        served = _origin("http", host)
        if served is None:
            return False
        name = served[1]
        if name in self.names:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def same_origin(self, origin: str, host: str | None, scheme: str) -> bool:
        """Whether a page of `origin` is this server's own: that of the request's
        `scheme` and Host, or the public URL's. "null" (sandboxed frames) never is."""
        page_scheme, _, authority = origin.partition("://")
        page = _origin(page_scheme, authority) if page_scheme in _DEFAULT_PORTS else None
        if page is None:
            return False
        served = _origin(scheme, host) if host else None
        return page in (served, self.public)
