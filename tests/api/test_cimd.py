"""Client ID Metadata Documents: a client named by the URL of its metadata document (as MCP
clients are) signs a user in with code + PKCE at the pool's domain, as a public client of
the app client a CIMD policy names; the policy operations, the cache and the URL state
decide whether it may. The documents are served by a local HTTP server on 127.0.0.1 (the
shared server runs with --cimd-allow-loopback)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pyotp
import pytest
from botocore.exceptions import ClientError

from tests.api.support.hosted import (
    CSRF_RE,
    HostedApp,
    Pkce,
    code_for,
    make_hosted_app,
    query_of,
    sign_in,
)
from tests.api.support.metadata_documents import Answer, DocumentServer
from tests.api.support.names import unique
from tests.api.support.records import MakePool, MakeUser, User
from tests.api.support.tokens import fetch_jwks, verify_jwt

CALLBACK = "http://localhost:8976/callback"
DAY = 86_400


@pytest.fixture(scope="module")
def documents() -> Iterator[DocumentServer]:
    server = DocumentServer()
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Cimd:
    hosted: HostedApp  # the policy's app client, with the pool's domain
    client: HostedApp  # the same domain, with the metadata URL as client_id
    user: User
    policy_id: str
    path: str

    @property
    def url(self) -> str:
        return self.client.client_id


def document(url: str, **changes: Any) -> dict[str, Any]:
    return {
        "client_id": url,
        "client_name": "MCP Inspector",
        "redirect_uris": [CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        **changes,
    }


@pytest.fixture
def cimd(
    cognito: Any,
    base_url: str,
    make_pool: MakePool,
    make_user: MakeUser,
    documents: DocumentServer,
) -> Cimd:
    pool_id = make_pool()
    hosted = make_hosted_app(
        cognito, base_url, pool_id, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"],
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )  # fmt: skip
    folder = unique("c").lower()
    path = f"/{folder}/client.json"
    url = documents.url(path)
    documents.put_document(path, document(url))
    policy = cognito.create_cimd_policy(
        UserPoolId=pool_id, ClientId=hosted.client_id, PolicyName="mcp clients",
        URLPatterns=[f"https://127.0.0.1:*/{folder}/*"],
    )["CIMDPolicy"]  # fmt: skip
    client = replace(hosted, client_id=url, client_secret=None, callback=CALLBACK)
    user = make_user(pool_id, email="mia@example.com")
    return Cimd(hosted, client, user, policy["CIMDPolicyId"], path)


def _authorize(app: HostedApp, **params: str) -> httpx.Response:
    query = {"code_challenge": Pkce().challenge, "code_challenge_method": "S256", **params}
    return httpx.get(app.authorize_url(**query), follow_redirects=False, timeout=10)


def _refused_at_error_page(app: HostedApp, **params: str) -> str:
    answer = _authorize(app, **params)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{app.url}/error?"), location
    reason: str = query_of(location)["error_description"]
    assert query_of(location)["error"] == "invalid_request"
    return reason


def _admitted(app: HostedApp) -> bool:
    answer = _authorize(app)
    return answer.status_code == 302 and answer.headers["location"].startswith(f"{app.url}/login?")


def _refused(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def test_a_cimd_client_signs_in_with_code_and_pkce_as_a_public_client(
    cimd: Cimd, cognito: Any, documents: DocumentServer
) -> None:
    pkce = Pkce()
    code = code_for(cimd.client, cimd.user.username, scope="openid email", **pkce.params())
    answer = cimd.client.swap_code(code, pkce.verifier)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    issuer = f"{cimd.client.base_url}/{cimd.hosted.pool_id}"
    jwks = fetch_jwks(cimd.client.base_url, cimd.hosted.pool_id)
    _, id_claims = verify_jwt(tokens["id_token"], jwks, issuer)
    _, access = verify_jwt(tokens["access_token"], jwks, issuer)
    assert id_claims["aud"] == cimd.url and id_claims["email"] == "mia@example.com"
    assert access["client_id"] == cimd.url and access["scope"] == "openid email"

    # the refresh grant, with the URL as the client_id and no secret
    refreshed = httpx.post(
        f"{cimd.client.url}/oauth2/token",
        data={"grant_type": "refresh_token", "client_id": cimd.url,
              "refresh_token": tokens["refresh_token"]},
        timeout=10,
    )  # fmt: skip
    assert refreshed.status_code == 200, refreshed.text
    info = httpx.get(
        f"{cimd.client.url}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 200 and info.json()["email"] == "mia@example.com"

    # fetched once, then served from the cache; the URL is listed with its cache dates
    assert documents.fetches[cimd.path] == 1
    listed = cognito.list_client_metadata_urls(
        UserPoolId=cimd.hosted.pool_id, CIMDPolicyId=cimd.policy_id
    )["ClientMetadataURLs"]
    assert [u["URL"] for u in listed] == [cimd.url]
    lasts = listed[0]["ExpirationDate"] - listed[0]["CachedDate"]
    assert lasts.total_seconds() == DAY  # the policy's default CacheDuration


def test_pkce_is_required_and_the_code_flow_only(cimd: Cimd) -> None:
    answer = httpx.get(cimd.client.authorize_url(), follow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["location"].startswith(f"{CALLBACK}?")
    assert query_of(answer.headers["location"])["error"] == "invalid_request"
    implicit = _authorize(cimd.client, response_type="token")
    assert "error=unauthorized_client" in implicit.headers["location"]
    # a redirect URI the document does not list is not trusted
    other = replace(cimd.client, callback="http://localhost:8976/elsewhere")
    answer = _authorize(other)
    assert answer.headers["location"].startswith(f"{other.url}/error?error=redirect_mismatch")


def test_documents_that_are_not_a_public_clients_registration_are_refused(
    cimd: Cimd, documents: DocumentServer
) -> None:
    folder = cimd.path.rsplit("/", 1)[0]
    cases: dict[str, tuple[Answer | dict[str, Any], str]] = {
        "mismatch": ({"client_id": "https://else.example/c"}, "client_id"),
        "secret": ({"token_endpoint_auth_method": "client_secret_basic"}, "must be none"),
        "no-redirects": ({"redirect_uris": []}, "redirect_uris"),
        "moved": (Answer(302, b"", {"Location": "http://127.0.0.1:1/x"}), "302"),
        "missing": (Answer(404, b"gone"), "404"),
        "huge": (Answer(200, b"{" + b" " * 10_000 + b"}"), "too large"),
        "not-json": (Answer(200, b"<html>"), "not JSON"),
    }
    for name, (content, reason) in cases.items():
        path = f"{folder}/{name}.json"
        url = documents.url(path)
        if isinstance(content, Answer):
            documents.put(path, content)
        else:
            changes = {k: v for k, v in content.items() if k != "client_id"}
            base = document(url, **changes)
            if "client_id" in content:
                base["client_id"] = content["client_id"]
            documents.put_document(path, base)
        said = _refused_at_error_page(replace(cimd.client, client_id=url))
        assert reason in said, (name, said)

    # a URL no policy admits is never fetched
    stranger = documents.url("/elsewhere/client.json")
    said = _refused_at_error_page(replace(cimd.client, client_id=stranger))
    assert "No CIMD policy" in said and "/elsewhere/client.json" not in documents.fetches


def test_the_cache_and_the_url_state_decide_which_document_counts(
    cimd: Cimd, cognito: Any, documents: DocumentServer
) -> None:
    pool_id, policy_id = cimd.hosted.pool_id, cimd.policy_id
    assert _admitted(cimd.client)
    moved = replace(cimd.client, callback="http://localhost:8976/v2")
    documents.put_document(
        cimd.path, document(cimd.url, redirect_uris=[moved.callback]), "max-age=172800"
    )
    assert not _admitted(moved)  # the cached document still counts
    cognito.update_client_metadata_url_state(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, URL=cimd.url.replace("http:", "https:"),
        Action="REFRESH",
    )  # fmt: skip
    assert _admitted(moved) and not _admitted(cimd.client)
    listed = cognito.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    entry = listed["ClientMetadataURLs"][0]
    assert (entry["ExpirationDate"] - entry["CachedDate"]).total_seconds() == 2 * DAY

    # the document goes away: once invalidated, the client is refused
    documents.put(cimd.path, Answer(404, b"gone"))
    assert _admitted(moved)
    cognito.update_client_metadata_url_state(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, URL=cimd.url.replace("http:", "https:"),
        Action="INVALIDATE",
    )  # fmt: skip
    entry = cognito.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)[
        "ClientMetadataURLs"
    ][0]
    assert entry == {"URL": cimd.url}
    assert "404" in _refused_at_error_page(moved)
    with pytest.raises(ClientError) as exc:  # nothing cached any more
        cognito.update_client_metadata_url_state(
            UserPoolId=pool_id, CIMDPolicyId=policy_id,
            URL=cimd.url.replace("http:", "https:"), Action="REFRESH",
        )  # fmt: skip
    assert _refused(exc)[0] == "CachedCIMDURLDoesNotExistException"


def test_the_policy_decides_which_urls_are_clients(
    cimd: Cimd, cognito: Any, documents: DocumentServer
) -> None:
    pool_id, policy_id = cimd.hosted.pool_id, cimd.policy_id
    assert _admitted(cimd.client)
    updated = cognito.update_cimd_policy(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, ClientId=cimd.hosted.client_id,
        PolicyName="narrower", URLPatterns=["https://127.0.0.1:*/other/*"], CacheDuration=2 * DAY,
    )["CIMDPolicy"]  # fmt: skip
    assert updated["PolicyName"] == "narrower" and updated["CacheDuration"] == 2 * DAY
    assert "No CIMD policy" in _refused_at_error_page(cimd.client)
    folder = cimd.path.rsplit("/", 1)[0]
    cognito.update_cimd_policy(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, ClientId=cimd.hosted.client_id,
        URLPatterns=[f"https://127.0.0.1:{documents.port}{folder}/*"],
    )  # fmt: skip
    assert _admitted(cimd.client)
    cognito.delete_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    assert "No CIMD policy" in _refused_at_error_page(cimd.client)
    # the token endpoint refuses it too
    answer = httpx.post(
        f"{cimd.client.url}/oauth2/token",
        data={"grant_type": "refresh_token", "client_id": cimd.url, "refresh_token": "x"},
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"


def test_policy_operations_validate_and_describe(
    cimd: Cimd, cognito: Any, make_pool: MakePool
) -> None:
    pool_id = cimd.hosted.pool_id
    common = {"UserPoolId": pool_id, "ClientId": cimd.hosted.client_id, "PolicyName": "p"}
    made = cognito.create_cimd_policy(
        **common, URLPatterns=["https://*.tools.example/mcp/*"], CacheDuration=3 * DAY
    )["CIMDPolicy"]
    described = cognito.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=made["CIMDPolicyId"])
    assert described["CIMDPolicy"]["URLPatterns"] == ["https://*.tools.example/mcp/*"]
    assert described["CIMDPolicy"]["ClientId"] == cimd.hosted.client_id
    listed = cognito.list_cimd_policies(UserPoolId=pool_id, MaxResults=1)
    assert len(listed["CIMDPolicies"]) == 1 and listed["NextToken"]
    rest = cognito.list_cimd_policies(UserPoolId=pool_id, NextToken=listed["NextToken"])
    ids = {p["CIMDPolicyId"] for p in listed["CIMDPolicies"] + rest["CIMDPolicies"]}
    assert ids == {made["CIMDPolicyId"], cimd.policy_id}

    for patterns in (["https://*/anything"], ["https://*.com/x"], ["https://a*.example/x"]):
        with pytest.raises(ClientError) as exc:
            cognito.create_cimd_policy(**common, URLPatterns=patterns)
        assert _refused(exc)[0] == "InvalidParameterException", patterns
    bad_requests: list[dict[str, Any]] = [
        {"URLPatterns": ["http://app.example/x"]},
        {"URLPatterns": [f"https://app.example/{n}" for n in range(6)]},  # five at most
        {"URLPatterns": ["https://app.example/c"], "CacheDuration": 40_000_000},  # > a year
    ]
    for bad in bad_requests:
        with pytest.raises(ClientError) as exc:
            cognito.create_cimd_policy(**common, **bad)
        assert _refused(exc)[0] == "InvalidParameterException", bad
    with pytest.raises(ClientError) as exc:
        cognito.create_cimd_policy(
            **{**common, "ClientId": "nosuchclient1"}, URLPatterns=["https://app.example/c"]
        )
    assert _refused(exc) == (
        "ResourceNotFoundException", "User pool client nosuchclient1 does not exist."
    )  # fmt: skip
    with pytest.raises(ClientError) as exc:
        cognito.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId="nosuchpolicy")
    assert _refused(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        cognito.list_client_metadata_urls(UserPoolId=make_pool(), CIMDPolicyId=cimd.policy_id)
    assert _refused(exc)[0] == "ResourceNotFoundException"

    # the app client goes: the policy stays, without a ClientId
    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=cimd.hosted.client_id)
    after = cognito.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=made["CIMDPolicyId"])
    assert "ClientId" not in after["CIMDPolicy"]
    assert "no longer exists" in _refused_at_error_page(cimd.client)


def test_a_user_signs_up_on_the_pages_of_a_cimd_client(cimd: Cimd, cognito: Any) -> None:
    """The pages' sign-up calls the API as the policy's app client (the API knows clients
    by id), so a CIMD client's users can make their accounts there."""
    pkce = Pkce()
    query = cimd.client.authorize_url(**pkce.params()).split("?", 1)[1]
    username = unique("newbie")
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(f"{cimd.client.url}/signup?{query}")
        assert page.status_code == 200 and 'name="signUpForm"' in page.text
        csrf = CSRF_RE.search(page.text)
        assert csrf is not None
        form = {"_csrf": csrf.group(1), "username": username, "password": "Perm4nent!x"}
        answer = browser.post(f"{cimd.client.url}/signup?{query}", data=form)
    assert answer.status_code == 200, answer.text
    user = cognito.admin_get_user(UserPoolId=cimd.hosted.pool_id, Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"
    cognito.admin_confirm_sign_up(UserPoolId=cimd.hosted.pool_id, Username=username)
    code = code_for(cimd.client, username, "Perm4nent!x", **pkce.params())
    assert cimd.client.swap_code(code, pkce.verifier).status_code == 200


def test_a_cimd_clients_user_enrols_an_authenticator_on_the_pages(cimd: Cimd, cognito: Any) -> None:
    """MFA ON: the first sign-in sets up TOTP on the page (the challenge session names the
    CIMD client by its URL), then the code swaps for tokens."""
    cognito.set_user_pool_mfa_config(
        UserPoolId=cimd.hosted.pool_id, MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )  # fmt: skip
    pkce = Pkce()
    query = cimd.client.authorize_url(**pkce.params()).split("?", 1)[1]
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = sign_in(browser, cimd.client, cimd.user.username, **pkce.params())
        assert page.status_code == 200 and 'name="mfaSetupForm"' in page.text, page.text
        secret = re.search(r'id="totpSecret">([A-Z2-7]+)<', page.text)
        pending = re.search(r'name="session" value="([^"]+)"', page.text)
        csrf = CSRF_RE.search(page.text)
        assert secret and pending and csrf
        form = {
            "_csrf": csrf.group(1),
            "session": pending.group(1),
            "code": pyotp.TOTP(secret.group(1)).now(),
        }
        answer = browser.post(f"{cimd.client.url}/challenge?{query}", data=form)
    assert answer.status_code == 302, answer.text
    assert answer.headers["location"].startswith(f"{CALLBACK}?")
    code = query_of(answer.headers["location"])["code"]
    assert cimd.client.swap_code(code, pkce.verifier).status_code == 200
