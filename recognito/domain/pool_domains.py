"""User pool domains: what a prefix or custom domain name may be, and what Cognito
reports about one (the CloudFront name, the version stamp)."""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from recognito import errors
from recognito.config import Settings
from recognito.domain.records import UserPoolDomain

PREFIX_PATTERN = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
_PREFIX = re.compile(PREFIX_PATTERN)
RESERVED_WORDS = ("aws", "amazon", "cognito")
# a custom domain: a lower-case host name of two labels or more (the model's DomainType
# pattern is a prefix's and is not enforced for these, protocol/model.py)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
# ACM certificates for CloudFront (what a custom domain is served by) live in us-east-1
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[\w-]+$")
# the one message Cognito gives for a certificate it cannot use
BAD_CERTIFICATE = (
    "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid,"
    " or doesn't include a valid certificate chain."
)
DEFAULT_MANAGED_LOGIN_VERSION = 1  # the classic hosted UI, as the API's default (§14 item 5)
_CLOUDFRONT_ALPHABET = string.ascii_lowercase + string.digits
# Cognito's asset bucket per region, by airport code where one was seen
_S3_BUCKETS = {"us-east-1": "aws-cognito-prod-iad-assets"}


def check_prefix(prefix: str) -> None:
    """InvalidParameterException unless `prefix` may be a prefix domain."""
    if not _PREFIX.match(prefix):
        raise errors.InvalidParameterException(
            "The domain name contains an invalid character. Domain names can only contain"
            " lower-case letters, numbers, and hyphens. Please enter a different name that"
            f" follows this format: {PREFIX_PATTERN}"
        )
    for word in RESERVED_WORDS:
        if word in prefix:
            raise errors.InvalidParameterException(f"Domain cannot contain reserved word: {word}")


def check_custom(domain: str, certificate_arn: str) -> None:
    """InvalidParameterException unless `domain` is a host name served with a usable
    certificate."""
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise errors.InvalidParameterException(
            f"Domain {domain} is not a valid fully qualified domain name."
        )
    if not _CERTIFICATE.match(certificate_arn):
        raise errors.InvalidParameterException(BAD_CERTIFICATE)


def check_managed_login_version(version: int) -> None:
    if version not in (1, 2):
        raise errors.InvalidParameterException("ManagedLoginVersion must be 1 or 2.")


def cloudfront_name() -> str:
    """A distribution name as CloudFront makes them: `d` and 13 letters or digits."""
    tail = "".join(secrets.choice(_CLOUDFRONT_ALPHABET) for _ in range(13))
    return f"d{tail}.cloudfront.net"


def version_stamp(now: float) -> str:
    """The `Version` DescribeUserPoolDomain reports: when it was last set, yyyyMMddHHmmss."""
    return datetime.fromtimestamp(now, UTC).strftime("%Y%m%d%H%M%S")


def s3_bucket(region: str) -> str:
    return _S3_BUCKETS.get(region, f"aws-cognito-prod-{region}-assets")


def region_of(pool_id: str) -> str:
    return pool_id.split("_", 1)[0]


def advertised(domains: Sequence[UserPoolDomain]) -> UserPoolDomain | None:
    """The domain a pool's endpoints and links are given under: the custom one when the
    pool has both, else its prefix; None without a domain."""
    ordered = sorted(domains, key=lambda d: not d.custom)  # custom first
    return ordered[0] if ordered else None


def domain_base_url(settings: Settings, domain: UserPoolDomain) -> str:
    """The URL a pool domain's endpoints are advertised under: the public URL's
    /_domain/<domain> (reachable without DNS), or with --discovery-domain-form host the
    domain's own host name (prefix: <prefix>.auth.<region>.<--domain-suffix>), with the
    public URL's scheme and port."""
    if settings.discovery_domain_form != "host":
        return f"{settings.base_url}/_domain/{domain.domain}"
    public = urlsplit(settings.base_url)
    host = domain.domain
    if not domain.custom:
        region = domain.pool_id.split("_", 1)[0]
        host = f"{domain.domain}.auth.{region}.{settings.domain_suffix}"
    port = f":{public.port}" if public.port else ""
    return f"{public.scheme}://{host}{port}"
