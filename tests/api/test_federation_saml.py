"""SAML federation end to end: a real SAML IdP on loopback (tests/api/support/saml_idp.py:
an RSA key, its metadata, an SSO endpoint that auto-posts a signed Response) and the
shared server as the service provider. One sign-in runs in headless Chromium; the rest
replays the round trip with httpx, and every refusal is a hostile POST to
/saml2/idpresponse answered with Cognito's error redirect (never a 500)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography import x509
from lxml import etree

from .support import admin_attributes, cognito_error
from .support.hosted import CALLBACK, LOGOUT, HostedApp, Pkce, query_of
from .support.names import new_email, unique
from .support.saml_idp import SAML as SAML_NS
from .support.saml_idp import SAMLP as SAMLP_NS
from .support.saml_idp import (
    SamlIdp,
    SamlUser,
    authn_request_of,
    new_key_pair,
    redirect_signature_valid,
)
from .support.tokens import fetch_jwks, verify_jwt

SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"]
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


@pytest.fixture(scope="module")
def idp() -> Iterator[SamlIdp]:
    server = SamlIdp()
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class SamlApp:
    app: HostedApp
    provider: str

    @property
    def acs(self) -> str:
        return f"{self.app.url}/saml2/idpresponse"

    @property
    def audience(self) -> str:
        return f"urn:amazon:cognito:sp:{self.app.pool_id}"


def new_saml_app(
    cognito: Any, base_url: str, idp: SamlIdp, callback: str = CALLBACK, **details: str
) -> SamlApp:
    pool_id = cognito.create_user_pool(PoolName=unique("saml"))["UserPool"]["Id"]
    domain = unique("sp").lower().replace("_", "-")[:40]
    cognito.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    provider = "Corp"
    cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName=provider,
        ProviderType="SAML",
        ProviderDetails={"MetadataURL": f"{idp.url}/metadata", **details},
        AttributeMapping={"email": EMAIL_CLAIM, "name": "displayName"},
        IdpIdentifiers=["corp.example"],
    )
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=unique("web"),
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code", "implicit"],
        AllowedOAuthScopes=SCOPES,
        CallbackURLs=[callback],
        LogoutURLs=[LOGOUT],
        SupportedIdentityProviders=["COGNITO", provider],
    )["UserPoolClient"]
    app = HostedApp(base_url, pool_id, client["ClientId"], None, domain, callback)
    return SamlApp(app, provider)


@pytest.fixture
def sp(cognito: Any, base_url: str, idp: SamlIdp) -> SamlApp:
    return new_saml_app(cognito, base_url, idp)


@pytest.fixture
def idp_init_sp(cognito: Any, base_url: str, idp: SamlIdp) -> SamlApp:
    return new_saml_app(cognito, base_url, idp, IDPInit="true")


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=15) as client:
        yield client


def new_user(**extra: list[str]) -> SamlUser:
    email = new_email()
    return SamlUser(f"u-{unique('nid')}", {EMAIL_CLAIM: [email], **extra})


def to_idp(browser: httpx.Client, sp: SamlApp, **params: str) -> dict[str, str]:
    """/oauth2/authorize with identity_provider: the IdP's SSO query, the AuthnRequest's
    ID and ACS URL added."""
    params.setdefault("identity_provider", sp.provider)
    answer = browser.get(sp.app.authorize_url(**params))
    assert answer.status_code == 302, answer.text
    sent = query_of(answer.headers["location"])
    request = authn_request_of(sent["SAMLRequest"])
    return {**sent, "ID": request.get("ID"), "ACS": request.get("AssertionConsumerServiceURL")}


def post_back(browser: httpx.Client, sp: SamlApp, response: str, relay: str) -> httpx.Response:
    return browser.post(sp.acs, data={"SAMLResponse": response, "RelayState": relay})


def sign_in(browser: httpx.Client, sp: SamlApp, idp: SamlIdp, user: SamlUser) -> httpx.Response:
    """SP-initiated round trip: the SP's answer to the posted Response."""
    sent = to_idp(browser, sp)
    value = idp.response(acs=sp.acs, audience=sp.audience, in_response_to=sent["ID"], user=user)
    return post_back(browser, sp, value, sent["RelayState"])


def code_of(answer: httpx.Response, sp: SamlApp) -> str:
    assert answer.status_code == 302, answer.text
    fields = query_of(answer.headers["location"])
    assert "error" not in fields, fields
    return fields["code"]


def refusal(answer: httpx.Response, sp: SamlApp) -> dict[str, str]:
    """A refusal as the app gets it: 302 to its callback with error and description."""
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{sp.app.callback}?"), location
    return query_of(location)


def id_claims(sp: SamlApp, code: str, verifier: str | None = None) -> dict[str, Any]:
    answer = sp.app.swap_code(code, verifier)
    assert answer.status_code == 200, answer.text
    app = sp.app
    issuer = f"{app.base_url}/{app.pool_id}"
    _, claims = verify_jwt(answer.json()["id_token"], fetch_jwks(app.base_url, app.pool_id), issuer)
    return claims


# ---- the provider's metadata and the pool's certificate -------------------------------


def test_metadata_url_is_fetched_and_its_sso_urls_described(
    cognito: Any, sp: SamlApp, idp: SamlIdp
) -> None:
    found = cognito.describe_identity_provider(UserPoolId=sp.app.pool_id, ProviderName="Corp")
    details = found["IdentityProvider"]["ProviderDetails"]
    assert details == {
        "MetadataURL": f"{idp.url}/metadata",
        "SSORedirectBindingURI": f"{idp.url}/sso",
        "SLORedirectBindingURI": f"{idp.url}/slo",
    }
    # a Describe sent back as it is keeps working (derived keys dropped)
    cognito.update_identity_provider(
        UserPoolId=sp.app.pool_id, ProviderName="Corp", ProviderDetails=details
    )
    # a metadata document instead of a URL
    cognito.create_identity_provider(
        UserPoolId=sp.app.pool_id,
        ProviderName="ByFile",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": idp.metadata()},
    )
    shown = cognito.describe_identity_provider(UserPoolId=sp.app.pool_id, ProviderName="ByFile")
    assert shown["IdentityProvider"]["ProviderDetails"]["SSORedirectBindingURI"] == (
        f"{idp.url}/sso"
    )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (
            {"IDPInit": "true"},
            "At least one of the MetadataURL or MetadataFile should be provided.",
        ),
        ({"MetadataFile": "<not xml"}, "Unable to unmarshall metadata"),
        (
            {"MetadataFile": "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"},
            "Unable to unmarshall metadata",
        ),
        ({"MetadataURL": "http://idp.example.com/metadata"}, None),
        (
            {"MetadataFile": "META", "EncryptedResponses": "true"},
            "EncryptedResponses is not supported.",
        ),
        ({"MetadataFile": "META", "RequestSigningAlgorithm": "rsa-sha1"}, None),
    ],
)
def test_unusable_metadata_is_refused(
    cognito: Any, pool_id: str, idp: SamlIdp, details: dict[str, str], message: str | None
) -> None:
    details = {k: idp.metadata() if v == "META" else v for k, v in details.items()}
    with cognito_error("InvalidParameterException", message):
        cognito.create_identity_provider(
            UserPoolId=pool_id, ProviderName="Bad", ProviderType="SAML", ProviderDetails=details
        )


def test_metadata_without_sso_or_behind_an_error_is_refused_in_cognitos_words(
    cognito: Any, pool_id: str, idp: SamlIdp
) -> None:
    with cognito_error(
        "InvalidParameterException",
        "No SingleSignOn Http redirect binding location found in metadata.",
    ):
        cognito.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName="NoSso",
            ProviderType="SAML",
            ProviderDetails={"MetadataFile": idp.metadata(sso=False)},
        )
    missing = f"{idp.url}/missing"
    with cognito_error(
        "InvalidParameterException",
        f"Non-ok status code 404 returned from remote metadata source {missing}",
    ):
        cognito.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName="Gone",
            ProviderType="SAML",
            ProviderDetails={"MetadataURL": missing},
        )


def test_the_pools_signing_certificate_is_made_once_and_kept(cognito: Any, pool_id: str) -> None:
    first = cognito.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
    assert cognito.get_signing_certificate(UserPoolId=pool_id)["Certificate"] == first
    certificate = x509.load_der_x509_certificate(base64.b64decode(first))
    assert certificate.not_valid_after_utc > datetime.now(UTC) + timedelta(days=3000)
    with cognito_error("ResourceNotFoundException"):
        cognito.get_signing_certificate(UserPoolId="us-east-1_NoSuchPool")


def test_sp_metadata_names_the_entity_id_acs_and_slo(sp: SamlApp) -> None:
    answer = httpx.get(f"{sp.app.url}/saml2/metadata", timeout=10)
    assert answer.status_code == 200
    assert f'entityID="{sp.audience}"' in answer.text
    assert f'Location="{sp.acs}"' in answer.text
    assert f'Location="{sp.app.url}/saml2/logout"' in answer.text


# ---- signing in -----------------------------------------------------------------------


def test_sp_initiated_sign_in_sends_an_authn_request_and_makes_the_saml_user(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp, cognito: Any
) -> None:
    user = new_user(displayName=["Ada Lovelace"], groups=["a", "b c"])
    pkce = Pkce()
    sent = to_idp(browser, sp, state="app-state", **pkce.params())
    assert sent["ACS"] == sp.acs
    assert "Signature" not in sent  # RequestSigningAlgorithm not set
    value = idp.response(acs=sp.acs, audience=sp.audience, in_response_to=sent["ID"], user=user)
    answer = post_back(browser, sp, value, sent["RelayState"])
    assert query_of(answer.headers["location"])["state"] == "app-state"
    claims = id_claims(sp, code_of(answer, sp), pkce.verifier)
    username = f"Corp_{user.name_id}"
    assert claims["cognito:username"] == username
    assert claims["email"] == user.attributes[EMAIL_CLAIM][0]
    assert claims["name"] == "Ada Lovelace"
    [identity] = claims["identities"]
    assert identity["providerType"] == "SAML"
    assert identity["providerName"] == "Corp"
    assert identity["userId"] == user.name_id
    assert identity["issuer"] == idp.entity_id
    stored = admin_attributes(cognito, sp.app.pool_id, username)
    assert set(stored) == {"email", "email_verified", "name", "identities"}  # only mapped
    found = cognito.admin_get_user(UserPoolId=sp.app.pool_id, Username=username)
    assert found["UserStatus"] == "EXTERNAL_PROVIDER"


def test_signed_authn_requests_verify_with_the_pools_certificate(
    browser: httpx.Client, cognito: Any, base_url: str, idp: SamlIdp
) -> None:
    sp = new_saml_app(cognito, base_url, idp, RequestSigningAlgorithm="rsa-sha256")
    answer = browser.get(sp.app.authorize_url(idp_identifier="corp.example"))
    location = answer.headers["location"]
    assert location.startswith(f"{idp.url}/sso?")
    query = location.split("?", 1)[1]
    assert query_of(location)["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    certificate = cognito.get_signing_certificate(UserPoolId=sp.app.pool_id)["Certificate"]
    assert redirect_signature_valid(query, certificate)
    assert not redirect_signature_valid(query, idp.keys.cert_b64)


def test_a_whole_response_signature_is_accepted_too(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp
) -> None:
    sent = to_idp(browser, sp)
    value = idp.response(
        acs=sp.acs,
        audience=sp.audience,
        in_response_to=sent["ID"],
        user=new_user(),
        sign="response",
    )
    code_of(post_back(browser, sp, value, sent["RelayState"]), sp)


def test_a_linked_native_user_signs_in_as_itself(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp, cognito: Any
) -> None:
    user = new_user()
    email = user.attributes[EMAIL_CLAIM][0]
    native = unique("native")
    cognito.admin_create_user(UserPoolId=sp.app.pool_id, Username=native, MessageAction="SUPPRESS")
    cognito.admin_link_provider_for_user(
        UserPoolId=sp.app.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": native},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": EMAIL_CLAIM,
            "ProviderAttributeValue": email,
        },
    )
    claims = id_claims(sp, code_of(sign_in(browser, sp, idp, user), sp))
    assert claims["cognito:username"] == native
    assert claims["email"] == email  # mapped attributes re-written on the native user
    users = cognito.list_users(UserPoolId=sp.app.pool_id)["Users"]
    assert [u["Username"] for u in users] == [native]  # no federated profile made


def test_a_disabled_user_and_a_provider_the_client_dropped_are_refused(
    sp: SamlApp, idp: SamlIdp, cognito: Any
) -> None:
    user = new_user()
    with httpx.Client(follow_redirects=False, timeout=15) as first:
        code_of(sign_in(first, sp, idp, user), sp)
    cognito.admin_disable_user(UserPoolId=sp.app.pool_id, Username=f"Corp_{user.name_id}")
    with httpx.Client(follow_redirects=False, timeout=15) as second:
        fields = refusal(sign_in(second, sp, idp, user), sp)
    assert fields["error"] == "invalid_request"
    assert fields["error_description"] == "User is disabled."

    cognito.update_user_pool_client(
        UserPoolId=sp.app.pool_id,
        ClientId=sp.app.client_id,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=SCOPES,
        CallbackURLs=[sp.app.callback],
        SupportedIdentityProviders=["COGNITO"],
    )
    with httpx.Client(follow_redirects=False, timeout=15) as third:
        answer = third.get(sp.app.authorize_url(identity_provider="Corp"))
    assert refusal(answer, sp)["error"] == "unauthorized_client"


# ---- hostile or broken responses ------------------------------------------------------


def refused_with(answer: httpx.Response, sp: SamlApp, reason: str) -> None:
    fields = refusal(answer, sp)
    assert fields["error"] == "server_error", fields
    assert fields["error_description"].startswith("Invalid SAML response received: "), fields
    assert reason in fields["error_description"], fields


@pytest.mark.parametrize(
    ("flaw", "reason"),
    [
        ({"keys": "other"}, "signature is invalid"),
        ({"sign": "none"}, "neither the Response nor the Assertion is signed"),
        ({"audience": "urn:amazon:cognito:sp:us-east-1_Other"}, "Audience"),
        ({"recipient": "https://elsewhere.example/saml2/idpresponse"}, "Recipient"),
        ({"issuer": "https://impostor.example"}, "Issuer"),
        ({"expired": True}, "expired"),
        ({"in_response_to": "_another-request"}, "InResponseTo"),
    ],
)
def test_a_flawed_response_is_refused(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp, flaw: dict[str, Any], reason: str
) -> None:
    sent = to_idp(browser, sp)
    kwargs: dict[str, Any] = {
        "acs": sp.acs,
        "audience": sp.audience,
        "in_response_to": sent["ID"],
        "user": new_user(),
    }
    for key, value in flaw.items():
        if key == "keys":
            kwargs["keys"] = new_key_pair("impostor")
        elif key == "expired":
            kwargs["issued"] = datetime.now(UTC) - timedelta(hours=1)
        else:
            kwargs[key] = value
    refused_with(post_back(browser, sp, idp.response(**kwargs), sent["RelayState"]), sp, reason)


def test_a_signature_wrapped_around_another_assertion_is_refused(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp
) -> None:
    """XML signature wrapping: the IdP's signed assertion for one user is hidden in the
    Response's Extensions, its signature moved into an unsigned assertion for another."""
    sent = to_idp(browser, sp)
    common: dict[str, Any] = {
        "acs": sp.acs,
        "audience": sp.audience,
        "in_response_to": sent["ID"],
    }
    ns = {"saml": SAML_NS, "samlp": SAMLP_NS, "ds": "http://www.w3.org/2000/09/xmldsig#"}
    root = etree.fromstring(base64.b64decode(idp.response(**common, user=new_user())))
    legit = root.find("saml:Assertion", ns)
    evil_root = etree.fromstring(
        base64.b64decode(idp.response(**common, user=new_user(), sign="none"))
    )
    evil = evil_root.find("saml:Assertion", ns)
    signature = legit.find("ds:Signature", ns)
    legit.remove(signature)
    evil.insert(1, signature)
    root.remove(legit)
    extensions = etree.Element(f"{{{SAMLP_NS}}}Extensions")
    extensions.append(legit)
    root.insert(1, extensions)
    root.append(evil)
    value = base64.b64encode(etree.tostring(root)).decode()
    answer = post_back(browser, sp, value, sent["RelayState"])
    refused_with(answer, sp, "the signature does not cover the Assertion")


def idp_relay(sp: SamlApp) -> str:
    """The RelayState of an IdP-initiated sign-in: the authorize parameters."""
    return (
        f"response_type=code&client_id={sp.app.client_id}&redirect_uri={sp.app.callback}"
        "&scope=openid+email&identity_provider=Corp"
    )


def test_an_unsolicited_response_is_refused_unless_idp_init_is_on(
    browser: httpx.Client, sp: SamlApp, idp_init_sp: SamlApp, idp: SamlIdp
) -> None:
    value = idp.response(acs=sp.acs, audience=sp.audience, user=new_user())
    refused_with(post_back(browser, sp, value, idp_relay(sp)), sp, "IdP-initiated sign-in")

    on = idp_init_sp
    value = idp.response(acs=on.acs, audience=on.audience, user=new_user())
    code = code_of(post_back(browser, on, value, idp_relay(on)), on)
    assert id_claims(on, code)["identities"][0]["providerType"] == "SAML"
    # the same assertion again: replayed
    refused_with(post_back(browser, on, value, idp_relay(on)), on, "used already")


def test_a_spent_relay_state_is_not_taken_twice(
    browser: httpx.Client, sp: SamlApp, idp: SamlIdp
) -> None:
    sent = to_idp(browser, sp)
    value = idp.response(
        acs=sp.acs, audience=sp.audience, in_response_to=sent["ID"], user=new_user()
    )
    code_of(post_back(browser, sp, value, sent["RelayState"]), sp)
    again = post_back(browser, sp, value, sent["RelayState"])
    assert again.status_code == 302
    assert "/error?error=invalid_request" in again.headers["location"]


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol3;</samlp:Response>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>'
)


@pytest.mark.parametrize(
    "value",
    [
        base64.b64encode(BOMB.encode()).decode(),
        base64.b64encode(EXTERNAL.encode()).decode(),
        "%%%not base64",
        base64.b64encode(b"<unclosed").decode(),
        base64.b64encode(b"<a xmlns='x'/>").decode(),
        "A" * 200_001,
        "",
    ],
)
def test_hostile_posts_are_refused_without_a_server_error(
    browser: httpx.Client, idp_init_sp: SamlApp, value: str
) -> None:
    answer = post_back(browser, idp_init_sp, value, idp_relay(idp_init_sp))
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert "error=" in location and "code=" not in location


def test_a_post_with_no_app_to_trust_lands_on_the_error_page(
    browser: httpx.Client, sp: SamlApp
) -> None:
    for relay in ("", "opaque-but-unknown", "client_id=nope&identity_provider=Corp"):
        answer = browser.post(sp.acs, data={"SAMLResponse": "x", "RelayState": relay})
        assert answer.status_code == 302, answer.text
        assert "/error?" in answer.headers["location"]
    assert (
        browser.post(sp.acs, content=b"\xff\xfe", headers={"Content-Type": "x"}).status_code == 302
    )


# ---- in a real browser ----------------------------------------------------------------


def test_sign_in_in_a_browser_through_the_idps_auto_posting_form(
    page: Any, cognito: Any, base_url: str, idp: SamlIdp, app_url: str, shot: Any
) -> None:
    sp = new_saml_app(cognito, base_url, idp, callback=f"{app_url}/callback")
    idp.user = new_user(displayName=["Grace Hopper"])
    page.goto(sp.app.authorize_url(state="b-1"))  # the sign-in page, with its button
    shot(page, "sign-in")
    page.click("text=Corp")
    page.wait_for_url(f"{sp.app.callback}?*")
    fields = query_of(page.url)
    assert fields["state"] == "b-1"
    assert idp.requests[-1]["AssertionConsumerServiceURL"] == sp.acs
    claims = id_claims(sp, fields["code"])
    assert claims["cognito:username"] == f"Corp_{idp.user.name_id}"
    assert claims["name"] == "Grace Hopper"
    assert claims["identities"][0]["providerType"] == "SAML"
    assert json.loads(json.dumps(claims["cognito:groups"])) == [f"{sp.app.pool_id}_Corp"]
