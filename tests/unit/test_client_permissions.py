"""An app client's ReadAttributes and WriteAttributes against the pool's schema
(behaviour reference §4.2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from recognito.domain.attributes import build_schema
from recognito.domain.clients import check_attribute_permissions
from recognito.errors import InvalidParameterException

SCHEMA = build_schema(
    [
        {"Name": "email", "Required": True},
        {"Name": "tenant", "AttributeDataType": "String"},
        {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
    ]
)


def _check(action: str = "creating", **permissions: Any) -> None:
    check_attribute_permissions(permissions, SCHEMA, action=action)


def _invalid(kind: str, action: str = "creating") -> Any:
    message = f"Invalid {kind} attributes specified while {action} a client"
    return pytest.raises(InvalidParameterException, match=f"^{re.escape(message)}$")


def test_schema_attributes_are_accepted() -> None:
    _check()
    _check(
        ReadAttributes=["email", "email_verified", "custom:tenant", "dev:custom:tier", "sub"],
        WriteAttributes=["email", "name", "custom:tenant"],
    )


@pytest.mark.parametrize("action", ["creating", "updating"])
def test_unknown_read_attribute_is_refused(action: str) -> None:
    with _invalid("read", action):
        _check(action, ReadAttributes=["email", "custom:nope"])


@pytest.mark.parametrize("action", ["creating", "updating"])
def test_unknown_write_attribute_is_refused(action: str) -> None:
    with _invalid("write", action):
        _check(action, WriteAttributes=["email", "tenant"])  # the name lacks custom:


@pytest.mark.parametrize("name", ["email_verified", "phone_number_verified", "sub"])
def test_attributes_cognito_sets_are_not_client_writable(name: str) -> None:
    with _invalid("write"):
        _check(WriteAttributes=["email", name])


def test_developer_only_attribute_is_not_client_writable() -> None:
    with _invalid("write"):
        _check(WriteAttributes=["email", "dev:custom:tier"])


def test_write_attributes_must_include_required_attributes() -> None:
    with _invalid("write"):
        _check(WriteAttributes=["name"])
