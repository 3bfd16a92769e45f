"""Clients with a secret: SECRET_HASH / SecretHash required, checked, and accepted when right."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    NEW_PASSWORD,
    PASSWORD,
    TEMP_PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    as_attributes,
    cognito_error,
    new_email,
    refresh,
    sign_in,
    unique,
    user_status,
)

WRONG_HASH = "d3JvbmctaGFzaC13cm9uZy1oYXNoLXdyb25nLWhhc2g="


@pytest.fixture
def secret_app(make_pool: MakePool, make_client: MakeClient) -> App:
    return make_client(make_pool(AutoVerifiedAttributes=["email"]), secret=True)


def not_received(app: App) -> str:
    return f"Client {app.client_id} is configured for secret but secret was not received"


def unable_to_verify(app: App) -> str:
    return f"Unable to verify secret hash for client {app.client_id}"


def does_not_match(app: App) -> str:
    return f"SecretHash does not match for the client: {app.client_id}"


def test_initiate_auth_without_secret_hash(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        cognito.initiate_auth(
            ClientId=secret_app.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
        )


def test_initiate_auth_with_wrong_secret_hash(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)

    with cognito_error("NotAuthorizedException", unable_to_verify(secret_app)):
        cognito.initiate_auth(
            ClientId=secret_app.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": user.username,
                "PASSWORD": user.password,
                "SECRET_HASH": WRONG_HASH,
            },
        )


def test_hash_over_another_username_does_not_verify(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)

    with cognito_error("NotAuthorizedException", unable_to_verify(secret_app)):
        cognito.initiate_auth(
            ClientId=secret_app.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": user.username,
                "PASSWORD": user.password,
                "SECRET_HASH": secret_app.hash("someone-else"),
            },
        )


def test_admin_initiate_auth_checks_secret_hash(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)
    base = {"USERNAME": user.username, "PASSWORD": user.password}

    def admin_auth(params: dict[str, str]) -> Any:
        return cognito.admin_initiate_auth(
            UserPoolId=secret_app.pool_id,
            ClientId=secret_app.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=params,
        )

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        admin_auth(base)
    with cognito_error("NotAuthorizedException", unable_to_verify(secret_app)):
        admin_auth({**base, "SECRET_HASH": WRONG_HASH})
    result = admin_auth({**base, "SECRET_HASH": secret_app.hash(user.username)})
    assert result["AuthenticationResult"]["AccessToken"]


def test_correct_secret_hash_signs_in_and_refreshes(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)

    tokens = sign_in(cognito, secret_app, user.username, user.password)
    refreshed = refresh(cognito, secret_app, user.username, tokens["RefreshToken"])

    assert refreshed["AccessToken"]
    assert refreshed["IdToken"]
    assert "RefreshToken" not in refreshed


def test_refresh_without_secret_hash_is_refused(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)
    tokens = sign_in(cognito, secret_app, user.username, user.password)

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        cognito.initiate_auth(
            ClientId=secret_app.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def test_refresh_with_hash_over_the_wrong_username_is_refused(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)
    tokens = sign_in(cognito, secret_app, user.username, user.password)

    with cognito_error("NotAuthorizedException", does_not_match(secret_app)):
        cognito.initiate_auth(
            ClientId=secret_app.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": tokens["RefreshToken"],
                "SECRET_HASH": secret_app.hash("someone-else"),
            },
        )


def test_respond_to_auth_challenge_with_secret_hash(
    cognito: Any, secret_app: App, make_user: MakeUser
) -> None:
    user = make_user(secret_app.pool_id)
    cognito.admin_set_user_password(
        UserPoolId=user.pool_id, Username=user.username, Password=TEMP_PASSWORD, Permanent=False
    )
    challenge = cognito.initiate_auth(
        ClientId=secret_app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=secret_app.auth_parameters(user.username, PASSWORD=TEMP_PASSWORD),
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"

    def respond(session: str, **extra: str) -> Any:
        return cognito.respond_to_auth_challenge(
            ClientId=secret_app.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": NEW_PASSWORD, **extra},
        )

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        respond(challenge["Session"])
    fresh = cognito.initiate_auth(
        ClientId=secret_app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=secret_app.auth_parameters(user.username, PASSWORD=TEMP_PASSWORD),
    )
    with cognito_error("NotAuthorizedException", unable_to_verify(secret_app)):
        respond(fresh["Session"], SECRET_HASH=WRONG_HASH)
    again = cognito.initiate_auth(
        ClientId=secret_app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters=secret_app.auth_parameters(user.username, PASSWORD=TEMP_PASSWORD),
    )
    result = respond(again["Session"], SECRET_HASH=secret_app.hash(user.username))

    assert result["AuthenticationResult"]["RefreshToken"]
    assert user_status(cognito, user.pool_id, user.username) == "CONFIRMED"


def test_sign_up_without_secret_hash(cognito: Any, secret_app: App) -> None:
    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        cognito.sign_up(
            ClientId=secret_app.client_id,
            Username=unique("sam"),
            Password=PASSWORD,
            UserAttributes=as_attributes({"email": new_email("sam")}),
        )


def test_sign_up_with_wrong_secret_hash(cognito: Any, secret_app: App) -> None:
    with cognito_error("NotAuthorizedException", does_not_match(secret_app)):
        cognito.sign_up(
            ClientId=secret_app.client_id,
            Username=unique("sam"),
            Password=PASSWORD,
            SecretHash=WRONG_HASH,
            UserAttributes=as_attributes({"email": new_email("sam")}),
        )


def test_sign_up_and_confirm_with_correct_secret_hash(
    cognito: Any, secret_app: App, inbox: Inbox
) -> None:
    username, email = unique("sam"), new_email("sam")

    cognito.sign_up(
        ClientId=secret_app.client_id,
        Username=username,
        Password=PASSWORD,
        SecretHash=secret_app.hash(username),
        UserAttributes=as_attributes({"email": email}),
    )
    code = inbox.wait_code(email)
    with cognito_error("NotAuthorizedException", does_not_match(secret_app)):
        cognito.confirm_sign_up(
            ClientId=secret_app.client_id,
            Username=username,
            ConfirmationCode=code,
            SecretHash=WRONG_HASH,
        )
    cognito.confirm_sign_up(
        ClientId=secret_app.client_id,
        Username=username,
        ConfirmationCode=code,
        SecretHash=secret_app.hash(username),
    )

    assert user_status(cognito, secret_app.pool_id, username) == "CONFIRMED"
    assert sign_in(cognito, secret_app, username, PASSWORD)["AccessToken"]


def test_forgot_password_checks_secret_hash(
    cognito: Any, secret_app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("tia")
    user = make_user(secret_app.pool_id, email=email)

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        cognito.forgot_password(ClientId=secret_app.client_id, Username=user.username)
    with cognito_error("NotAuthorizedException", does_not_match(secret_app)):
        cognito.forgot_password(
            ClientId=secret_app.client_id, Username=user.username, SecretHash=WRONG_HASH
        )
    assert inbox.count(email) == 0

    cognito.forgot_password(
        ClientId=secret_app.client_id,
        Username=user.username,
        SecretHash=secret_app.hash(user.username),
    )
    cognito.confirm_forgot_password(
        ClientId=secret_app.client_id,
        Username=user.username,
        ConfirmationCode=inbox.wait_code(email),
        Password=NEW_PASSWORD,
        SecretHash=secret_app.hash(user.username),
    )

    assert sign_in(cognito, secret_app, user.username, NEW_PASSWORD)["AccessToken"]


def test_resend_confirmation_code_checks_secret_hash(cognito: Any, secret_app: App) -> None:
    username = unique("uri")
    cognito.sign_up(
        ClientId=secret_app.client_id,
        Username=username,
        Password=PASSWORD,
        SecretHash=secret_app.hash(username),
        UserAttributes=as_attributes({"email": new_email("uri")}),
    )

    with cognito_error("NotAuthorizedException", not_received(secret_app)):
        cognito.resend_confirmation_code(ClientId=secret_app.client_id, Username=username)
    with cognito_error("NotAuthorizedException", does_not_match(secret_app)):
        cognito.resend_confirmation_code(
            ClientId=secret_app.client_id, Username=username, SecretHash=WRONG_HASH
        )
