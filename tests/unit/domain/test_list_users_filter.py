from __future__ import annotations

import pytest

from recognito.domain.list_users_filter import UserFilter, matches, parse_filter
from recognito.errors import InvalidParameterException


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_empty_filter_means_no_filter(text: str | None) -> None:
    assert parse_filter(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('email = "a@example.com"', UserFilter("email", False, "a@example.com")),
        ('email="a@example.com"', UserFilter("email", False, "a@example.com")),
        ('phone_number ^= "+48"', UserFilter("phone_number", True, "+48")),
        ('phone_number^="+48"', UserFilter("phone_number", True, "+48")),
        (
            '  cognito:user_status = "UNCONFIRMED"  ',
            UserFilter("cognito:user_status", False, "UNCONFIRMED"),
        ),
        ('family_name = ""', UserFilter("family_name", False, "")),
        ('status = "Disabled"', UserFilter("status", False, "Disabled")),
    ],
)
def test_parse_valid_filters(text: str, expected: UserFilter) -> None:
    assert parse_filter(text) == expected


def test_parse_unescapes_quotes_and_backslashes() -> None:
    parsed = parse_filter(r'name = "say \"hi\" \\o/"')
    assert parsed == UserFilter("name", False, 'say "hi" \\o/')


@pytest.mark.parametrize(
    "text",
    [
        "username = foo",
        "username=",
        'username "x"',
        'username == "x"',
        'username = "x" extra',
        'username = "unterminated',
        'username = "a" or email = "b"',
        '= "x"',
        'username != "x"',
        'username = "trailing\\"',
    ],
)
def test_malformed_filter_is_a_parse_error(text: str) -> None:
    with pytest.raises(InvalidParameterException) as info:
        parse_filter(text)
    assert info.value.message == "Error while parsing filter"


@pytest.mark.parametrize("attribute", ["custom:foo", "Email", "address", "email_verified"])
def test_unsearchable_attribute_is_rejected(attribute: str) -> None:
    with pytest.raises(InvalidParameterException) as info:
        parse_filter(f'{attribute} = "x"')
    assert info.value.message == f"Invalid search attribute: {attribute}"


ATTRIBUTES = {"email": "Alice@Example.com", "sub": "abc-123", "name": "Alice A"}


def _match(text: str, *, enabled: bool = True) -> bool:
    parsed = parse_filter(text)
    assert parsed is not None
    return matches(
        parsed, username="Alice", status="CONFIRMED", enabled=enabled, attributes=ATTRIBUTES
    )


def test_user_status_is_case_insensitive() -> None:
    assert _match('cognito:user_status = "confirmed"')
    assert _match('cognito:user_status = "CONFIRMED"')
    assert not _match('cognito:user_status = "UNCONFIRMED"')
    assert _match('cognito:user_status ^= "conf"')


def test_status_compares_enabled_disabled() -> None:
    assert _match('status = "Enabled"')
    assert not _match('status = "Disabled"')
    assert _match('status = "Disabled"', enabled=False)
    assert not _match('status = "enabled"')


def test_username_is_exact_and_case_sensitive() -> None:
    assert _match('username = "Alice"')
    assert not _match('username = "alice"')
    assert not _match('username = "Ali"')
    assert _match('username ^= "Ali"')


def test_sub_is_exact() -> None:
    assert _match('sub = "abc-123"')
    assert not _match('sub = "ABC-123"')


def test_attribute_exact_and_prefix_are_case_sensitive() -> None:
    assert _match('email = "Alice@Example.com"')
    assert not _match('email = "alice@example.com"')
    assert _match('email ^= "Alice@"')
    assert not _match('email ^= "alice@"')
    assert _match('name ^= ""')


def test_missing_attribute_never_matches() -> None:
    assert not _match('family_name = ""')
    assert not _match('family_name ^= ""')
