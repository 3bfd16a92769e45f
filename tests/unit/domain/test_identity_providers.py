"""The rules of identity providers, links and `identities`, without a store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from recognito import errors
from recognito.cli.flags import social_endpoints
from recognito.config import Settings
from recognito.domain import identity_providers as rules
from recognito.domain import links
from recognito.domain.identities import Identity, identities_claim, identities_json, with_links
from recognito.domain.records import IdentityProvider

OIDC = {
    "client_id": "c",
    "client_secret": "s",
    "authorize_scopes": "openid",
    "oidc_issuer": "https://issuer.example.com",
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _provider(kind: str, details: dict[str, str]) -> IdentityProvider:
    return IdentityProvider("us-east-1_x", kind, kind, details, {}, [], NOW, NOW)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Corp", "Google"), ("Google", "OIDC"), ("Facebook", "SAML"), ("Google", "Facebook")],
)
def test_social_names_go_with_their_type_only(name: str, kind: str) -> None:
    with pytest.raises(
        errors.InvalidParameterException, match=f"^Provider {name} cannot be of type {kind}.$"
    ):
        rules.check_name(name, kind)


def test_names_that_pass() -> None:
    rules.check_name("Google", "Google")
    rules.check_name("Corp", "OIDC")
    rules.check_name("Okta", "SAML")


def test_cognito_is_reserved() -> None:
    with pytest.raises(errors.InvalidParameterException, match="reserved"):
        rules.check_name("Cognito", "OIDC")


@pytest.mark.parametrize(
    "url",
    [
        "https://issuer.example.com",
        "http://127.0.0.1:8080/x",
        "http://localhost/x",
        "http://[::1]:9/x",
    ],
)
def test_urls_allowed(url: str) -> None:
    rules.check_url("oidc_issuer", url)


@pytest.mark.parametrize(
    "url",
    [
        "http://issuer.example.com",
        "ftp://127.0.0.1/x",
        "https://",
        "issuer.example.com",
        "https://issuer.example.com/#f",
        "http://127.0.0.1.example.com",
    ],
)
def test_urls_refused(url: str) -> None:
    with pytest.raises(errors.InvalidParameterException):
        rules.check_url("oidc_issuer", url)


def test_oidc_manual_endpoints_instead_of_an_issuer() -> None:
    manual = {k: v for k, v in OIDC.items() if k != "oidc_issuer"} | {
        key: f"https://idp.example.com/{key}" for key in rules.OIDC_ENDPOINTS
    }
    rules.check_details("OIDC", manual)
    for missing in rules.OIDC_ENDPOINTS:
        partial = {k: v for k, v in manual.items() if k != missing}
        with pytest.raises(errors.InvalidParameterException, match="oidc_issuer or all of"):
            rules.check_details("OIDC", partial)


def test_scopes_may_be_comma_separated() -> None:
    rules.check_details("OIDC", {**OIDC, "authorize_scopes": "email,openid"})


def test_apple_needs_its_key_details() -> None:
    with pytest.raises(errors.InvalidParameterException, match="team_id, key_id, private_key"):
        rules.check_details(
            "SignInWithApple", {"client_id": "c", "client_secret": "s", "authorize_scopes": "x"}
        )


def test_identifiers() -> None:
    other = IdentityProvider("p", "Other", "OIDC", OIDC, {}, ["a"], NOW, NOW)
    rules.check_identifiers(["b"], "Corp", [other])
    rules.check_identifiers(["a"], "Other", [other])  # its own, on update
    with pytest.raises(errors.InvalidParameterException, match="used by provider Other"):
        rules.check_identifiers(["a"], "Corp", [other])


def test_username_mapping_by_type() -> None:
    assert rules.stored_mapping("OIDC", {}) == {"username": "sub"}
    assert rules.stored_mapping("Facebook", {}) == {"username": "id"}
    assert rules.stored_mapping("LoginWithAmazon", {}) == {"username": "user_id"}
    assert rules.stored_mapping("SAML", {"email": "mail"}) == {"email": "mail"}
    assert rules.stored_mapping("OIDC", {"username": "oid"}) == {"username": "oid"}


def test_derived_keys_are_what_was_not_given() -> None:
    google = _provider("Google", {"client_id": "c", "client_secret": "s", "authorize_scopes": "x"})
    assert "token_url" in rules.derived_keys(google)
    assert "client_id" not in rules.derived_keys(google)
    assert rules.derived_keys(_provider("OIDC", OIDC)) == {"attributes_url_add_attributes"}


def test_facebook_default_api_version() -> None:
    shown = rules.described_details(_provider("Facebook", {"client_id": "c"}))
    assert (
        shown["authorize_url"]
        == f"https://www.facebook.com/{rules.FACEBOOK_API_VERSION}/dialog/oauth"
    )


def test_link_rules() -> None:
    links.check_source("SAML", "email", "ann@example.com")
    links.check_source("Google", "Cognito_Subject", "123")
    with pytest.raises(errors.InvalidParameterException, match="must be Cognito_Subject"):
        links.check_source("Google", "email", "x")
    with pytest.raises(errors.InvalidParameterException, match="are required"):
        links.check_source("SAML", "email", "")
    links.check_room(4)
    with pytest.raises(errors.LimitExceededException):
        links.check_room(5)


def test_identities_attribute_and_claim_spellings() -> None:
    entry = Identity("123", "Google", "Google", primary=True, date_created=1682704282.933)
    attribute = identities_json([entry])
    assert attribute == (
        '[{"userId":"123","providerName":"Google","providerType":"Google",'
        '"issuer":null,"primary":true,"dateCreated":1682704282933}]'
    )
    assert identities_claim(attribute) == [
        {
            "userId": "123",
            "providerName": "Google",
            "providerType": "Google",
            "issuer": None,
            "primary": "true",
            "dateCreated": "1682704282933",
        }
    ]
    assert identities_claim("not json") == []


def test_links_add_to_a_federated_users_own_identities() -> None:
    own = Identity("1", "Corp", "OIDC", primary=True, date_created=1.0)
    link = Identity("2", "Google", "Google", primary=False, date_created=2.0)
    attributes = {"identities": identities_json([own]), "email": "a@example.com"}
    merged = with_links(attributes, [link])
    assert [e["userId"] for e in json.loads(merged["identities"])] == ["1", "2"]
    assert with_links(attributes, []) is attributes


def test_social_endpoints_flag() -> None:
    assert social_endpoints("Google=http://127.0.0.1:1/p, Facebook=https://x") == (
        "Google=http://127.0.0.1:1/p",
        "Facebook=https://x",
    )
    settings = Settings(social_idp_endpoints=("Google=http://127.0.0.1:1/p",))
    assert settings.social_bases == {"Google": "http://127.0.0.1:1/p"}
    assert Settings.from_json(settings.to_json()) == settings
    with pytest.raises(SystemExit):
        social_endpoints("OIDC=https://x")
    with pytest.raises(SystemExit):
        social_endpoints("Google")


def _routed(name: str, kind: str, identifiers: list[str]) -> IdentityProvider:
    return IdentityProvider("us-east-1_x", name, kind, {}, {}, identifiers, NOW, NOW)


def test_only_supported_oidc_and_saml_providers_with_identifiers_route_emails() -> None:
    corp = _routed("Corp", "OIDC", ["corp.example"])
    saml = _routed("Saml", "SAML", ["saml.example"])
    bare = _routed("Bare", "OIDC", [])
    unsupported = _routed("Other", "OIDC", ["other.example"])
    found = rules.routable([corp, saml, bare, unsupported], ["COGNITO", "Corp", "Saml", "Bare"])
    assert [p.name for p in found] == ["Corp", "Saml"]


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ada@corp.example", "Corp"),
        ("Ada@CORP.Example", "Corp"),  # domains compare case-insensitively
        ("corp.example", "Corp"),  # a bare domain is one
        ("bob@x@saml.example", "Saml"),  # the domain is after the last @
        ("ada@sub.corp.example", None),  # equal, not a suffix
        ("ada@", None),
    ],
)
def test_an_email_goes_to_the_provider_its_domain_names(email: str, expected: str | None) -> None:
    providers = [
        _routed("Corp", "OIDC", ["Corp.Example"]),
        _routed("Saml", "SAML", ["saml.example"]),
    ]
    found = rules.by_email_domain(email, providers)
    assert (found.name if found else None) == expected


def test_facebook_is_asked_for_the_id_and_every_mapped_field_once() -> None:
    mapping = {"email": "email", "given_name": "first_name", "nickname": "email", "username": "id"}
    assert rules.attribute_fields(mapping) == ["id", "email", "first_name"]


def test_social_types_pointed_at_a_base_keep_their_public_paths() -> None:
    base = {
        "Facebook": "http://127.0.0.1:1/fb",
        "LoginWithAmazon": "http://127.0.0.1:1/lwa/",
        "SignInWithApple": "http://127.0.0.1:1/apple",
    }
    facebook = rules.described_details(_provider("Facebook", {"api_version": "v20.0"}), base)
    assert facebook["authorize_url"] == "http://127.0.0.1:1/fb/v20.0/dialog/oauth"
    assert facebook["token_url"] == "http://127.0.0.1:1/fb/v20.0/oauth/access_token"
    assert facebook["attributes_url"] == "http://127.0.0.1:1/fb/v20.0/me?fields="
    amazon = rules.described_details(_provider("LoginWithAmazon", {}), base)
    assert amazon["token_url"] == "http://127.0.0.1:1/lwa/auth/o2/token"
    apple = rules.described_details(_provider("SignInWithApple", {"private_key": "k"}), base)
    assert apple["oidc_issuer"] == "http://127.0.0.1:1/apple"
    assert apple["token_url"] == "http://127.0.0.1:1/apple/auth/token"
    assert "private_key" not in apple


@pytest.mark.parametrize(
    ("scopes", "parts"),
    [("public_profile, email", ["public_profile", "email"]), ("email name", ["email", "name"])],
)
def test_authorize_scopes_split_on_spaces_or_commas(scopes: str, parts: list[str]) -> None:
    assert rules.scopes_of({"authorize_scopes": scopes}) == parts


def test_saml_has_no_shape_of_its_own_and_is_taken_as_oidc() -> None:
    assert rules.shape_of("SAML") == rules.SHAPES["OIDC"]
    assert rules.shape_of("Facebook").id_token is False
