"""The trigger envelope's awsSdkVersion and the judging of a function's answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from recognito import errors
from recognito.triggers.events import sdk_version
from recognito.triggers.invokers import error_message, load_targets
from recognito.triggers.runner import judge, pre_token_generation


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("aws-sdk-js/2.1639.0 promise", "aws-sdk-js-2.1639.0"),
        ("aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js", "aws-sdk-js-3.600.0"),
        ("aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22", "aws-sdk-go-v2-1.30.3"),
        ("aws-sdk-java/2.25.0 Linux/6.1", "aws-sdk-java-2.25.0"),
        ("Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux", "aws-sdk-python-1.35.0"),
        ("aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1", "aws-sdk-cli-1.45.11"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "aws-sdk-unknown-unknown"),
        ("", "aws-sdk-unknown-unknown"),
        (None, "aws-sdk-unknown-unknown"),
    ],
)
def test_sdk_version_is_cognitos_form_of_the_user_agent(
    user_agent: str | None, expected: str
) -> None:
    assert sdk_version(user_agent) == expected


EVENT: dict[str, Any] = {
    "version": "1",
    "triggerSource": "PreSignUp_SignUp",
    "region": "us-east-1",
    "userPoolId": "us-east-1_abc",
    "userName": "ann",
    "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "c"},
    "request": {"userAttributes": {}},
    "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
}


def _answer(**response: Any) -> bytes:
    return json.dumps({**EVENT, "response": {**EVENT["response"], **response}}).encode()


def test_only_documented_response_keys_are_read() -> None:
    read = judge("PreSignUp", EVENT, _answer(autoConfirmUser=True, somethingElse=1))

    assert read == {"autoConfirmUser": True, "autoVerifyEmail": False, "autoVerifyPhone": False}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"null", "Invalid JSON"),
        (b"not json", "Unrecognizable lambda output"),
        (b"[1]", "Unrecognizable lambda output"),
        (json.dumps({**EVENT, "version": "2"}).encode(), "Invalid version. Version should be 1"),
        (
            json.dumps({k: v for k, v in EVENT.items() if k != "callerContext"}).encode(),
            "Unrecognizable lambda output",
        ),
        (_answer(autoConfirmUser="True"), "Unrecognizable lambda output"),
        (json.dumps({**EVENT, "response": []}).encode(), "Unrecognizable lambda output"),
    ],
)
def test_an_unusable_answer_is_refused(payload: bytes, message: str) -> None:
    with pytest.raises(errors.InvalidLambdaResponseException) as info:
        judge("PreSignUp", EVENT, payload)
    assert str(info.value) == message


def test_a_function_errors_message_is_lambdas_error_message() -> None:
    assert error_message(b'{"errorMessage": "no", "errorType": "Error"}') == "no"
    assert error_message(b"plain text") == "plain text"


def test_a_triggers_file_maps_only_hooks_and_callables(tmp_path: Any) -> None:
    good = tmp_path / "good.toml"
    good.write_text('"arn:a" = "http://127.0.0.1:1/x"\n"arn:b" = "python:mod:fn"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('"arn:a" = "ftp://example"\n')

    assert load_targets(good) == {"arn:a": "http://127.0.0.1:1/x", "arn:b": "python:mod:fn"}
    with pytest.raises(ValueError, match="must map to"):
        load_targets(bad)
    with pytest.raises(ValueError, match="cannot read"):
        load_targets(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, (None, "V1_0")),
        ({"PreTokenGeneration": "arn:a"}, ("arn:a", "V1_0")),
        (
            {
                "PreTokenGeneration": "arn:a",
                "PreTokenGenerationConfig": {"LambdaVersion": "V2_0", "LambdaArn": "arn:a"},
            },
            ("arn:a", "V2_0"),
        ),
        (
            {"PreTokenGenerationConfig": {"LambdaVersion": "V3_0", "LambdaArn": "arn:b"}},
            ("arn:b", "V3_0"),
        ),
    ],
)
def test_the_pre_token_function_and_its_version(
    config: dict[str, Any], expected: tuple[str | None, str]
) -> None:
    assert pre_token_generation(config) == expected


def test_pre_token_answers_keep_their_details_object() -> None:
    event = {"version": "2", "triggerSource": "T", "userPoolId": "p", "callerContext": {}}
    details = {"accessTokenGeneration": {"scopesToAdd": ["a"]}}
    answer = {**event, "request": {}, "response": {"claimsAndScopeOverrideDetails": details}}

    read = judge("PreTokenGeneration", {**event, "request": {}}, json.dumps(answer).encode())

    assert read == {"claimsAndScopeOverrideDetails": details}
