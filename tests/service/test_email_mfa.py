"""Email MFA on both databases: the user's EMAIL_OTP switch (mfa_settings.email_enabled,
migration 0016) is kept, and an EMAIL_OTP code lives no longer than its session."""

from __future__ import annotations

from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

PASSWORD, EMAIL = "Passw0rd!", "ann@example.com"


def _email_mfa_user(service: Service) -> dict[str, str]:
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    service(
        "SetUserPoolMfaConfig",
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Code {####}", "Subject": "Code"},
    )
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
        UserAttributes=[{"Name": "email", "Value": EMAIL}],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )
    service(
        "AdminSetUserMFAPreference",
        UserPoolId=pool_id,
        Username="ann",
        EmailMfaSettings={"Enabled": True},
    )
    return {"pool_id": pool_id, "client_id": client_id}


def _sign_in(service: Service, pool: dict[str, str]) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )


def _answer(service: Service, pool: dict[str, str], session: str, code: str) -> Any:
    return service(
        "RespondToAuthChallenge",
        ClientId=pool["client_id"],
        ChallengeName="EMAIL_OTP",
        Session=session,
        ChallengeResponses={"USERNAME": "ann", "EMAIL_OTP_CODE": code},
    )


def test_the_email_factor_is_kept_and_asked_for(service: Service) -> None:
    pool = _email_mfa_user(service)
    user = service("AdminGetUser", UserPoolId=pool["pool_id"], Username="ann")
    assert user["UserMFASettingList"] == ["EMAIL_OTP"]
    step = _sign_in(service, pool)
    assert step["ChallengeName"] == "EMAIL_OTP"
    done = _answer(service, pool, step["Session"], service.last_code(EMAIL))
    assert "AccessToken" in done["AuthenticationResult"]


def test_an_email_code_expires_with_its_session(service: Service) -> None:
    pool = _email_mfa_user(service)
    step = _sign_in(service, pool)
    code = service.last_code(EMAIL)
    service.clock.advance(3 * 60 + 1)
    with pytest.raises(errors.NotAuthorizedException):
        _answer(service, pool, step["Session"], code)
