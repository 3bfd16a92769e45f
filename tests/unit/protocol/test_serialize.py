"""Response shaping against the real cognito-idp service model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from functools import cache

import botocore.model
import botocore.session
import pytest

from recognito.protocol.serialize import serialize_output


@cache
def _model() -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model("cognito-idp")


def _output(operation: str) -> botocore.model.StructureShape:
    return _model().operation_model(operation).output_shape


CREATED = datetime(2023, 7, 18, 23, 7, 45, 239000, tzinfo=UTC)


def test_no_output_shape_gives_an_empty_object() -> None:
    assert _model().operation_model("AdminDeleteUser").output_shape is None
    assert serialize_output(None, {"anything": 1}) == {}


def test_keys_the_shape_does_not_name_are_dropped() -> None:
    user = {
        "Username": "alice",
        "Enabled": True,
        "UserStatus": "FORCE_CHANGE_PASSWORD",
        "PasswordHash": "$argon2id$v=19$...",
        "SrpVerifier": "abc123",
    }
    body = serialize_output(_output("AdminCreateUser"), {"User": user, "PasswordHash": "x"})
    assert body == {
        "User": {"Username": "alice", "Enabled": True, "UserStatus": "FORCE_CHANGE_PASSWORD"}
    }


def test_none_values_are_dropped() -> None:
    body = serialize_output(
        _output("AdminCreateUser"), {"User": {"Username": "a", "MFAOptions": None}}
    )
    assert body == {"User": {"Username": "a"}}


def test_datetimes_become_epoch_seconds_with_milliseconds() -> None:
    user = {
        "Username": "a",
        "UserCreateDate": CREATED,
        "UserLastModifiedDate": CREATED.astimezone(timezone(timedelta(hours=2))),
    }
    body = serialize_output(_output("AdminCreateUser"), {"User": user})
    assert body["User"]["UserCreateDate"] == 1689721665.239
    assert body["User"]["UserLastModifiedDate"] == 1689721665.239


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = CREATED.replace(tzinfo=None)
    body = serialize_output(_output("AdminCreateUser"), {"User": {"UserCreateDate": naive}})
    assert body["User"]["UserCreateDate"] == 1689721665.239


def test_numeric_timestamps_are_emitted_as_floats() -> None:
    body = serialize_output(_output("AdminCreateUser"), {"User": {"UserCreateDate": 1689721665}})
    value = body["User"]["UserCreateDate"]
    assert isinstance(value, float) and value == 1689721665.0


def test_nested_lists_of_structures_are_filtered() -> None:
    users = [
        {
            "Username": "a",
            "Attributes": [
                {"Name": "email", "Value": "a@example.com", "Verified": True},
                {"Name": "sub", "Value": "1234", "internal_id": 9},
            ],
            "Salt": "deadbeef",
        },
        {"Username": "b", "Attributes": []},
    ]
    body = serialize_output(_output("ListUsers"), {"Users": users, "PaginationToken": None})
    assert body == {
        "Users": [
            {
                "Username": "a",
                "Attributes": [
                    {"Name": "email", "Value": "a@example.com"},
                    {"Name": "sub", "Value": "1234"},
                ],
            },
            {"Username": "b", "Attributes": []},
        ]
    }


def test_map_values_keep_every_key_and_drop_none() -> None:
    result = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {"SALT": "ab", "SRP_B": "cd", "USER_ID_FOR_SRP": "u", "X": None},
    }
    body = serialize_output(_output("InitiateAuth"), result)
    assert body == {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {"SALT": "ab", "SRP_B": "cd", "USER_ID_FOR_SRP": "u"},
    }


def test_scalars_keep_their_json_types() -> None:
    result = {
        "AuthenticationResult": {
            "AccessToken": "a",
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "NewDeviceMetadata": {"DeviceKey": "k", "DeviceGroupKey": "g"},
        }
    }
    body = serialize_output(_output("InitiateAuth"), result)
    assert body == result
    assert type(body["AuthenticationResult"]["ExpiresIn"]) is int


def test_str_enums_become_plain_strings() -> None:
    class Status(StrEnum):
        CONFIRMED = "CONFIRMED"

    body = serialize_output(
        _output("AdminGetUser"), {"Username": "a", "UserStatus": Status.CONFIRMED}
    )
    assert type(body["UserStatus"]) is str and body["UserStatus"] == "CONFIRMED"


def test_blobs_are_base64_encoded() -> None:
    # The only output blob in the model is in managed login branding assets.
    asset = {
        "Category": "FAVICON_ICO",
        "ColorMode": "LIGHT",
        "Extension": "ICO",
        "Bytes": b"\x00\x01",
    }
    body = serialize_output(
        _output("DescribeManagedLoginBranding"), {"ManagedLoginBranding": {"Assets": [asset]}}
    )
    assert body["ManagedLoginBranding"]["Assets"][0]["Bytes"] == "AAE="


@pytest.mark.parametrize(
    ("result", "path"),
    [
        (
            {"AuthenticationResult": {"ExpiresIn": "3600"}},
            "InitiateAuthResponse.AuthenticationResult.ExpiresIn",
        ),
        (
            {"AuthenticationResult": {"ExpiresIn": True}},
            "InitiateAuthResponse.AuthenticationResult.ExpiresIn",
        ),
        ({"ChallengeParameters": {"SALT": 1}}, "InitiateAuthResponse.ChallengeParameters.SALT"),
        ({"AuthenticationResult": "token"}, "InitiateAuthResponse.AuthenticationResult"),
    ],
)
def test_wrong_types_are_programming_errors_with_a_path(
    result: dict[str, object], path: str
) -> None:
    with pytest.raises(TypeError, match=rf"^{path}: expected"):
        serialize_output(_output("InitiateAuth"), result)


def test_wrong_type_inside_a_list_names_the_index() -> None:
    result = {"Users": [{"Username": "a"}, {"Username": "b", "Enabled": "yes"}]}
    with pytest.raises(TypeError, match=r"^ListUsersResponse\.Users\[1\]\.Enabled: expected bool"):
        serialize_output(_output("ListUsers"), result)
