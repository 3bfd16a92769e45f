"""Passkeys on both databases with the software authenticator: the registration challenge
as it ages (the clock moves), the stored credential (COSE key, transports) read back, and
its signature counter kept across sign-ins; concurrent answers with one counter value."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from recognito import errors
from tests.api.support.authenticator import SoftwareAuthenticator
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"
ORIGIN = "https://app.example.com"
COUNTER = (
    "The passkey's signature counter did not increase: the assertion was replayed or the "
    "authenticator cloned."
)


def _member(service: Service) -> dict[str, str]:
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )["UserPool"]["Id"]
    service(
        "SetUserPoolMfaConfig",
        UserPoolId=pool_id,
        WebAuthnConfiguration={"RelyingPartyId": "example.com"},
    )
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    service("AdminCreateUser", UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )
    token = service(
        "InitiateAuth",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    return {"pool_id": pool_id, "client_id": client_id, "token": token}


def _register(service: Service, member: dict[str, str], authenticator: Any) -> None:
    options = service("StartWebAuthnRegistration", AccessToken=member["token"])
    credential = authenticator.register(options["CredentialCreationOptions"], ORIGIN)
    service("CompleteWebAuthnRegistration", AccessToken=member["token"], Credential=credential)


def _challenge(service: Service, member: dict[str, str]) -> dict[str, Any]:
    return service(
        "InitiateAuth",
        ClientId=member["client_id"],
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ann", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
    )


def _answer(
    service: Service, member: dict[str, str], session: str, assertion: dict[str, Any]
) -> dict[str, Any]:
    return service(
        "RespondToAuthChallenge",
        ClientId=member["client_id"],
        ChallengeName="WEB_AUTHN",
        Session=session,
        ChallengeResponses={"USERNAME": "ann", "CREDENTIAL": json.dumps(assertion)},
    )


def _options(challenge: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = json.loads(
        challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    )
    return options


def test_a_registration_challenge_expires_after_five_minutes(service: Service) -> None:
    member = _member(service)
    start = service("StartWebAuthnRegistration", AccessToken=member["token"])
    credential = SoftwareAuthenticator().register(start["CredentialCreationOptions"], ORIGIN)
    service.clock.advance(5 * 60 + 1)

    with pytest.raises(errors.WebAuthnChallengeNotFoundException):
        service("CompleteWebAuthnRegistration", AccessToken=member["token"], Credential=credential)
    listed = service("ListWebAuthnCredentials", AccessToken=member["token"])
    assert listed["Credentials"] == []


def test_the_stored_passkey_signs_in_and_its_counter_is_kept(service: Service) -> None:
    member = _member(service)
    authenticator = SoftwareAuthenticator(attachment="cross-platform")
    _register(service, member, authenticator)
    [described] = service("ListWebAuthnCredentials", AccessToken=member["token"])["Credentials"]
    assert described["AuthenticatorTransports"] == ["internal", "hybrid"]
    assert described["FriendlyCredentialName"] == "Security key"
    assert described["RelyingPartyId"] == "example.com"

    for _ in range(2):
        challenge = _challenge(service, member)
        signed = authenticator.assertion(_options(challenge), ORIGIN)
        assert (
            "AccessToken"
            in _answer(service, member, challenge["Session"], signed)["AuthenticationResult"]
        )
    with service.services.store.read() as tx:
        user = tx.users.by_sub(member["pool_id"], _sub(service, member))
        assert user is not None
        [stored] = tx.passkeys.of_user(user.id)
    assert stored.sign_count == 2
    assert stored.last_used_at == service.clock.now()


def _sub(service: Service, member: dict[str, str]) -> str:
    attributes = service("GetUser", AccessToken=member["token"])["UserAttributes"]
    return str(next(a["Value"] for a in attributes if a["Name"] == "sub"))


def test_concurrent_answers_with_one_counter_value_sign_in_once(service: Service) -> None:
    member = _member(service)
    authenticator = SoftwareAuthenticator()
    _register(service, member, authenticator)
    # many sessions, each answered with the same counter value: the first to update the
    # stored counter wins, every other is a replay
    sessions = [_challenge(service, member) for _ in range(4)]
    signed = [authenticator.assertion(_options(s), ORIGIN, counter=1) for s in sessions]

    def one(pair: tuple[dict[str, Any], dict[str, Any]]) -> str:
        try:
            _answer(service, member, pair[0]["Session"], pair[1])
        except errors.NotAuthorizedException as error:
            return error.message
        return "ok"

    with ThreadPoolExecutor(len(sessions)) as threads:
        outcomes = Counter(threads.map(one, zip(sessions, signed, strict=True)))

    assert outcomes["ok"] == 1, outcomes
    assert outcomes[COUNTER] == len(sessions) - 1, outcomes


def test_a_user_has_at_most_twenty_passkeys_each_registered_once(service: Service) -> None:
    member = _member(service)
    first = SoftwareAuthenticator()
    _register(service, member, first)
    # the same authenticator again (a browser that ignored excludeCredentials)
    with pytest.raises(
        errors.InvalidParameterException, match="The passkey credential is already registered."
    ):
        _register(service, member, first)
    for _ in range(19):
        _register(service, member, SoftwareAuthenticator())

    with pytest.raises(
        errors.LimitExceededException, match="A user can register at most 20 passkeys."
    ):
        _register(service, member, SoftwareAuthenticator())
    listed = service("ListWebAuthnCredentials", AccessToken=member["token"])
    assert len(listed["Credentials"]) == 20
    assert "NextToken" not in listed
