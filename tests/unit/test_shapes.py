"""The generated shapes and how operations use them: each operation is annotated with its
own input and output shape, and the few strings the domain keeps untyped are values of the
enums they are cast to."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest

from recognito.api import operations
from recognito.app import build_services
from recognito.clock import FrozenClock
from recognito.config import Settings
from recognito.domain import mfa
from recognito.domain.user_status import Status
from recognito.protocol.model import operation_model
from recognito.protocol.serialize import serialize_output
from recognito.protocol.validate import validate_input
from recognito.service.registry import NoOutput
from recognito.shapes import (
    ChallengeNameType,
    SetUserPoolMfaConfigRequest,
    StoredUserPool,
    StoredUserPoolClient,
    UserPoolClientType,
    UserPoolType,
    UserStatusType,
)


@pytest.mark.parametrize("name", sorted(operations()))
def test_each_operation_takes_and_returns_its_own_shapes(name: str) -> None:
    model = operation_model(name)
    assert model is not None
    hints = typing.get_type_hints(operations()[name])
    assert hints["req"].__name__ == model.input_shape.name
    if model.output_shape is None:
        assert hints["return"] is NoOutput
    else:
        assert hints["return"].__name__ == model.output_shape.name


def test_user_statuses_are_user_status_type_values() -> None:
    assert {str(status) for status in Status} <= set(typing.get_args(UserStatusType))


def test_mfa_challenges_are_challenge_name_type_values() -> None:
    challenges = {mfa.SMS, mfa.TOTP, mfa.SELECT, mfa.SETUP}
    assert challenges <= set(typing.get_args(ChallengeNameType))


def test_typed_dicts_know_their_members_at_run_time() -> None:
    # wire.user_pool_type filters a stored config by them
    members = UserPoolType.__required_keys__ | UserPoolType.__optional_keys__
    assert {"Id", "Name", "Policies", "SchemaAttributes", "MfaConfiguration"} <= members
    assert "SoftwareTokenMfaConfiguration" not in members


def test_the_stored_shapes_are_members_of_the_model_shapes_of_the_same_type() -> None:
    """A stored config's members are UserPoolType's (the MFA settings SetUserPoolMfaConfig's)
    and UserPoolClientType's: wire.user_pool_type and user_pool_client_type rely on it."""
    pool = typing.get_type_hints(StoredUserPool)
    described = typing.get_type_hints(UserPoolType) | typing.get_type_hints(
        SetUserPoolMfaConfigRequest
    )
    assert pool == {name: described[name] for name in pool}
    client = typing.get_type_hints(StoredUserPoolClient)
    assert client == {name: typing.get_type_hints(UserPoolClientType)[name] for name in client}
    # what describing a pool or client adds is not stored
    assert not {"Id", "Name", "Arn", "CreationDate", "EstimatedNumberOfUsers"} & pool.keys()
    assert not {"ClientId", "ClientName", "ClientSecret", "UserPoolId"} & client.keys()


def test_a_pool_shows_its_mfa_settings_only_where_the_model_has_them(tmp_path: Path) -> None:
    """The stored config also holds SetUserPoolMfaConfig's settings, which UserPoolType does
    not name: DescribeUserPool must leave them out (the serializer would warn)."""
    services, deliverer = build_services(Settings(data_dir=tmp_path), FrozenClock())
    table = operations()

    def call(name: str, **params: Any) -> dict[str, Any]:
        model = operation_model(name)
        assert model is not None
        result = table[name](services, validate_input(model.input_shape, params))
        return serialize_output(model.output_shape, result)

    try:
        pool_id = call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
        totp = {"Enabled": True}
        call(
            "SetUserPoolMfaConfig",
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration=totp,
            MfaConfiguration="OPTIONAL",
        )
        pool = call("DescribeUserPool", UserPoolId=pool_id)["UserPool"]
        assert pool["MfaConfiguration"] == "OPTIONAL"
        assert "SoftwareTokenMfaConfiguration" not in pool
        mfa_config = call("GetUserPoolMfaConfig", UserPoolId=pool_id)
        assert mfa_config["SoftwareTokenMfaConfiguration"] == totp
    finally:
        deliverer.close()
        services.store.engine.dispose()
