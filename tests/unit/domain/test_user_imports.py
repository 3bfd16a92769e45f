"""The CSV rules of a user import, without a store."""

from __future__ import annotations

import pytest

from recognito.domain.attributes import build_schema
from recognito.domain.user_imports import (
    BAD_HEADER,
    NOT_UTF8,
    FailedRow,
    ImportedRow,
    RowRules,
    check_header,
    csv_header,
    read_csv,
)
from recognito.shapes import StoredUserPool


def pool(**config: object) -> StoredUserPool:
    stored: StoredUserPool = {"SchemaAttributes": build_schema(None)}
    stored.update(config)  # type: ignore[typeddict-item]  # the test's few settings
    return stored


def judge(config: StoredUserPool, **values: str) -> ImportedRow | FailedRow:
    header = csv_header(config)
    row = {"cognito:mfa_enabled": "false", **values}
    return RowRules(config, header).judge(2, [row.get(column, "") for column in header])


def test_the_header_ends_with_cognitos_columns_and_leaves_out_sub() -> None:
    header = csv_header(pool())
    assert header[-2:] == ["cognito:mfa_enabled", "cognito:username"]
    assert "sub" not in header and "email_verified" in header


def test_a_header_in_another_order_is_good_and_one_column_more_is_not() -> None:
    header = csv_header(pool())
    check_header(pool(), list(reversed(header)))
    with pytest.raises(ValueError, match=BAD_HEADER):
        check_header(pool(), [*header, "extra"])


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ValueError, match=NOT_UTF8):
        read_csv(b"\xff\xfe\x00")


def test_blank_lines_are_no_users_and_lines_are_numbered_from_the_header() -> None:
    _, rows = read_csv(b"a,b\n1,2\n\n3,4\n")
    assert list(rows) == [(2, ["1", "2"]), (4, ["3", "4"])]


def test_a_good_row_keeps_its_attributes_with_booleans_lower_cased() -> None:
    row = judge(pool(), **{"cognito:username": "ann", "email": "a@b.co", "email_verified": "TRUE"})
    assert row == ImportedRow(2, "ann", {"email": "a@b.co", "email_verified": "true"}, False)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "cognito:username is required."),
        ({"cognito:username": "a", "cognito:mfa_enabled": "yes"}, "must be true or false"),
        ({"cognito:username": "a", "cognito:mfa_enabled": "true"}, "phone_number is empty"),
        ({"cognito:username": "a", "email": "nope"}, "Invalid email address format."),
        ({"cognito:username": "a", "email_verified": "true"}, "email is empty"),
    ],
)
def test_a_bad_row_fails_with_its_reason(values: dict[str, str], message: str) -> None:
    row = judge(pool(), **values)
    assert isinstance(row, FailedRow)
    assert message in row.message


def test_a_pool_with_auto_verified_email_needs_it_verified() -> None:
    config = pool(AutoVerifiedAttributes=["email"])
    row = judge(config, **{"cognito:username": "a", "email": "a@b.co"})
    assert isinstance(row, FailedRow)
    assert "verified email" in row.message


def test_in_a_pool_named_by_email_the_username_is_the_email() -> None:
    config = pool(UsernameAttributes=["email"])
    assert isinstance(judge(config, **{"cognito:username": "x", "email": "a@b.co"}), FailedRow)
    assert isinstance(
        judge(config, **{"cognito:username": "a@b.co", "email": "a@b.co"}), ImportedRow
    )
