"""Client ID metadata documents in the store (migration 0019) on both databases: the
document cached per policy and URL for the time the response or the policy says, fetched
again once it expires (the clock moves, nothing sleeps) or is invalidated, the URLs
listed, everything gone with its policy and pool; and metadata URLs, up to 256
characters, as the client of codes and grants."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from recognito import errors
from recognito.crypto.secrets import digest
from recognito.domain.cimd import CIMDRefused
from recognito.service import cimd
from recognito.service.context import Services
from recognito.signin.oauth import CodeGrant, issue_code
from tests.api.support.metadata_documents import Answer, DocumentServer

from .conftest import Service

DAY = 86_400
CALLBACK = "http://localhost:8976/callback"


@pytest.fixture(scope="module")
def documents() -> Iterator[DocumentServer]:
    server = DocumentServer()
    server.start()
    yield server
    server.stop()


def _document(url: str) -> dict[str, Any]:
    return {
        "client_id": url,
        "redirect_uris": [CALLBACK],
        "token_endpoint_auth_method": "none",
    }


def _loopback(service: Service) -> Services:
    """The services as `serve --cimd-allow-loopback` runs them."""
    settings = replace(service.services.settings, cimd_allow_loopback=True)
    return replace(service.services, settings=settings)


def _setup(service: Service, documents: DocumentServer, folder: str) -> tuple[str, str, str]:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    client_id = service(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="app",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], CallbackURLs=["https://app.example/cb"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    policy_id = service(
        "CreateCIMDPolicy", UserPoolId=pool_id, ClientId=client_id, PolicyName="mcp",
        URLPatterns=[f"https://127.0.0.1:*/{folder}/*"],
    )["CIMDPolicy"]["CIMDPolicyId"]  # fmt: skip
    return pool_id, client_id, policy_id


def test_the_document_is_cached_until_it_expires_or_is_invalidated(
    service: Service, documents: DocumentServer
) -> None:
    folder = f"s{id(service)}"
    pool_id, client_id, policy_id = _setup(service, documents, folder)
    path = f"/{folder}/client.json"
    url = documents.url(path)
    documents.put_document(path, _document(url))
    svc = _loopback(service)

    made = cimd.metadata_client(svc, pool_id, url)
    assert made.id == url and made.secret is None and made.config["CallbackURLs"] == [CALLBACK]
    cimd.metadata_client(svc, pool_id, url)
    assert documents.fetches[path] == 1  # the second from the cache
    listed = service("ListClientMetadataURLs", UserPoolId=pool_id, CIMDPolicyId=policy_id)
    entry = listed["ClientMetadataURLs"][0]
    assert entry["URL"] == url
    assert entry["ExpirationDate"] - entry["CachedDate"] == DAY

    service.clock.advance(DAY + 1)  # expired: fetched again, now for two days
    documents.put_document(path, _document(url), cache_control="max-age=172800")
    cimd.metadata_client(svc, pool_id, url)
    assert documents.fetches[path] == 2
    service.clock.advance(DAY + 1)
    cimd.metadata_client(svc, pool_id, url)
    assert documents.fetches[path] == 2

    # invalidated: gone from the cache, the document now fails, so the client is refused
    documents.put(path, Answer(500, b"down"))
    loopback_https = url.replace("http://", "https://")
    with pytest.raises(errors.CachedCIMDURLDoesNotExistException):  # without the flag
        service(
            "UpdateClientMetadataURLState", UserPoolId=pool_id, CIMDPolicyId=policy_id,
            URL=loopback_https, Action="INVALIDATE",
        )  # fmt: skip
    with svc.store.write() as tx:
        tx.cimd_urls.invalidate(policy_id, url)
    with pytest.raises(CIMDRefused):
        cimd.metadata_client(svc, pool_id, url)
    assert service("ListClientMetadataURLs", UserPoolId=pool_id, CIMDPolicyId=policy_id)[
        "ClientMetadataURLs"
    ] == [{"URL": url}]

    # a policy takes its URLs with it, a pool its policies
    service("DeleteCIMDPolicy", UserPoolId=pool_id, CIMDPolicyId=policy_id)
    with svc.store.read() as tx:
        assert tx.cimd_urls.get(policy_id, url) is None
    again = service(
        "CreateCIMDPolicy", UserPoolId=pool_id, ClientId=client_id, PolicyName="again",
        URLPatterns=["https://tools.example/*"],
    )["CIMDPolicy"]  # fmt: skip
    service("DeleteUserPool", UserPoolId=pool_id)
    with svc.store.read() as tx:
        assert tx.cimd_policies.get(pool_id, again["CIMDPolicyId"]) is None


def test_a_metadata_url_of_256_characters_is_the_client_of_a_code(service: Service) -> None:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    service("AdminCreateUser", UserPoolId=pool_id, Username="ana", MessageAction="SUPPRESS")
    url = "https://tools.example/" + "c" * (256 - len("https://tools.example/"))
    code = issue_code(
        service.services,
        CodeGrant(pool_id, url, "ana", CALLBACK, ("openid",), None, "x" * 43, 0),
    )
    with service.services.store.read() as tx:
        stored = [r for r in [tx.authorization_codes.get(_digest(service, code))] if r is not None]
    assert stored and stored[0].client_id == url


def _digest(service: Service, code: str) -> str:

    return digest(service.services.secret_key, code)
