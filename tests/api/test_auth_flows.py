"""Password sign-in flows and the client permissions that allow them."""

from __future__ import annotations

from typing import Any

from .support import (
    App,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    new_email,
    password_auth,
    sign_in,
)

WRONG_PASSWORD = "Incorrect username or password."


def admin_auth(cognito: Any, app: App, flow: str, username: str, password: str) -> Any:
    return cognito.admin_initiate_auth(
        UserPoolId=app.pool_id,
        ClientId=app.client_id,
        AuthFlow=flow,
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def test_user_password_auth_returns_tokens(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    response = password_auth(cognito, app, user.username, user.password)

    assert "ChallengeName" not in response
    assert response.get("ChallengeParameters", {}) == {}
    result = response["AuthenticationResult"]
    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(result)
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600


def test_user_password_auth_needs_the_client_flow(
    cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    srp_only = make_client(
        pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )

    with cognito_error(
        "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"
    ):
        password_auth(cognito, srp_only, user.username, user.password)


def test_client_without_explicit_flows_refuses_user_password_auth(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="bare")[
        "UserPoolClient"
    ]["ClientId"]

    with cognito_error(
        "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"
    ):
        password_auth(cognito, App(pool_id, client_id), user.username, user.password)


def test_legacy_user_password_auth_flag_allows_the_flow(
    cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    legacy = make_client(pool_id, ExplicitAuthFlows=["USER_PASSWORD_AUTH"])

    assert sign_in(cognito, legacy, user.username, user.password)["AccessToken"]


def test_admin_user_password_auth_returns_tokens(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    response = admin_auth(cognito, app, "ADMIN_USER_PASSWORD_AUTH", user.username, user.password)

    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(response["AuthenticationResult"])


def test_admin_user_password_auth_needs_the_client_flow(
    cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    user_only = make_client(
        pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )

    with cognito_error("InvalidParameterException", "Auth flow not enabled for this client"):
        admin_auth(cognito, user_only, "ADMIN_USER_PASSWORD_AUTH", user.username, user.password)


def test_legacy_admin_no_srp_auth_with_legacy_client_flag(
    cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    legacy = make_client(pool_id, ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"])

    response = admin_auth(cognito, legacy, "ADMIN_NO_SRP_AUTH", user.username, user.password)

    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(response["AuthenticationResult"])


def test_admin_no_srp_auth_with_modern_client_flag(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    response = admin_auth(cognito, app, "ADMIN_NO_SRP_AUTH", user.username, user.password)

    assert response["AuthenticationResult"]["AccessToken"]


def test_wrong_password_is_not_authorized(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, "Wr0ng-Password!")
    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        admin_auth(cognito, app, "ADMIN_USER_PASSWORD_AUTH", user.username, "Wr0ng-Password!")


def test_unknown_user_with_legacy_errors_is_user_not_found(cognito: Any, app: App) -> None:
    with cognito_error("UserNotFoundException", "User does not exist."):
        password_auth(cognito, app, "nobody", "Any-Passw0rd!")
    with cognito_error("UserNotFoundException", "User does not exist."):
        admin_auth(cognito, app, "ADMIN_USER_PASSWORD_AUTH", "nobody", "Any-Passw0rd!")


def test_unknown_user_with_prevent_user_existence_errors_is_generic(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool(), PreventUserExistenceErrors="ENABLED")

    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, "nobody", "Any-Passw0rd!")
    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        admin_auth(cognito, app, "ADMIN_USER_PASSWORD_AUTH", "nobody", "Any-Passw0rd!")


def test_prevent_user_existence_errors_hides_reset_required(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id, PreventUserExistenceErrors="ENABLED")
    user = make_user(pool_id, email=new_email("reset"))
    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)

    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, user.password)


def test_refresh_flow_needs_the_client_flow(
    cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    signer = make_client(pool_id)
    tokens = sign_in(cognito, signer, user.username, user.password)
    cognito.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=signer.client_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )

    with cognito_error("InvalidParameterException"):
        cognito.initiate_auth(
            ClientId=signer.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def test_admin_flow_is_not_accepted_by_initiate_auth(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("InvalidParameterException"):
        cognito.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
        )


def test_admin_initiate_auth_with_client_of_another_pool(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    user = make_user(pool_id)
    foreign = make_client(make_pool())

    with cognito_error(
        "ResourceNotFoundException", f"User pool client {foreign.client_id} does not exist."
    ):
        admin_auth(
            cognito,
            App(pool_id, foreign.client_id),
            "ADMIN_USER_PASSWORD_AUTH",
            user.username,
            user.password,
        )
