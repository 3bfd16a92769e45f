"""Client ID Metadata Documents (CIMD): an OAuth client named by an https URL, whose JSON
metadata document at that URL is its registration, admitted when a CIMD policy of the
pool has a URL pattern it matches; it then acts as a public client of the policy's app
client (docs/behaviour.md "Client ID metadata documents").

Pure rules: the URL and pattern forms, matching, the document's validation, how long a
document is cached, and the app client a document makes."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from recognito import errors
from recognito.domain import redirect_uris
from recognito.domain.clients import allowed_flows
from recognito.domain.records import Client
from recognito.shapes import OAuthFlowType, StoredUserPoolClient

# CacheDuration: the model's range, and what a policy without one caches for
MIN_CACHE, MAX_CACHE, DEFAULT_CACHE = 86_400, 31_556_952, 86_400
MAX_DOCUMENT_BYTES = 5 * 1024  # a metadata document is small; more is refused unread
MAX_POLICIES = 20  # per pool (LimitExceededException beyond)
MAX_URL = 256  # MetadataURLType's length
_PORT = re.compile(r"^(\*|[0-9]{1,5})$")
_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"^{_HOST_LABEL}(?:\.{_HOST_LABEL})*$")
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?([0-9]+)\"?\s*(?:,|$)", re.IGNORECASE)
_PUBLIC_METHOD = "none"
# grant types a CIMD client may use (never client_credentials: it is a public client)
_GRANTS = {"authorization_code", "refresh_token"}


class CIMDRefused(Exception):
    """A client_id URL that is no client here: why, in a sentence (for the logs and the
    error page's error_description)."""


def is_metadata_url(client_id: str) -> bool:
    """Whether a client_id is a URL (an app client's id is `[\\w+]+`, never one)."""
    return client_id.startswith(("https://", "http://"))


@dataclass(frozen=True)
class MetadataURL:
    """A client_id URL taken apart: its origin parts and path."""

    url: str
    host: str
    port: int
    path: str
    loopback: bool  # http on a loopback host (only with --cimd-allow-loopback)


def parse_url(url: str, *, allow_loopback: bool) -> MetadataURL:
    """The client_id URL, or CIMDRefused: https (or http on loopback when allowed), a host,
    a path, no user info, query, fragment or dot segments, at most 256 characters."""
    if len(url) > MAX_URL or any(c.isspace() for c in url):
        raise CIMDRefused("The client ID URL is too long or contains white space.")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise CIMDRefused("The client ID is not a valid URL.") from None
    loopback = parts.scheme == "http" and host in redirect_uris.LOOPBACK_HOSTS
    if parts.scheme != "https" and not (loopback and allow_loopback):
        raise CIMDRefused("The client ID URL must use https.")
    if not host or parts.username is not None or parts.password is not None:
        raise CIMDRefused("The client ID URL must name a host and no user.")
    if parts.query or parts.fragment or "#" in url or "?" in url:
        raise CIMDRefused("The client ID URL must not have a query or a fragment.")
    segments = parts.path.split("/")
    if not parts.path or parts.path == "/" or "." in segments or ".." in segments:
        raise CIMDRefused("The client ID URL must have a path without dot segments.")
    default_port = 80 if parts.scheme == "http" else 443
    return MetadataURL(url, host, port or default_port, parts.path, loopback)


def check_patterns(patterns: Sequence[str]) -> None:
    """InvalidParameterException for a pattern that is not `https://HOST[:PORT]/PATH`
    with HOST a host name or `*.` and one (a wildcard never stands for a whole site),
    PORT digits or `*`, and `*` anywhere in PATH."""
    for pattern in patterns:
        if _pattern_parts(pattern) is None:
            raise errors.InvalidParameterException(
                f"URL pattern {pattern} is not valid: use https://HOST[:PORT]/PATH, where HOST "
                "is a host name, or *. followed by one, PORT a number or *, and PATH may "
                "contain the * wildcard."
            )


def _pattern_parts(pattern: str) -> tuple[str, str, str] | None:
    """(host, port, path) of a valid pattern, else None."""
    rest = pattern.removeprefix("https://")
    if rest == pattern:
        return None
    authority, slash, path = rest.partition("/")
    host, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    if colon and not _PORT.match(port):
        return None
    literal = host.removeprefix("*.")
    if "*" in literal or not _HOST.match(literal):
        return None
    # a bare name stands for no site (loopback aside); `*.` needs two labels after it
    if literal == host and "." not in host and host not in redirect_uris.LOOPBACK_HOSTS:
        return None
    if literal != host and "." not in literal:
        return None
    return host, port or "443", slash + path


def matches(pattern: str, target: MetadataURL) -> bool:
    """Whether the URL is one the pattern admits. A loopback http URL is matched as if it
    were https on its port."""
    parts = _pattern_parts(pattern)
    if parts is None:
        return False
    host, port, path = parts
    if host.startswith("*."):
        suffix = host[1:]
        if not (target.host.endswith(suffix) and len(target.host) > len(suffix)):
            return False
    elif target.host != host:
        return False
    if port != "*" and int(port) != target.port:
        return False
    regex = ".*".join(re.escape(piece) for piece in (path or "/").split("*"))
    return re.fullmatch(regex, target.path) is not None


def cache_seconds(cache_control: str | None, policy_duration: int | None) -> int:
    """How long a fetched document is kept: the response's max-age when it is between a
    day and a year, else the policy's CacheDuration (a day when it has none)."""
    found = _MAX_AGE.search(cache_control or "")
    if found is not None and MIN_CACHE <= int(found.group(1)) <= MAX_CACHE:
        return int(found.group(1))
    return policy_duration or DEFAULT_CACHE


def check_document(url: str, document: Any) -> dict[str, Any]:
    """The metadata document, validated for `url`; CIMDRefused otherwise."""
    if not isinstance(document, dict):
        raise CIMDRefused("The client metadata document is not a JSON object.")
    if document.get("client_id") != url:
        raise CIMDRefused("The document's client_id is not the URL it was fetched from.")
    if document.get("token_endpoint_auth_method") != _PUBLIC_METHOD:
        raise CIMDRefused("A CIMD client is public: token_endpoint_auth_method must be none.")
    if any(k in document for k in ("client_secret", "client_secret_expires_at")):
        raise CIMDRefused("A client metadata document must not carry a client secret.")
    uris = document.get("redirect_uris")
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        raise CIMDRefused("The document must list its redirect_uris.")
    for uri in uris:
        if redirect_uris.problem(uri) is not None:
            raise CIMDRefused(f"The redirect URI {uri} is not allowed.")
    for name in ("grant_types", "response_types", "post_logout_redirect_uris"):
        value = document.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise CIMDRefused(f"The document's {name} must be a list of strings.")
    for name in ("scope", "client_name"):
        if document.get(name) is not None and not isinstance(document[name], str):
            raise CIMDRefused(f"The document's {name} must be a string.")
    return document


def as_client(url: str, base: Client, document: Mapping[str, Any]) -> Client:
    """The public app client a document makes of the policy's app client: its settings,
    with the document's redirect URIs; only the code flow (PKCE is required at
    /oauth2/authorize), and only grants and scopes both allow; no secret."""
    config = cast(StoredUserPoolClient, copy.deepcopy(dict(base.config)))
    grants = set(document.get("grant_types") or ["authorization_code"]) & _GRANTS
    responses = set(document.get("response_types") or ["code"])
    flows: list[OAuthFlowType] = []
    if "authorization_code" in grants and "code" in responses:
        flows = ["code"] if "code" in (base.config.get("AllowedOAuthFlows") or []) else []
    config["AllowedOAuthFlows"] = flows
    config["CallbackURLs"] = list(document["redirect_uris"])
    config["LogoutURLs"] = list(document.get("post_logout_redirect_uris") or [])
    config.pop("DefaultRedirectURI", None)
    if document.get("scope"):
        wanted = set(str(document["scope"]).split())
        allowed = config.get("AllowedOAuthScopes") or []
        config["AllowedOAuthScopes"] = [s for s in allowed if s in wanted]
    # the token endpoint's refresh grant asks for ALLOW_REFRESH_TOKEN_AUTH; no other API
    # flow applies to a client the API never names (the pages ignore ExplicitAuthFlows,
    # and an empty list would mean the defaults)
    refresh = "refresh_token" in grants and "ALLOW_REFRESH_TOKEN_AUTH" in allowed_flows(base.config)
    config["ExplicitAuthFlows"] = ["ALLOW_REFRESH_TOKEN_AUTH" if refresh else "ALLOW_USER_SRP_AUTH"]
    name = document.get("client_name") or url
    return Client(
        id=url,
        pool_id=base.pool_id,
        name=str(name)[:128],
        secret=None,
        config=config,
        created_at=base.created_at,
        modified_at=base.modified_at,
        acts_for=base,
    )
