"""Social federation end to end: a real server (the relying party) whose social provider
types are pointed (`--social-idp-endpoints`) at a local stand-in of Google, Facebook,
Login with Amazon and Sign in with Apple (tests/api/support/social.py). The browser's
round trip is replayed hop by hop with httpx — authorize -> the provider -> back to
/oauth2/idpresponse (Apple: a form_post) -> the app -> the code swapped — then the
tokens, the user, what the provider was sent, and the sign-in page's email routing are
checked."""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from .support import PASSWORD, ServerProcess, admin_attributes, open_boto_client, start_server
from .support.federation import UpstreamUser, upstream_sign_in
from .support.hosted import CALLBACK, HostedApp, Pkce, query_of
from .support.names import new_email, unique
from .support.saml_idp import authn_request_of, idp_metadata, new_key_pair
from .support.social import FACEBOOK_VERSION, FakeSocial, Registration
from .support.tokens import fetch_jwks, verify_jwt

SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"]
FORM_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)">')
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSocial]:
    server = FakeSocial()
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class GoogleStandIn:
    """A second Recognito playing Google (the worker's shared server): a pool of its own
    (the issuer) with a domain."""

    process: ServerProcess
    api: Any
    pool_id: str

    @property
    def issuer(self) -> str:
        return f"{self.process.base_url}/{self.pool_id}"


@pytest.fixture(scope="module")
def google(server: ServerProcess) -> Iterator[GoogleStandIn]:
    with open_boto_client(server.base_url) as api:
        pool_id = api.create_user_pool(PoolName=unique("google"))["UserPool"]["Id"]
        domain = unique("google").lower().replace("_", "-")[:40]
        api.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
        yield GoogleStandIn(server, api, pool_id)


@pytest.fixture(scope="module")
def rp(
    tmp_path_factory: pytest.TempPathFactory,
    log_dir: Path,
    fake: FakeSocial,
    google: GoogleStandIn,
) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("social-rp")
    endpoints = f"Google={google.issuer},{fake.endpoints_flag}"
    process = start_server(
        folder / "data", log_dir, extra_args=["--social-idp-endpoints", endpoints]
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def api(rp: ServerProcess) -> Iterator[Any]:
    with open_boto_client(rp.base_url) as client:
        yield client


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=15) as client:
        yield client


@dataclass(frozen=True)
class Social:
    app: HostedApp
    provider: str


def social_app(
    api: Any,
    rp: ServerProcess,
    provider: str,
    details: dict[str, str],
    mapping: dict[str, str],
    *,
    others: tuple[dict[str, Any], ...] = (),
    domain: str | None = None,
    callback: str = CALLBACK,
) -> Social:
    """A pool with a domain, the provider (and `others`, CreateIdentityProvider's
    arguments), and an app client offering COGNITO and them all."""
    pool_id = api.create_user_pool(PoolName=unique("social"))["UserPool"]["Id"]
    domain = domain or new_domain()
    api.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    api.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName=provider,
        ProviderType=provider,
        ProviderDetails=details,
        AttributeMapping=mapping,
    )
    for other in others:
        api.create_identity_provider(UserPoolId=pool_id, **other)
    names = [provider, *(o["ProviderName"] for o in others)]
    client = api.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=unique("web"),
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=SCOPES,
        CallbackURLs=[callback],
        SupportedIdentityProviders=["COGNITO", *names],
    )["UserPoolClient"]
    app = HostedApp(rp.base_url, pool_id, client["ClientId"], None, domain, callback)
    return Social(app, provider)


def to_provider(browser: httpx.Client, social: Social, **params: str) -> str:
    answer = browser.get(social.app.authorize_url(identity_provider=social.provider, **params))
    assert answer.status_code == 302, answer.text
    return str(answer.headers["location"])


def back_from(browser: httpx.Client, provider_url: str) -> httpx.Response:
    """The provider's answer replayed: its redirect followed, or its form_post posted."""
    answer = browser.get(provider_url)
    if answer.status_code == 200:  # form_post: the page's form, as its script submits it
        action = FORM_ACTION.search(answer.text)
        assert action is not None, answer.text
        fields = {k: _unescape(v) for k, v in FORM_INPUT.findall(answer.text)}
        return browser.post(_unescape(action.group(1)), data=fields)
    assert answer.status_code == 302, answer.text
    return browser.get(answer.headers["location"])


def _unescape(value: str) -> str:
    return html.unescape(value)


def claims_of(social: Social, answer: httpx.Response, verifier: str | None = None) -> Any:
    assert answer.status_code == 302, answer.text
    fields = query_of(answer.headers["location"])
    assert answer.headers["location"].startswith(f"{social.app.callback}?"), fields
    assert "error" not in fields, fields
    swapped = social.app.swap_code(fields["code"], verifier)
    assert swapped.status_code == 200, swapped.text
    app = social.app
    issuer = f"{app.base_url}/{app.pool_id}"
    jwks = fetch_jwks(app.base_url, app.pool_id)
    _, claims = verify_jwt(swapped.json()["id_token"], jwks, issuer)
    return claims


def new_domain() -> str:
    return unique("social").lower().replace("_", "-")[:40]


def test_google_signs_in_with_its_id_token_and_userinfo(
    google: GoogleStandIn, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    """Google pointed at a second Recognito (its pool's issuer): discovery, the ID token."""
    domain = new_domain()
    client = google.api.create_user_pool_client(
        UserPoolId=google.pool_id,
        ClientName=unique("rp"),
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"],
        CallbackURLs=[f"{rp.base_url}/_domain/{domain}/oauth2/idpresponse"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    social = social_app(
        api,
        rp,
        "Google",
        {
            "client_id": client["ClientId"],
            "client_secret": client["ClientSecret"],
            "authorize_scopes": "openid email profile",
        },
        {"email": "email", "email_verified": "email_verified", "name": "name"},
        domain=domain,
    )
    username, email = unique("grace"), new_email()
    google.api.admin_create_user(
        UserPoolId=google.pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": "Grace Hopper"},
        ],
        MessageAction="SUPPRESS",
    )
    google.api.admin_set_user_password(
        UserPoolId=google.pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    attributes = google.api.admin_get_user(UserPoolId=google.pool_id, Username=username)
    subject = next(a["Value"] for a in attributes["UserAttributes"] if a["Name"] == "sub")

    pkce = Pkce()
    url = to_provider(browser, social, login_hint=username, state="g-1", **pkce.params())
    sent = query_of(url)  # to the stand-in's authorize endpoint, from its discovery document
    assert sent["client_id"] == client["ClientId"]
    assert sent["scope"] == "openid email profile"
    assert sent["code_challenge_method"] == "S256" and len(sent["nonce"]) >= 32
    assert sent["login_hint"] == username

    back = upstream_sign_in(browser, url, UpstreamUser(username, email, subject))
    assert back.startswith(f"{social.app.url}/oauth2/idpresponse?"), back
    answer = browser.get(back)
    assert query_of(answer.headers["location"])["state"] == "g-1"
    claims = claims_of(social, answer, pkce.verifier)
    assert claims["cognito:username"] == f"Google_{subject}"
    assert claims["email"] == email and claims["email_verified"] is True
    assert claims["name"] == "Grace Hopper"
    [identity] = claims["identities"]
    assert identity["providerType"] == "Google" and identity["providerName"] == "Google"
    assert identity["userId"] == subject
    assert claims["cognito:groups"] == [f"{social.app.pool_id}_Google"]
    found = api.admin_get_user(UserPoolId=social.app.pool_id, Username=f"Google_{subject}")
    assert found["UserStatus"] == "EXTERNAL_PROVIDER"


def test_facebook_signs_in_through_the_graph_api_without_an_id_token(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    registration = fake.register("facebook")
    social = social_app(
        api,
        rp,
        "Facebook",
        {
            "client_id": registration.client_id,
            "client_secret": registration.client_secret,
            "authorize_scopes": "public_profile, email",
            "api_version": FACEBOOK_VERSION,
        },
        {"email": "email", "given_name": "first_name"},
    )
    user_id = str(secrets.randbelow(10**16))
    email = new_email()
    fake.users["facebook"] = {
        "id": user_id,
        "email": email,
        "first_name": "Grace",
        "birthday": "12/09/1906",  # not mapped: not asked for
    }
    url = to_provider(browser, social, state="f-1", login_hint="grace")
    assert url.startswith(f"{fake.base('facebook')}/{FACEBOOK_VERSION}/dialog/oauth?")
    sent = query_of(url)
    assert sent["scope"] == "public_profile, email"
    # no OIDC in Facebook's OAuth: no nonce, no PKCE, no login_hint
    assert not {"nonce", "code_challenge", "login_hint"} & set(sent)

    claims = claims_of(social, back_from(browser, url))
    username = f"Facebook_{user_id}"
    assert claims["cognito:username"] == username
    assert claims["email"] == email and claims["email_verified"] is False
    assert claims["given_name"] == "Grace"
    [identity] = claims["identities"]
    assert identity["providerType"] == "Facebook" and identity["userId"] == user_id

    # the code redeemed by GET (token_request_method), the profile asked for by field
    token_call = fake.seen(f"/{FACEBOOK_VERSION}/oauth/access_token")[-1]
    assert token_call.method == "GET"
    assert token_call.query["client_secret"] == registration.client_secret
    me = fake.seen(f"/{FACEBOOK_VERSION}/me")[-1]
    assert me.query["fields"].split(",") == ["id", "email", "first_name"]
    assert me.headers["authorization"].startswith("Bearer ")
    stored = admin_attributes(api, social.app.pool_id, username)
    assert set(stored) == {"email", "email_verified", "given_name", "identities"}


def test_login_with_amazon_takes_the_user_from_its_profile(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    registration = fake.register("amazon")
    social = social_app(
        api,
        rp,
        "LoginWithAmazon",
        {
            "client_id": registration.client_id,
            "client_secret": registration.client_secret,
            "authorize_scopes": "profile postal_code",
        },
        {"email": "email", "name": "name", "address": "postal_code"},
    )
    user_id = f"amzn1.account.{secrets.token_hex(12).upper()}"
    email = new_email()
    fake.users["amazon"] = {
        "user_id": user_id,
        "email": email,
        "name": "Katherine Johnson",
        "postal_code": "98101",
    }
    url = to_provider(browser, social, state="a-1")
    assert url.startswith(f"{fake.base('amazon')}/ap/oa?")
    claims = claims_of(social, back_from(browser, url))
    assert claims["cognito:username"] == f"LoginWithAmazon_{user_id}"
    assert claims["name"] == "Katherine Johnson" and claims["email"] == email
    assert claims["address"] == "98101"
    [identity] = claims["identities"]
    assert identity["providerType"] == "LoginWithAmazon" and identity["userId"] == user_id
    token_call = fake.seen("/amazon/auth/o2/token")[-1]
    assert token_call.method == "POST"
    assert token_call.form["client_secret"] == registration.client_secret


def test_sign_in_with_apple_signs_its_client_secret_and_reads_the_form_post(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    registration = fake.register("apple", apple=True)
    social = social_app(
        api,
        rp,
        "SignInWithApple",
        apple_details(registration),
        {
            "email": "email",
            "email_verified": "email_verified",
            "given_name": "firstName",
            "family_name": "lastName",
            "name": "name",
        },
    )
    subject = f"001234.{secrets.token_hex(16)}.1234"
    email = new_email()
    fake.users["apple"] = {"sub": subject, "email": email, "email_verified": "true"}
    fake.apple_user = {"name": {"firstName": "Ada", "lastName": "Lovelace"}, "email": email}
    url = to_provider(browser, social, state="ap-1")
    assert url.startswith(f"{fake.base('apple')}/auth/authorize?")
    sent = query_of(url)
    assert sent["response_mode"] == "form_post"  # name and email were asked for
    assert sent["scope"] == "email name" and sent["nonce"]
    assert "code_challenge" not in sent

    answer = back_from(browser, url)  # a POST to /oauth2/idpresponse
    assert answer.request.method == "POST"
    assert query_of(answer.headers["location"])["state"] == "ap-1"
    claims = claims_of(social, answer)
    username = f"SignInWithApple_{subject}"
    assert claims["cognito:username"] == username
    assert claims["email"] == email and claims["email_verified"] is True
    assert claims["given_name"] == "Ada" and claims["family_name"] == "Lovelace"
    assert claims["name"] == "Ada Lovelace"
    assert claims["identities"][0]["providerType"] == "SignInWithApple"

    # the client secret: an ES256 JWT of the team's key, which the fake verified
    secret = fake.seen("/apple/auth/token")[-1].form["client_secret"]
    header = jwt.get_unverified_header(secret)
    assert header["alg"] == "ES256" and header["kid"] == registration.key_id
    assert registration.apple_key is not None
    signed = jwt.decode(
        secret,
        registration.apple_key.public_key(),
        algorithms=["ES256"],
        audience=fake.base("apple"),
    )
    assert signed["iss"] == registration.team_id and signed["sub"] == registration.client_id

    # later sign-ins carry no `user`: the names the first one gave are kept
    fake.apple_user = None
    with httpx.Client(follow_redirects=False, timeout=15) as again:
        later = claims_of(social, back_from(again, to_provider(again, social)))
    assert later["sub"] == claims["sub"] and later["name"] == "Ada Lovelace"

    # the user cancels at Apple: the error comes back by form_post too
    fake.users["apple"] = None
    with httpx.Client(follow_redirects=False, timeout=15) as cancelling:
        cancelled = back_from(cancelling, to_provider(cancelling, social, state="ap-c"))
    assert cancelled.request.method == "POST"
    assert query_of(cancelled.headers["location"]) == {
        "error": "invalid_request",
        "error_description": "access_denied",
        "state": "ap-c",
    }
    fake.users["apple"] = {"sub": subject, "email": email, "email_verified": "true"}

    # a private key Apple does not know: its token endpoint refuses the secret
    other = FakeSocial().register("apple", apple=True)
    api.update_identity_provider(
        UserPoolId=social.app.pool_id,
        ProviderName="SignInWithApple",
        ProviderDetails={**apple_details(registration), "private_key": other.private_pem},
    )
    with httpx.Client(follow_redirects=False, timeout=15) as wrong:
        refused = back_from(wrong, to_provider(wrong, social, state="ap-2"))
    assert query_of(refused.headers["location"]) == {
        "error": "invalid_request",
        "error_description": "SignInWithApple Error - 400 error getting token",
        "state": "ap-2",
    }


def apple_details(registration: Registration) -> dict[str, str]:
    return {
        "client_id": registration.client_id,
        "team_id": registration.team_id,
        "key_id": registration.key_id,
        "private_key": registration.private_pem,
        "authorize_scopes": "email name",
    }


def test_apple_in_a_browser_posts_back_and_reaches_the_app(
    page: Any, shot: Any, fake: FakeSocial, rp: ServerProcess, api: Any, app_url: str
) -> None:
    """Headless Chromium: the button on the sign-in page, Apple's self-submitting form
    (a cross-site POST to /oauth2/idpresponse), the app's callback with a code."""
    registration = fake.register("apple", apple=True)
    social = social_app(
        api,
        rp,
        "SignInWithApple",
        apple_details(registration),
        {"email": "email", "name": "name"},
        callback=f"{app_url}/callback",
    )
    subject = f"002345.{secrets.token_hex(16)}.0001"
    email = new_email()
    fake.users["apple"] = {"sub": subject, "email": email, "email_verified": "true"}
    fake.apple_user = {"name": {"firstName": "Mary", "lastName": "Jackson"}}
    page.goto(social.app.authorize_url(state="b-1"))
    shot(page, "sign-in-with-apple-button")
    page.click("text=Sign in with SignInWithApple")
    page.wait_for_url(f"{social.app.callback}?*")
    fields = query_of(page.url)
    assert fields["state"] == "b-1"
    swapped = social.app.swap_code(fields["code"], None)
    assert swapped.status_code == 200, swapped.text
    app = social.app
    jwks = fetch_jwks(app.base_url, app.pool_id)
    _, claims = verify_jwt(swapped.json()["id_token"], jwks, f"{app.base_url}/{app.pool_id}")
    assert claims["cognito:username"] == f"SignInWithApple_{subject}"
    assert claims["name"] == "Mary Jackson" and claims["email"] == email
    # the session cookie the POST's answer set: the next authorization skips the page
    page.goto(social.app.authorize_url(state="b-2"))
    page.wait_for_url(f"{social.app.callback}?*")
    assert query_of(page.url)["state"] == "b-2"


def test_provider_refusals_and_wrong_secrets_reach_the_app(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    registration = fake.register("facebook")
    details = {
        "client_id": registration.client_id,
        "client_secret": "not-the-secret",
        "authorize_scopes": "public_profile",
        "api_version": FACEBOOK_VERSION,
    }
    social = social_app(api, rp, "Facebook", details, {})
    fake.users["facebook"] = {"id": "1"}
    answer = back_from(browser, to_provider(browser, social, state="x-1"))
    assert query_of(answer.headers["location"]) == {
        "error": "invalid_request",
        "error_description": "Facebook Error - 400 error getting token",
        "state": "x-1",
    }
    fake.users["facebook"] = None  # the user says no at Facebook
    answer = back_from(browser, to_provider(browser, social, state="x-2"))
    assert query_of(answer.headers["location"]) == {
        "error": "invalid_request",
        "error_description": "access_denied",
        "state": "x-2",
    }
    assert api.list_users(UserPoolId=social.app.pool_id)["Users"] == []


def test_social_endpoints_follow_the_public_paths_under_the_base(
    fake: FakeSocial, api: Any
) -> None:
    pool_id = api.create_user_pool(PoolName=unique("described"))["UserPool"]["Id"]
    secret = {"client_id": "c", "client_secret": "s", "authorize_scopes": "profile"}
    api.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="LoginWithAmazon",
        ProviderType="LoginWithAmazon",
        ProviderDetails=secret,
    )
    details = api.describe_identity_provider(UserPoolId=pool_id, ProviderName="LoginWithAmazon")[
        "IdentityProvider"
    ]["ProviderDetails"]
    base = fake.base("amazon")
    assert details["authorize_url"] == f"{base}/ap/oa"
    assert details["token_url"] == f"{base}/auth/o2/token"
    assert details["attributes_url"] == f"{base}/user/profile"


def test_the_sign_in_page_offers_each_provider_and_routes_a_corporate_email(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    google = fake.register("google")
    base = fake.base("google")
    corp = {
        "ProviderName": "Corp",
        "ProviderType": "OIDC",
        "ProviderDetails": {
            "client_id": "corp-client",
            "client_secret": "corp-secret",
            "authorize_scopes": "openid email",
            "authorize_url": f"{base}/oauth2/authorize",
            "token_url": f"{base}/oauth2/token",
            "attributes_url": f"{base}/oauth2/userInfo",
            "jwks_uri": f"{base}/.well-known/jwks.json",
        },
        "IdpIdentifiers": ["corp.example"],
    }
    okta = "https://okta.example.com"
    saml = {  # a SAML provider: its identifier routes there as well
        "ProviderName": "Okta",
        "ProviderType": "SAML",
        "ProviderDetails": {
            "MetadataFile": idp_metadata(okta, okta, new_key_pair("okta").cert_b64)
        },
        "IdpIdentifiers": ["saml.example"],
    }
    facebook = {
        "ProviderName": "Facebook",
        "ProviderType": "Facebook",
        "ProviderDetails": {"client_id": "f", "client_secret": "s", "authorize_scopes": "email"},
    }
    social = social_app(
        api,
        rp,
        "Google",
        {
            "client_id": google.client_id,
            "client_secret": google.client_secret,
            "authorize_scopes": "openid email",
        },
        {"email": "email"},
        others=(corp, saml, facebook),
    )
    login = browser.get(social.app.authorize_url(state="p-1"))
    page = browser.get(login.headers["location"])
    for name in ("Google", "Corp", "Facebook"):
        assert f"Sign in with {name}</a>" in page.text
    assert 'name="idpIdentifierForm"' in page.text and 'name="cognitoSignInForm"' in page.text
    csrf = CSRF.search(page.text)
    assert csrf is not None

    # an email whose domain is Corp's identifier: off to Corp, by idp_identifier
    posted = browser.post(
        str(page.url), data={"_csrf": csrf.group(1), "idpIdentifierEmail": "ada@Corp.Example"}
    )
    assert posted.status_code == 302, posted.text
    again = posted.headers["location"]
    assert again.startswith(f"{social.app.url}/oauth2/authorize?")
    assert query_of(again)["idp_identifier"] == "corp.example"
    assert query_of(again)["state"] == "p-1"
    upstream = browser.get(again).headers["location"]
    assert upstream.startswith(f"{base}/oauth2/authorize?")
    assert query_of(upstream)["client_id"] == "corp-client"

    # a domain no provider has: the page again, saying so
    page = browser.get(login.headers["location"])
    csrf = CSRF.search(page.text)
    assert csrf is not None
    unknown = browser.post(
        str(page.url), data={"_csrf": csrf.group(1), "idpIdentifierEmail": "bob@elsewhere.example"}
    )
    assert unknown.status_code == 200
    assert "No identity provider is set up for this email domain." in unknown.text
    assert 'value="bob@elsewhere.example"' in unknown.text

    # the SAML provider's domain: to /oauth2/authorize, then to its SSO with an AuthnRequest
    page = browser.get(login.headers["location"])
    csrf = CSRF.search(page.text)
    assert csrf is not None
    posted = browser.post(
        str(page.url), data={"_csrf": csrf.group(1), "idpIdentifierEmail": "eve@saml.example"}
    )
    assert query_of(posted.headers["location"])["idp_identifier"] == "saml.example"
    sso = browser.get(posted.headers["location"]).headers["location"]
    assert sso.startswith(f"{okta}/sso?")
    assert authn_request_of(query_of(sso)["SAMLRequest"]).tag.endswith("}AuthnRequest")


def test_no_email_field_without_identifiers(
    fake: FakeSocial, rp: ServerProcess, api: Any, browser: httpx.Client
) -> None:
    google = fake.register("google")
    social = social_app(
        api,
        rp,
        "Google",
        {
            "client_id": google.client_id,
            "client_secret": google.client_secret,
            "authorize_scopes": "openid",
        },
        {},
    )
    page = browser.get(browser.get(social.app.authorize_url()).headers["location"])
    assert "Sign in with Google</a>" in page.text
    assert 'name="idpIdentifierForm"' not in page.text
