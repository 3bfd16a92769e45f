"""The hosted pages without a browser: the classic sign-in form replayed the way scripts
do it (GET /oauth2/authorize, GET /login, POST the form with _csrf and the cookies), the
session cookie, /logout, and every /oauth2/authorize error of reference §4.2."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from .support import PASSWORD, Inbox, MakePool, MakeUser
from .support.hosted import (
    CALLBACK,
    CSRF_RE,
    LOGOUT,
    HostedApp,
    Pkce,
    fragment_of,
    login_form,
    make_hosted_app,
    query_of,
    sign_in,
)
from .support.names import mask_email, mask_phone, new_email, new_phone, wrong_code
from .support.tokens import fetch_jwks, verify_jwt


@pytest.fixture
def hosted(cognito: Any, base_url: str, make_pool: MakePool) -> HostedApp:
    return make_hosted_app(cognito, base_url, make_pool())


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    """A cookie jar that does not follow redirects: each hop is asserted."""
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        yield client


def test_the_classic_form_signs_in_with_pkce_and_the_code_swaps_for_tokens(
    browser: httpx.Client, hosted: HostedApp, make_user: MakeUser
) -> None:
    user = make_user(hosted.pool_id)
    pkce = Pkce()
    answer = sign_in(
        browser, hosted, user.username, state="xyz-123", nonce="n-0S6", **pkce.params()
    )
    assert answer.status_code == 302
    back = answer.headers["location"]
    assert back.startswith(f"{CALLBACK}?")
    assert query_of(back)["state"] == "xyz-123"
    assert re.fullmatch(r"[0-9a-f-]{36}", query_of(back)["code"])
    cookie = answer.headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith("cognito="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Domain" not in session
    assert answer.headers["X-Frame-Options"] == "DENY"

    tokens = hosted.swap_code(query_of(back)["code"], pkce.verifier)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    issuer = f"{hosted.base_url}/{hosted.pool_id}"
    _, claims = verify_jwt(body["id_token"], fetch_jwks(hosted.base_url, hosted.pool_id), issuer)
    assert claims["cognito:username"] == user.username
    assert claims["aud"] == hosted.client_id
    assert claims["nonce"] == "n-0S6"
    # the code is single use
    assert hosted.swap_code(query_of(back)["code"], pkce.verifier).status_code == 400


def test_a_wrong_password_shows_the_form_again_with_the_api_message(
    browser: httpx.Client, hosted: HostedApp, make_user: MakeUser
) -> None:
    user = make_user(hosted.pool_id)
    answer = sign_in(browser, hosted, user.username, "Wrong-Passw0rd!")
    assert answer.status_code == 200
    assert "Incorrect username or password." in answer.text
    assert 'role="alert"' in answer.text
    assert "cognito" not in browser.cookies


def test_a_form_without_the_csrf_token_is_refused(
    browser: httpx.Client, hosted: HostedApp, make_user: MakeUser
) -> None:
    user = make_user(hosted.pool_id)
    action, _ = login_form(browser, hosted)
    form = {"_csrf": "forged", "username": user.username, "password": PASSWORD}
    answer = browser.post(action, data=form)
    assert answer.status_code == 403
    assert "Your session has expired" in answer.text
    assert "cognito" not in browser.cookies


def test_the_session_cookie_skips_the_form_until_logout(
    browser: httpx.Client, hosted: HostedApp, make_user: MakeUser
) -> None:
    user = make_user(hosted.pool_id)
    assert sign_in(browser, hosted, user.username).status_code == 302
    again = browser.get(hosted.authorize_url(state="s2"))
    assert again.status_code == 302
    assert again.headers["location"].startswith(f"{CALLBACK}?code=")
    assert query_of(again.headers["location"])["state"] == "s2"
    # prompt=login shows the form even so
    forced = browser.get(hosted.authorize_url(prompt="login"))
    assert forced.headers["location"].startswith(f"{hosted.url}/login?")

    stolen = browser.cookies.get("cognito")
    query = urlencode({"client_id": hosted.client_id, "logout_uri": LOGOUT})
    out = browser.get(f"{hosted.url}/logout?{query}")
    assert out.status_code == 302
    assert out.headers["location"] == LOGOUT
    assert "cognito" not in browser.cookies
    # the session ended on the server: the old cookie no longer signs in
    replay = httpx.get(hosted.authorize_url(), cookies={"cognito": stolen or ""})
    assert replay.headers["location"].startswith(f"{hosted.url}/login?")


def test_prompt_none_without_a_session_answers_login_required(
    browser: httpx.Client, hosted: HostedApp
) -> None:
    answer = browser.get(hosted.authorize_url(prompt="none", state="st"))
    assert answer.headers["location"] == f"{CALLBACK}?error=login_required&state=st"


def test_the_implicit_flow_answers_tokens_in_the_fragment(
    browser: httpx.Client, hosted: HostedApp, make_user: MakeUser
) -> None:
    user = make_user(hosted.pool_id)
    answer = sign_in(browser, hosted, user.username, response_type="token", state="i1")
    fields = fragment_of(answer.headers["location"])
    assert fields["token_type"] == "Bearer" and fields["state"] == "i1"
    assert fields["access_token"] and fields["id_token"]
    assert "refresh_token" not in fields


def test_a_client_with_a_secret_signs_in_on_the_pages(
    cognito: Any, base_url: str, make_pool: MakePool, make_user: MakeUser, browser: httpx.Client
) -> None:
    hosted = make_hosted_app(cognito, base_url, make_pool(), secret=True)
    user = make_user(hosted.pool_id)
    answer = sign_in(browser, hosted, user.username)
    code = query_of(answer.headers["location"])["code"]
    assert hosted.swap_code(code, None).status_code == 200


def test_logout_with_redirect_uri_goes_on_to_the_sign_in_page(
    browser: httpx.Client, hosted: HostedApp
) -> None:
    query = urlencode(
        {
            "client_id": hosted.client_id,
            "redirect_uri": CALLBACK,
            "response_type": "code",
            "state": "after",
            "identity_provider": "Google",  # not passed on (§9)
        }
    )
    answer = browser.get(f"{hosted.url}/logout?{query}")
    assert answer.status_code == 302
    target = answer.headers["location"]
    assert target.startswith(f"{hosted.url}/login?")
    assert query_of(target) == {
        "client_id": hosted.client_id,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "state": "after",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"logout_uri": "https://evil.example/"}, "redirect_mismatch"),
        ({"redirect_uri": "https://evil.example/"}, "redirect_mismatch"),
        ({}, "invalid_request"),
    ],
)
def test_logout_errors_land_on_the_error_page(
    browser: httpx.Client, hosted: HostedApp, params: dict[str, str], expected: str
) -> None:
    query = urlencode({"client_id": hosted.client_id, **params})
    answer = browser.get(f"{hosted.url}/logout?{query}")
    assert answer.status_code == 302
    assert query_of(answer.headers["location"])["error"] == expected
    assert answer.headers["location"].startswith(f"{hosted.url}/error?")


# -- /oauth2/authorize errors, in Cognito's order (reference §4.2) -----------------------
def test_an_unknown_client_lands_on_the_error_page(
    browser: httpx.Client, hosted: HostedApp
) -> None:
    answer = browser.get(hosted.authorize_url(client_id="nosuchclient0000000000000"))
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(f"{hosted.url}/error?")
    assert query_of(location)["error"] == "invalid_request"
    page = browser.get(location)
    assert "An error was encountered with the requested page." in page.text


def test_an_unregistered_redirect_uri_lands_on_the_error_page(
    browser: httpx.Client, hosted: HostedApp
) -> None:
    answer = browser.get(hosted.authorize_url(redirect_uri="https://app.example/other"))
    assert query_of(answer.headers["location"]) == {
        "error": "redirect_mismatch",
        "client_id": hosted.client_id,
    }


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"response_type": ""}, "invalid_request"),
        ({"response_type": "id_token"}, "invalid_request"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "abc"}, "invalid_request"),
        ({"code_challenge_method": "S256"}, "invalid_request"),
        ({"scope": "openid phone"}, "invalid_scope"),
        ({"scope": "openid nosuch/scope"}, "invalid_scope"),
        ({"identity_provider": "Google"}, "unauthorized_client"),
        ({"idp_identifier": "corp"}, "unauthorized_client"),
    ],
)
def test_malformed_requests_go_back_to_the_app_with_the_error(
    browser: httpx.Client, hosted: HostedApp, params: dict[str, str], error: str
) -> None:
    answer = browser.get(hosted.authorize_url(state="keep", **params))
    assert answer.status_code == 302
    assert answer.headers["location"] == f"{CALLBACK}?error={error}&state=keep"


def test_a_flow_the_client_may_not_use_is_unauthorized_client(
    cognito: Any, base_url: str, make_pool: MakePool, browser: httpx.Client
) -> None:
    hosted = make_hosted_app(cognito, base_url, make_pool(), AllowedOAuthFlows=["code"])
    answer = browser.get(hosted.authorize_url(response_type="token", state="t"))
    # implicit requests hear their errors in the fragment
    assert answer.headers["location"] == f"{CALLBACK}#error=unauthorized_client&state=t"


def test_the_default_redirect_uri_stands_in_for_a_missing_one(
    cognito: Any, base_url: str, make_pool: MakePool, browser: httpx.Client
) -> None:
    hosted = make_hosted_app(cognito, base_url, make_pool(), DefaultRedirectURI=CALLBACK)
    url = hosted.authorize_url(redirect_uri="", prompt="none")
    assert browser.get(url).headers["location"].startswith(f"{CALLBACK}?error=login_required")


SESSION_RE = re.compile(r'name="session" value="([^"]+)"')


def test_sms_mfa_asks_for_the_texted_code_and_refuses_a_wrong_one(
    browser: httpx.Client, hosted: HostedApp, cognito: Any, make_user: MakeUser, inbox: Inbox
) -> None:
    cognito.set_user_pool_mfa_config(
        UserPoolId=hosted.pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    phone = new_phone()
    user = make_user(hosted.pool_id, phone=phone)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=hosted.pool_id, Username=user.username, SMSMfaSettings={"Enabled": True}
    )
    page = sign_in(browser, hosted, user.username, state="m")
    assert page.status_code == 200
    assert f"We sent a code to {mask_phone(phone)}" in page.text
    code = inbox.wait_code(phone)
    action = f"{hosted.url}/challenge?{urlsplit(str(page.url)).query}"

    def answer(page: httpx.Response, code: str) -> httpx.Response:
        csrf, pending = CSRF_RE.search(page.text), SESSION_RE.search(page.text)
        assert csrf is not None and pending is not None
        form = {"_csrf": csrf.group(1), "session": pending.group(1), "code": code}
        return browser.post(action, data=form)

    wrong = answer(page, wrong_code(code))
    assert wrong.status_code == 200
    assert "Invalid code received for user" in wrong.text
    done = answer(wrong, code)
    assert done.status_code == 302
    assert query_of(done.headers["location"])["state"] == "m"


def test_email_mfa_asks_for_the_mailed_code(
    browser: httpx.Client, hosted: HostedApp, cognito: Any, make_user: MakeUser, inbox: Inbox
) -> None:
    cognito.set_user_pool_mfa_config(
        UserPoolId=hosted.pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={}
    )
    email = new_email()
    user = make_user(hosted.pool_id, email=email)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=hosted.pool_id, Username=user.username, EmailMfaSettings={"Enabled": True}
    )
    page = sign_in(browser, hosted, user.username, state="e")
    assert page.status_code == 200
    assert f"We sent a code to {mask_email(email)}" in page.text
    code = inbox.wait_code(email)
    csrf, pending = CSRF_RE.search(page.text), SESSION_RE.search(page.text)
    assert csrf is not None and pending is not None
    done = browser.post(
        f"{hosted.url}/challenge?{urlsplit(str(page.url)).query}",
        data={"_csrf": csrf.group(1), "session": pending.group(1), "code": code},
    )
    assert done.status_code == 302
    assert query_of(done.headers["location"])["state"] == "e"


def test_the_confirmation_link_page_confirms_a_sign_up(
    cognito: Any, base_url: str, make_pool: MakePool, inbox: Inbox
) -> None:
    hosted = make_hosted_app(cognito, base_url, make_pool(AutoVerifiedAttributes=["email"]))
    email = new_email()
    cognito.sign_up(
        ClientId=hosted.client_id,
        Username="linked",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    code = inbox.wait_code(email)

    def visit(code: str) -> httpx.Response:
        query = {"client_id": hosted.client_id, "user_name": "linked", "confirmation_code": code}
        return httpx.get(f"{hosted.url}/confirmUser?{urlencode(query)}", timeout=10)

    refused = visit(wrong_code(code))
    assert refused.status_code == 400
    assert "Invalid verification code provided, please try again." in refused.text
    confirmed = visit(code)
    assert confirmed.status_code == 200
    assert "Your account is confirmed" in confirmed.text
    user = cognito.admin_get_user(UserPoolId=hosted.pool_id, Username="linked")
    assert user["UserStatus"] == "CONFIRMED"
