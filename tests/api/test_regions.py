"""One server serves every region: a signed request's credential scope names the region
of the pools it creates and lists; unsigned requests fall back to --region."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from .support import ServerProcess, start_server, unique
from .wire import call

ACCOUNT_ARN = "arn:aws:cognito-idp:{region}:"


@pytest.fixture
def regional(base_url: str) -> Iterator[Any]:
    """`regional(region)`: a boto3 client of the shared server signing for `region`."""
    clients: list[Any] = []

    def make(region: str) -> Any:
        client = boto3.client(
            "cognito-idp",
            endpoint_url=base_url,
            region_name=region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _pool_ids(client: Any) -> set[str]:
    pages = client.get_paginator("list_user_pools").paginate(MaxResults=60)
    return {pool["Id"] for page in pages for pool in page["UserPools"]}


def test_pools_belong_to_the_region_the_request_was_signed_for(regional: Any) -> None:
    ireland, sydney = regional("eu-west-1"), regional("ap-southeast-2")

    created = ireland.create_user_pool(PoolName=unique("eu"))["UserPool"]
    other = sydney.create_user_pool(PoolName=unique("ap"))["UserPool"]

    assert created["Id"].startswith("eu-west-1_")
    assert created["Arn"].startswith(ACCOUNT_ARN.format(region="eu-west-1"))
    assert created["Arn"].endswith(f":userpool/{created['Id']}")
    assert other["Id"].startswith("ap-southeast-2_")
    assert other["Arn"].startswith(ACCOUNT_ARN.format(region="ap-southeast-2"))
    ireland_pools, sydney_pools = _pool_ids(ireland), _pool_ids(sydney)
    assert created["Id"] in ireland_pools and other["Id"] not in ireland_pools
    assert other["Id"] in sydney_pools and created["Id"] not in sydney_pools
    assert all(pool.startswith("eu-west-1_") for pool in ireland_pools)


def test_the_default_region_lists_only_its_own_pools(regional: Any, cognito: Any) -> None:
    elsewhere = regional("eu-central-1").create_user_pool(PoolName=unique("de"))["UserPool"]

    assert elsewhere["Id"] not in _pool_ids(cognito)


def test_a_pool_of_another_region_is_used_by_its_id(regional: Any) -> None:
    ireland = regional("eu-west-1")
    pool_id = ireland.create_user_pool(PoolName=unique("eu"))["UserPool"]["Id"]
    client = ireland.create_user_pool_client(UserPoolId=pool_id, ClientName="web")

    assert client["UserPoolClient"]["UserPoolId"] == pool_id
    assert ireland.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id


@pytest.fixture(scope="module")
def sao_paulo(log_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server whose default region (--region) is sa-east-1."""
    process = start_server(
        tmp_path_factory.mktemp("sa"), log_dir, extra_args=["--region", "sa-east-1"]
    )
    yield process
    process.stop()


def _scope(region: str) -> dict[str, str]:
    return {
        "Authorization": f"AWS4-HMAC-SHA256 Credential=AKID/20260101/{region}/cognito-idp/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
    }


@pytest.mark.parametrize(
    ("headers", "region"),
    [
        ({}, "sa-east-1"),  # unsigned: --region
        (_scope("us-gov-west-1"), "us-gov-west-1"),
        (_scope("local"), "sa-east-1"),  # not a region name: --region
        (_scope("eu-west-1_x"), "sa-east-1"),
        ({"Authorization": "Bearer nonsense"}, "sa-east-1"),
    ],
    ids=["unsigned", "scope", "odd-region", "injected", "other-scheme"],
)
def test_the_region_of_a_request(
    sao_paulo: ServerProcess, headers: dict[str, str], region: str
) -> None:
    answer = call(sao_paulo.base_url, "CreateUserPool", {"PoolName": "p"}, headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["UserPool"]["Id"].startswith(region + "_")
