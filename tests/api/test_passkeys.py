"""Passkeys through boto3 with a software authenticator (tests/api/support/authenticator.py):
StartWebAuthnRegistration's options, CompleteWebAuthnRegistration's real attestation
checks (challenge, origin, RP ID hash, user verification, client), the passkeys listed
and deleted."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from tests.api.support import (
    App,
    MakeClient,
    MakePool,
    MakeUser,
    User,
    cognito_error,
    sign_in,
    unique,
)
from tests.api.support.authenticator import SoftwareAuthenticator

ORIGIN = "http://localhost:5173"  # an app's dev server: RP ID localhost allows http
PASSKEY_FACTORS = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
CHALLENGE_NOT_FOUND = "The passkey registration challenge was not found or has expired."


@dataclass(frozen=True)
class Member:
    """A signed-in user of a passkey pool."""

    app: App
    user: User
    access_token: str


def _passkey_pool(
    cognito: Any,
    make_pool: MakePool,
    *,
    rp_id: str | None = "localhost",
    verification: str = "preferred",
) -> str:
    pool_id = make_pool(Policies=PASSKEY_FACTORS)
    config: dict[str, str] = {"UserVerification": verification}
    if rp_id is not None:
        config["RelyingPartyId"] = rp_id
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, WebAuthnConfiguration=config)
    return pool_id


def _member(cognito: Any, pool_id: str, make_client: MakeClient, make_user: MakeUser) -> Member:
    app = make_client(pool_id)
    user = make_user(pool_id)
    token = sign_in(cognito, app, user.username, user.password)["AccessToken"]
    return Member(app, user, token)


def _signed_in(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    **pool: Any,
) -> Member:
    return _member(cognito, _passkey_pool(cognito, make_pool, **pool), make_client, make_user)


def _options(cognito: Any, member: Member) -> dict[str, Any]:
    options: dict[str, Any] = cognito.start_web_authn_registration(AccessToken=member.access_token)[
        "CredentialCreationOptions"
    ]
    return options


def _register(
    cognito: Any, member: Member, authenticator: SoftwareAuthenticator, origin: str = ORIGIN
) -> None:
    credential = authenticator.register(_options(cognito, member), origin)
    cognito.complete_web_authn_registration(AccessToken=member.access_token, Credential=credential)


def _listed(cognito: Any, member: Member, **kwargs: Any) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.list_web_authn_credentials(
        AccessToken=member.access_token, **kwargs
    )
    return answer


def test_start_registration_answers_cognitos_credential_creation_options(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    sub = cognito.get_user(AccessToken=member.access_token)["UserAttributes"]
    sub_value = next(a["Value"] for a in sub if a["Name"] == "sub")

    options = _options(cognito, member)

    assert options["rp"] == {"id": "localhost", "name": "localhost"}
    handle = base64.urlsafe_b64decode(options["user"]["id"] + "==").decode()
    assert handle == sub_value
    assert options["user"]["name"] == member.user.username
    assert options["user"]["displayName"] == ""
    assert len(base64.urlsafe_b64decode(options["challenge"] + "==")) == 16
    assert options["pubKeyCredParams"] == [
        {"type": "public-key", "alg": -7},
        {"type": "public-key", "alg": -257},
    ]
    assert options["timeout"] == 60000
    assert options["excludeCredentials"] == []
    assert options["authenticatorSelection"] == {
        "requireResidentKey": True,
        "residentKey": "required",
        "userVerification": "preferred",
    }
    assert options["challenge"] != _options(cognito, member)["challenge"]


def test_a_registered_passkey_is_listed_and_excluded_from_the_next_registration(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    authenticator = SoftwareAuthenticator()

    _register(cognito, member, authenticator)

    listed = _listed(cognito, member)
    assert "NextToken" not in listed
    [described] = listed["Credentials"]
    assert described["CredentialId"] == authenticator.credential_id
    assert described["RelyingPartyId"] == "localhost"
    assert described["AuthenticatorAttachment"] == "platform"
    assert described["AuthenticatorTransports"] == ["internal", "hybrid"]
    assert described["FriendlyCredentialName"] == "Platform passkey"
    assert described["CreatedAt"].timestamp() > 0
    excluded = _options(cognito, member)["excludeCredentials"]
    assert excluded == [{"type": "public-key", "id": authenticator.credential_id}]


def test_a_registration_challenge_is_good_once(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    options = _options(cognito, member)
    first = SoftwareAuthenticator().register(options, ORIGIN)
    cognito.complete_web_authn_registration(AccessToken=member.access_token, Credential=first)

    second = SoftwareAuthenticator().register(options, ORIGIN)
    with cognito_error("WebAuthnChallengeNotFoundException", CHALLENGE_NOT_FOUND):
        cognito.complete_web_authn_registration(AccessToken=member.access_token, Credential=second)
    assert len(_listed(cognito, member)["Credentials"]) == 1


def test_a_credential_answering_another_challenge_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    options = _options(cognito, member)
    forged = SoftwareAuthenticator().register(options, ORIGIN, challenge="AAAAAAAAAAAAAAAAAAAAAA")

    with cognito_error("WebAuthnChallengeNotFoundException", CHALLENGE_NOT_FOUND):
        cognito.complete_web_authn_registration(AccessToken=member.access_token, Credential=forged)
    assert _listed(cognito, member)["Credentials"] == []


def test_completing_without_a_started_registration_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    options = {"rp": {"id": "localhost"}, "user": {"id": "dXNlcg"}, "challenge": "AAAA"}
    credential = SoftwareAuthenticator().register(options, ORIGIN)

    with cognito_error("WebAuthnChallengeNotFoundException", CHALLENGE_NOT_FOUND):
        cognito.complete_web_authn_registration(
            AccessToken=member.access_token, Credential=credential
        )


def test_a_registration_from_a_foreign_origin_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    options = _options(cognito, member)
    credential = SoftwareAuthenticator().register(options, "https://evil.example")

    message = "The origin https://evil.example is not allowed for the relying party ID localhost."
    with cognito_error("WebAuthnOriginNotAllowedException", message):
        cognito.complete_web_authn_registration(
            AccessToken=member.access_token, Credential=credential
        )


def test_a_domain_relying_party_takes_https_origins_on_it_and_its_subdomains_only(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user, rp_id="example.com")
    for origin in ("http://example.com", "https://example.com.evil.test", "https://ample.com"):
        credential = SoftwareAuthenticator().register(_options(cognito, member), origin)
        with cognito_error("WebAuthnOriginNotAllowedException"):
            cognito.complete_web_authn_registration(
                AccessToken=member.access_token, Credential=credential
            )

    _register(cognito, member, SoftwareAuthenticator(), "https://app.example.com:8443")
    _register(cognito, member, SoftwareAuthenticator(), "https://example.com")
    assert len(_listed(cognito, member)["Credentials"]) == 2


def test_a_credential_for_another_relying_party_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    options = _options(cognito, member)
    credential = SoftwareAuthenticator().register(options, ORIGIN, rp_id="other.example")

    with cognito_error(
        "WebAuthnRelyingPartyMismatchException",
        "The passkey credential is for a different relying party ID.",
    ):
        cognito.complete_web_authn_registration(
            AccessToken=member.access_token, Credential=credential
        )


def test_another_client_cannot_complete_the_registration(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    other_app = make_client(member.app.pool_id)
    other_token = sign_in(cognito, other_app, member.user.username, member.user.password)
    credential = SoftwareAuthenticator().register(_options(cognito, member), ORIGIN)

    with cognito_error("WebAuthnClientMismatchException"):
        cognito.complete_web_authn_registration(
            AccessToken=other_token["AccessToken"], Credential=credential
        )


def test_required_user_verification_refuses_an_authenticator_without_it(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user, verification="required")
    options = _options(cognito, member)
    assert options["authenticatorSelection"]["userVerification"] == "required"
    credential = SoftwareAuthenticator(verifies_user=False).register(options, ORIGIN)

    with cognito_error("WebAuthnCredentialNotSupportedException"):
        cognito.complete_web_authn_registration(
            AccessToken=member.access_token, Credential=credential
        )
    _register(cognito, member, SoftwareAuthenticator(verifies_user=True))


def test_a_malformed_credential_is_an_invalid_parameter(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    good = SoftwareAuthenticator().register(_options(cognito, member), ORIGIN)
    broken_attestation = {**good, "response": {**good["response"], "attestationObject": "AAAA"}}
    for credential in ({"id": "x"}, "not an object", broken_attestation):
        with cognito_error("InvalidParameterException"):
            cognito.complete_web_authn_registration(
                AccessToken=member.access_token, Credential=credential
            )
    assert _listed(cognito, member)["Credentials"] == []


def test_the_relying_party_is_the_pool_domain_without_a_configured_one(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user, rp_id=None)
    with cognito_error("WebAuthnConfigurationMissingException"):
        _options(cognito, member)

    prefix = unique("passkeys").lower()
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=member.app.pool_id)

    assert _options(cognito, member)["rp"]["id"] == f"{prefix}.auth.us-east-1.localhost"


def test_a_pool_without_passkeys_in_its_sign_in_policy_refuses_registration(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, WebAuthnConfiguration={"RelyingPartyId": "localhost"}
    )
    member = _member(cognito, pool_id, make_client, make_user)

    with cognito_error("WebAuthnNotEnabledException"):
        _options(cognito, member)


def test_passkeys_are_listed_in_pages(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    authenticators = [SoftwareAuthenticator() for _ in range(3)]
    for authenticator in authenticators:
        _register(cognito, member, authenticator)

    first = _listed(cognito, member, MaxResults=2)
    second = _listed(cognito, member, MaxResults=2, NextToken=first["NextToken"])

    seen = [c["CredentialId"] for c in first["Credentials"] + second["Credentials"]]
    assert seen == [a.credential_id for a in authenticators]
    assert "NextToken" not in second
    with cognito_error("InvalidParameterException"):
        _listed(cognito, member, NextToken="bm90IGFuIGlk")


def test_a_deleted_passkey_is_gone_and_another_users_cannot_be_deleted(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    authenticator = SoftwareAuthenticator()
    _register(cognito, member, authenticator)
    stranger = _member(cognito, member.app.pool_id, make_client, make_user)

    with cognito_error("ResourceNotFoundException", "Credential does not exist."):
        cognito.delete_web_authn_credential(
            AccessToken=stranger.access_token, CredentialId=authenticator.credential_id
        )
    cognito.delete_web_authn_credential(
        AccessToken=member.access_token, CredentialId=authenticator.credential_id
    )

    assert _listed(cognito, member)["Credentials"] == []
    with cognito_error("ResourceNotFoundException", "Credential does not exist."):
        cognito.delete_web_authn_credential(
            AccessToken=member.access_token, CredentialId=authenticator.credential_id
        )
