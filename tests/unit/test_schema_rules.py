"""Schema rules Cognito applies that the moto suite showed missing (behaviour reference §13)."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Any

import pytest

from recognito.domain.attributes import (
    add_custom_attributes,
    build_schema,
    check_attributes,
    refuse_developer_only,
)
from recognito.domain.tokens import Issuance, id_claims
from recognito.errors import InvalidParameterException, NotAuthorizedException
from tests.records import a_user


def _entry(schema: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(e for e in schema if e["Name"] == name)


def _invalid(message: str) -> AbstractContextManager[object]:
    return pytest.raises(InvalidParameterException, match=f"^{re.escape(message)}$")


def _updated_at(constraints: dict[str, str]) -> dict[str, Any]:
    return {
        "Name": "updated_at",
        "AttributeDataType": "Number",
        "NumberAttributeConstraints": constraints,
    }


# --- Number constraints of standard attributes ---------------------------------------------------


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


# --- custom attributes need a type ---------------------------------------------------------------

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


# --- developer-only attributes -------------------------------------------------------------------

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


def test_id_token_leaves_developer_only_attributes_out() -> None:
    user = a_user(attributes={"email": "a@example.com", "dev:custom:tier": "gold", "custom:x": "1"})
    issuance = Issuance("iss", "client", "origin", "event", 0, 0)
    for readable in (None, {"email", "dev:custom:tier", "custom:x"}):
        claims = id_claims(user, issuance, jti="j", ttl=60, readable=readable)
        assert "dev:custom:tier" not in claims
        assert claims["custom:x"] == "1"
