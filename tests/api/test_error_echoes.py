"""Error messages quote bad values, but boundedly: the x-amzn-ErrorMessage header stays
short printable ASCII whatever the value (botocore cannot read a 200 KB header line, and
a CR, LF or NUL in a header is no response at all), and the body quotes a bounded prefix."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import cognito_error
from .wire import TARGET_PREFIX, call, error_type

HEADER_LIMIT = 512


def test_a_huge_bad_value_is_a_clean_error_for_boto3(cognito: Any) -> None:
    with cognito_error("InvalidParameterException") as info:
        cognito.describe_user_pool(UserPoolId="x" * 100_000)

    message = info.value.response["Error"]["Message"]
    assert "at 'userPoolId' failed to satisfy constraint" in message
    assert len(message) < 2_000


@pytest.mark.parametrize("bad", ["bad\r\nid", "bad\nX-Injected: 1", "bad\tid\x7f\u00e9\u2028"])
def test_control_characters_never_reach_the_headers(base_url: str, bad: str) -> None:
    answer = call(base_url, "DescribeUserPool", {"UserPoolId": bad})

    assert error_type(answer) == "InvalidParameterException"
    assert f"Value '{bad}' at 'userPoolId'" in answer.json()["message"]
    header = answer.headers["x-amzn-ErrorMessage"]
    assert header.isascii() and header.isprintable() and len(header) <= HEADER_LIMIT, header
    assert "x-injected" not in answer.headers


def test_a_long_unknown_target_is_answered_with_a_bounded_header(base_url: str) -> None:
    answer = httpx.post(
        base_url + "/",
        content=b"{}",
        headers={"X-Amz-Target": TARGET_PREFIX + "N" * 20_000},
        timeout=10,
    )

    assert error_type(answer) == "UnknownOperationException"
    assert len(answer.headers["x-amzn-ErrorMessage"]) <= HEADER_LIMIT
    assert len(answer.json()["message"]) < 1_000
