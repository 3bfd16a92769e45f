"""Client ID Metadata Documents at run time: the client a client_id URL stands for, from
the document cached for it or fetched now (the rules are in domain/cimd.py).

The fetch: GET with the federation timeout, no redirects followed, at most
MAX_DOCUMENT_BYTES read; done outside any transaction, so no lock waits on the network."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from recognito.domain import cimd
from recognito.domain.cimd import CIMDRefused
from recognito.domain.records import CIMDPolicy, Client, ClientMetadataURL
from recognito.service.context import Services
from recognito.store.unit_of_work import UnitOfWork

log = logging.getLogger("recognito.cimd")
_USER_AGENT = "Recognito (Amazon Cognito compatible) CIMD"


def oauth_client(svc: Services, pool_id: str, client_id: str) -> Client | None:
    """The client of this pool a client_id names at the OAuth endpoints: an app client, or
    the public client a metadata URL stands for (CIMDRefused when such a URL is not
    admitted); None when there is none."""
    if not cimd.is_metadata_url(client_id):
        with svc.store.read() as tx:
            client = tx.clients.get(client_id)
        return client if client is not None and client.pool_id == pool_id else None
    return metadata_client(svc, pool_id, client_id)


def metadata_client(svc: Services, pool_id: str, url: str) -> Client:
    """The client a metadata URL stands for: the first policy (oldest first) with a
    pattern it matches, its app client, and the document, from the cache while it lasts."""
    target = cimd.parse_url(url, allow_loopback=svc.settings.cimd_allow_loopback)
    with svc.store.read() as tx:
        policy = next(
            (
                p
                for p in tx.cimd_policies.of_pool(pool_id)
                if any(cimd.matches(pattern, target) for pattern in p.url_patterns)
            ),
            None,
        )
        if policy is None:
            raise CIMDRefused("No CIMD policy of the user pool admits this client ID URL.")
        base = tx.clients.get(policy.client_id)
        cached = tx.cimd_urls.get(policy.id, url)
    if cached is None:  # first seen: ListClientMetadataURLs shows it from now on
        with svc.store.write() as tx:
            tx.cimd_urls.record(pool_id, policy.id, url)
    if base is None or base.pool_id != pool_id:
        raise CIMDRefused("The app client of the CIMD policy no longer exists.")
    if cached is not None and cached.document is not None and cached.expires_at is not None:
        if cached.expires_at > svc.clock.now():
            return cimd.as_client(url, base, json.loads(cached.document))
    document = refresh(svc, policy, url)
    return cimd.as_client(url, base, document)


def refresh(svc: Services, policy: CIMDPolicy, url: str) -> dict[str, Any]:
    """Fetch and validate the document now, and cache it for the policy; a failure drops
    what was cached (a document that no longer validates is no longer trusted)."""
    try:
        text, cache_control = _fetch(svc, url)
        document = cimd.check_document(url, _json(text))
    except CIMDRefused as refused:
        log.info("CIMD %s refused: %s", url, refused)
        with svc.store.write() as tx:
            tx.cimd_urls.invalidate(policy.id, url)
        raise
    now = svc.clock.now()
    seconds = cimd.cache_seconds(cache_control, policy.cache_duration)
    with svc.store.write() as tx:
        if tx.cimd_policies.get(policy.pool_id, policy.id) is not None:  # not deleted since
            tx.cimd_urls.put(
                ClientMetadataURL(policy.pool_id, policy.id, url, text, now, now + seconds)
            )
    return document


def _fetch(svc: Services, url: str) -> tuple[str, str | None]:
    """The document's text and Cache-Control, or CIMDRefused."""
    headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
    timeout = svc.settings.federation_timeout
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as http,
            http.stream("GET", url, headers=headers) as answer,
        ):
            if answer.status_code != 200:
                raise CIMDRefused(
                    f"Fetching the client metadata document answered {answer.status_code}"
                    " (redirects are not followed)."
                )
            body = b""
            for chunk in answer.iter_bytes():
                body += chunk
                if len(body) > cimd.MAX_DOCUMENT_BYTES:
                    raise CIMDRefused("The client metadata document is too large.")
            cache_control = answer.headers.get("cache-control")
    except httpx.TimeoutException:
        raise CIMDRefused("Fetching the client metadata document timed out.") from None
    except httpx.HTTPError as exc:
        raise CIMDRefused(f"The client metadata document could not be fetched: {exc}") from None
    try:
        return body.decode("utf-8"), cache_control
    except UnicodeDecodeError:
        raise CIMDRefused("The client metadata document is not UTF-8 text.") from None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise CIMDRefused("The client metadata document is not JSON.") from None


def cached_client(svc: Services, pool_id: str, url: str) -> Client | None:
    """The client a metadata URL stood for when its document was last cached, without
    fetching (what userInfo needs of a token's client)."""
    with svc.store.read() as tx:
        return cached_client_in(tx, pool_id, url)


def cached_client_in(tx: UnitOfWork, pool_id: str, url: str) -> Client | None:
    """cached_client in the caller's transaction (a challenge session names its client
    by id: MFA set-up on the pages finds a CIMD client so)."""
    for policy in tx.cimd_policies.of_pool(pool_id):
        cached = tx.cimd_urls.get(policy.id, url)
        base = tx.clients.get(policy.client_id)
        if cached is not None and cached.document is not None and base is not None:
            return cimd.as_client(url, base, json.loads(cached.document))
    return None
