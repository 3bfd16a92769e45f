"""Routing requests to the endpoints of a user pool domain (`/oauth2/*`, the pages).

A request is for a domain when
- its path starts with `/_domain/<domain>/` (no DNS needed): the prefix moves from the
  route path into `root_path`, as a Starlette Mount does, so routes see `/oauth2/token`;
- or its Host header names one: `<prefix>.auth.<region>.amazoncognito.com`, the same
  under the configured suffix (`--domain-suffix`, default `localhost`, which browsers
  resolve to loopback without /etc/hosts), or a custom domain's own name. Ports are
  ignored. The server's own host names (`--host`, the `--public-url` host) are never
  taken for a custom domain, nor is any Host for an API call (`POST /`); a Host that is
  no registered custom domain is served as if it named none.

The domain is looked up in the store on every such request (one primary-key read), so
every node and process sees domains created or deleted anywhere at once. An unknown
domain named by path or prefix-domain Host answers 404. The domain routes find theirs
with `hosted_domain(request)`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from recognito.domain.pool_domains import region_of
from recognito.domain.records import UserPoolDomain
from recognito.service.context import Services

PATH_PREFIX = "/_domain/"
COGNITO_SUFFIX = "amazoncognito.com"
SCOPE_KEY = "recognito.domain"


@dataclass(frozen=True)
class HostedDomain:
    name: str  # the Domain as registered: a prefix ("auth-demo") or an FQDN (custom)
    pool_id: str
    # the absolute URL this request reached the domain under, no trailing slash:
    # "http://127.0.0.1:9229/_domain/auth-demo", "https://auth-demo.auth.us-east-1.localhost:9229"
    base_url: str


def hosted_domain(request: Request) -> HostedDomain:
    """The domain the request is for (set by `DomainRouter`)."""
    domain: HostedDomain = request.scope[SCOPE_KEY]
    return domain


@dataclass(frozen=True)
class _Wanted:
    """What a request names: a domain, and whether it must be a prefix one of a region."""

    name: str
    region: str | None = None  # a prefix domain's host names its region
    # named for sure (path prefix, prefix-domain host): 404 if unknown; a Host that only
    # might be a custom domain goes on to the other routes when it is not one
    explicit: bool = True


class DomainRouter:
    """Sends a request for a domain to the domain routes, any other to `fallback`."""

    def __init__(self, services: Services, routes: Sequence[BaseRoute], fallback: ASGIApp) -> None:
        self._store = services.store
        self._fallback = fallback
        self._domain_app = Starlette(routes=list(routes))
        settings = services.settings
        self._suffixes = tuple(
            "." + s.lower().strip(".")
            for s in dict.fromkeys((COGNITO_SUFFIX, settings.domain_suffix))
        )
        own = {settings.host, urlsplit(settings.public_url or "").hostname, "localhost"}
        self._own_hosts = frozenset(h.lower() for h in own if h)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._fallback(scope, receive, send)
            return
        host = _host_header(scope)
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        route_path = path[len(root_path) :] if root_path and path.startswith(root_path) else path
        wanted: _Wanted | None
        if route_path.startswith(PATH_PREFIX):
            name = route_path[len(PATH_PREFIX) :].split("/", 1)[0]
            wanted = _Wanted(name)
            mounted = f"{root_path}{PATH_PREFIX}{name}"
        else:
            wanted = self._named_by_host(
                host, api_call=scope["method"] == "POST" and route_path == "/"
            )
            mounted = root_path
        if wanted is None:
            await self._fallback(scope, receive, send)
            return
        found = await run_in_threadpool(self._lookup, wanted)
        if found is None and not wanted.explicit:
            await self._fallback(scope, receive, send)
            return
        if found is None:
            await PlainTextResponse("No such domain.", 404)(scope, receive, send)
            return
        base_url = f"{scope.get('scheme', 'http')}://{host or _server(scope)}{mounted}"
        child = dict(scope)
        child["root_path"] = mounted
        child[SCOPE_KEY] = HostedDomain(found.domain, found.pool_id, base_url)
        await self._domain_app(child, receive, send)

    def _named_by_host(self, host: str, *, api_call: bool) -> _Wanted | None:
        name = _without_port(host).lower().rstrip(".")
        for suffix in self._suffixes:
            if name.endswith(suffix):
                parts = name[: -len(suffix)].split(".")
                if len(parts) == 3 and parts[1] == "auth" and parts[0]:
                    return _Wanted(parts[0], parts[2])
        if api_call or not name or name in self._own_hosts or "." not in name:
            return None
        if _is_ip(name) or any(name.endswith(s) for s in self._suffixes):
            return None
        return _Wanted(name, explicit=False)  # perhaps a custom domain

    def _lookup(self, wanted: _Wanted) -> UserPoolDomain | None:
        with self._store.read() as tx:
            domain = tx.domains.get(wanted.name)
        if domain is None:
            return None
        if not wanted.explicit:
            return domain if domain.custom else None
        if wanted.region is None:
            return domain
        # a prefix domain's host names the pool's region, and only prefix domains have one
        if domain.custom or region_of(domain.pool_id) != wanted.region:
            return None
        return domain


def _host_header(scope: Scope) -> str:
    for key, value in scope["headers"]:
        if key == b"host":
            return str(value.decode("latin-1"))
    return ""


def _server(scope: Scope) -> str:
    server = scope.get("server")
    if not server:
        return "localhost"
    host, port = server
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _without_port(host: str) -> str:
    if host.startswith("["):  # an IPv6 literal
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True
