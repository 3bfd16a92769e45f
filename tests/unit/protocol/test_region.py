"""The region of a request: the one its SigV4 credential scope names, if it is one."""

from __future__ import annotations

import pytest

from recognito.protocol.region import signed_region


@pytest.mark.parametrize(
    ("authorization", "region"),
    [
        ("AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/cognito-idp/aws4_request, "
         "SignedHeaders=host, Signature=00", "eu-west-1"),
        ("AWS4-HMAC-SHA256 Credential=k/20260101/us-gov-west-1/cognito-idp/aws4_request",
         "us-gov-west-1"),
        ("AWS4-HMAC-SHA256 Credential=AKID/20260101/local/cognito-idp/aws4_request", None),
        ("AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1%00/cognito-idp/aws4_request", None),
        ("Bearer eu-west-1", None),
        (None, None),
    ],
)  # fmt: skip
def test_the_signed_region_is_the_credential_scopes(
    authorization: str | None, region: str | None
) -> None:
    assert signed_region(authorization) == region
