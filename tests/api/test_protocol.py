"""AWS JSON 1.1 on the wire: success and error envelopes, and request validation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from .support import UUID_RE, App, cognito_error

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
AUTH_FLOWS = (
    "USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, "
    "USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH"
)


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        yield client


def post(http: httpx.Client, operation: str, body: bytes | str | dict[str, Any]) -> httpx.Response:
    content = json.dumps(body) if isinstance(body, dict) else body
    return http.post(
        "/",
        content=content,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": TARGET_PREFIX + operation,
        },
    )


def error_of(response: httpx.Response) -> dict[str, Any]:
    """Check the Cognito error envelope and return its body."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/x-amz-json-1.1")
    body: dict[str, Any] = response.json()
    assert set(body) >= {"__type", "message"}, body
    assert list(body)[0] == "__type", body
    assert isinstance(body["message"], str) and body["message"], body
    assert response.headers["x-amzn-ErrorType"].split(":")[0] == body["__type"]
    assert UUID_RE.match(response.headers["x-amzn-RequestId"]), response.headers
    return body


def test_health_answers_200(http: httpx.Client) -> None:
    assert http.get("/health").status_code == 200


def test_success_is_json_with_a_request_id(http: httpx.Client, pool_id: str) -> None:
    response = post(http, "DescribeUserPool", {"UserPoolId": pool_id})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-amz-json-1.1")
    assert UUID_RE.match(response.headers["x-amzn-RequestId"]), response.headers
    pool = response.json()["UserPool"]
    assert pool["Id"] == pool_id
    assert isinstance(pool["CreationDate"], int | float)


def test_error_envelope_matches_cognito(http: httpx.Client, pool_id: str) -> None:
    response = post(http, "AdminGetUser", {"UserPoolId": pool_id, "Username": "nobody"})

    body = error_of(response)
    assert response.status_code == 400
    assert body == {"__type": "UserNotFoundException", "message": "User does not exist."}
    assert response.headers["x-amzn-ErrorType"] == "UserNotFoundException:"


def test_malformed_json_is_a_serialization_error(http: httpx.Client) -> None:
    body = error_of(post(http, "InitiateAuth", b'{"ClientId": "abc", '))

    assert body["__type"] == "SerializationException", body


def test_json_that_is_not_an_object_is_rejected(http: httpx.Client) -> None:
    body = error_of(post(http, "InitiateAuth", b'["not", "an", "object"]'))

    assert body["__type"] in {"SerializationException", "InvalidParameterException"}, body


def test_unknown_target_is_an_unknown_operation(http: httpx.Client) -> None:
    body = error_of(post(http, "NoSuchOperation", {}))

    assert body["__type"] == "UnknownOperationException", body


def test_missing_target_is_rejected(http: httpx.Client) -> None:
    response = http.post("/", content=b"{}", headers={"Content-Type": "application/x-amz-json-1.1"})

    error_of(response)


def test_wrong_member_type_is_rejected(http: httpx.Client) -> None:
    body = error_of(
        post(
            http,
            "InitiateAuth",
            {"ClientId": 12345, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {}},
        )
    )

    assert body["__type"] in {"SerializationException", "InvalidParameterException"}, body


def test_wrong_nested_type_is_rejected(http: httpx.Client) -> None:
    body = error_of(
        post(
            http,
            "InitiateAuth",
            {"ClientId": "abc", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": ["x"]},
        )
    )

    assert body["__type"] in {"SerializationException", "InvalidParameterException"}, body


def test_missing_required_member_is_invalid_parameter(http: httpx.Client) -> None:
    body = error_of(post(http, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH"}))

    assert body["__type"] == "InvalidParameterException", body
    assert "clientId" in body["message"], body


def test_too_long_string_is_invalid_parameter(http: httpx.Client) -> None:
    body = error_of(
        post(
            http,
            "InitiateAuth",
            {"ClientId": "a" * 129, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {}},
        )
    )

    # ClientId is a `sensitive` member, so its value is not echoed.
    assert body == {
        "__type": "InvalidParameterException",
        "message": "1 validation error detected: Value at 'clientId' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    }


def test_too_long_pool_name_through_boto3(cognito: Any) -> None:
    with cognito_error("InvalidParameterException") as info:
        cognito.create_user_pool(PoolName="p" * 129)

    assert info.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{'p' * 129}' at 'poolName' failed to satisfy "
        "constraint: Member must have length less than or equal to 128"
    )


def test_bad_enum_is_invalid_parameter_with_the_value_set(cognito: Any, app: App) -> None:
    expected = (
        "1 validation error detected: Value 'FOO' at 'authFlow' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{AUTH_FLOWS}]"
    )
    with cognito_error("InvalidParameterException", expected):
        cognito.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="FOO",
            AuthParameters={"USERNAME": "someone", "PASSWORD": "Passw0rd!"},
        )


def test_pattern_violation_is_invalid_parameter(http: httpx.Client, app: App) -> None:
    body = error_of(
        post(
            http,
            "ConfirmSignUp",
            {"ClientId": app.client_id, "Username": "someone", "ConfirmationCode": "has space"},
        )
    )

    assert body["__type"] == "InvalidParameterException", body
    assert "at 'confirmationCode' failed to satisfy constraint: " in body["message"], body


def test_sensitive_values_are_not_echoed_in_validation_errors(http: httpx.Client) -> None:
    secret = "S3cret-" + "x" * 300
    body = error_of(
        post(
            http,
            "SignUp",
            {"ClientId": "abc", "Username": "someone", "Password": secret},
        )
    )

    assert body["__type"] == "InvalidParameterException", body
    assert secret not in body["message"], body
    assert "'password'" in body["message"], body


def test_missing_auth_parameter_is_named(cognito: Any, app: App) -> None:
    with cognito_error("InvalidParameterException", "Missing required parameter USERNAME"):
        cognito.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"PASSWORD": "Passw0rd!"},
        )


def test_unimplemented_operation_is_a_cognito_error_not_a_500(cognito: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as info:
        cognito.list_user_pool_replicas(UserPoolId=pool_id)

    status = info.value.response["ResponseMetadata"]["HTTPStatusCode"]
    error = info.value.response["Error"]
    assert 400 <= status < 500, (status, error)
    assert error["Code"] and error["Code"] != "InternalErrorException", error
    assert error["Message"], error


def test_unimplemented_operation_over_raw_http(http: httpx.Client, pool_id: str) -> None:
    body = error_of(post(http, "ListUserPoolReplicas", {"UserPoolId": pool_id}))

    assert body["__type"] == "UnsupportedOperationException", body
    assert body["message"] == "ListUserPoolReplicas is not supported by Recognito yet."


def test_a_modelled_member_recognito_does_not_carry_out_is_refused(
    cognito: Any, pool_id: str
) -> None:
    """Set, it would be stored and ignored: the caller is told instead, and nothing changes."""
    with cognito_error(
        "UnsupportedOperationException", "KeyConfiguration is not supported by Recognito yet."
    ):
        cognito.update_user_pool(
            UserPoolId=pool_id, KeyConfiguration={"KeyType": "CUSTOMER_MANAGED_KEY"}
        )


def test_an_unsupported_member_set_to_false_asks_for_nothing(cognito: Any, pool_id: str) -> None:
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="plain", PublishSecretsInAWSSecretsManager=False
    )["UserPoolClient"]

    assert "PublishSecretsInAWSSecretsManager" not in client


def test_browsers_may_call_the_api_cross_origin(base_url: str) -> None:
    preflight = httpx.options(
        base_url + "/",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "x-amz-target" in preflight.headers["access-control-allow-headers"].lower()
    answer = httpx.post(
        base_url + "/",
        content=b"{}",
        headers={
            "Origin": "http://localhost:3000",
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "x-amzn-errortype" in answer.headers["access-control-expose-headers"].lower()
