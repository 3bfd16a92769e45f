"""Request validation against the real cognito-idp service model."""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

import botocore.model
import botocore.session
import pytest

from recognito.errors import InvalidParameterException, SerializationException
from recognito.protocol.validate import ECHO_LIMIT, MAX_LISTED, validate_input

POOL = "us-east-1_AbCdEf123"


@cache
def _model() -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model("cognito-idp")


def _validate(operation: str, body: object) -> dict[str, Any]:
    return validate_input(_model().operation_model(operation).input_shape, body)


def _invalid(operation: str, body: object) -> str:
    with pytest.raises(InvalidParameterException) as caught:
        _validate(operation, body)
    return caught.value.message


def _malformed(operation: str, body: object) -> str:
    with pytest.raises(SerializationException) as caught:
        _validate(operation, body)
    return caught.value.message


def test_valid_request_is_returned_unchanged() -> None:
    body = {
        "UserPoolId": POOL,
        "Username": "alice",
        "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}],
        "MessageAction": "SUPPRESS",
        "ClientMetadata": {"source": "test"},
    }
    assert _validate("AdminCreateUser", body) == body


def test_missing_required_members_are_reported_in_model_order() -> None:
    assert _invalid("AdminGetUser", {}) == (
        "2 validation errors detected: "
        "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; "
        "Value null at 'username' failed to satisfy constraint: Member must not be null"
    )


def test_json_null_counts_as_missing() -> None:
    message = _invalid("AdminGetUser", {"UserPoolId": POOL, "Username": None})
    assert message == (
        "1 validation error detected: "
        "Value null at 'username' failed to satisfy constraint: Member must not be null"
    )


def test_too_long_string() -> None:
    message = _invalid("CreateGroup", {"UserPoolId": POOL, "GroupName": "g" * 129})
    assert message == (
        f"1 validation error detected: Value '{'g' * 129}' at 'groupName' failed to satisfy "
        "constraint: Member must have length less than or equal to 128"
    )


def test_unicode_property_pattern_accepts_letters_of_any_script() -> None:
    body = {"UserPoolId": POOL, "GroupName": "グループ-Ünïcode_1"}
    assert _validate("CreateGroup", body) == body


def test_unicode_property_pattern_rejects_separators() -> None:
    message = _invalid("CreateGroup", {"UserPoolId": POOL, "GroupName": "two words"})
    assert message == (
        "1 validation error detected: Value 'two words' at 'groupName' failed to satisfy "
        r"constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+"
    )


def test_empty_string_breaks_pattern_then_length() -> None:
    # Observed verbatim from Cognito (behaviour doc section 1.4).
    message = _invalid("ConfirmSignUp", {"ClientId": "c1", "Username": "u", "ConfirmationCode": ""})
    assert message == (
        "2 validation errors detected: Value '' at 'confirmationCode' failed to satisfy "
        r"constraint: Member must satisfy regular expression pattern: [\S]+; Value '' at "
        "'confirmationCode' failed to satisfy constraint: Member must have length greater than "
        "or equal to 1"
    )


def test_enum_lists_values_in_model_order() -> None:
    message = _invalid("InitiateAuth", {"AuthFlow": "FOO", "ClientId": "c1"})
    assert message == (
        "1 validation error detected: Value 'FOO' at 'authFlow' failed to satisfy constraint: "
        "Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, "
        "CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
    )


@pytest.mark.parametrize(
    ("validity", "rule"),
    [(2, "greater than or equal to 3"), (16, "less than or equal to 15")],
)
def test_integer_range(validity: int, rule: str) -> None:
    body = {"UserPoolId": POOL, "ClientName": "web", "AuthSessionValidity": validity}
    assert _invalid("CreateUserPoolClient", body) == (
        f"1 validation error detected: Value '{validity}' at 'authSessionValidity' failed to "
        f"satisfy constraint: Member must have value {rule}"
    )


def test_integer_range_bounds_are_inclusive() -> None:
    for validity in (3, 15):
        body = {"UserPoolId": POOL, "ClientName": "web", "AuthSessionValidity": validity}
        assert _validate("CreateUserPoolClient", body)["AuthSessionValidity"] == validity


def test_list_length_renders_the_list() -> None:
    flows = ["code", "implicit", "client_credentials", "code"]
    body = {"UserPoolId": POOL, "ClientName": "web", "AllowedOAuthFlows": flows}
    assert _invalid("CreateUserPoolClient", body) == (
        "1 validation error detected: Value '[code, implicit, client_credentials, code]' at "
        "'allowedOAuthFlows' failed to satisfy constraint: Member must have length less than "
        "or equal to 3"
    )


def test_list_elements_are_checked_with_one_based_member_paths() -> None:
    body = {"UserPoolId": POOL, "ClientName": "web", "AllowedOAuthFlows": ["code", "magic"]}
    assert "Value 'magic' at 'allowedOAuthFlows.2.member' failed" in _invalid(
        "CreateUserPoolClient", body
    )


def test_nested_structure_paths() -> None:
    attributes = [{"Value": "x"}, {"Name": "n" * 33, "Value": "v"}]
    message = _invalid(
        "AdminCreateUser", {"UserPoolId": POOL, "Username": "u", "UserAttributes": attributes}
    )
    assert message == (
        "2 validation errors detected: Value null at 'userAttributes.1.member.name' failed to "
        "satisfy constraint: Member must not be null; "
        f"Value '{'n' * 33}' at 'userAttributes.2.member.name' failed to satisfy constraint: "
        "Member must have length less than or equal to 32"
    )


def test_sensitive_values_are_never_echoed() -> None:
    # PasswordType is sensitive in the model; so are UsernameType and ClientIdType.
    password = "s3cret!" * 40
    message = _invalid("SignUp", {"ClientId": "c1", "Username": "bob", "Password": password})
    assert message == (
        "1 validation error detected: Value at 'password' failed to satisfy constraint: "
        "Member must have length less than or equal to 256"
    )
    assert "s3cret" not in message


def test_values_inside_sensitive_members_are_not_echoed() -> None:
    # AttributeValueType is sensitive: the attribute value must not leak, at any depth.
    body = {
        "UserPoolId": POOL,
        "Username": "u",
        "UserAttributes": [{"Name": "x", "Value": "v" * 2049}],
    }
    message = _invalid("AdminCreateUser", body)
    assert message.startswith(
        "1 validation error detected: Value at 'userAttributes.1.member.value'"
    )
    assert "vvv" not in message


def test_java_character_classes_keep_java_semantics() -> None:
    # Java's \S and \w are ASCII-only: a no-break space is "non-space", an accented
    # letter is not a word character.
    signup = {"ClientId": "c1", "Username": "bob", "Password": "pass\u00a0word"}
    assert _validate("SignUp", signup) == signup
    message = _invalid("SignUp", {"ClientId": "clïent", "Username": "bob", "Password": "pw"})
    assert message == (
        "1 validation error detected: Value at 'clientId' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+]+"
    )


def test_map_entries_are_checked_aws_style() -> None:
    body = {"PoolName": "p", "UserPoolTags": {"": "ok"}}
    assert _invalid("CreateUserPool", body) == (
        "1 validation error detected: Value '{=ok}' at 'userPoolTags' failed to satisfy "
        "constraint: Map keys must satisfy constraint: [Member must have length less than or "
        "equal to 128, Member must have length greater than or equal to 1]"
    )


def test_auth_parameters_keys_are_not_model_errors() -> None:
    body = {"AuthFlow": "USER_SRP_AUTH", "ClientId": "c1", "AuthParameters": {"SRP_A": "ab"}}
    assert _validate("InitiateAuth", body) == body


def test_unknown_members_are_dropped_at_every_depth() -> None:
    body = {
        "UserPoolId": POOL,
        "Username": "u",
        "UserAttributes": [{"Name": "email", "Value": "e@example.com", "Verified": True}],
        "IsAdmin": True,
    }
    assert _validate("AdminCreateUser", body) == {
        "UserPoolId": POOL,
        "Username": "u",
        "UserAttributes": [{"Name": "email", "Value": "e@example.com"}],
    }


@pytest.mark.parametrize(
    ("operation", "body", "message"),
    [
        ("AdminGetUser", {"UserPoolId": POOL, "Username": 7}, "'Username': expected string"),
        ("AdminGetUser", {"UserPoolId": [POOL], "Username": "u"}, "'UserPoolId': expected string"),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL, "ClientName": "c", "AuthSessionValidity": True},
            "'AuthSessionValidity': expected integer",
        ),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL, "ClientName": "c", "GenerateSecret": "yes"},
            "'GenerateSecret': expected boolean",
        ),
        (
            "AdminCreateUser",
            {"UserPoolId": POOL, "Username": "u", "UserAttributes": {"Name": "email"}},
            "'UserAttributes': expected list",
        ),
        (
            "AdminCreateUser",
            {"UserPoolId": POOL, "Username": "u", "UserAttributes": [{"Name": "a", "Value": 1}]},
            "'UserAttributes[0].Value': expected string",
        ),
        (
            "InitiateAuth",
            {"AuthFlow": "USER_SRP_AUTH", "ClientId": "c", "AuthParameters": {"SRP_A": 1}},
            "'AuthParameters.SRP_A': expected string",
        ),
        (
            "SetUICustomization",
            {"UserPoolId": POOL, "ImageFile": "not base64!"},
            "'ImageFile': expected blob",
        ),
        (  # fuzz finding: non-ASCII text made the base64 decoder raise ValueError (a 500)
            "SetUICustomization",
            {"UserPoolId": POOL, "ImageFile": "\ud800"},
            "'ImageFile': expected blob",
        ),
        (
            "SetUICustomization",
            {"UserPoolId": POOL, "ImageFile": "aé=="},
            "'ImageFile': expected blob",
        ),
    ],
)
def test_wrong_json_types_are_serialization_errors(
    operation: str, body: dict[str, Any], message: str
) -> None:
    assert message in _malformed(operation, body)


def test_type_errors_win_over_constraint_errors() -> None:
    # Deserialization fails before any constraint is judged, as in the real service.
    message = _malformed("AdminGetUser", {"UserPoolId": "", "Username": 1})
    assert message == "Unexpected value type for 'Username': expected string"


def test_integer_beyond_java_int_is_a_serialization_error() -> None:
    body = {"UserPoolId": POOL, "ClientName": "c", "AuthSessionValidity": 2**31}
    assert "'AuthSessionValidity'" in _malformed("CreateUserPoolClient", body)


@pytest.mark.parametrize("body", [[], "text", None, 3])
def test_body_must_be_an_object(body: object) -> None:
    _malformed("AdminGetUser", body)


def test_blob_length_is_measured_decoded() -> None:
    # ImageFileType allows 131072 bytes; their base64 text is a third longer.
    fits = base64.b64encode(b"\x00" * 131072).decode()
    body = {"UserPoolId": POOL, "ImageFile": fits}
    assert _validate("SetUICustomization", body) == body
    too_big = base64.b64encode(b"\x00" * 131073).decode()
    message = _invalid("SetUICustomization", {"UserPoolId": POOL, "ImageFile": too_big})
    assert message == (
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=131073 "
        "cap=131073]' at 'imageFile' failed to satisfy constraint: Member must have length "
        "less than or equal to 131072"
    )


def test_every_operation_validates_an_empty_body_without_crashing() -> None:
    # Compiles every input shape (and every model pattern reachable from one).
    for name in _model().operation_names:
        shape = _model().operation_model(name).input_shape
        try:
            validate_input(shape, {})
        except InvalidParameterException as error:
            assert error.message.split(" ", 1)[0].isdigit()


# --- what error messages may carry ---------------------------------------------------------------
# bounded quotes of bad values, a bounded list of violations, never a character no store can hold


def test_a_quoted_value_is_cut_to_the_echo_limit() -> None:
    message = _invalid("DescribeUserPool", {"UserPoolId": "x" * 100_000})

    assert f"Value '{'x' * ECHO_LIMIT}...' at 'userPoolId'" in message
    assert len(message) < 2 * ECHO_LIMIT + 500


def test_only_the_first_violations_are_spelt_out() -> None:
    message = _invalid("AdminDeleteUserAttributes", {
        "UserPoolId": "us-east-1_abc", "Username": "u", "UserAttributeNames": [""] * 10_000
    })  # fmt: skip

    # each empty name breaks two rules: the pattern and the minimum length
    assert message.startswith("20000 validation errors detected: ")
    assert message.count("failed to satisfy constraint") == MAX_LISTED
    assert message.endswith(f"; and {20_000 - MAX_LISTED} more")


def test_unstorable_characters_are_never_quoted() -> None:
    token = _invalid("ListUserPools", {"MaxResults": 1, "NextToken": "a\x00"})
    urls = ["https://example.com/"] * 100 + ["https://example.com/\ud800"]
    too_many = _invalid(
        "CreateUserPoolClient",
        {"UserPoolId": "us-east-1_abc", "ClientName": "c", "CallbackURLs": urls},
    )

    assert token.endswith(
        "Value at 'nextToken' failed to satisfy constraint: "
        "Member must not contain NUL characters or unpaired surrogates"
    )
    assert "at 'callbackURLs.101.member' failed to satisfy constraint: Member must not" in too_many
    assert "Value '[https://example.com/, " in too_many  # the list, quoted
    assert "\ud800" not in too_many and "\x00" not in token


def test_a_deeply_nested_value_is_echoed_cut_short_not_recursed_into() -> None:
    # fuzz finding: a list too long whose element nests 400 deep made the echo recurse
    # past Python's limit (a 500); the echo is cut at ECHO_LIMIT characters anyway
    deep: dict[str, Any] = {}
    for _ in range(5000):
        deep = {"a": deep}
    body = {"UserPoolId": POOL, "LogConfigurations": [deep, {}, {}]}

    message = _invalid("SetLogDeliveryConfiguration", body)

    echo = "Value '[{a={a={a="
    rule = "...' at 'logConfigurations' failed to satisfy constraint: Member must have length"
    assert echo in message and rule in message
