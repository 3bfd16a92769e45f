"""A key the output shape does not name is a bug in the operation: it is dropped, and the
serializer says so with an UnknownResponseKey warning naming the shape and the key."""

from __future__ import annotations

import warnings

import pytest

from recognito.protocol.model import operation_model
from recognito.protocol.serialize import UnknownResponseKey, serialize_output


def _output(operation: str) -> object:
    model = operation_model(operation)
    assert model is not None
    return model.output_shape


def test_an_unknown_top_level_key_warns_and_is_dropped() -> None:
    with pytest.warns(UnknownResponseKey, match=r"^GetGroupResponse: .*GetGroupResponse\.Extra$"):
        body = serialize_output(_output("GetGroup"), {"Group": {"GroupName": "g"}, "Extra": 1})
    assert body == {"Group": {"GroupName": "g"}}


def test_nested_unknown_keys_name_their_shape_and_all_are_reported_once() -> None:
    users = [
        {"Username": "a", "PasswordHash": "x"},
        {"Username": "b", "Attributes": [{"Name": "sub", "Value": "1", "Verified": True}]},
    ]
    with pytest.warns(UnknownResponseKey) as record:
        body = serialize_output(_output("ListUsers"), {"Users": users, "Salt": None})
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith("ListUsersResponse: ")
    for key in ("ListUsersResponse.Salt", "UserType.PasswordHash", "AttributeType.Verified"):
        assert key in message
    assert record[0].filename == __file__  # attributed to whoever handed the result over
    assert body == {
        "Users": [
            {"Username": "a"},
            {"Username": "b", "Attributes": [{"Name": "sub", "Value": "1"}]},
        ]
    }


def test_the_warning_is_a_runtime_warning() -> None:
    assert issubclass(UnknownResponseKey, RuntimeWarning)


def test_known_keys_and_free_form_maps_do_not_warn() -> None:
    result = {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"ANY_KEY": "v"}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        serialize_output(_output("InitiateAuth"), result)


def test_under_the_suite_an_unknown_key_is_an_error() -> None:
    with pytest.raises(UnknownResponseKey, match=r"UserType\.Secret"):
        serialize_output(_output("AdminCreateUser"), {"User": {"Secret": "s"}})
