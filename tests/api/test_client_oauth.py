"""The OAuth settings of app clients, validated at CreateUserPoolClient and
UpdateUserPoolClient as Cognito does (cognito-oauth.md §2.2, §2.3)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import AwsCli, cognito_error, unique

CODE_CLIENT = {
    "AllowedOAuthFlowsUserPoolClient": True,
    "AllowedOAuthFlows": ["code"],
    "AllowedOAuthScopes": ["openid", "email"],
    "CallbackURLs": ["https://app.example.com/callback"],
    "SupportedIdentityProviders": ["COGNITO"],
}


def create(cognito: Any, pool_id: str, **settings: Any) -> dict[str, Any]:
    client: dict[str, Any] = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName=unique("web"), **settings
    )["UserPoolClient"]
    return client


def test_code_client_keeps_its_oauth_settings(cognito: Any, pool_id: str) -> None:
    settings = {
        **CODE_CLIENT,
        "LogoutURLs": ["https://app.example.com/"],
        "DefaultRedirectURI": "https://app.example.com/callback",
    }
    client = create(cognito, pool_id, **settings)
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    for key, value in settings.items():
        assert described["UserPoolClient"][key] == value


def test_update_is_a_full_replace_of_the_oauth_settings(cognito: Any, pool_id: str) -> None:
    client = create(cognito, pool_id, **CODE_CLIENT)
    updated = cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    got = updated["UserPoolClient"]
    assert got["AllowedOAuthFlowsUserPoolClient"] is False
    for key in (
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "CallbackURLs",
        "SupportedIdentityProviders",
    ):
        assert key not in got


@pytest.mark.parametrize(
    "uri",
    [
        "https://app.example.com/cb",
        "http://localhost:3000/cb",
        "http://localhost/cb",
        "http://127.0.0.1:8080/",
        "http://[::1]:5173/auth",
        "myapp://callback",
        "com.example.app:/oauth2redirect",
    ],
)
def test_callback_urls_that_may_be_registered(cognito: Any, pool_id: str, uri: str) -> None:
    client = create(cognito, pool_id, **{**CODE_CLIENT, "CallbackURLs": [uri]})
    assert client["CallbackURLs"] == [uri]


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        (
            "http://app.example.com/cb",
            "It must use https; http is allowed for localhost, 127.0.0.1 and [::1] only.",
        ),
        ("https://app.example.com/cb#top", "It must not contain a fragment."),
        ("/relative/cb", "It must be an absolute URI."),
        ("javascript:alert(1)", "The javascript scheme is not allowed."),
    ],
)
def test_callback_urls_that_may_not(cognito: Any, pool_id: str, uri: str, reason: str) -> None:
    with cognito_error("InvalidParameterException", f"Invalid callback URL {uri}: {reason}"):
        create(cognito, pool_id, **{**CODE_CLIENT, "CallbackURLs": [uri]})


def test_logout_urls_follow_the_same_rules(cognito: Any, pool_id: str) -> None:
    bad = "http://app.example.com/bye"
    with cognito_error(
        "InvalidParameterException",
        f"Invalid logout URL {bad}: It must use https; http is allowed for localhost,"
        " 127.0.0.1 and [::1] only.",
    ):
        create(cognito, pool_id, **{**CODE_CLIENT, "LogoutURLs": [bad]})


def test_default_redirect_uri_is_one_of_the_callbacks(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidParameterException", "DefaultRedirectURI must be one of the CallbackURLs."
    ):
        create(
            cognito, pool_id, **{**CODE_CLIENT, "DefaultRedirectURI": "https://other.example.com/"}
        )


def test_code_and_implicit_need_callback_urls(cognito: Any, pool_id: str) -> None:
    for flow in ("code", "implicit"):
        with cognito_error(
            "InvalidOAuthFlowException",
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        ):
            create(
                cognito,
                pool_id,
                AllowedOAuthFlowsUserPoolClient=True,
                AllowedOAuthFlows=[flow],
                AllowedOAuthScopes=["openid"],
            )


def test_client_credentials_needs_a_secret(cognito: Any, pool_id: str) -> None:
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier="api",
        Name="API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )
    machine = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["client_credentials"],
        "AllowedOAuthScopes": ["api/read"],
    }
    with cognito_error(
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
    ):
        create(cognito, pool_id, **machine)
    client = create(cognito, pool_id, GenerateSecret=True, **machine)
    assert client["AllowedOAuthScopes"] == ["api/read"]
    # and Update keeps the secret the client has
    cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"], **machine)


def test_client_credentials_goes_alone(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow",
    ):
        create(
            cognito,
            pool_id,
            GenerateSecret=True,
            **{**CODE_CLIENT, "AllowedOAuthFlows": ["code", "client_credentials"]},
        )


@pytest.mark.parametrize("scope", ["openid", "email", "aws.cognito.signin.user.admin"])
def test_client_credentials_takes_no_user_scopes(cognito: Any, pool_id: str, scope: str) -> None:
    with cognito_error(
        "InvalidOAuthFlowException", f"{scope} is not supported with client_credentials flow"
    ):
        create(
            cognito,
            pool_id,
            GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthScopes=[scope],
        )


def test_scopes_are_standard_or_the_pools_own(cognito: Any, pool_id: str) -> None:
    with cognito_error("ScopeDoesNotExistException", "Invalid scope requested: api/read"):
        create(cognito, pool_id, **{**CODE_CLIENT, "AllowedOAuthScopes": ["openid", "api/read"]})
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier="api",
        Name="API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )
    client = create(
        cognito, pool_id, **{**CODE_CLIENT, "AllowedOAuthScopes": ["openid", "api/read"]}
    )
    assert client["AllowedOAuthScopes"] == ["openid", "api/read"]
    with cognito_error("ScopeDoesNotExistException", "Invalid scope requested: api/write"):
        cognito.update_user_pool_client(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            **{**CODE_CLIENT, "AllowedOAuthScopes": ["api/write"]},
        )
    with cognito_error("ScopeDoesNotExistException", "Invalid scope requested: superpowers"):
        create(cognito, pool_id, **{**CODE_CLIENT, "AllowedOAuthScopes": ["superpowers"]})


def test_deleting_a_scope_leaves_the_clients_that_have_it(cognito: Any, pool_id: str) -> None:
    cognito.create_resource_server(
        UserPoolId=pool_id,
        Identifier="api",
        Name="API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )
    client = create(cognito, pool_id, **{**CODE_CLIENT, "AllowedOAuthScopes": ["api/read"]})
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier="api")
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert described["UserPoolClient"]["AllowedOAuthScopes"] == ["api/read"]


def test_identity_providers_must_exist(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidParameterException", f"The provider Google does not exist for User Pool {pool_id}"
    ):
        create(
            cognito, pool_id, **{**CODE_CLIENT, "SupportedIdentityProviders": ["COGNITO", "Google"]}
        )
    with cognito_error(
        "InvalidParameterException", f"The provider cognito does not exist for User Pool {pool_id}"
    ):
        create(cognito, pool_id, **{**CODE_CLIENT, "SupportedIdentityProviders": ["cognito"]})


def test_unknown_flow_is_a_model_error(cognito: Any, pool_id: str) -> None:
    # the model's enum, checked by the request validator (protocol/validate.py)
    with cognito_error("InvalidParameterException") as info:
        create(cognito, pool_id, **{**CODE_CLIENT, "AllowedOAuthFlows": ["token"]})
    message = info.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected: Value 'token' at 'allowedOAuthFlows")
    assert "[code, implicit, client_credentials]" in message


def test_oauth_client_through_the_aws_cli(aws: AwsCli, pool_id: str) -> None:
    created = aws(
        "create-user-pool-client",
        "--user-pool-id",
        pool_id,
        "--client-name",
        "spa",
        "--allowed-o-auth-flows-user-pool-client",
        "--allowed-o-auth-flows",
        "code",
        "--allowed-o-auth-scopes",
        "openid",
        "profile",
        "--callback-urls",
        '["http://localhost:3000/callback"]',  # JSON: the CLI fetches a bare http:// value
        "--supported-identity-providers",
        "COGNITO",
    ).json()["UserPoolClient"]
    assert created["CallbackURLs"] == ["http://localhost:3000/callback"]
    aws(
        "update-user-pool-client",
        "--user-pool-id",
        pool_id,
        "--client-id",
        created["ClientId"],
        "--allowed-o-auth-flows",
        "implicit",
    ).fails_with(
        "UpdateUserPoolClient",
        "InvalidOAuthFlowException",
        "CallbackUrls can not be empty when code flow or implicit flow is selected",
    )
