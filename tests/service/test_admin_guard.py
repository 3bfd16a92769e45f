"""Admin (signed) operations are taken from loopback clients only, unless the operator
allows more; public operations are open to everyone. In-process: the client address is
set on the ASGI scope, no traffic leaves the test."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from recognito.app import create_app
from tests.service.conftest import Service

HEADERS = {"Content-Type": "application/x-amz-json-1.1"}
TARGET = "AWSCognitoIdentityProviderService."
SERVED = "http://localhost"  # a Host the server serves (admin calls check it)


def _call(client: TestClient, operation: str, body: str) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/", content=body, headers={**HEADERS, "X-Amz-Target": TARGET + operation}
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("address", ["203.0.113.9", "2001:db8::1", "testclient"])
def test_admin_calls_from_elsewhere_are_refused(service: Service, address: str) -> None:
    with TestClient(
        create_app(service.services), client=(address, 40000), base_url=SERVED
    ) as client:
        status, error = _call(client, "ListUserPools", '{"MaxResults": 5}')
    assert status == 400
    assert error["__type"] == "NotAuthorizedException"


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_admin_calls_from_loopback_are_served(service: Service, address: str) -> None:
    with TestClient(
        create_app(service.services), client=(address, 40000), base_url=SERVED
    ) as client:
        status, body = _call(client, "ListUserPools", '{"MaxResults": 5}')
    assert status == 200
    assert body == {"UserPools": []}


def test_public_calls_are_served_from_anywhere(service: Service) -> None:
    with TestClient(
        create_app(service.services), client=("203.0.113.9", 40000), base_url=SERVED
    ) as client:
        status, error = _call(client, "InitiateAuth", '{"ClientId": "x", "AuthFlow": "USER_AUTH"}')
    assert (status, error["__type"]) == (400, "ResourceNotFoundException")


def test_the_operator_may_allow_remote_admin_calls(service: Service) -> None:
    services = replace(
        service.services, settings=replace(service.services.settings, allow_remote_admin=True)
    )
    with TestClient(create_app(services), client=("203.0.113.9", 40000), base_url=SERVED) as client:
        status, _ = _call(client, "ListUserPools", '{"MaxResults": 5}')
    assert status == 200
