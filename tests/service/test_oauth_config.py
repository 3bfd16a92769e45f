"""Domains and resource servers in the store, on SQLite and PostgreSQL: what is stored
comes back whole, names stay unique under concurrent creates, and a pool's deletion takes
its resource servers along."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from recognito import errors
from tests.service.conftest import Service

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
SCOPES = [
    {"ScopeName": "read", "ScopeDescription": 'Read, with ünïcode and "quotes"'},
    {"ScopeName": "write", "ScopeDescription": "Write"},
]


def _pool(service: Service) -> str:
    pool_id: str = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    return pool_id


def _outcome(call: Any) -> str:
    try:
        call()
    except errors.CognitoError as error:
        return f"{error.code}: {error.message}"
    return "ok"


def test_resource_servers_round_trip_and_page(service: Service) -> None:
    pool_id = _pool(service)
    for identifier in ("https://api.example.com", "orders", "billing"):
        service(
            "CreateResourceServer",
            UserPoolId=pool_id,
            Identifier=identifier,
            Name="n",
            Scopes=SCOPES,
        )
    described = service("DescribeResourceServer", UserPoolId=pool_id, Identifier="orders")
    assert described["ResourceServer"]["Scopes"] == SCOPES
    first = service("ListResourceServers", UserPoolId=pool_id, MaxResults=2)
    rest = service(
        "ListResourceServers", UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"]
    )
    identifiers = [s["Identifier"] for s in first["ResourceServers"] + rest["ResourceServers"]]
    assert identifiers == ["billing", "https://api.example.com", "orders"]
    assert "NextToken" not in rest


def test_deleting_a_pool_deletes_its_resource_servers(service: Service) -> None:
    pool_id = _pool(service)
    service("CreateResourceServer", UserPoolId=pool_id, Identifier="orders", Name="n")
    service("DeleteUserPool", UserPoolId=pool_id)
    with service.services.store.read() as tx:
        assert tx.resource_servers.page(pool_id, None, None) == []


def test_concurrent_creates_of_one_name_leave_one_owner(service: Service) -> None:
    pools = [_pool(service) for _ in range(8)]
    name = f"race-{uuid.uuid4().hex[:10]}"  # hex: never a reserved word
    with ThreadPoolExecutor(len(pools)) as executor:
        outcomes = Counter(
            executor.map(
                lambda pool_id: _outcome(
                    lambda: service("CreateUserPoolDomain", UserPoolId=pool_id, Domain=name)
                ),
                pools,
            )
        )
    assert outcomes == {
        "ok": 1,
        "InvalidParameterException: Domain already associated with another user pool.": 7,
    }
    owner = service("DescribeUserPoolDomain", Domain=name)["DomainDescription"]["UserPoolId"]
    service("DeleteUserPoolDomain", UserPoolId=owner, Domain=name)


def test_concurrent_creates_for_one_pool_leave_one_domain_of_a_kind(service: Service) -> None:
    pool_id = _pool(service)
    tag = uuid.uuid4().hex[:10]
    names = [f"kind-{tag}-{i}" for i in range(8)]
    with ThreadPoolExecutor(len(names)) as executor:
        outcomes = Counter(
            executor.map(
                lambda name: _outcome(
                    lambda: service("CreateUserPoolDomain", UserPoolId=pool_id, Domain=name)
                ),
                names,
            )
        )
    assert outcomes == {
        "ok": 1,
        "InvalidParameterException: User pool already has a domain configured.": 7,
    }
    with service.services.store.read() as tx:
        domains = tx.domains.of_pool(pool_id)
    assert len(domains) == 1
    service("DeleteUserPoolDomain", UserPoolId=pool_id, Domain=domains[0].domain)


def test_custom_domain_round_trip(service: Service) -> None:
    pool_id = _pool(service)
    name = f"login-{uuid.uuid4().hex[:10]}.example.com"
    created = service(
        "CreateUserPoolDomain",
        UserPoolId=pool_id,
        Domain=name,
        ManagedLoginVersion=2,
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    description = service("DescribeUserPoolDomain", Domain=name)["DomainDescription"]
    assert description["CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}
    assert description["CloudFrontDistribution"] == created["CloudFrontDomain"]
    assert description["ManagedLoginVersion"] == 2
    service.clock.advance(3600)
    service(
        "UpdateUserPoolDomain",
        UserPoolId=pool_id,
        Domain=name,
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    later = service("DescribeUserPoolDomain", Domain=name)["DomainDescription"]
    assert later["Version"] > description["Version"]
    assert later["ManagedLoginVersion"] == 2
    service("DeleteUserPoolDomain", UserPoolId=pool_id, Domain=name)
