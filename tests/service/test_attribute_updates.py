"""Changing email: unverified at once, or held back until verified when the pool asks."""

from __future__ import annotations

from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

OLD, NEW = "old@example.com", "new@example.com"


def _signed_in_user(service: Service, **pool_settings: Any) -> tuple[str, str]:
    """(pool id, access token) of a confirmed user with a verified OLD email."""
    pool_id = service(
        "CreateUserPool", PoolName="p", AutoVerifiedAttributes=["email"], **pool_settings
    )["UserPool"]["Id"]
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    service(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": OLD},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password="Passw0rd!",
        Permanent=True,
    )
    result = service(
        "InitiateAuth",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": "Passw0rd!"},
    )
    return pool_id, result["AuthenticationResult"]["AccessToken"]


def _attributes(service: Service, token: str) -> dict[str, str]:
    pairs = service("GetUser", AccessToken=token)["UserAttributes"]
    return {a["Name"]: a["Value"] for a in pairs}


def _email(service: Service, token: str) -> tuple[str, str]:
    attributes = _attributes(service, token)
    return attributes["email"], attributes["email_verified"]


def test_changed_email_is_stored_unverified_and_gets_a_code(service: Service) -> None:
    _, token = _signed_in_user(service)
    sent = service(
        "UpdateUserAttributes", AccessToken=token, UserAttributes=[{"Name": "email", "Value": NEW}]
    )["CodeDeliveryDetailsList"]
    assert sent == [
        {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    assert _email(service, token) == (NEW, "false")
    code = service.last_code(NEW)
    service("VerifyUserAttribute", AccessToken=token, AttributeName="email", Code=code)
    assert _email(service, token) == (NEW, "true")


def test_held_email_keeps_the_old_value_until_the_new_one_is_verified(service: Service) -> None:
    _, token = _signed_in_user(
        service,
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )
    service(
        "UpdateUserAttributes", AccessToken=token, UserAttributes=[{"Name": "email", "Value": NEW}]
    )
    assert _email(service, token) == (OLD, "true")
    code = service.last_code(NEW)
    service("VerifyUserAttribute", AccessToken=token, AttributeName="email", Code=code)
    assert _email(service, token) == (NEW, "true")


@pytest.mark.parametrize("held", [True, False])
def test_wrong_code_changes_nothing(service: Service, held: bool) -> None:
    settings = (
        {"UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]}}
        if held
        else {}
    )
    _, token = _signed_in_user(service, **settings)
    service(
        "UpdateUserAttributes", AccessToken=token, UserAttributes=[{"Name": "email", "Value": NEW}]
    )
    before = _attributes(service, token)
    code = service.last_code(NEW)
    with pytest.raises(errors.CodeMismatchException):
        service(
            "VerifyUserAttribute",
            AccessToken=token,
            AttributeName="email",
            Code="000000" if code != "000000" else "111111",
        )
    assert _attributes(service, token) == before
