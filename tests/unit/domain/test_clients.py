"""App client settings (behaviour reference §4)."""

from __future__ import annotations

import re
import typing
from typing import Any, Unpack

import pytest

from recognito.domain.attributes import build_schema
from recognito.domain.clients import (
    _NOT_SETTINGS,
    allowed_flows,
    check_attribute_permissions,
    client_config,
    hides_user_existence,
    readable,
    session_seconds,
    writable,
)
from recognito.domain.tokens import lifetime
from recognito.errors import InvalidParameterException
from recognito.shapes import (
    CreateUserPoolClientRequest,
    ExplicitAuthFlowsType,
    StoredUserPoolClient,
    UpdateUserPoolClientRequest,
)

BASE: dict[str, Any] = {"UserPoolId": "us-east-1_AbCdEfGhI", "ClientName": "web"}
DEFAULT_FLOWS = {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}


def config_of(**settings: Any) -> StoredUserPoolClient:
    return client_config({**BASE, **settings})


# --- client_config defaults ----------------------------------------------------------------------


def test_client_config_defaults_match_create_user_pool_client() -> None:
    assert config_of() == {
        "RefreshTokenValidity": 30,
        "TokenValidityUnits": {},
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
    }


@pytest.mark.parametrize(
    "absent",
    [
        "ExplicitAuthFlows",
        "PreventUserExistenceErrors",
        "AccessTokenValidity",
        "IdTokenValidity",
        "ReadAttributes",
        "WriteAttributes",
        "ClientSecret",
    ],
)
def test_client_config_does_not_echo_unset_settings(absent: str) -> None:
    assert absent not in config_of()


def test_client_config_drops_identity_and_secret_fields() -> None:
    config = config_of(GenerateSecret=True, ClientId="abc", ClientSecret="s" * 40)
    assert not {"UserPoolId", "ClientId", "ClientName", "GenerateSecret", "ClientSecret"} & set(
        config
    )


@pytest.mark.parametrize(
    "request_shape", [CreateUserPoolClientRequest, UpdateUserPoolClientRequest]
)
def test_each_setting_a_request_gives_is_a_stored_setting_of_its_type(request_shape: type) -> None:
    """client_config stores a validated request's settings as they come (the one cast in
    clients._given): each is a StoredUserPoolClient member of the same type."""
    stored = typing.get_type_hints(StoredUserPoolClient)
    given = typing.get_type_hints(request_shape)
    assert {name: given[name] for name in given.keys() - _NOT_SETTINGS} == {
        name: stored.get(name) for name in given.keys() - _NOT_SETTINGS
    }


def test_client_config_keeps_given_settings() -> None:
    config = config_of(AccessTokenValidity=2, PreventUserExistenceErrors="ENABLED")
    assert config["AccessTokenValidity"] == 2
    assert config["PreventUserExistenceErrors"] == "ENABLED"


def test_client_config_does_not_share_default_containers() -> None:
    first = config_of()
    first["TokenValidityUnits"]["AccessToken"] = "minutes"
    assert config_of()["TokenValidityUnits"] == {}


# --- refresh token validity 0 --------------------------------------------------------------------


def test_refresh_token_validity_zero_becomes_thirty() -> None:
    assert config_of(RefreshTokenValidity=0)["RefreshTokenValidity"] == 30


def test_refresh_token_validity_zero_lasts_thirty_days() -> None:
    assert lifetime(config_of(RefreshTokenValidity=0), "refresh") == 30 * 86400


@pytest.mark.parametrize("unit", ["minutes", "hours"])
def test_refresh_token_validity_zero_means_thirty_days_whatever_the_unit(unit: str) -> None:
    # reference §4.2 / API docs: 0 is overridden with the default of 30 days
    config = config_of(RefreshTokenValidity=0, TokenValidityUnits={"RefreshToken": unit})
    assert lifetime(config, "refresh") == 30 * 86400


# --- validity bounds -----------------------------------------------------------------------------


def test_access_token_validity_of_two_minutes_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="Access token validity"):
        config_of(AccessTokenValidity=2, TokenValidityUnits={"AccessToken": "minutes"})


def test_access_token_validity_of_five_minutes_is_accepted() -> None:
    config = config_of(AccessTokenValidity=5, TokenValidityUnits={"AccessToken": "minutes"})
    assert lifetime(config, "access") == 300


def test_access_token_validity_above_one_day_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="Access token validity"):
        config_of(AccessTokenValidity=25)


def test_id_token_validity_of_one_day_is_accepted() -> None:
    config = config_of(IdTokenValidity=1, TokenValidityUnits={"IdToken": "days"})
    assert lifetime(config, "id") == 86400


def test_id_token_validity_below_five_minutes_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="Id token validity"):
        config_of(IdTokenValidity=299, TokenValidityUnits={"IdToken": "seconds"})


def test_refresh_token_validity_below_one_hour_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="Refresh token validity"):
        config_of(RefreshTokenValidity=59, TokenValidityUnits={"RefreshToken": "minutes"})


def test_refresh_token_validity_of_one_hour_is_accepted() -> None:
    config = config_of(RefreshTokenValidity=60, TokenValidityUnits={"RefreshToken": "minutes"})
    assert lifetime(config, "refresh") == 3600


def test_refresh_token_validity_of_ten_years_is_accepted() -> None:
    assert lifetime(config_of(RefreshTokenValidity=3650), "refresh") == 3650 * 86400


def test_refresh_token_validity_beyond_ten_years_is_rejected() -> None:
    with pytest.raises(InvalidParameterException, match="Refresh token validity"):
        config_of(RefreshTokenValidity=3651)


# --- explicit auth flows -------------------------------------------------------------------------


def test_mixing_legacy_and_new_explicit_auth_flows_is_rejected() -> None:
    with pytest.raises(InvalidParameterException):
        config_of(ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])


def test_only_legacy_explicit_auth_flows_are_accepted() -> None:
    flows = ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]
    assert config_of(ExplicitAuthFlows=flows)["ExplicitAuthFlows"] == flows


def test_only_new_explicit_auth_flows_are_accepted() -> None:
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert config_of(ExplicitAuthFlows=flows)["ExplicitAuthFlows"] == flows


@pytest.mark.parametrize("config", [{}, {"ExplicitAuthFlows": []}])
def test_allowed_flows_default_to_refresh_srp_and_custom(config: StoredUserPoolClient) -> None:
    assert allowed_flows(config) == DEFAULT_FLOWS


def test_allowed_flows_are_exactly_the_new_flows_given() -> None:
    config: StoredUserPoolClient = {
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    }
    assert allowed_flows(config) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


@pytest.mark.parametrize(
    ("legacy", "modern"),
    [
        ("USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"),
        ("ADMIN_NO_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"),
        ("CUSTOM_AUTH_FLOW_ONLY", "ALLOW_CUSTOM_AUTH"),
    ],
)
def test_allowed_flows_map_legacy_names(legacy: ExplicitAuthFlowsType, modern: str) -> None:
    flows = allowed_flows({"ExplicitAuthFlows": [legacy]})
    assert modern in flows
    assert legacy not in flows


def test_legacy_clients_keep_srp_and_refresh() -> None:
    flows = allowed_flows({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH"]})
    assert flows == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


# --- sessions and other helpers ------------------------------------------------------------------


def test_session_seconds_default_to_three_minutes() -> None:
    assert session_seconds({}) == 180
    assert session_seconds(config_of()) == 180


def test_session_seconds_follow_auth_session_validity() -> None:
    assert session_seconds(config_of(AuthSessionValidity=15)) == 900


def test_hides_user_existence_only_when_enabled() -> None:
    assert hides_user_existence({"PreventUserExistenceErrors": "ENABLED"}) is True
    assert hides_user_existence({"PreventUserExistenceErrors": "LEGACY"}) is False
    assert hides_user_existence({}) is False


def test_readable_always_includes_sub_and_none_means_all() -> None:
    assert readable({"ReadAttributes": ["email"]}) == {"email", "sub"}
    assert readable({}) is None


def test_writable_is_none_when_unset() -> None:
    assert writable({"WriteAttributes": ["name"]}) == {"name"}
    assert writable({}) is None


# --- ReadAttributes and WriteAttributes against the pool's schema (reference §4.2) ---------------

SCHEMA = build_schema(
    [
        {"Name": "email", "Required": True},
        {"Name": "tenant", "AttributeDataType": "String"},
        {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
    ]
)


def _check(action: str = "creating", **permissions: Unpack[StoredUserPoolClient]) -> None:
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
