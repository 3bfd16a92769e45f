"""OIDC federation end to end between two real servers: the relying party (pools under
test) and a second `recognito serve` as the upstream identity provider. The browser's
round trip is replayed hop by hop with httpx (authorize -> the IdP's classic form ->
/oauth2/idpresponse -> the app), then the code is swapped and the tokens, the
materialised user, linking, refusals and upstream failures are checked."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .support import (
    PASSWORD,
    ServerProcess,
    admin_attributes,
    cognito_error,
    open_boto_client,
    start_server,
)
from .support.browser import submit_sign_in
from .support.federation import (
    Federation,
    code_of,
    federated_sign_in,
    new_federation,
    to_upstream,
    upstream_sign_in,
    upstream_user,
)
from .support.hosted import Pkce, fragment_of, query_of
from .support.lambdas import HookServer, arn
from .support.names import free_port
from .support.tokens import fetch_jwks, verify_jwt
from .support.trigger_shapes import check_event


@pytest.fixture(scope="module")
def hooks() -> Iterator[HookServer]:
    server = HookServer()
    server.start_serving()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def rp(
    tmp_path_factory: pytest.TempPathFactory, log_dir: Path, hooks: HookServer
) -> Iterator[ServerProcess]:
    """The relying party, with `hook-<name>` trigger ARNs mapped to the hook server."""
    folder = tmp_path_factory.mktemp("rp")
    table = folder / "triggers.toml"
    names = ("echo", "fail", "inbound-map")
    table.write_text("".join(f'"{arn(f"hook-{n}")}" = "{hooks.url(n)}"\n' for n in names))
    process = start_server(folder / "data", log_dir, extra_args=["--triggers", str(table)])
    yield process
    process.stop()


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory, log_dir: Path) -> Iterator[ServerProcess]:
    """The second server: the upstream OIDC identity provider."""
    process = start_server(tmp_path_factory.mktemp("idp") / "data", log_dir)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def rp_api(rp: ServerProcess) -> Iterator[Any]:
    with open_boto_client(rp.base_url) as client:
        yield client


@pytest.fixture(scope="module")
def idp_api(idp: ServerProcess) -> Iterator[Any]:
    with open_boto_client(idp.base_url) as client:
        yield client


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=15) as client:
        yield client


@pytest.fixture
def federate(rp: ServerProcess, idp: ServerProcess, rp_api: Any, idp_api: Any) -> Any:
    def make(**kwargs: Any) -> Federation:
        return new_federation(rp_api, rp.base_url, idp_api, idp.base_url, **kwargs)

    return make


def tokens_of(federation: Federation, code: str, verifier: str | None = None) -> dict[str, Any]:
    answer = federation.app.swap_code(code, verifier)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def id_claims(federation: Federation, tokens: dict[str, Any]) -> dict[str, Any]:
    app = federation.app
    issuer = f"{app.base_url}/{app.pool_id}"
    _, claims = verify_jwt(tokens["id_token"], fetch_jwks(app.base_url, app.pool_id), issuer)
    return claims


def test_a_federated_sign_in_makes_an_external_provider_user_with_identities_and_group(
    browser: httpx.Client, federate: Any, rp_api: Any, idp_api: Any
) -> None:
    federation = federate(mapping={"email": "email", "name": "name"})
    user = upstream_user(idp_api, federation, name="Ada Lovelace")
    pkce = Pkce()

    upstream_url = to_upstream(
        browser, federation, state="app-state-1", login_hint="ada", prompt="login", **pkce.params()
    )
    # off to the IdP's authorize endpoint, as its discovery document names it
    assert upstream_url.startswith(f"{federation.upstream.app.url}/oauth2/authorize?")
    sent = query_of(upstream_url)
    assert sent["client_id"] == federation.upstream.app.client_id
    assert sent["response_type"] == "code"
    assert sent["redirect_uri"] == f"{federation.app.url}/oauth2/idpresponse"
    assert sent["scope"] == "openid email profile"
    assert sent["code_challenge_method"] == "S256"
    assert sent["state"] != "app-state-1" and len(sent["nonce"]) >= 32
    assert sent["login_hint"] == "ada" and sent["prompt"] == "login"  # forwarded

    back = upstream_sign_in(browser, upstream_url, user)
    answer = browser.get(back)
    code = code_of(answer, federation)
    assert query_of(answer.headers["location"])["state"] == "app-state-1"
    assert any(c.startswith("cognito=") for c in answer.headers.get_list("set-cookie"))

    claims = id_claims(federation, tokens_of(federation, code, pkce.verifier))
    username = f"{federation.provider}_{user.sub}"
    assert claims["cognito:username"] == username
    assert claims["sub"] != user.sub  # a fresh sub of the pool
    assert claims["email"] == user.email
    assert claims["email_verified"] is False  # email_verified is not mapped
    assert claims["name"] == "Ada Lovelace"
    assert claims["cognito:groups"] == [f"{federation.app.pool_id}_{federation.provider}"]
    assert "nonce" not in claims  # the app sent none (--federation-nonce app)
    [identity] = claims["identities"]
    assert identity["userId"] == user.sub
    assert identity["providerName"] == federation.provider
    assert identity["providerType"] == "OIDC"
    assert identity["issuer"] is None
    assert identity["primary"] == "true"
    assert identity["dateCreated"].isdigit()

    pool_id = federation.app.pool_id
    found = rp_api.admin_get_user(UserPoolId=pool_id, Username=username)
    assert found["UserStatus"] == "EXTERNAL_PROVIDER"
    stored = admin_attributes(rp_api, pool_id, username)
    assert set(stored) == {"email", "email_verified", "name", "identities"}
    [entry] = json.loads(stored["identities"])
    assert entry["primary"] is True and isinstance(entry["dateCreated"], int)
    group = rp_api.get_group(GroupName=f"{pool_id}_{federation.provider}", UserPoolId=pool_id)
    assert group["Group"]["Description"].startswith("Autogenerated group")

    # federated users have no password: the API refuses them as Cognito does
    client = rp_api.create_user_pool_client(
        UserPoolId=pool_id, ClientName="api", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        rp_api.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )


def test_a_second_sign_in_rewrites_mapped_attributes_and_keeps_the_user(
    federate: Any, rp_api: Any, idp_api: Any
) -> None:
    federation = federate(
        mapping={"email": "email"}, pool={"UsernameConfiguration": {"CaseSensitive": False}}
    )
    user = upstream_user(idp_api, federation)
    with httpx.Client(follow_redirects=False, timeout=15) as first:
        first_claims = id_claims(
            federation,
            tokens_of(federation, code_of(federated_sign_in(first, federation, user), federation)),
        )
    # in a case-insensitive pool the whole username is lower-cased
    assert first_claims["cognito:username"] == f"{federation.provider}_{user.sub}".lower()

    changed = "changed-" + user.email
    idp_api.admin_update_user_attributes(
        UserPoolId=federation.upstream.app.pool_id,
        Username=user.username,
        UserAttributes=[{"Name": "email", "Value": changed}],
    )
    with httpx.Client(follow_redirects=False, timeout=15) as second:
        answer = federated_sign_in(second, federation, user, nonce="app-nonce")
        claims = id_claims(federation, tokens_of(federation, code_of(answer, federation)))
    assert claims["sub"] == first_claims["sub"]
    assert claims["email"] == changed
    assert claims["nonce"] == "app-nonce"  # the app's own nonce, never ours
    assert claims["identities"] == first_claims["identities"]  # dateCreated kept
    users = rp_api.list_users(UserPoolId=federation.app.pool_id)["Users"]
    assert len(users) == 1


def test_a_linked_native_user_signs_in_with_its_own_sub_and_groups(
    browser: httpx.Client, federate: Any, rp_api: Any, idp_api: Any
) -> None:
    federation = federate()
    pool_id = federation.app.pool_id
    user = upstream_user(idp_api, federation)
    rp_api.admin_create_user(UserPoolId=pool_id, Username="native", MessageAction="SUPPRESS")
    native_sub = admin_attributes(rp_api, pool_id, "native")["sub"]
    rp_api.create_group(UserPoolId=pool_id, GroupName="staff")
    rp_api.admin_add_user_to_group(UserPoolId=pool_id, Username="native", GroupName="staff")
    rp_api.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "native"},
        SourceUser={
            "ProviderName": federation.provider,
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": user.sub,
        },
    )
    claims = id_claims(
        federation,
        tokens_of(federation, code_of(federated_sign_in(browser, federation, user), federation)),
    )
    assert claims["sub"] == native_sub
    assert claims["cognito:username"] == "native"
    assert claims["cognito:groups"] == ["staff"]  # no auto-group for linked users
    assert claims["identities"][0]["userId"] == user.sub
    # no federated profile was made
    usernames = [u["Username"] for u in rp_api.list_users(UserPoolId=pool_id)["Users"]]
    assert usernames == ["native"]


def test_an_identity_provider_the_client_does_not_support_is_refused(
    browser: httpx.Client, federate: Any, rp_api: Any
) -> None:
    federation = federate(identifiers=["example.com"], supported=["COGNITO"])
    answer = browser.get(
        federation.app.authorize_url(identity_provider=federation.provider, state="s")
    )
    assert answer.status_code == 302
    assert query_of(answer.headers["location"]) == {"error": "unauthorized_client", "state": "s"}
    answer = browser.get(federation.app.authorize_url(idp_identifier="example.com"))
    assert query_of(answer.headers["location"])["error"] == "unauthorized_client"
    answer = browser.get(federation.app.authorize_url(identity_provider="Nobody"))
    assert query_of(answer.headers["location"])["error"] == "unauthorized_client"


def test_idp_identifier_leads_to_the_provider_and_the_sign_in_page_offers_it(
    browser: httpx.Client, federate: Any
) -> None:
    federation = federate(identifiers=["example.com"], supported=[])
    # supported=[] means the default: COGNITO and the IdP
    answer = browser.get(federation.app.authorize_url(idp_identifier="example.com"))
    assert answer.headers["location"].startswith(f"{federation.upstream.app.url}/oauth2/authorize?")
    page = browser.get(browser.get(federation.app.authorize_url()).headers["location"])
    assert f"Sign in with {federation.provider}" in page.text
    assert 'name="cognitoSignInForm"' in page.text

    only_idp = federate(supported=["Upstream"])
    page = browser.get(browser.get(only_idp.app.authorize_url()).headers["location"])
    assert "Sign in with Upstream" in page.text
    assert 'name="cognitoSignInForm"' not in page.text  # no local sign-in for this client
    found = re.search(r'href="([^"]*identity_provider=Upstream[^"]*)"', page.text)
    assert found is not None
    button = found.group(1).replace("&amp;", "&")
    # nor sign-up or password reset pages for it
    query = str(page.url).split("?", 1)[1]
    signup = browser.get(f"{only_idp.app.url}/signup?{query}")
    assert "Sign in with Upstream" in signup.text and "signUpForm" not in signup.text
    answer = browser.get(f"{only_idp.app.base_url}{button}")
    assert answer.headers["location"].startswith(f"{only_idp.upstream.app.url}/oauth2/authorize?")


def test_a_wrong_client_secret_is_delivered_to_the_app(
    browser: httpx.Client, federate: Any, idp_api: Any
) -> None:
    federation = federate(wrong_secret=True)
    user = upstream_user(idp_api, federation)
    answer = federated_sign_in(browser, federation, user, state="st")
    assert answer.status_code == 302
    fields = query_of(answer.headers["location"])
    assert fields["error"] == "invalid_request"
    assert fields["error_description"] == f"{federation.provider} Error - 400 error getting token"
    assert fields["state"] == "st"
    assert not any(c.startswith("cognito=") for c in answer.headers.get_list("set-cookie"))


def test_an_upstream_error_goes_to_the_app_and_a_spent_or_unknown_state_to_the_error_page(
    browser: httpx.Client, federate: Any
) -> None:
    federation = federate()
    upstream_url = to_upstream(browser, federation, state="st", response_type="token")
    state = query_of(upstream_url)["state"]
    idpresponse = f"{federation.app.url}/oauth2/idpresponse"
    answer = browser.get(idpresponse, params={"error": "access_denied", "state": state})
    assert answer.status_code == 302
    # an implicit request hears of it in the fragment
    fields = fragment_of(answer.headers["location"])
    assert fields == {
        "error": "invalid_request",
        "error_description": "access_denied",
        "state": "st",
    }
    # the state was spent
    again = browser.get(idpresponse, params={"code": "x", "state": state})
    assert again.headers["location"] == f"{federation.app.url}/error?error=invalid_request"
    unknown = browser.get(idpresponse, params={"code": "x", "state": "made-up"})
    assert unknown.headers["location"] == f"{federation.app.url}/error?error=invalid_request"


def test_first_sign_in_runs_inbound_federation_presignup_and_postconfirmation(
    browser: httpx.Client, federate: Any, idp_api: Any, hooks: HookServer
) -> None:
    config = {
        "PreSignUp": arn("hook-echo"),
        "PostConfirmation": arn("hook-echo"),
        "PreAuthentication": arn("hook-echo"),
        "PostAuthentication": arn("hook-echo"),
        "PreTokenGeneration": arn("hook-echo"),
        "InboundFederation": {"LambdaArn": arn("hook-inbound-map"), "LambdaVersion": "V1_0"},
    }
    federation = federate(mapping={"email": "email"}, pool={"LambdaConfig": config})
    pool_id = federation.app.pool_id
    user = upstream_user(idp_api, federation)
    claims = id_claims(
        federation,
        tokens_of(federation, code_of(federated_sign_in(browser, federation, user), federation)),
    )
    assert claims["name"] == f"Federated {user.email}"  # userAttributesToMap won

    events = hooks.events(pool_id)
    sources = [e["triggerSource"] for e in events]
    assert sources == [
        "InboundFederation_ExternalProvider",
        "PreSignUp_ExternalProvider",
        "PostConfirmation_ConfirmSignUp",
        "TokenGeneration_HostedAuth",  # at /oauth2/token
    ]
    inbound, pre_sign_up, post_confirmation, pre_token = events
    for event in events:
        check_event(event, event["triggerSource"], pool_id)
    assert inbound["request"]["providerName"] == federation.provider
    assert inbound["request"]["providerType"] == "OIDC"
    attributes = inbound["request"]["attributes"]
    assert attributes["idToken"]["sub"] == user.sub
    assert attributes["userInfo"]["email"] == user.email
    assert "id_token" in attributes["tokenResponse"]
    assert pre_sign_up["userName"] == f"{federation.provider}_{user.sub}"
    assert pre_sign_up["request"]["userAttributes"]["email"] == user.email
    assert pre_sign_up["request"]["validationData"] is None
    status = post_confirmation["request"]["userAttributes"]["cognito:user_status"]
    assert status == "EXTERNAL_PROVIDER"
    assert "identities" in post_confirmation["request"]["userAttributes"]
    assert pre_token["request"]["groupConfiguration"]["groupsToOverride"] == [
        f"{pool_id}_{federation.provider}"
    ]

    # a later sign-in: PreAuthentication and PostAuthentication instead
    with httpx.Client(follow_redirects=False, timeout=15) as again:
        code_of(federated_sign_in(again, federation, user), federation)
    later = [e["triggerSource"] for e in hooks.events(pool_id)][4:]
    assert later == [
        "InboundFederation_ExternalProvider",
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
    ]


def test_a_presignup_refusal_reaches_the_app_and_makes_no_user(
    browser: httpx.Client, federate: Any, rp_api: Any, idp_api: Any
) -> None:
    federation = federate(pool={"LambdaConfig": {"PreSignUp": arn("hook-fail")}})
    user = upstream_user(idp_api, federation)
    answer = federated_sign_in(browser, federation, user, state="st")
    fields = query_of(answer.headers["location"])
    assert fields["error"] == "invalid_request"
    assert fields["error_description"] == (
        # Cognito's doubled period when the message ends with one
        "PreSignUp failed with error Registration from this domain is not allowed.."
    )
    assert rp_api.list_users(UserPoolId=federation.app.pool_id)["Users"] == []


def test_a_required_attribute_without_a_mapping_fails_the_sign_in(
    browser: httpx.Client, federate: Any, idp_api: Any
) -> None:
    schema = [{"Name": "given_name", "AttributeDataType": "String", "Required": True}]
    federation = federate(pool={"Schema": schema})
    user = upstream_user(idp_api, federation)
    fields = query_of(federated_sign_in(browser, federation, user).headers["location"])
    assert fields["error"] == "invalid_request"
    assert "given_name: The attribute is required" in fields["error_description"]


def test_the_round_trip_in_a_browser(
    page: Any, shot: Any, federate: Any, idp_api: Any, app_url: str
) -> None:
    """Headless Chromium: the button on the RP's page, the IdP's form, back to the app."""
    federation = federate(callback=f"{app_url}/callback", mapping={"email": "email"})
    user = upstream_user(idp_api, federation)
    page.goto(federation.app.authorize_url(state="b-1"))
    assert f"{federation.app.url}/login?" in page.url
    shot(page, "rp-sign-in")
    page.click(f"text=Sign in with {federation.provider}")
    page.wait_for_url(f"{federation.upstream.app.url}/login?*")
    shot(page, "upstream-sign-in")
    submit_sign_in(page, user.username, PASSWORD)
    page.wait_for_url(f"{federation.app.callback}?*")
    fields = query_of(page.url)
    assert fields["state"] == "b-1"
    claims = id_claims(federation, tokens_of(federation, fields["code"]))
    assert claims["cognito:username"] == f"{federation.provider}_{user.sub}"
    assert claims["email"] == user.email
    assert claims["identities"][0]["providerName"] == federation.provider

    # the RP's session cookie: the next authorization goes straight back to the app
    page.goto(federation.app.authorize_url(state="b-2"))
    page.wait_for_url(f"{federation.app.callback}?*")
    assert query_of(page.url)["state"] == "b-2"


def test_with_federation_nonce_cognito_the_id_token_carries_cognitos_own_nonce(
    tmp_path: Path, private_server: Any, idp: ServerProcess, idp_api: Any, browser: httpx.Client
) -> None:
    """AWS parity (--federation-nonce cognito): an app that sent no nonce still gets one."""
    rp = private_server(tmp_path / "rp", extra_args=["--federation-nonce", "cognito"])
    with open_boto_client(rp.base_url) as rp_api:
        federation = new_federation(rp_api, rp.base_url, idp_api, idp.base_url)
    user = upstream_user(idp_api, federation)
    upstream_url = to_upstream(browser, federation)
    ours = query_of(upstream_url)["nonce"]
    answer = browser.get(upstream_sign_in(browser, upstream_url, user))
    claims = id_claims(federation, tokens_of(federation, code_of(answer, federation)))
    assert claims["nonce"] == ours


def test_an_unreachable_identity_provider_is_reported_to_the_app(
    browser: httpx.Client, federate: Any, rp_api: Any
) -> None:
    federation = federate()
    pool_id = federation.app.pool_id
    gone = f"http://127.0.0.1:{free_port()}/nobody"
    rp_api.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName=federation.provider,
        ProviderDetails={
            "client_id": "c",
            "client_secret": "s",
            "authorize_scopes": "openid",
            "oidc_issuer": gone,
        },
    )
    answer = browser.get(
        federation.app.authorize_url(identity_provider=federation.provider, state="st")
    )
    assert answer.status_code == 302
    fields = query_of(answer.headers["location"])
    assert fields == {
        "error": "invalid_request",
        "error_description": "Connection reset",
        "state": "st",
    }
