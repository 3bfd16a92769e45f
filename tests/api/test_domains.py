"""User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
DeleteUserPoolDomain, and what DescribeUserPool and DeleteUserPool make of them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.api.support import AwsCli, MakePool, cognito_error, unique

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
INVALID_PREFIX = (
    "The domain name contains an invalid character. Domain names can only contain lower-case"
    " letters, numbers, and hyphens. Please enter a different name that follows this format:"
    r" ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
)
CLOUDFRONT = re.compile(r"^d[a-z0-9]{13}\.cloudfront\.net$")


def custom_name() -> str:
    return f"{unique('auth')}.example.com"


def test_prefix_domain_lifecycle(cognito: Any, pool_id: str) -> None:
    name = unique("auth")
    created = cognito.create_user_pool_domain(Domain=name, UserPoolId=pool_id)
    assert "CloudFrontDomain" not in created  # only custom domains have one
    assert created["ManagedLoginVersion"] == 1
    description = cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]
    assert set(description) == {
        "UserPoolId",
        "AWSAccountId",
        "Domain",
        "S3Bucket",
        "CloudFrontDistribution",
        "Version",
        "Status",
        "ManagedLoginVersion",
    }
    assert description["UserPoolId"] == pool_id
    assert description["Domain"] == name
    assert description["Status"] == "ACTIVE"
    assert CLOUDFRONT.match(description["CloudFrontDistribution"])
    assert re.fullmatch(r"20\d{12}", description["Version"])
    assert re.fullmatch(r"\d{12}", description["AWSAccountId"])
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == name
    cognito.delete_user_pool_domain(Domain=name, UserPoolId=pool_id)
    assert cognito.describe_user_pool_domain(Domain=name)["DomainDescription"] == {}
    assert "Domain" not in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def test_unknown_domain_describes_as_empty(cognito: Any) -> None:
    answer = cognito.describe_user_pool_domain(Domain=unique("free"))
    assert answer["DomainDescription"] == {}
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_custom_domain_has_a_cloudfront_name_and_its_certificate(
    cognito: Any, pool_id: str
) -> None:
    name = custom_name()
    created = cognito.create_user_pool_domain(
        Domain=name, UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
    )
    assert CLOUDFRONT.match(created["CloudFrontDomain"])
    description = cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]
    assert description["CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}
    assert description["CloudFrontDistribution"] == created["CloudFrontDomain"]
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["CustomDomain"] == name


def test_a_pool_holds_one_prefix_and_one_custom_domain(cognito: Any, pool_id: str) -> None:
    prefix, custom = unique("auth"), custom_name()
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    cognito.create_user_pool_domain(
        Domain=custom, UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
    )
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (pool["Domain"], pool["CustomDomain"]) == (prefix, custom)
    with cognito_error("InvalidParameterException", "User pool already has a domain configured."):
        cognito.create_user_pool_domain(Domain=unique("auth"), UserPoolId=pool_id)
    with cognito_error("InvalidParameterException", "User pool already has a domain configured."):
        cognito.create_user_pool_domain(
            Domain=custom_name(),
            UserPoolId=pool_id,
            CustomDomainConfig={"CertificateArn": CERTIFICATE},
        )


def test_a_domain_name_belongs_to_one_pool(cognito: Any, make_pool: MakePool) -> None:
    name = unique("auth")
    cognito.create_user_pool_domain(Domain=name, UserPoolId=make_pool())
    with cognito_error(
        "InvalidParameterException", "Domain already associated with another user pool."
    ):
        cognito.create_user_pool_domain(Domain=name, UserPoolId=make_pool())


@pytest.mark.parametrize("name", ["Upper", "-leading", "trailing-", "under_score", "a.b"])
def test_prefix_must_be_lower_case_letters_digits_and_hyphens(
    cognito: Any, pool_id: str, name: str
) -> None:
    with cognito_error("InvalidParameterException", INVALID_PREFIX):
        cognito.create_user_pool_domain(Domain=name, UserPoolId=pool_id)


@pytest.mark.parametrize("word", ["aws", "amazon", "cognito"])
def test_prefix_must_not_hold_a_reserved_word(cognito: Any, pool_id: str, word: str) -> None:
    with cognito_error("InvalidParameterException", f"Domain cannot contain reserved word: {word}"):
        cognito.create_user_pool_domain(Domain=f"my{word}app", UserPoolId=pool_id)


def test_custom_domain_needs_a_us_east_1_acm_certificate(cognito: Any, pool_id: str) -> None:
    elsewhere = CERTIFICATE.replace("us-east-1", "eu-west-1")
    with cognito_error(
        "InvalidParameterException",
        "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid,"
        " or doesn't include a valid certificate chain.",
    ):
        cognito.create_user_pool_domain(
            Domain=custom_name(),
            UserPoolId=pool_id,
            CustomDomainConfig={"CertificateArn": elsewhere},
        )


def test_custom_domain_must_be_a_host_name(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidParameterException", "Domain nodots is not a valid fully qualified domain name."
    ):
        cognito.create_user_pool_domain(
            Domain="nodots", UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
        )


def test_domain_of_an_unknown_pool(cognito: Any) -> None:
    with cognito_error("ResourceNotFoundException", "User pool us-east-1_nope0000 does not exist."):
        cognito.create_user_pool_domain(Domain=unique("auth"), UserPoolId="us-east-1_nope0000")


def test_delete_needs_the_domain_of_that_pool(cognito: Any, make_pool: MakePool) -> None:
    owner, other = make_pool(), make_pool()
    name = unique("auth")
    cognito.create_user_pool_domain(Domain=name, UserPoolId=owner)
    with cognito_error("InvalidParameterException", "No such domain or user pool exists."):
        cognito.delete_user_pool_domain(Domain=name, UserPoolId=other)
    with cognito_error("InvalidParameterException", "No such domain or user pool exists."):
        cognito.delete_user_pool_domain(Domain=unique("auth"), UserPoolId=owner)
    assert (
        cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]["UserPoolId"] == owner
    )


def test_a_pool_with_a_domain_cannot_be_deleted(cognito: Any, pool_id: str) -> None:
    name = unique("auth")
    cognito.create_user_pool_domain(Domain=name, UserPoolId=pool_id)
    with cognito_error(
        "InvalidParameterException",
        "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    ):
        cognito.delete_user_pool(UserPoolId=pool_id)
    cognito.delete_user_pool_domain(Domain=name, UserPoolId=pool_id)
    cognito.delete_user_pool(UserPoolId=pool_id)


def test_update_changes_certificate_and_version_not_the_kind(cognito: Any, pool_id: str) -> None:
    prefix, custom = unique("auth"), custom_name()
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    cognito.create_user_pool_domain(
        Domain=custom, UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
    )
    renewed = CERTIFICATE.replace("0a1b2c3d", "9f8e7d6c")
    answer = cognito.update_user_pool_domain(
        Domain=custom,
        UserPoolId=pool_id,
        ManagedLoginVersion=2,
        CustomDomainConfig={"CertificateArn": renewed},
    )
    assert answer["ManagedLoginVersion"] == 2
    assert CLOUDFRONT.match(answer["CloudFrontDomain"])
    description = cognito.describe_user_pool_domain(Domain=custom)["DomainDescription"]
    assert description["CustomDomainConfig"] == {"CertificateArn": renewed}
    assert description["ManagedLoginVersion"] == 2
    with cognito_error(
        "InvalidParameterException", "Cannot convert custom domain to prefix domain."
    ):
        cognito.update_user_pool_domain(Domain=custom, UserPoolId=pool_id, ManagedLoginVersion=1)
    with cognito_error(
        "InvalidParameterException", "Cannot convert prefix domain to custom domain."
    ):
        cognito.update_user_pool_domain(
            Domain=prefix, UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERTIFICATE}
        )
    answer = cognito.update_user_pool_domain(
        Domain=prefix, UserPoolId=pool_id, ManagedLoginVersion=2
    )
    assert answer["ManagedLoginVersion"] == 2
    with cognito_error("InvalidParameterException", "No such domain or user pool exists."):
        cognito.update_user_pool_domain(
            Domain=unique("auth"), UserPoolId=pool_id, ManagedLoginVersion=2
        )


def test_managed_login_version_is_1_or_2(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException", "ManagedLoginVersion must be 1 or 2."):
        cognito.create_user_pool_domain(
            Domain=unique("auth"), UserPoolId=pool_id, ManagedLoginVersion=3
        )


def test_domain_through_the_aws_cli(aws: AwsCli, pool_id: str) -> None:
    name = unique("auth")
    aws("create-user-pool-domain", "--domain", name, "--user-pool-id", pool_id).ok()
    described = aws("describe-user-pool-domain", "--domain", name).json()["DomainDescription"]
    assert (described["Domain"], described["UserPoolId"]) == (name, pool_id)
    aws("delete-user-pool-domain", "--domain", name, "--user-pool-id", pool_id).ok()
    assert aws("describe-user-pool-domain", "--domain", name).json() == {"DomainDescription": {}}
