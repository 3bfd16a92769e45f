"""Signing in through boto3: a password sign-in and a refresh."""

from __future__ import annotations

from typing import Any

from .records import App

# What make_client allows unless told otherwise.
USER_PASSWORD_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def password_auth(cognito: Any, app: App, username: str, password: str) -> dict[str, Any]:
    """InitiateAuth USER_PASSWORD_AUTH; returns the whole response (result or challenge)."""
    response: dict[str, Any] = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=app.auth_parameters(username, PASSWORD=password),
    )
    return response


def sign_in(cognito: Any, app: App, username: str, password: str) -> dict[str, Any]:
    """Sign in with a password and return the AuthenticationResult (no challenge expected)."""
    response = password_auth(cognito, app, username, password)
    assert "ChallengeName" not in response, response
    result: dict[str, Any] = response["AuthenticationResult"]
    return result


def refresh(cognito: Any, app: App, username: str, refresh_token: str) -> dict[str, Any]:
    params = {"REFRESH_TOKEN": refresh_token}
    if app.secret is not None:
        params["SECRET_HASH"] = app.hash(username)
    response: dict[str, Any] = cognito.initiate_auth(
        ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
    )
    result: dict[str, Any] = response["AuthenticationResult"]
    return result
