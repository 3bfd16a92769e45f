"""SigV4 verification: AWS's published examples, requests botocore signs, and every way a
signature is refused (with AWS's wording)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from recognito import errors
from recognito.protocol import sigv4

# AWS's example of a signed request (IAM ListUsers, "Create a signed AWS API request")
IAM_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
IAM_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
IAM_QUERY = b"Action=ListUsers&Version=2010-05-08"
IAM_HEADERS = [
    (b"host", b"iam.amazonaws.com"),
    (b"content-type", b"application/x-www-form-urlencoded; charset=utf-8"),
    (b"x-amz-date", b"20150830T123600Z"),
    (
        b"authorization",
        b"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        b"SignedHeaders=content-type;host;x-amz-date, Signature=" + IAM_SIGNATURE.encode(),
    ),
]
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr"
SIGNED_AT = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
T0 = SIGNED_AT.timestamp()
TARGET = "AWSCognitoIdentityProviderService.ListUserPools"
BODY = b'{"MaxResults": 5}'


def _asgi_headers(request: AWSRequest) -> sigv4.Headers:
    return [(k.lower().encode(), str(v).encode()) for k, v in request.headers.items()]


def _botocore_signed(
    monkeypatch: pytest.MonkeyPatch,
    *,
    service: str = "cognito-idp",
    region: str = "eu-west-1",
    secret: str = SECRET,
    headers: dict[str, str] | None = None,
) -> sigv4.Headers:
    """The headers of a ListUserPools POST that botocore signs at SIGNED_AT."""
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: SIGNED_AT)
    request = AWSRequest(
        "POST",
        "http://127.0.0.1:9229/",
        data=BODY,
        headers={
            "Host": "127.0.0.1:9229",
            "X-Amz-Target": TARGET,
            "Content-Type": "application/x-amz-json-1.1",
            **(headers or {}),
        },
    )
    botocore.auth.SigV4Auth(Credentials("AKIDTEST", secret), service, region).add_auth(request)
    return _asgi_headers(request)


def _verify(headers: sigv4.Headers, body: bytes = BODY, query: bytes = b"") -> sigv4.Signed:
    signed = sigv4.parse(headers, query)
    sigv4.verify(signed, SECRET, "POST", b"/", query, headers, body)
    return signed


def test_aws_published_header_example_verifies() -> None:
    signed = sigv4.parse(IAM_HEADERS, IAM_QUERY)
    canonical = sigv4.canonical_request("GET", b"/", IAM_QUERY, IAM_HEADERS, signed, EMPTY_SHA256)
    # the canonical request's hash AWS's example shows
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
    )
    sigv4.verify(signed, IAM_SECRET, "GET", b"/", IAM_QUERY, IAM_HEADERS, b"")


def test_aws_published_presigned_example_verifies() -> None:
    # AWS's presigned URL example (S3 GET /test.txt, UNSIGNED-PAYLOAD)
    query = (
        b"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
        b"%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
        b"&X-Amz-SignedHeaders=host&X-Amz-Signature="
        b"aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )
    headers = [(b"host", b"examplebucket.s3.amazonaws.com")]
    signed = sigv4.parse(headers, query)
    assert (signed.access_key_id, signed.expires) == ("AKIAIOSFODNN7EXAMPLE", 86400)
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    sigv4.verify(signed, secret, "GET", b"/test.txt", query, headers, b"")


@pytest.mark.parametrize(
    "tamper",
    ["secret", "header", "query", "method"],
)
def test_anything_signed_that_changes_breaks_the_signature(tamper: str) -> None:
    signed = sigv4.parse(IAM_HEADERS, IAM_QUERY)
    secret, headers, query, method = IAM_SECRET, IAM_HEADERS, IAM_QUERY, "GET"
    if tamper == "secret":
        secret = IAM_SECRET[:-1] + "X"
    elif tamper == "header":
        headers = [(b"host", b"iam.amazonaws.com.evil"), *IAM_HEADERS[1:]]
    elif tamper == "query":
        query = b"Action=DeleteUser&Version=2010-05-08"
    else:
        method = "POST"
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.verify(signed, secret, method, b"/", query, headers, b"")
    assert info.value.message == sigv4.MISMATCH


def test_botocore_signature_verifies_and_names_its_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    signed = _verify(_botocore_signed(monkeypatch))
    assert (signed.access_key_id, signed.region, signed.service) == (
        "AKIDTEST",
        "eu-west-1",
        "cognito-idp",
    )
    assert "x-amz-target" in signed.signed_headers
    sigv4.check(signed, T0 + 60)


def test_a_changed_body_breaks_the_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.InvalidSignatureException):
        _verify(_botocore_signed(monkeypatch), body=b'{"MaxResults": 60}')


def test_a_content_hash_header_must_be_the_bodys(monkeypatch: pytest.MonkeyPatch) -> None:
    other = hashlib.sha256(b"{}").hexdigest()
    headers = _botocore_signed(monkeypatch, headers={"X-Amz-Content-SHA256": other})
    _verify(headers, body=b"{}")  # botocore signs the header's value: the body it names
    with pytest.raises(errors.InvalidSignatureException):
        _verify(headers, body=BODY)  # the same signature with another body


def test_no_signature_is_a_missing_token() -> None:
    with pytest.raises(errors.MissingAuthenticationTokenException) as info:
        sigv4.parse([(b"host", b"localhost")], b"")
    assert info.value.message == "Missing Authentication Token"


def test_a_malformed_authorization_names_what_it_lacks() -> None:
    headers = [(b"authorization", b"Bearer abc")]
    with pytest.raises(errors.IncompleteSignatureException) as info:
        sigv4.parse(headers, b"")
    assert info.value.message == (
        "Authorization header requires 'Credential' parameter. Authorization header requires "
        "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. Authorization=Bearer abc"
    )


def test_header_and_query_signatures_together_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(errors.IncompleteSignatureException):
        sigv4.parse(_botocore_signed(monkeypatch), b"X-Amz-Algorithm=AWS4-HMAC-SHA256")


def test_a_stale_signature_is_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    signed = _verify(_botocore_signed(monkeypatch))
    sigv4.check(signed, T0 + 300)  # five minutes late still counts
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(signed, T0 + 600)
    assert info.value.message == (
        "Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z "
        "(20240101T001000Z - 5 min.)"
    )


def test_a_signature_from_the_future_is_not_yet_current(monkeypatch: pytest.MonkeyPatch) -> None:
    signed = _verify(_botocore_signed(monkeypatch))
    sigv4.check(signed, T0 - 300)
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(signed, T0 - 301)
    assert info.value.message.startswith("Signature not yet current: 20240101T000000Z")


@pytest.mark.parametrize(
    ("service", "region", "message"),
    [
        ("iam", "us-east-1", "Credential should be scoped to correct service: 'cognito-idp'. "),
        (
            "cognito-idp",
            "local",
            "Credential should be scoped to a valid region, not 'local'. ",
        ),
    ],
)
def test_the_scope_names_cognito_idp_and_a_region(
    monkeypatch: pytest.MonkeyPatch, service: str, region: str, message: str
) -> None:
    signed = _verify(_botocore_signed(monkeypatch, service=service, region=region))
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(signed, T0)
    assert info.value.message == message


def test_the_scope_date_is_the_signing_date(monkeypatch: pytest.MonkeyPatch) -> None:
    headers = [
        (k, v.replace(b"/20240101/", b"/20231231/") if k == b"authorization" else v)
        for k, v in _botocore_signed(monkeypatch)
    ]
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(sigv4.parse(headers, b""), T0)
    assert info.value.message.startswith(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '20231231' != '20240101'"
    )


def test_the_operation_must_be_signed() -> None:
    headers = [
        (b"host", b"localhost"),
        (b"x-amz-date", b"20240101T000000Z"),
        (
            b"authorization",
            b"AWS4-HMAC-SHA256 Credential=AK/20240101/us-east-1/cognito-idp/aws4_request, "
            b"SignedHeaders=host;x-amz-date, Signature=00",
        ),
    ]
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(sigv4.parse(headers, b""), T0)
    assert info.value.message == "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization."


def test_the_date_header_stands_in_for_x_amz_date() -> None:
    headers = [
        (b"date", b"Mon, 01 Jan 2024 00:00:00 GMT"),
        (
            b"authorization",
            b"AWS4-HMAC-SHA256 Credential=AK/20240101/us-east-1/cognito-idp/aws4_request, "
            b"SignedHeaders=date;host;x-amz-target, Signature=00",
        ),
    ]
    signed = sigv4.parse(headers, b"")
    assert (signed.timestamp, signed.when) == ("20240101T000000Z", T0)


def _presigned(monkeypatch: pytest.MonkeyPatch, expires: int) -> tuple[sigv4.Headers, bytes]:
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: SIGNED_AT)
    request = AWSRequest(
        "POST",
        "http://127.0.0.1:9229/",
        headers={"Host": "127.0.0.1:9229", "X-Amz-Target": TARGET},
    )
    auth = botocore.auth.SigV4QueryAuth(
        Credentials("AKIDTEST", SECRET), "cognito-idp", "us-east-1", expires=expires
    )
    auth.add_auth(request)
    return _asgi_headers(request), request.url.partition("?")[2].encode()


def test_a_presigned_request_verifies_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    headers, query = _presigned(monkeypatch, 60)
    signed = _verify(headers, body=b"", query=query)
    assert signed.expires == 60
    sigv4.check(signed, T0 + 60)
    with pytest.raises(errors.InvalidSignatureException) as info:
        sigv4.check(signed, T0 + 61)
    assert info.value.message == (
        "Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z "
        "(20240101T000101Z - 60 sec.)"
    )


def test_a_presigned_signature_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    headers, query = _presigned(monkeypatch, 60)
    forged = query.replace(b"X-Amz-Expires=60", b"X-Amz-Expires=600")
    with pytest.raises(errors.InvalidSignatureException):
        _verify(headers, body=b"", query=forged)


def test_a_signature_of_any_characters_is_just_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    headers, query = _presigned(monkeypatch, 60)
    forged = query.partition(b"X-Amz-Signature=")[0] + b"X-Amz-Signature=%E2%82%AC%ED%A0%80"
    with pytest.raises(errors.InvalidSignatureException):
        _verify(headers, body=b"", query=forged)


def test_a_presigned_url_lives_a_week_at_most() -> None:
    query = (
        b"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20240101%2Fus-east-1%2F"
        b"cognito-idp%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604801"
        b"&X-Amz-SignedHeaders=host%3Bx-amz-target&X-Amz-Signature=00"
    )
    with pytest.raises(errors.IncompleteSignatureException) as info:
        sigv4.parse([], query)
    assert "604800" in info.value.message


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (b"/", "/"),
        (b"", "/"),
        (b"/a/./b/../c//d", "/a/c/d"),
        (b"/a%20b/", "/a%2520b/"),  # encoded once more, as for every service but S3
    ],
)
def test_canonical_uri(raw: bytes, canonical: str) -> None:
    assert sigv4.canonical_uri(raw) == canonical


def test_canonical_query_sorts_and_encodes() -> None:
    query = b"b=2&a=x%20y&a=1&c=%7E~+"
    assert sigv4.canonical_query(query, presigned=False) == "a=1&a=x%20y&b=2&c=~~%2B"
