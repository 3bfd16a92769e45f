from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Any

import pytest

from recognito.domain.attributes import (
    STANDARD_SCHEMA,
    VERIFIABLE,
    add_custom_attributes,
    build_schema,
    check_attributes,
    missing_required,
    normalize_attributes,
    refuse_developer_only,
    required_error,
    to_attribute_list,
)
from recognito.errors import InvalidParameterException, NotAuthorizedException
from recognito.shapes import SchemaAttributeType
from tests.cognito_reference import STANDARD_SCHEMA_ORDER


def _entry(schema: list[SchemaAttributeType], name: str) -> SchemaAttributeType:
    return next(e for e in schema if e["Name"] == name)


def _invalid(message: str) -> AbstractContextManager[object]:
    """pytest.raises for InvalidParameterException with exactly this message."""
    return pytest.raises(InvalidParameterException, match=f"^{re.escape(message)}$")


# --- standard schema ---------------------------------------------------------------------------


def test_standard_schema_order() -> None:
    assert [e["Name"] for e in STANDARD_SCHEMA] == STANDARD_SCHEMA_ORDER


def test_standard_schema_entries_match_describe_user_pool() -> None:
    by_name = {e["Name"]: e for e in STANDARD_SCHEMA}
    assert by_name["sub"] == {
        "Name": "sub",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": False,
        "Required": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"},
    }
    assert by_name["email"] == {
        "Name": "email",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
    }
    assert by_name["birthdate"]["StringAttributeConstraints"] == {
        "MinLength": "10",
        "MaxLength": "10",
    }
    assert by_name["email_verified"] == {
        "Name": "email_verified",
        "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
    }
    assert by_name["updated_at"] == {
        "Name": "updated_at",
        "AttributeDataType": "Number",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "NumberAttributeConstraints": {"MinValue": "0"},
    }


def test_every_standard_entry_has_the_common_keys() -> None:
    for entry in STANDARD_SCHEMA:
        assert {
            "Name",
            "AttributeDataType",
            "DeveloperOnlyAttribute",
            "Mutable",
            "Required",
        } <= set(entry)
        assert entry["DeveloperOnlyAttribute"] is False


# --- build_schema ------------------------------------------------------------------------------


def test_build_schema_without_request_is_the_standard_list() -> None:
    assert build_schema(None) == list(STANDARD_SCHEMA)
    assert build_schema([]) == list(STANDARD_SCHEMA)


def test_build_schema_returns_copies() -> None:
    schema = build_schema(None)
    schema[0]["StringAttributeConstraints"]["MaxLength"] = "1"
    assert STANDARD_SCHEMA[0]["StringAttributeConstraints"]["MaxLength"] == "2048"


def test_build_schema_standard_overrides_keep_position() -> None:
    schema = build_schema(
        [
            {
                "Name": "email",
                "AttributeDataType": "String",
                "Required": True,
                "Mutable": False,
                "StringAttributeConstraints": {"MaxLength": "256"},
            }
        ]
    )
    assert [e["Name"] for e in schema] == STANDARD_SCHEMA_ORDER
    email = _entry(schema, "email")
    assert email["Required"] is True
    assert email["Mutable"] is False
    assert email["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "256"}


def test_build_schema_rejects_standard_type_change() -> None:
    with _invalid(
        "You can not change AttributeDataType or set developerOnlyAttribute"
        " for standard schema attribute email_verified"
    ):
        build_schema([{"Name": "email_verified", "AttributeDataType": "String"}])


def test_build_schema_custom_attribute_defaults() -> None:
    schema = build_schema([{"Name": "tenant", "AttributeDataType": "String"}])
    assert schema[-1] == {
        "Name": "custom:tenant",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "StringAttributeConstraints": {},
    }


def test_build_schema_custom_attribute_echoes_settings() -> None:
    schema = build_schema(
        [
            {
                "Name": "age",
                "AttributeDataType": "Number",
                "Mutable": False,
                "DeveloperOnlyAttribute": True,
                "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"},
            },
            {"Name": "vip", "AttributeDataType": "Boolean"},
        ]
    )
    assert schema[-2] == {
        "Name": "dev:custom:age",  # developer-only, so dev: before custom:
        "AttributeDataType": "Number",
        "DeveloperOnlyAttribute": True,
        "Mutable": False,
        "Required": False,
        "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"},
    }
    assert "StringAttributeConstraints" not in schema[-1]


def test_build_schema_rejects_required_custom_attribute() -> None:
    with _invalid("Required custom attributes are not supported currently."):
        build_schema([{"Name": "tenant", "AttributeDataType": "String", "Required": True}])


def test_build_schema_rejects_long_custom_name() -> None:
    with pytest.raises(InvalidParameterException):
        build_schema([{"Name": "x" * 21, "AttributeDataType": "String"}])
    assert (
        build_schema([{"Name": "x" * 20, "AttributeDataType": "String"}])[-1]["Name"]
        == "custom:" + "x" * 20
    )


def test_build_schema_rejects_duplicates() -> None:
    with pytest.raises(InvalidParameterException, match="tenant"):
        build_schema(
            [
                {"Name": "tenant", "AttributeDataType": "String"},
                {"Name": "tenant", "AttributeDataType": "String"},
            ]
        )
    with pytest.raises(InvalidParameterException, match="email"):
        build_schema([{"Name": "email"}, {"Name": "email"}])


def test_build_schema_limits_custom_attributes_to_fifty() -> None:
    assert (
        len(build_schema([{"Name": f"a{i}", "AttributeDataType": "String"} for i in range(50)]))
        == 70
    )
    with pytest.raises(InvalidParameterException):
        build_schema([{"Name": f"a{i}", "AttributeDataType": "String"} for i in range(51)])


def test_build_schema_rejects_bad_string_constraints() -> None:
    with pytest.raises(InvalidParameterException):
        build_schema(
            [
                {
                    "Name": "t",
                    "AttributeDataType": "String",
                    "StringAttributeConstraints": {"MaxLength": "4096"},
                }
            ]
        )
    with pytest.raises(InvalidParameterException):
        build_schema(
            [
                {
                    "Name": "t",
                    "AttributeDataType": "String",
                    "StringAttributeConstraints": {"MinLength": "x"},
                }
            ]
        )


# --- add_custom_attributes ---------------------------------------------------------------------


def test_add_custom_attributes_appends() -> None:
    schema = build_schema(None)
    updated = add_custom_attributes(schema, [{"Name": "tier", "AttributeDataType": "String"}])
    assert updated[-1]["Name"] == "custom:tier"
    assert len(schema) == 20  # input untouched


def test_add_custom_attributes_rejects_existing_name() -> None:
    schema = build_schema([{"Name": "tier", "AttributeDataType": "String"}])
    with _invalid("custom:tier: Existing attribute already has name custom:tier."):
        add_custom_attributes(schema, [{"Name": "tier", "AttributeDataType": "String"}])


def test_add_custom_attributes_rejects_required() -> None:
    with _invalid("Required custom attributes are not supported currently."):
        add_custom_attributes(
            build_schema(None), [{"Name": "tier", "AttributeDataType": "String", "Required": True}]
        )


# --- check_attributes --------------------------------------------------------------------------

SCHEMA = build_schema(
    [
        {"Name": "tenant", "AttributeDataType": "String", "Mutable": False},
        {
            "Name": "code",
            "AttributeDataType": "String",
            "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "5"},
        },
        {
            "Name": "age",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"},
        },
        {"Name": "vip", "AttributeDataType": "Boolean"},
    ]
)


def test_check_attributes_accepts_valid_values() -> None:
    check_attributes(
        SCHEMA,
        {
            "email": "jane@example.com",
            "phone_number": "+14155550123",
            "email_verified": "TRUE",
            "phone_number_verified": "false",
            "name": "Jane",
            "birthdate": "1990-01-31",
            "custom:tenant": "acme",
            "custom:age": "42",
            "custom:vip": "true",
            "custom:code": "ab",
        },
        updating=False,
    )


def test_unknown_attribute() -> None:
    with _invalid(
        "Attributes did not conform to the schema: Type for attribute {custom:role} could not be"
        " determined"
    ):
        check_attributes(SCHEMA, {"custom:role": "admin"}, updating=False)


@pytest.mark.parametrize(
    "value", ["4155550123", "+1 415 555 0123", "+", "+1234567890123456", "+1a"]
)
def test_invalid_phone_number(value: str) -> None:
    with _invalid("Invalid phone number format."):
        check_attributes(SCHEMA, {"phone_number": value}, updating=False)


@pytest.mark.parametrize("value", ["jane", "jane@", "@example.com", "a b@example.com", "a@b@c"])
def test_invalid_email(value: str) -> None:
    with _invalid("Invalid email address format."):
        check_attributes(SCHEMA, {"email": value}, updating=False)


def test_verified_flags_must_be_boolean() -> None:
    with pytest.raises(InvalidParameterException, match="email_verified"):
        check_attributes(SCHEMA, {"email_verified": "yes"}, updating=False)


def test_string_longer_than_2048() -> None:
    with _invalid(
        "Attributes did not conform to the schema: name: String must be no longer than 2048"
        " characters"
    ):
        check_attributes(SCHEMA, {"name": "x" * 2049}, updating=False)


def test_string_longer_than_custom_max() -> None:
    with _invalid(
        "Attributes did not conform to the schema: custom:code: String must be no longer than 5"
        " characters"
    ):
        check_attributes(SCHEMA, {"custom:code": "abcdef"}, updating=False)


def test_string_shorter_than_min() -> None:
    with _invalid(
        "Attributes did not conform to the schema: birthdate: String must be no shorter than 10"
        " characters"
    ):
        check_attributes(SCHEMA, {"birthdate": "1990-1-1"}, updating=False)


@pytest.mark.parametrize("value", ["abc", "1e3", "NaN", "200", "-1"])
def test_custom_number_checked(value: str) -> None:
    with pytest.raises(InvalidParameterException, match="custom:age"):
        check_attributes(SCHEMA, {"custom:age": value}, updating=False)


def test_custom_boolean_checked() -> None:
    with pytest.raises(InvalidParameterException, match="custom:vip"):
        check_attributes(SCHEMA, {"custom:vip": "1"}, updating=False)


@pytest.mark.parametrize("updating", [False, True])
def test_sub_can_never_be_written(updating: bool) -> None:
    with _invalid(
        "Attributes did not conform to the schema: sub: Attribute cannot be updated."
        " (changing an immutable attribute)"
    ):
        check_attributes(SCHEMA, {"sub": "x"}, updating=updating)


def test_immutable_attribute_settable_on_create_only() -> None:
    check_attributes(SCHEMA, {"custom:tenant": "acme"}, updating=False)
    with _invalid(
        "Attributes did not conform to the schema: custom:tenant: Attribute cannot be updated."
        " (changing an immutable attribute)"
    ):
        check_attributes(SCHEMA, {"custom:tenant": "other"}, updating=True)


def test_empty_values_skip_format_rules() -> None:
    check_attributes(SCHEMA, {"email": "", "phone_number": "", "birthdate": ""}, updating=True)


def test_normalize_lowercases_booleans_only() -> None:
    assert normalize_attributes(SCHEMA, {"email_verified": "True", "name": "True"}) == {
        "email_verified": "true",
        "name": "True",
    }


# --- required ----------------------------------------------------------------------------------


def test_missing_required_in_schema_order_ignoring_sub() -> None:
    schema = build_schema(
        [{"Name": "phone_number", "Required": True}, {"Name": "email", "Required": True}]
    )
    assert missing_required(schema, {}) == ["email", "phone_number"]
    assert missing_required(schema, {"email": "", "phone_number": "+1555"}) == ["email"]
    assert missing_required(schema, {"email": "a@b.c", "phone_number": "+1555"}) == []


def test_required_error_single() -> None:
    err = required_error(["email"])
    assert isinstance(err, InvalidParameterException)
    assert (
        err.message == "Attributes did not conform to the schema: email: The attribute is required"
    )


def test_required_error_several() -> None:
    assert required_error(["name", "email"]).message == (
        "Attributes did not conform to the schema: name: The attribute is required\n"
        "email: The attribute is required"
    )


# --- misc --------------------------------------------------------------------------------------


def test_verifiable_attributes() -> None:
    assert VERIFIABLE == {"email": "email_verified", "phone_number": "phone_number_verified"}


def test_to_attribute_list() -> None:
    assert to_attribute_list({"email": "a@b.c", "name": "A"}) == [
        {"Name": "email", "Value": "a@b.c"},
        {"Name": "name", "Value": "A"},
    ]


# --- Number constraints of standard attributes -------------------------------------------------
# (this and the next two sections: schema rules Cognito applies that the moto suite showed
# missing, behaviour reference §13)


def _updated_at(constraints: dict[str, str]) -> dict[str, Any]:
    return {
        "Name": "updated_at",
        "AttributeDataType": "Number",
        "NumberAttributeConstraints": constraints,
    }


def test_standard_number_constraints_merge_into_the_defaults() -> None:
    schema = build_schema([_updated_at({"MaxValue": "2000000000"})])
    assert _entry(schema, "updated_at")["NumberAttributeConstraints"] == {
        "MinValue": "0",
        "MaxValue": "2000000000",
    }


def test_standard_number_constraints_replace_a_default_bound() -> None:
    schema = build_schema([_updated_at({"MinValue": "10", "MaxValue": "20"})])
    assert _entry(schema, "updated_at")["NumberAttributeConstraints"] == {
        "MinValue": "10",
        "MaxValue": "20",
    }


@pytest.mark.parametrize("bound", ["MinValue", "MaxValue"])
def test_standard_number_constraints_must_be_numbers(bound: str) -> None:
    with _invalid("Invalid NumberAttributeConstraints for schema attribute updated_at"):
        build_schema([_updated_at({bound: "soon"})])


def test_standard_number_constraints_may_not_be_inverted() -> None:
    with _invalid("user.updated_at: Max value cannot be less than min value."):
        build_schema([_updated_at({"MinValue": "2", "MaxValue": "1"})])


def test_standard_number_max_below_the_default_min_is_inverted() -> None:
    with _invalid("user.updated_at: Max value cannot be less than min value."):
        build_schema([_updated_at({"MaxValue": "-1"})])


def test_standard_number_constraints_are_enforced_on_values() -> None:
    schema = build_schema([_updated_at({"MinValue": "10", "MaxValue": "20"})])
    check_attributes(schema, {"updated_at": "15"}, updating=False)
    with _invalid(
        "Attributes did not conform to the schema: updated_at: Number must be no greater than 20"
    ):
        check_attributes(schema, {"updated_at": "21"}, updating=False)
    with _invalid(
        "Attributes did not conform to the schema: updated_at: Number must be no less than 10"
    ):
        check_attributes(schema, {"updated_at": "9"}, updating=False)


def test_huge_number_bounds_compare_exactly() -> None:
    # beyond a float's range and precision: the last digit decides
    high = "9" * 400
    schema = build_schema(
        [
            {
                "Name": "big",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MaxValue": high},
            }
        ]
    )
    check_attributes(schema, {"custom:big": high}, updating=False)
    with pytest.raises(InvalidParameterException, match="no greater than"):
        check_attributes(schema, {"custom:big": "1" + "0" * 400}, updating=False)
    with _invalid("user.custom:big: Max value cannot be less than min value."):
        build_schema(
            [
                {
                    "Name": "big",
                    "AttributeDataType": "Number",
                    "NumberAttributeConstraints": {"MinValue": high + "1", "MaxValue": high},
                }
            ]
        )


# --- custom attributes need a type -------------------------------------------------------------

NO_TYPE = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."


def test_custom_attribute_without_a_type_is_refused() -> None:
    with _invalid(NO_TYPE):
        build_schema([{"Name": "tenant", "Mutable": True}])


def test_added_custom_attribute_without_a_type_is_refused() -> None:
    with _invalid(NO_TYPE):
        add_custom_attributes(build_schema(None), [{"Name": "tenant"}])


def test_standard_attribute_keeps_its_type_when_none_is_named() -> None:
    # CDK sends standard attributes without AttributeDataType; Cognito accepts them
    schema = build_schema([{"Name": "email", "Required": True}])
    assert _entry(schema, "email")["AttributeDataType"] == "String"
    assert _entry(schema, "email")["Required"] is True


# --- developer-only attributes -----------------------------------------------------------------

DEV = {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}


def test_developer_only_attribute_is_named_dev_custom() -> None:
    schema = build_schema([DEV])
    assert schema[-1]["Name"] == "dev:custom:tier"
    assert schema[-1]["DeveloperOnlyAttribute"] is True
    check_attributes(schema, {"dev:custom:tier": "gold"}, updating=True)
    with pytest.raises(InvalidParameterException, match="could not be determined"):
        check_attributes(schema, {"custom:tier": "gold"}, updating=True)


def test_developer_only_attribute_added_later_is_named_dev_custom() -> None:
    assert add_custom_attributes(build_schema(None), [DEV])[-1]["Name"] == "dev:custom:tier"


def test_custom_and_developer_only_attributes_share_a_name() -> None:
    with _invalid("custom:tier: Existing attribute already has name dev:custom:tier."):
        add_custom_attributes(build_schema([DEV]), [DEV])
    plain = {"Name": "tier", "AttributeDataType": "String"}
    with _invalid("custom:tier: Existing attribute already has name custom:tier."):
        add_custom_attributes(build_schema([plain]), [DEV])
    with _invalid("custom:tier: Existing attribute already has name dev:custom:tier."):
        add_custom_attributes(build_schema([DEV]), [plain])


def test_developer_only_attributes_count_as_custom() -> None:
    fifty = [{**DEV, "Name": f"d{i}"} for i in range(50)]
    with pytest.raises(InvalidParameterException, match="at most 50"):
        add_custom_attributes(build_schema(fifty), [{"Name": "x", "AttributeDataType": "String"}])


def test_users_may_not_write_developer_only_attributes() -> None:
    refuse_developer_only(["custom:tier", "email"])
    with pytest.raises(
        NotAuthorizedException, match="^A client attempted to write unauthorized attribute$"
    ):
        refuse_developer_only(["email", "dev:custom:tier"])
