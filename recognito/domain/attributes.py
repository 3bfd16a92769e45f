"""User-pool attribute schema and the rules attribute values must follow (docs/behaviour.md §13).

A pool's schema is stored as the `SchemaAttributes` list DescribeUserPool returns, so these
functions take and return that shape directly.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from recognito.errors import InvalidParameterException, NotAuthorizedException
from recognito.shapes import (
    AttributeDataType,
    AttributeType,
    DeliveryMediumType,
    NumberAttributeConstraintsType,
    SchemaAttributeType,
    StringAttributeConstraintsType,
)

VERIFIABLE = {"email": "email_verified", "phone_number": "phone_number_verified"}
# how a code or message reaches each verifiable attribute
DELIVERY_MEDIUM: dict[str, DeliveryMediumType] = {"email": "EMAIL", "phone_number": "SMS"}

MAX_CUSTOM_ATTRIBUTES = 50
MAX_CUSTOM_NAME_LENGTH = 20
MAX_VALUE_LENGTH = 2048
CUSTOM_PREFIX = "custom:"
# developer-only attributes are custom ones that Cognito names dev:custom:<name>
DEVELOPER_PREFIX = "dev:"
UNAUTHORIZED_WRITE = "A client attempted to write unauthorized attribute"
DATA_TYPES = ("String", "Number", "DateTime", "Boolean")


def _standard(
    name: str,
    data_type: AttributeDataType = "String",
    *,
    mutable: bool = True,
    required: bool = False,
) -> SchemaAttributeType:
    entry: SchemaAttributeType = {
        "Name": name,
        "AttributeDataType": data_type,
        "DeveloperOnlyAttribute": False,
        "Mutable": mutable,
        "Required": required,
    }
    if data_type == "String":
        entry["StringAttributeConstraints"] = {"MinLength": "0", "MaxLength": "2048"}
    elif data_type == "Number":
        entry["NumberAttributeConstraints"] = {"MinValue": "0"}
    return entry


def _with_strings(
    entry: SchemaAttributeType, min_length: str, max_length: str
) -> SchemaAttributeType:
    entry["StringAttributeConstraints"] = {"MinLength": min_length, "MaxLength": max_length}
    return entry


# Order and constraint strings exactly as real DescribeUserPool output lists them.
STANDARD_SCHEMA: tuple[SchemaAttributeType, ...] = (
    _with_strings(_standard("sub", mutable=False, required=True), "1", "2048"),
    *(
        _standard(n)
        for n in (
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
        )
    ),
    _standard("email_verified", "Boolean"),
    _standard("gender"),
    _with_strings(_standard("birthdate"), "10", "10"),
    _standard("zoneinfo"),
    _standard("locale"),
    _standard("phone_number"),
    _standard("phone_number_verified", "Boolean"),
    _standard("address"),
    _standard("updated_at", "Number"),
)
_STANDARD_BY_NAME = {entry["Name"]: entry for entry in STANDARD_SCHEMA}

_SCHEMA_ERROR = "Attributes did not conform to the schema: "
PHONE_FORMAT = re.compile(r"\+[0-9]{1,15}")
# Deliberately loose: one @, no whitespace, a sane dotted domain. Real mail servers decide the rest.
EMAIL_FORMAT = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)*")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_BOOLEANS = ("true", "false")


# --- schema definition (CreateUserPool, AddCustomAttributes) ---------------------------------


def build_schema(requested: Sequence[Mapping[str, Any]] | None) -> list[SchemaAttributeType]:
    """The pool's SchemaAttributes: the standard list with CreateUserPool's `Schema` merged in."""
    schema = [copy.deepcopy(entry) for entry in STANDARD_SCHEMA]
    index = {entry["Name"]: i for i, entry in enumerate(schema)}
    seen: set[str] = set()
    custom: list[SchemaAttributeType] = []
    for item in requested or []:
        name = item.get("Name", "")
        if name in seen:
            raise InvalidParameterException(f"Duplicate attribute name in schema: {name}")
        seen.add(name)
        if name in index:
            schema[index[name]] = _override_standard(schema[index[name]], item)
        else:
            custom.append(_custom_attribute(item))
    return _append_custom(schema, custom)


def add_custom_attributes(
    schema: Sequence[SchemaAttributeType], new: Sequence[Mapping[str, Any]]
) -> list[SchemaAttributeType]:
    """A new schema list with `new` (AddCustomAttributes entries) appended as custom attributes."""
    return _append_custom(schema, [_custom_attribute(item) for item in new])


def _append_custom(
    schema: Sequence[SchemaAttributeType], custom: list[SchemaAttributeType]
) -> list[SchemaAttributeType]:
    result = [copy.deepcopy(entry) for entry in schema]
    # custom:x and dev:custom:x share one name: a pool cannot have both
    taken = {_custom_key(entry["Name"]): entry["Name"] for entry in result}
    for entry in custom:
        key = _custom_key(entry["Name"])
        if key in taken:
            raise InvalidParameterException(
                f"{key}: Existing attribute already has name {taken[key]}."
            )
        taken[key] = entry["Name"]
        result.append(entry)
    custom_count = sum(1 for n in taken.values() if _is_custom(n))
    if custom_count > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(
            f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )
    return result


def _custom_key(name: str) -> str:
    return name.removeprefix(DEVELOPER_PREFIX)


def _is_custom(name: str) -> bool:
    """A custom attribute, developer-only ones included (as opposed to a standard one)."""
    return name.startswith((CUSTOM_PREFIX, DEVELOPER_PREFIX))


def developer_only(name: str) -> bool:
    return name.startswith(DEVELOPER_PREFIX)


def refuse_developer_only(names: Iterable[str]) -> None:
    """Developer-only attributes are written by administrators (IAM-signed calls) only,
    never by a user's own token."""
    if any(developer_only(name) for name in names):
        raise NotAuthorizedException(UNAUTHORIZED_WRITE)


_FLAGS: tuple[Literal["Required", "Mutable"], ...] = ("Required", "Mutable")
_LENGTHS: tuple[Literal["MinLength", "MaxLength"], ...] = ("MinLength", "MaxLength")
_VALUES: tuple[Literal["MinValue", "MaxValue"], ...] = ("MinValue", "MaxValue")


def _override_standard(base: SchemaAttributeType, item: Mapping[str, Any]) -> SchemaAttributeType:
    """Standard attributes may change only Required, Mutable and their String or Number
    constraints; constraints given in part are merged into the standard ones."""
    name = base["Name"]
    data_type = item.get("AttributeDataType")
    if (data_type and data_type != base["AttributeDataType"]) or item.get("DeveloperOnlyAttribute"):
        raise InvalidParameterException(
            "You can not change AttributeDataType or set developerOnlyAttribute"
            f" for standard schema attribute {name}"
        )
    entry = base.copy()
    for flag in _FLAGS:
        if item.get(flag) is not None:
            entry[flag] = bool(item[flag])
    if base["AttributeDataType"] == "String" and item.get("StringAttributeConstraints"):
        merged = {**base["StringAttributeConstraints"], **item["StringAttributeConstraints"]}
        entry["StringAttributeConstraints"] = _string_constraints(name, merged)
    if base["AttributeDataType"] == "Number" and item.get("NumberAttributeConstraints"):
        merged = {**base["NumberAttributeConstraints"], **item["NumberAttributeConstraints"]}
        entry["NumberAttributeConstraints"] = _number_constraints(name, merged)
    return entry


def _custom_attribute(item: Mapping[str, Any]) -> SchemaAttributeType:
    # A name given with the prefix already is taken as meant, not doubled to custom:custom:x.
    base = str(item.get("Name", "")).removeprefix(CUSTOM_PREFIX)
    developer = bool(item.get("DeveloperOnlyAttribute", False))
    name = (DEVELOPER_PREFIX if developer else "") + CUSTOM_PREFIX + base
    if not base or len(base) > MAX_CUSTOM_NAME_LENGTH:
        raise InvalidParameterException(
            f"{name}: Custom attribute name must be 1 to {MAX_CUSTOM_NAME_LENGTH} characters long."
        )
    # a custom attribute has no type to fall back on, so Cognito wants one named
    data_type = item.get("AttributeDataType")
    if not data_type:
        raise InvalidParameterException(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
        )
    if data_type not in DATA_TYPES:
        raise InvalidParameterException(f"{name}: Invalid AttributeDataType {data_type}.")
    if item.get("Required"):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    entry: SchemaAttributeType = {
        "Name": name,
        "AttributeDataType": data_type,
        "DeveloperOnlyAttribute": developer,
        "Mutable": bool(item.get("Mutable", True)),
        "Required": False,
    }
    if data_type == "String":
        entry["StringAttributeConstraints"] = _string_constraints(
            name, item.get("StringAttributeConstraints") or {}
        )
    elif data_type == "Number":
        entry["NumberAttributeConstraints"] = _number_constraints(
            name, item.get("NumberAttributeConstraints") or {}
        )
    return entry


def _string_constraints(name: str, given: Mapping[str, Any]) -> StringAttributeConstraintsType:
    limits: StringAttributeConstraintsType = {}
    for key in _LENGTHS:
        if given.get(key) is not None:
            limits[key] = str(given[key])
    try:
        low = int(limits.get("MinLength", "0"))
        high = int(limits.get("MaxLength", str(MAX_VALUE_LENGTH)))
    except ValueError:
        raise InvalidParameterException(
            f"{name}: String length constraints must be integers."
        ) from None
    if not 0 <= low <= high <= MAX_VALUE_LENGTH:
        raise InvalidParameterException(
            f"{name}: String length constraints must satisfy"
            f" 0 <= MinLength <= MaxLength <= {MAX_VALUE_LENGTH}."
        )
    return limits


def _number_constraints(name: str, given: Mapping[str, Any]) -> NumberAttributeConstraintsType:
    limits: NumberAttributeConstraintsType = {}
    for key in _VALUES:
        if given.get(key) is not None:
            value = str(given[key])
            if not _NUMBER.fullmatch(value):
                raise InvalidParameterException(
                    f"Invalid NumberAttributeConstraints for schema attribute {name}"
                )
            limits[key] = value
    if "MinValue" in limits and "MaxValue" in limits:
        # Decimal, not float: bounds may be as large as 2^1023 and must compare exactly
        if Decimal(limits["MinValue"]) > Decimal(limits["MaxValue"]):
            raise InvalidParameterException(
                f"user.{name}: Max value cannot be less than min value."
            )
    return limits


# --- attribute values (SignUp, AdminCreateUser, Update*UserAttributes) -----------------------


def check_attributes(
    schema: Sequence[Mapping[str, Any]],
    attributes: Mapping[str, str],
    *,
    updating: bool,
    by_name: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Raise InvalidParameterException for the first attribute the schema does not allow.

    Empty values skip the format rules; whether they may be empty is missing_required's call.
    `by_name` is the schema by attribute name, for callers that judge many users.
    """
    if by_name is None:
        by_name = {entry["Name"]: entry for entry in schema}
    for name, value in attributes.items():
        entry = by_name.get(name)
        if entry is None:
            raise InvalidParameterException(
                f"{_SCHEMA_ERROR}Type for attribute {{{name}}} could not be determined"
            )
        # sub is Cognito's own identifier: never client-written, even on create.
        if name == "sub" or (updating and not entry.get("Mutable", True)):
            raise _error(name, "Attribute cannot be updated. (changing an immutable attribute)")
        if value != "":
            _check_value(entry, value)


def _check_value(entry: Mapping[str, Any], value: str) -> None:
    name = entry["Name"]
    if name == "phone_number" and not PHONE_FORMAT.fullmatch(value):
        raise InvalidParameterException("Invalid phone number format.")
    if name == "email" and not EMAIL_FORMAT.fullmatch(value):
        raise InvalidParameterException("Invalid email address format.")
    data_type = entry.get("AttributeDataType", "String")
    if data_type == "Boolean" and value.lower() not in _BOOLEANS:
        raise _error(name, "Value must be either true or false")
    if data_type == "Number":
        _check_number(entry, value)
    limits = (entry.get("StringAttributeConstraints") or {}) if data_type == "String" else {}
    low, high = int(limits.get("MinLength", 0)), int(limits.get("MaxLength", MAX_VALUE_LENGTH))
    if len(value) > high:
        raise _error(name, f"String must be no longer than {high} characters")
    if len(value) < low:
        raise _error(name, f"String must be no shorter than {low} characters")


def _check_number(entry: Mapping[str, Any], value: str) -> None:
    name = entry["Name"]
    if not _NUMBER.fullmatch(value):
        raise _error(name, "Number value is not a valid number")
    limits = entry.get("NumberAttributeConstraints") or {}
    if "MinValue" in limits and Decimal(value) < Decimal(limits["MinValue"]):
        raise _error(name, f"Number must be no less than {limits['MinValue']}")
    if "MaxValue" in limits and Decimal(value) > Decimal(limits["MaxValue"]):
        raise _error(name, f"Number must be no greater than {limits['MaxValue']}")


def _error(name: str, detail: str) -> InvalidParameterException:
    return InvalidParameterException(f"{_SCHEMA_ERROR}{name}: {detail}")


def normalize_attributes(
    schema: Sequence[Mapping[str, Any]], attributes: Mapping[str, str]
) -> dict[str, str]:
    """Checked attributes as stored: Boolean values lower-cased ("True" -> "true")."""
    booleans = {e["Name"] for e in schema if e.get("AttributeDataType") == "Boolean"}
    return {n: v.lower() if n in booleans else v for n, v in attributes.items()}


def missing_required(
    schema: Sequence[Mapping[str, Any]], attributes: Mapping[str, str]
) -> list[str]:
    """Required attributes absent or empty, in schema order; `sub` is ours to generate."""
    return [
        entry["Name"]
        for entry in schema
        if entry.get("Required") and entry["Name"] != "sub" and not attributes.get(entry["Name"])
    ]


def required_error(missing: list[str]) -> InvalidParameterException:
    return InvalidParameterException(
        _SCHEMA_ERROR + "\n".join(f"{name}: The attribute is required" for name in missing)
    )


def to_attribute_list(attributes: Mapping[str, str]) -> list[AttributeType]:
    return [{"Name": name, "Value": value} for name, value in attributes.items()]
