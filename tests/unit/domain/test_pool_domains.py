"""Prefix and custom domain names, and what Cognito reports of a domain."""

from __future__ import annotations

import re

import pytest

from recognito import errors
from recognito.config import Settings
from recognito.domain import pool_domains
from recognito.domain.records import UserPoolDomain

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"


@pytest.mark.parametrize("prefix", ["a", "auth-demo", "0", "x" * 63, "us-east-18kx012qnq"])
def test_prefixes_that_may_be_used(prefix: str) -> None:
    pool_domains.check_prefix(prefix)


@pytest.mark.parametrize("prefix", ["", "x" * 64, "-a", "a-", "A", "a_b", "a.b", "ä"])
def test_prefixes_that_may_not(prefix: str) -> None:
    with pytest.raises(errors.InvalidParameterException, match="invalid character"):
        pool_domains.check_prefix(prefix)


def test_the_first_reserved_word_is_named() -> None:
    with pytest.raises(errors.InvalidParameterException) as info:
        pool_domains.check_prefix("cognito-on-aws")
    assert info.value.message == "Domain cannot contain reserved word: aws"


@pytest.mark.parametrize("name", ["auth.example.com", "a.b", "login.my-app.example.co.uk"])
def test_custom_names_that_may_be_used(name: str) -> None:
    pool_domains.check_custom(name, CERTIFICATE)


@pytest.mark.parametrize("name", ["example", "Auth.example.com", "a..b", "-a.example.com"])
def test_custom_names_that_may_not(name: str) -> None:
    with pytest.raises(errors.InvalidParameterException) as info:
        pool_domains.check_custom(name, CERTIFICATE)
    assert info.value.message == f"Domain {name} is not a valid fully qualified domain name."


@pytest.mark.parametrize(
    "arn",
    [
        CERTIFICATE.replace("us-east-1", "eu-west-1"),
        CERTIFICATE.replace(":acm:", ":iam:"),
        "arn:aws:acm:us-east-1:123:certificate/x",
    ],
)
def test_certificates_cloudfront_cannot_use(arn: str) -> None:
    with pytest.raises(errors.InvalidParameterException) as info:
        pool_domains.check_custom("auth.example.com", arn)
    assert info.value.message == pool_domains.BAD_CERTIFICATE


def test_version_stamp_is_utc_yyyymmddhhmmss() -> None:
    assert pool_domains.version_stamp(1_700_000_000.0) == "20231114221320"


def test_cloudfront_names_look_like_cloudfronts() -> None:
    names = {pool_domains.cloudfront_name() for _ in range(20)}
    assert len(names) == 20
    assert all(re.fullmatch(r"d[a-z0-9]{13}\.cloudfront\.net", n) for n in names)


def _domain(name: str, custom: bool) -> UserPoolDomain:
    return UserPoolDomain(name, "us-east-1_abc", custom, None, 1, "d.cloudfront.net", "v", 0.0)


def test_the_custom_domain_is_advertised_before_the_prefix() -> None:
    prefix, custom = _domain("auth-demo", False), _domain("auth.example.com", True)
    assert pool_domains.advertised([prefix, custom]) == custom
    assert pool_domains.advertised([prefix]) == prefix
    assert pool_domains.advertised([]) is None


def test_a_domain_is_reached_by_path_or_by_host() -> None:
    settings = Settings(public_url="https://id.example:8443")
    prefix = _domain("auth-demo", False)
    assert (
        pool_domains.domain_base_url(settings, prefix)
        == "https://id.example:8443/_domain/auth-demo"
    )
    by_host = Settings(public_url="https://id.example:8443", discovery_domain_form="host")
    assert pool_domains.domain_base_url(by_host, prefix) == (
        "https://auth-demo.auth.us-east-1.localhost:8443"
    )
