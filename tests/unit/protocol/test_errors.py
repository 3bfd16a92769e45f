"""What error messages may carry: header-safe text, bounded quotes of bad values, a
bounded list of violations, and never a character no store can hold."""

from __future__ import annotations

import pytest

from recognito.errors import InvalidParameterException
from recognito.protocol.errors import HEADER_MESSAGE_LIMIT, header_text
from recognito.protocol.model import operation_model
from recognito.protocol.validate import ECHO_LIMIT, MAX_LISTED, validate_input


def test_header_text_is_short_printable_ascii() -> None:
    assert header_text("User does not exist.") == "User does not exist."
    assert header_text("a\r\nb\x00\u00e9\ud800") == "a\\r\\nb\\x00\\xe9\\ud800"
    long = header_text("\n" * 10_000)
    assert len(long) == HEADER_MESSAGE_LIMIT and long.endswith("...")


def _invalid(operation: str, body: dict[str, object]) -> str:
    model = operation_model(operation)
    assert model is not None
    with pytest.raises(InvalidParameterException) as info:
        validate_input(model.input_shape, body)
    return info.value.message


def test_a_quoted_value_is_cut_to_the_echo_limit() -> None:
    message = _invalid("DescribeUserPool", {"UserPoolId": "x" * 100_000})

    assert f"Value '{'x' * ECHO_LIMIT}...' at 'userPoolId'" in message
    assert len(message) < 2 * ECHO_LIMIT + 500


def test_only_the_first_violations_are_spelt_out() -> None:
    message = _invalid("AdminDeleteUserAttributes", {
        "UserPoolId": "us-east-1_abc", "Username": "u", "UserAttributeNames": [""] * 10_000
    })  # fmt: skip

    # each empty name breaks two rules: the pattern and the minimum length
    assert message.startswith("20000 validation errors detected: ")
    assert message.count("failed to satisfy constraint") == MAX_LISTED
    assert message.endswith(f"; and {20_000 - MAX_LISTED} more")


def test_unstorable_characters_are_never_quoted() -> None:
    token = _invalid("ListUserPools", {"MaxResults": 1, "NextToken": "a\x00"})
    urls = ["https://example.com/"] * 100 + ["https://example.com/\ud800"]
    too_many = _invalid(
        "CreateUserPoolClient",
        {"UserPoolId": "us-east-1_abc", "ClientName": "c", "CallbackURLs": urls},
    )

    assert token.endswith(
        "Value at 'nextToken' failed to satisfy constraint: "
        "Member must not contain NUL characters or unpaired surrogates"
    )
    assert "at 'callbackURLs.101.member' failed to satisfy constraint: Member must not" in too_many
    assert "Value '[https://example.com/, " in too_many  # the list, quoted
    assert "\ud800" not in too_many and "\x00" not in token
