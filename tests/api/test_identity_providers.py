"""Identity providers: Create/Describe/GetByIdentifier/Update/Delete/ListIdentityProviders,
their validation and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.support import AwsCli, cognito_error, open_boto_client, sign_in
from tests.api.support.saml_idp import idp_metadata, new_key_pair

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
    cert = new_key_pair().cert_b64
    metadata = idp_metadata("https://idp.example.com/entity", "https://idp.example.com", cert)
    created = create(
        cognito,
        pool_id,
        "Okta",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": metadata, "IDPSignout": "true"},
        AttributeMapping={"email": "http://schemas.example.com/email"},
    )
    assert created["ProviderDetails"] == {
        "MetadataFile": metadata,
        "IDPSignout": "true",
        "SSORedirectBindingURI": "https://idp.example.com/sso",
        "SLORedirectBindingURI": "https://idp.example.com/slo",
    }
    assert created["AttributeMapping"] == {"email": "http://schemas.example.com/email"}
    with cognito_error(
        "InvalidParameterException",
        "At least one of the MetadataURL or MetadataFile should be provided.",
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


def test_update_changes_only_what_is_given(cognito: Any, pool_id: str) -> None:
    created = create(cognito, pool_id, AttributeMapping={"email": "email"}, IdpIdentifiers=["a"])
    updated = cognito.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["b"]
    )["IdentityProvider"]
    assert updated["IdpIdentifiers"] == ["b"]
    assert updated["ProviderDetails"] == created["ProviderDetails"]
    assert updated["AttributeMapping"] == created["AttributeMapping"]
    assert updated["CreationDate"] == created["CreationDate"]
    details = {**OIDC, "client_secret": "rotated", "authorize_scopes": "openid profile"}
    updated = cognito.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", ProviderDetails=details
    )["IdentityProvider"]
    assert updated["ProviderDetails"] == {**details, "attributes_url_add_attributes": "false"}
    assert updated["IdpIdentifiers"] == ["b"]
    described = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert described["IdentityProvider"] == updated


def test_update_accepts_described_details_back(cognito: Any, pool_id: str) -> None:
    """Describe, edit, Update: the derived keys coming back are not kept as given ones."""
    created = create(cognito, pool_id, "Google", ProviderType="Google", ProviderDetails=GOOGLE)
    details = {**created["ProviderDetails"], "authorize_scopes": "openid email"}
    updated = cognito.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderDetails=details
    )["IdentityProvider"]
    assert updated["ProviderDetails"] == details


def test_update_is_checked_like_create(cognito: Any, pool_id: str) -> None:
    create(cognito, pool_id)
    create(cognito, pool_id, "Other", IdpIdentifiers=["taken"])
    with cognito_error("InvalidParameterException", "authorize_scopes must contain openid"):
        cognito.update_identity_provider(
            UserPoolId=pool_id,
            ProviderName="Corp",
            ProviderDetails={**OIDC, "authorize_scopes": "email"},
        )
    with cognito_error(
        "InvalidParameterException", "Identifier taken is already used by provider Other."
    ):
        cognito.update_identity_provider(
            UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["taken"]
        )
    described = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert described["IdentityProvider"]["ProviderDetails"]["authorize_scopes"] == "openid email"


def test_list_pages_in_name_order(cognito: Any, pool_id: str) -> None:
    for name in ["Delta", "Alpha", "Charlie", "Bravo", "Echo"]:
        create(cognito, pool_id, name)
    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 2}
    pages = 0
    while True:
        answer = cognito.list_identity_providers(**kwargs)
        pages += 1
        for summary in answer["Providers"]:
            assert set(summary) == {
                "ProviderName",
                "ProviderType",
                "LastModifiedDate",
                "CreationDate",
            }
        seen += [p["ProviderName"] for p in answer["Providers"]]
        if "NextToken" not in answer:
            break
        kwargs["NextToken"] = answer["NextToken"]
    assert seen == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
    assert pages == 3
    everything = cognito.list_identity_providers(UserPoolId=pool_id)
    assert len(everything["Providers"]) == 5 and "NextToken" not in everything
    with cognito_error("InvalidParameterException") as info:
        cognito.list_identity_providers(UserPoolId=pool_id, MaxResults=61)
    assert "maxResults" in str(info.value)


def test_delete_then_gone(cognito: Any, pool_id: str) -> None:
    create(cognito, pool_id, IdpIdentifiers=["corp"])
    cognito.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert cognito.list_identity_providers(UserPoolId=pool_id)["Providers"] == []
    # the name and the identifier are free again
    create(cognito, pool_id, IdpIdentifiers=["corp"])


def test_clients_may_name_the_pools_providers(cognito: Any, pool_id: str) -> None:
    with cognito_error(
        "InvalidParameterException", f"The provider Corp does not exist for User Pool {pool_id}"
    ):
        cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="web", SupportedIdentityProviders=["COGNITO", "Corp"]
        )
    create(cognito, pool_id)
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", SupportedIdentityProviders=["COGNITO", "Corp"]
    )["UserPoolClient"]
    assert client["SupportedIdentityProviders"] == ["COGNITO", "Corp"]
    cognito.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert described["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO"]


def _source(value: str, name: str = "Corp", attribute: str = "Cognito_Subject") -> dict[str, str]:
    return {
        "ProviderName": name,
        "ProviderAttributeName": attribute,
        "ProviderAttributeValue": value,
    }


def test_link_and_unlink_a_native_user(cognito: Any, pool_id: str, make_user: Any) -> None:
    create(cognito, pool_id)
    user = make_user(pool_id)
    cognito.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": user.username},
        SourceUser=_source("sub-123"),
    )
    got = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)
    identities = [a["Value"] for a in got["UserAttributes"] if a["Name"] == "identities"]
    assert len(identities) == 1
    (entry,) = json.loads(identities[0])
    assert entry["userId"] == "sub-123"
    assert (entry["providerName"], entry["providerType"]) == ("Corp", "OIDC")
    assert entry["primary"] is False and isinstance(entry["dateCreated"], int)
    cognito.admin_disable_provider_for_user(UserPoolId=pool_id, User=_source("sub-123"))
    got = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)
    assert "identities" not in {a["Name"] for a in got["UserAttributes"]}


def test_link_errors(cognito: Any, pool_id: str, make_user: Any) -> None:
    create(cognito, pool_id)
    user = make_user(pool_id)
    native = {"ProviderName": "Cognito", "ProviderAttributeValue": user.username}

    def link(destination: dict[str, str], source: dict[str, str]) -> None:
        cognito.admin_link_provider_for_user(
            UserPoolId=pool_id, DestinationUser=destination, SourceUser=source
        )

    with cognito_error(
        "InvalidParameterException",
        "DestinationUser ProviderName must be Cognito (a user of the pool).",
    ):
        link({**native, "ProviderName": "Corp"}, _source("s"))
    with cognito_error("UserNotFoundException", "User does not exist."):
        link({**native, "ProviderAttributeValue": "nobody"}, _source("s"))
    with cognito_error(
        "InvalidParameterException", f"The provider Nope does not exist for User Pool {pool_id}"
    ):
        link(native, _source("s", name="Nope"))
    with cognito_error(
        "InvalidParameterException",
        "SourceUser ProviderAttributeName must be Cognito_Subject for OIDC providers.",
    ):
        link(native, _source("s", attribute="email"))
    with cognito_error("ResourceNotFoundException"):
        cognito.admin_link_provider_for_user(
            UserPoolId="us-east-1_nope", DestinationUser=native, SourceUser=_source("s")
        )
    with cognito_error(
        "InvalidParameterException",
        "Disabling a native user's own sign-in (ProviderName Cognito) is not supported.",
    ):
        cognito.admin_disable_provider_for_user(
            UserPoolId=pool_id,
            User={**native, "ProviderAttributeName": "Cognito_Subject"},
        )
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_disable_provider_for_user(UserPoolId=pool_id, User=_source("never"))


def test_identity_providers_through_the_aws_cli(aws: AwsCli, pool_id: str) -> None:
    created = aws(
        "create-identity-provider",
        "--user-pool-id",
        pool_id,
        "--provider-name",
        "Corp",
        "--provider-type",
        "OIDC",
        "--provider-details",
        json.dumps(OIDC),
        "--attribute-mapping",
        "email=email",
        "--idp-identifiers",
        "corp.example",
    ).json()["IdentityProvider"]
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    listed = aws("list-identity-providers", "--user-pool-id", pool_id, "--max-results", "10")
    assert [p["ProviderName"] for p in listed.json()["Providers"]] == ["Corp"]
    found = aws(
        "get-identity-provider-by-identifier",
        "--user-pool-id",
        pool_id,
        "--idp-identifier",
        "corp.example",
    ).json()["IdentityProvider"]
    assert found["ProviderName"] == "Corp"
    aws("delete-identity-provider", "--user-pool-id", pool_id, "--provider-name", "Corp").ok()
    aws(
        "describe-identity-provider", "--user-pool-id", pool_id, "--provider-name", "Corp"
    ).fails_with(
        "DescribeIdentityProvider",
        "ResourceNotFoundException",
        "Identity provider Corp does not exist.",
    )


def test_social_endpoints_pointed_at_a_local_issuer(private_server: Any, tmp_path: Path) -> None:
    base = "http://127.0.0.1:9/us-east-1_Local"
    process = private_server(
        tmp_path, extra_args=["--social-idp-endpoints", f"Google={base},Facebook={base}"]
    )
    with open_boto_client(process.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        created = create(cognito, pool_id, "Google", ProviderType="Google", ProviderDetails=GOOGLE)
        facebook = create(
            cognito,
            pool_id,
            "Facebook",
            ProviderType="Facebook",
            ProviderDetails={**GOOGLE, "api_version": "v20.0"},
        )
    # Google: an OIDC issuer whose discovery document names the endpoints (a Recognito pool)
    assert created["ProviderDetails"] == {
        **GOOGLE,
        "oidc_issuer": base,
        "attributes_url_add_attributes": "false",
        "token_request_method": "POST",
    }
    # the others: their public endpoints' paths under the base
    assert facebook["ProviderDetails"] == {
        **GOOGLE,
        "api_version": "v20.0",
        "authorize_url": f"{base}/v20.0/dialog/oauth",
        "token_url": f"{base}/v20.0/oauth/access_token",
        "attributes_url": f"{base}/v20.0/me?fields=",
        "attributes_url_add_attributes": "true",
        "token_request_method": "GET",
    }


def test_linked_identities_show_wherever_the_user_is_listed(
    cognito: Any, pool_id: str, make_user: Any, make_client: Any
) -> None:
    create(cognito, pool_id)
    user = make_user(pool_id)
    cognito.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": user.username},
        SourceUser=_source("sub-9"),
    )

    def identities(attributes: list[dict[str, str]]) -> list[str]:
        found = [a["Value"] for a in attributes if a["Name"] == "identities"]
        return [e["userId"] for value in found for e in json.loads(value)]

    own = cognito.get_user(
        AccessToken=sign_in(cognito, make_client(pool_id), user.username, user.password)[
            "AccessToken"
        ]
    )
    assert identities(own["UserAttributes"]) == ["sub-9"]
    (listed,) = cognito.list_users(UserPoolId=pool_id)["Users"]
    assert identities(listed["Attributes"]) == ["sub-9"]
    only = cognito.list_users(UserPoolId=pool_id, AttributesToGet=["identities"])["Users"]
    assert [a["Name"] for a in only[0]["Attributes"]] == ["identities"]
    cognito.create_group(UserPoolId=pool_id, GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user.username, GroupName="staff")
    (member,) = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert identities(member["Attributes"]) == ["sub-9"]
