"""Which requests reach a user pool domain's routes (web/domains.py): by path prefix, by
a prefix domain's Host (Cognito's and the loopback suffix), by a custom domain's Host;
on both stores, since every request reads the domain from the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from recognito.app import create_app
from recognito.web.domains import DomainRouter, hosted_domain
from tests.service.conftest import Service

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"


async def probe(request: Request) -> JSONResponse:
    domain = hosted_domain(request)
    return JSONResponse(
        {
            "name": domain.name,
            "pool_id": domain.pool_id,
            "base_url": domain.base_url,
            "url": str(request.url),
        }
    )


@pytest.fixture
def domains(service: Service) -> Iterator[dict[str, str]]:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    service("CreateUserPoolDomain", UserPoolId=pool_id, Domain="auth-demo")
    service(
        "CreateUserPoolDomain",
        UserPoolId=pool_id,
        Domain="login.example.com",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    yield {"pool_id": pool_id}
    # the PostgreSQL database outlives the test: free the names for the next one
    for name in ("auth-demo", "login.example.com"):
        with service.services.store.write() as tx:
            tx.domains.delete(name)


@pytest.fixture
def client(service: Service, domains: dict[str, str]) -> TestClient:
    app = DomainRouter(service.services, [Route("/probe", probe)], create_app(service.services))
    return TestClient(app, base_url="http://127.0.0.1:9229")


def test_path_prefix_reaches_the_domain(client: TestClient, domains: dict[str, str]) -> None:
    answer = client.get("/_domain/auth-demo/probe").json()
    assert answer == {
        "name": "auth-demo",
        "pool_id": domains["pool_id"],
        "base_url": "http://127.0.0.1:9229/_domain/auth-demo",
        "url": "http://127.0.0.1:9229/_domain/auth-demo/probe",
    }


@pytest.mark.parametrize(
    "host",
    [
        "auth-demo.auth.us-east-1.amazoncognito.com",
        "auth-demo.auth.us-east-1.amazoncognito.com:9229",
        "auth-demo.auth.us-east-1.localhost:9229",
        "AUTH-DEMO.auth.us-east-1.localhost",
    ],
)
def test_prefix_domain_host_reaches_the_domain(
    client: TestClient, domains: dict[str, str], host: str
) -> None:
    answer = client.get("/probe", headers={"Host": host}).json()
    assert (answer["name"], answer["pool_id"]) == ("auth-demo", domains["pool_id"])
    assert answer["base_url"] == f"http://{host}"


def test_custom_domain_host_reaches_the_domain(client: TestClient) -> None:
    answer = client.get("/probe", headers={"Host": "login.example.com:8443"}).json()
    assert (answer["name"], answer["base_url"]) == (
        "login.example.com",
        "http://login.example.com:8443",
    )


def test_https_shows_in_the_base_url(service: Service, domains: dict[str, str]) -> None:
    app = DomainRouter(service.services, [Route("/probe", probe)], create_app(service.services))
    secure = TestClient(app, base_url="https://localhost:9229")
    assert secure.get("/_domain/auth-demo/probe").json()["base_url"] == (
        "https://localhost:9229/_domain/auth-demo"
    )
    answer = secure.get("/probe", headers={"Host": "auth-demo.auth.us-east-1.localhost"}).json()
    assert answer["base_url"] == "https://auth-demo.auth.us-east-1.localhost"


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/_domain/no-such-domain/probe", None),
        ("/probe", "no-such-domain.auth.us-east-1.localhost"),
        # the region in the host name must be the pool's
        ("/probe", "auth-demo.auth.eu-west-1.amazoncognito.com"),
    ],
)
def test_unknown_domain_is_404(client: TestClient, path: str, host: str | None) -> None:
    headers = {"Host": host} if host else {}
    answer = client.get(path, headers=headers)
    assert answer.status_code == 404
    assert answer.text == "No such domain."


def test_other_hosts_and_paths_are_served_as_before(
    client: TestClient, domains: dict[str, str]
) -> None:
    pool_id = domains["pool_id"]
    assert client.get("/probe").status_code == 404  # no domain: not a route of the main app
    # a dotted Host that is no registered domain: the main routes, not a 404 for a domain
    jwks = client.get(f"/{pool_id}/.well-known/jwks.json", headers={"Host": "idp.internal"})
    assert jwks.status_code == 200
    assert len(jwks.json()["keys"]) == 2
    # a custom domain has no prefix-domain host name: a loopback name like any other
    host = {"Host": "login.example.com.auth.us-east-1.localhost"}
    assert client.get(f"/{pool_id}/.well-known/jwks.json", headers=host).status_code == 200


def test_api_calls_on_a_custom_domain_host_go_to_the_api(client: TestClient) -> None:
    answer = client.post(
        "/",
        headers={
            "Host": "login.example.com",
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
        content=b'{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "nosuchclient"}',
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "ResourceNotFoundException"


def test_a_deleted_domain_stops_answering(
    service: Service, client: TestClient, domains: dict[str, str]
) -> None:
    assert client.get("/_domain/auth-demo/probe").status_code == 200
    service("DeleteUserPoolDomain", UserPoolId=domains["pool_id"], Domain="auth-demo")
    assert client.get("/_domain/auth-demo/probe").status_code == 404
