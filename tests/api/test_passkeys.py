"""Passkeys through boto3 with a software authenticator (tests/api/support/authenticator.py):
StartWebAuthnRegistration's options, CompleteWebAuthnRegistration's real attestation
checks (challenge, origin, RP ID hash, user verification, client), the passkeys listed
and deleted, and signing in with one: USER_AUTH's WEB_AUTHN challenge, its assertion
checked (challenge, origin, signature, counter, user verification) before tokens."""

from __future__ import annotations

import base64
import json
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

FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
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
    app = make_client(pool_id, ExplicitAuthFlows=FLOWS)
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
    other_app = make_client(member.app.pool_id, ExplicitAuthFlows=FLOWS)
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

    assert _options(cognito, member)["rp"]["id"] == f"{prefix}.auth.us-east-1.amazoncognito.com"


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


def test_passkeys_as_a_second_factor_are_refused_not_ignored(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    member = _signed_in(cognito, make_pool, make_client, make_user)
    pool_id = member.app.pool_id
    with cognito_error(
        "UnsupportedOperationException",
        "WebAuthnConfiguration.FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION is "
        "not supported by Recognito yet.",
    ):
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            WebAuthnConfiguration={
                "RelyingPartyId": "localhost",
                "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
            },
        )
    with cognito_error(
        "UnsupportedOperationException",
        "WebAuthnMfaSettings.Enabled is not supported by Recognito yet.",
    ):
        cognito.set_user_mfa_preference(
            AccessToken=member.access_token, WebAuthnMfaSettings={"Enabled": True}
        )
    # what Recognito does anyway asks for nothing new
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        WebAuthnConfiguration={
            "RelyingPartyId": "localhost",
            "FactorConfiguration": "SINGLE_FACTOR",
        },
    )
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=member.user.username, WebAuthnMfaSettings={"Enabled": False}
    )


# ---- signing in with a passkey ----


def _challenge(cognito: Any, member: Member, **parameters: str) -> dict[str, Any]:
    """InitiateAuth USER_AUTH asking for WEB_AUTHN (unless told otherwise)."""
    parameters.setdefault("PREFERRED_CHALLENGE", "WEB_AUTHN")
    answer: dict[str, Any] = cognito.initiate_auth(
        ClientId=member.app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": member.user.username, **parameters},
    )
    return answer


def _request_options(challenge: dict[str, Any]) -> dict[str, Any]:
    assert challenge["ChallengeName"] == "WEB_AUTHN", challenge
    options: dict[str, Any] = json.loads(
        challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    )
    return options


def _answer(
    cognito: Any, member: Member, session: str, assertion: dict[str, Any]
) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.respond_to_auth_challenge(
        ClientId=member.app.client_id,
        ChallengeName="WEB_AUTHN",
        Session=session,
        ChallengeResponses={
            "USERNAME": member.user.username,
            "CREDENTIAL": json.dumps(assertion),
        },
    )
    return answer


def _passkey_sign_in(
    cognito: Any, member: Member, authenticator: SoftwareAuthenticator, **assertion: Any
) -> dict[str, Any]:
    challenge = _challenge(cognito, member)
    signed = authenticator.assertion(_request_options(challenge), ORIGIN, **assertion)
    return _answer(cognito, member, challenge["Session"], signed)


def _registered(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    authenticator: SoftwareAuthenticator,
    **pool: Any,
) -> Member:
    member = _signed_in(cognito, make_pool, make_client, make_user, **pool)
    _register(cognito, member, authenticator)
    return member


def test_a_registered_passkey_signs_in_with_user_auth(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)

    challenge = _challenge(cognito, member)
    options = _request_options(challenge)
    assert options["rpId"] == "localhost"
    assert options["allowCredentials"] == [
        {"id": authenticator.credential_id, "type": "public-key"}
    ]
    assert options["userVerification"] == "preferred"
    assert options["timeout"] == 180000
    assert len(base64.urlsafe_b64decode(options["challenge"] + "==")) == 16
    answer = _answer(
        cognito, member, challenge["Session"], authenticator.assertion(options, ORIGIN)
    )

    tokens = answer["AuthenticationResult"]
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == (member.user.username)
    factors = cognito.get_user_auth_factors(AccessToken=tokens["AccessToken"])
    assert "WEB_AUTHN" in factors["ConfiguredUserAuthFactors"]


def test_a_passkey_is_offered_and_chosen_in_select_challenge(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    selection = cognito.initiate_auth(
        ClientId=member.app.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": member.user.username},
    )
    assert selection["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" in selection["AvailableChallenges"]

    challenge = cognito.respond_to_auth_challenge(
        ClientId=member.app.client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=selection["Session"],
        ChallengeResponses={"USERNAME": member.user.username, "ANSWER": "WEB_AUTHN"},
    )
    signed = authenticator.assertion(_request_options(challenge), ORIGIN)

    answer = _answer(cognito, member, challenge["Session"], signed)
    assert "AccessToken" in answer["AuthenticationResult"]


def test_an_assertion_of_another_challenge_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)

    with cognito_error(
        "NotAuthorizedException",
        "The passkey assertion does not answer this sign-in's challenge.",
    ):
        _passkey_sign_in(cognito, member, authenticator, challenge="AAAAAAAAAAAAAAAAAAAAAA")


def test_an_assertion_from_a_foreign_origin_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    challenge = _challenge(cognito, member)
    signed = authenticator.assertion(_request_options(challenge), "https://evil.example")

    message = "The origin https://evil.example is not allowed for the relying party ID localhost."
    with cognito_error("NotAuthorizedException", message):
        _answer(cognito, member, challenge["Session"], signed)


def test_a_replayed_assertion_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    challenge = _challenge(cognito, member)
    signed = authenticator.assertion(_request_options(challenge), ORIGIN)
    _answer(cognito, member, challenge["Session"], signed)

    # the same answer again: its session is spent
    with cognito_error("NotAuthorizedException"):
        _answer(cognito, member, challenge["Session"], signed)
    # in a new session: it answers the old challenge
    with cognito_error("NotAuthorizedException"):
        _answer(cognito, member, _challenge(cognito, member)["Session"], signed)


def test_a_signature_counter_that_does_not_increase_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    _passkey_sign_in(cognito, member, authenticator)  # the counter is 1 now
    used = authenticator.counter

    with cognito_error(
        "NotAuthorizedException",
        "The passkey's signature counter did not increase: the assertion was replayed or "
        "the authenticator cloned.",
    ):
        _passkey_sign_in(cognito, member, authenticator, counter=used)
    assert "AccessToken" in _passkey_sign_in(cognito, member, authenticator)["AuthenticationResult"]


def test_a_passkey_without_a_counter_signs_in_every_time(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    synced = SoftwareAuthenticator(counter_step=0)
    member = _registered(cognito, make_pool, make_client, make_user, synced)

    for _ in range(2):
        assert "AccessToken" in _passkey_sign_in(cognito, member, synced)["AuthenticationResult"]


def test_a_forged_signature_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    impostor = SoftwareAuthenticator(raw_id=authenticator.raw_id)  # same id, another key
    impostor.user_handle = authenticator.user_handle

    with cognito_error(
        "NotAuthorizedException", "The passkey assertion's signature could not be verified."
    ):
        _passkey_sign_in(cognito, member, impostor)


def test_a_deleted_passkey_no_longer_signs_in(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(cognito, make_pool, make_client, make_user, authenticator)
    challenge = _challenge(cognito, member)  # started before the deletion
    cognito.delete_web_authn_credential(
        AccessToken=member.access_token, CredentialId=authenticator.credential_id
    )

    signed = authenticator.assertion(_request_options(challenge), ORIGIN)
    with cognito_error(
        "NotAuthorizedException", "The passkey credential is not registered for this user."
    ):
        _answer(cognito, member, challenge["Session"], signed)
    # nor is it offered any more: the preference falls back to the choice, without it
    fallback = _challenge(cognito, member)
    assert fallback["ChallengeName"] == "SELECT_CHALLENGE"
    assert "WEB_AUTHN" not in fallback["AvailableChallenges"]


def test_required_user_verification_refuses_an_assertion_without_it(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    authenticator = SoftwareAuthenticator()
    member = _registered(
        cognito, make_pool, make_client, make_user, authenticator, verification="required"
    )
    challenge = _challenge(cognito, member)
    assert _request_options(challenge)["userVerification"] == "required"
    authenticator.verifies_user = False

    with cognito_error("NotAuthorizedException"):
        _answer(
            cognito,
            member,
            challenge["Session"],
            authenticator.assertion(_request_options(challenge), ORIGIN),
        )
    # the refusal left the session for another try, as a mistyped code does
    authenticator.verifies_user = True
    signed = authenticator.assertion(_request_options(challenge), ORIGIN)
    assert (
        "AccessToken"
        in _answer(cognito, member, challenge["Session"], signed)["AuthenticationResult"]
    )


# ---- a real browser: Chromium's virtual authenticator ----

_CREATE = """async (options) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
    return (await navigator.credentials.create({ publicKey })).toJSON();
}"""
_GET = """async (options) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
    return (await navigator.credentials.get({ publicKey })).toJSON();
}"""


def test_chromium_registers_a_passkey_and_signs_in_with_it(
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
    page: Any,
    app_url: str,
) -> None:
    """Chromium's WebAuthn API, with its virtual platform authenticator (DevTools
    protocol), consumes the options exactly as Recognito hands them out and produces the
    credentials an app passes back: nothing of the ceremony is simulated in Python."""
    member = _signed_in(cognito, make_pool, make_client, make_user, verification="required")
    page.goto(app_url.replace("127.0.0.1", "localhost"))  # RP ID localhost: http is fine
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    credential = page.evaluate(_CREATE, _options(cognito, member))
    cognito.complete_web_authn_registration(AccessToken=member.access_token, Credential=credential)
    [described] = _listed(cognito, member)["Credentials"]
    assert described["CredentialId"] == credential["id"]

    challenge = _challenge(cognito, member)
    assertion = page.evaluate(_GET, _request_options(challenge))
    answer = _answer(cognito, member, challenge["Session"], assertion)

    assert "AccessToken" in answer["AuthenticationResult"]
