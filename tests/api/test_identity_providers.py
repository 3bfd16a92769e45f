"""Identity providers: Create/Describe/GetByIdentifier/Update/Delete/ListIdentityProviders,
their validation and errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import AwsCli, cognito_error

OIDC = {
    "client_id": "rp-client",
    "client_secret": "rp-secret",
    "authorize_scopes": "openid email",
    "oidc_issuer": "https://issuer.example.com",
}
GOOGLE = {
    "client_id": "g-id",
    "client_secret": "g-secret",
    "authorize_scopes": "email profile openid",
}


def create(cognito: Any, pool_id: str, name: str = "Corp", **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("ProviderType", "OIDC")
    kwargs.setdefault("ProviderDetails", OIDC)
    answer = cognito.create_identity_provider(UserPoolId=pool_id, ProviderName=name, **kwargs)
    return dict(answer["IdentityProvider"])


def test_oidc_provider_created_and_described(cognito: Any, pool_id: str) -> None:
    created = create(
        cognito, pool_id, AttributeMapping={"email": "email"}, IdpIdentifiers=["corp.example"]
    )
    assert created["UserPoolId"] == pool_id
    assert (created["ProviderName"], created["ProviderType"]) == ("Corp", "OIDC")
    # the secret comes back in plain text, and Cognito's derived key is added
    assert created["ProviderDetails"] == {**OIDC, "attributes_url_add_attributes": "false"}
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    assert created["IdpIdentifiers"] == ["corp.example"]
    assert created["CreationDate"] == created["LastModifiedDate"]
    described = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert described["IdentityProvider"] == created


def test_google_shows_the_derived_endpoints(cognito: Any, pool_id: str) -> None:
    created = create(cognito, pool_id, "Google", ProviderType="Google", ProviderDetails=GOOGLE)
    assert created["ProviderDetails"] == {
        **GOOGLE,
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    }
    assert created["AttributeMapping"] == {"username": "sub"}


def test_facebook_endpoints_follow_the_api_version(cognito: Any, pool_id: str) -> None:
    details = {**GOOGLE, "authorize_scopes": "public_profile, email", "api_version": "v19.0"}
    created = create(cognito, pool_id, "Facebook", ProviderType="Facebook", ProviderDetails=details)
    shown = created["ProviderDetails"]
    assert shown["authorize_url"] == "https://www.facebook.com/v19.0/dialog/oauth"
    assert shown["token_url"] == "https://graph.facebook.com/v19.0/oauth/access_token"
    assert shown["token_request_method"] == "GET"
    assert created["AttributeMapping"] == {"username": "id"}


def test_apple_private_key_is_never_shown(cognito: Any, pool_id: str) -> None:
    details = {
        "client_id": "com.example.app",
        "team_id": "TEAM123456",
        "key_id": "KEY1234567",
        "private_key": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
        "authorize_scopes": "email name",
    }
    created = create(
        cognito, pool_id, "SignInWithApple", ProviderType="SignInWithApple", ProviderDetails=details
    )
    assert "private_key" not in created["ProviderDetails"]
    assert created["ProviderDetails"]["oidc_issuer"] == "https://appleid.apple.com"


def test_saml_shape_is_stored(cognito: Any, pool_id: str) -> None:
    created = create(
        cognito,
        pool_id,
        "Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataURL": "https://idp.example.com/metadata", "IDPSignout": "true"},
        AttributeMapping={"email": "http://schemas.example.com/email"},
    )
    assert created["ProviderDetails"] == {
        "MetadataURL": "https://idp.example.com/metadata",
        "IDPSignout": "true",
    }
    assert created["AttributeMapping"] == {"email": "http://schemas.example.com/email"}
    with cognito_error(
        "InvalidParameterException", "Either MetadataURL or MetadataFile is a required idp detail"
    ):
        create(cognito, pool_id, "Okta2", ProviderType="SAML", ProviderDetails={"IDPInit": "true"})


def test_social_provider_must_be_named_after_its_type(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException", "Provider NameOfGP cannot be of type Google."):
        create(cognito, pool_id, "NameOfGP", ProviderType="Google", ProviderDetails=GOOGLE)
    with cognito_error("InvalidParameterException", "Provider Google cannot be of type OIDC."):
        create(cognito, pool_id, "Google")


def test_social_provider_needs_its_keys(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidParameterException",
        "client_id, client_secret and authorize_scopes are all required idp details",
    ):
        create(
            cognito,
            pool_id,
            "Google",
            ProviderType="Google",
            ProviderDetails={"client_id": "g", "authorize_scopes": "openid"},
        )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (
            {**OIDC, "authorize_scopes": "email profile"},
            "authorize_scopes must contain openid",
        ),
        (
            {k: v for k, v in OIDC.items() if k != "oidc_issuer"}
            | {"authorize_url": "https://issuer.example.com/authorize"},
            "oidc_issuer or all of authorize_url, token_url, attributes_url and jwks_uri "
            "are required idp details",
        ),
        (
            {**OIDC, "oidc_issuer": "http://issuer.example.com"},
            "oidc_issuer must use https (http is allowed only on localhost): "
            "http://issuer.example.com",
        ),
        ({**OIDC, "oidc_issuer": "https://issuer.example.com/"}, "oidc_issuer must not end with /"),
        (
            {**OIDC, "attributes_request_method": "PUT"},
            "attributes_request_method must be GET or POST",
        ),
        (
            {k: v for k, v in OIDC.items() if k != "client_secret"},
            "client_id, client_secret and authorize_scopes are all required idp details",
        ),
    ],
)
def test_oidc_details_are_checked(
    cognito: Any, pool_id: str, details: dict[str, str], message: str
) -> None:
    with cognito_error("InvalidParameterException", message):
        create(cognito, pool_id, ProviderDetails=details)
    with cognito_error("ResourceNotFoundException"):
        cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")


def test_oidc_on_the_loopback_may_use_http(cognito: Any, pool_id: str) -> None:
    manual = {
        "client_id": "c",
        "client_secret": "s",
        "authorize_scopes": "openid",
        "authorize_url": "http://127.0.0.1:9/oauth2/authorize",
        "token_url": "http://localhost:9/oauth2/token",
        "attributes_url": "http://[::1]:9/oauth2/userInfo",
        "jwks_uri": "http://127.0.0.1:9/.well-known/jwks.json",
    }
    created = create(cognito, pool_id, "Local", ProviderDetails=manual)
    assert created["ProviderDetails"]["token_url"] == "http://localhost:9/oauth2/token"


def test_provider_name_pattern_from_the_model(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException") as info:
        create(cognito, pool_id, "_Corp")
    assert "providerName" in str(info.value)


def test_duplicate_name(cognito: Any, pool_id: str) -> None:
    create(cognito, pool_id)
    with cognito_error(
        "DuplicateProviderException", "A provider with the name Corp already exists."
    ):
        create(cognito, pool_id)


def test_identifiers_unique_in_the_pool(cognito: Any, pool_id: str) -> None:
    create(cognito, pool_id, IdpIdentifiers=["corp"])
    with cognito_error(
        "InvalidParameterException", "Identifier corp is already used by provider Corp."
    ):
        create(cognito, pool_id, "Other", IdpIdentifiers=["corp"])
    with cognito_error("InvalidParameterException", "Duplicate identifiers in IdpIdentifiers."):
        create(cognito, pool_id, "Other", IdpIdentifiers=["x", "x"])
    with cognito_error("InvalidParameterException") as info:
        create(cognito, pool_id, "Other", IdpIdentifiers=[f"id{i}" for i in range(51)])
    assert "idpIdentifiers" in str(info.value)


def test_get_by_identifier(cognito: Any, pool_id: str) -> None:
    created = create(cognito, pool_id, IdpIdentifiers=["corp.example", "corp"])
    found = cognito.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="corp")
    assert found["IdentityProvider"] == created
    with cognito_error(
        "ResourceNotFoundException", "Identity provider with identifier other does not exist."
    ):
        cognito.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="other")


def test_unknown_pool_and_provider(cognito: Any, pool_id: str) -> None:
    with cognito_error("ResourceNotFoundException", "User pool us-east-1_nope does not exist."):
        create(cognito, "us-east-1_nope")
    with cognito_error("ResourceNotFoundException", "Identity provider Corp does not exist."):
        cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    with cognito_error("ResourceNotFoundException", "Identity provider Corp does not exist."):
        cognito.update_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    with cognito_error("ResourceNotFoundException", "Identity provider Corp does not exist."):
        cognito.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
