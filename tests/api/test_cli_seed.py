"""The seed article's AWS CLI commands, run through `aws cognito-idp` against the server.

Each test follows one section of "Wie setze ich Benutzerpasswörter in Amazon Cognito mithilfe
der AWS-CLI zurück?" with the article's commands and flags; boto3 is only used to set the
scene and to read the resulting user status. (The AWS CLI starts slowly, so only these
flows use it.)
"""

from __future__ import annotations

import json
from typing import Any

from .support import (
    NEW_PASSWORD,
    TEMP_PASSWORD,
    App,
    AwsCli,
    CliResult,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    mask_email,
    new_email,
    secret_hash,
    sign_in,
    unique,
    user_status,
    wrong_code,
)

NO_RECOVERY = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)


def cli_initiate_auth(aws: AwsCli, app: App, username: str, password: str) -> CliResult:
    return aws(
        "initiate-auth",
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--auth-parameters",
        f"USERNAME={username},PASSWORD={password}",
        "--client-id",
        app.client_id,
    )


def assert_tokens(result: CliResult) -> dict[str, Any]:
    auth: dict[str, Any] = result.json()["AuthenticationResult"]
    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(auth), auth
    assert auth["TokenType"] == "Bearer"
    return auth


def test_cli_create_pool_and_client(aws: AwsCli) -> None:
    pool = aws("create-user-pool", "--pool-name", unique("demo")).json()["UserPool"]
    client = aws(
        "create-user-pool-client",
        "--user-pool-id",
        pool["Id"],
        "--client-name",
        "demo-app",
        "--generate-secret",
    ).json()["UserPoolClient"]

    described = aws("describe-user-pool", "--user-pool-id", pool["Id"]).json()["UserPool"]
    assert described["Id"] == pool["Id"]
    assert described["MfaConfiguration"] == "OFF"
    assert isinstance(described["CreationDate"], int | float)
    assert len(client["ClientId"]) == 26
    assert len(client["ClientSecret"]) == 52


def test_cli_admin_reset_needs_verified_email_then_user_resets_with_code(
    aws: AwsCli, cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("example")
    user = make_user(pool_id, unique("example_user_name"), email=email, email_verified=False)

    # Without a verified email the admin gets the article's error verbatim.
    aws(
        "admin-reset-user-password", "--user-pool-id", pool_id, "--username", user.username
    ).fails_with("AdminResetUserPassword", "InvalidParameterException", NO_RECOVERY)

    # The fix from the article: mark the email verified, then reset again.
    aws(
        "admin-update-user-attributes",
        "--user-pool-id",
        pool_id,
        "--username",
        user.username,
        "--user-attributes",
        "Name=email_verified,Value=true",
    ).ok()
    aws("admin-reset-user-password", "--user-pool-id", pool_id, "--username", user.username).ok()
    assert user_status(cognito, pool_id, user.username) == "RESET_REQUIRED"

    # Signing in now asks for the reset; the code arrives by email.
    cli_initiate_auth(aws, app, user.username, user.password).fails_with(
        "InitiateAuth", "PasswordResetRequiredException", "Password reset required for the user"
    )
    code = inbox.wait_code(email)

    def confirm(confirmation_code: str) -> CliResult:
        return aws(
            "confirm-forgot-password",
            "--client-id",
            app.client_id,
            "--username",
            user.username,
            "--confirmation-code",
            confirmation_code,
            "--password",
            NEW_PASSWORD,
        )

    confirm(wrong_code(code)).fails_with(
        "ConfirmForgotPassword",
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
    confirm(code).ok()

    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert_tokens(cli_initiate_auth(aws, app, user.username, NEW_PASSWORD))


def test_cli_forgot_password_then_confirm(
    aws: AwsCli, cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("forgetful")
    user = make_user(pool_id, email=email)

    details = aws(
        "forgot-password", "--client-id", app.client_id, "--username", user.username
    ).json()["CodeDeliveryDetails"]
    assert details == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    aws(
        "confirm-forgot-password",
        "--client-id",
        app.client_id,
        "--username",
        user.username,
        "--confirmation-code",
        inbox.wait_code(email),
        "--password",
        NEW_PASSWORD,
    ).ok()

    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]


def test_cli_change_password(
    aws: AwsCli, cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    access_token = assert_tokens(cli_initiate_auth(aws, app, user.username, user.password))[
        "AccessToken"
    ]

    def change(previous: str, proposed: str) -> CliResult:
        return aws(
            "change-password",
            "--previous-password",
            previous,
            "--proposed-password",
            proposed,
            "--access-token",
            access_token,
        )

    change("Wr0ng-Password!", NEW_PASSWORD).fails_with(
        "ChangePassword", "NotAuthorizedException", "Incorrect username or password."
    )
    weak = change(user.password, "Sh0rt!")
    assert weak.returncode != 0
    assert (
        "An error occurred (InvalidPasswordException) when calling the ChangePassword operation: "
        in weak.stderr
    ), weak.stderr
    change(user.password, NEW_PASSWORD).ok()

    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]
    cli_initiate_auth(aws, app, user.username, user.password).fails_with(
        "InitiateAuth", "NotAuthorizedException", "Incorrect username or password."
    )


def test_cli_admin_set_permanent_password(
    aws: AwsCli, cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    aws(
        "admin-set-user-password",
        "--user-pool-id",
        pool_id,
        "--username",
        user.username,
        "--password",
        NEW_PASSWORD,
        "--permanent",
    ).ok()

    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert_tokens(cli_initiate_auth(aws, app, user.username, NEW_PASSWORD))


def test_cli_admin_set_temporary_password_and_new_password_challenge(
    aws: AwsCli, cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    email = new_email("temp")
    user = make_user(pool_id, email=email)

    aws(
        "admin-set-user-password",
        "--user-pool-id",
        pool_id,
        "--username",
        user.username,
        "--password",
        TEMP_PASSWORD,
        "--no-permanent",
    ).ok()
    assert user_status(cognito, pool_id, user.username) == "FORCE_CHANGE_PASSWORD"

    challenge = cli_initiate_auth(aws, app, user.username, TEMP_PASSWORD).json()
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert challenge["Session"]
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == user.username
    assert params["requiredAttributes"] == "[]"
    assert json.loads(params["userAttributes"]) == {"email_verified": "true", "email": email}

    def respond() -> CliResult:
        return aws(
            "respond-to-auth-challenge",
            "--client-id",
            app.client_id,
            "--challenge-name",
            "NEW_PASSWORD_REQUIRED",
            "--challenge-responses",
            f"USERNAME={user.username},NEW_PASSWORD={NEW_PASSWORD}",
            "--session",
            challenge["Session"],
        )

    assert_tokens(respond())
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    respond().fails_with(
        "RespondToAuthChallenge",
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_cli_secret_client_needs_secret_hash(
    aws: AwsCli, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id, secret=True)
    user = make_user(pool_id)
    assert app.secret is not None

    cli_initiate_auth(aws, app, user.username, user.password).fails_with(
        "InitiateAuth",
        "NotAuthorizedException",
        f"Client {app.client_id} is configured for secret but secret was not received",
    )
    parameters = {
        "USERNAME": user.username,
        "PASSWORD": user.password,
        "SECRET_HASH": secret_hash(app.secret, user.username, app.client_id),
    }
    result = aws(
        "initiate-auth",
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--auth-parameters",
        json.dumps(parameters),
        "--client-id",
        app.client_id,
    )
    assert_tokens(result)
