"""The hosted pages in a real browser: Debian's headless Chromium, driven by Playwright,
walks each flow against the test server. One browser per test session, a fresh context
(cookies and all) per test. The app is a tiny HTTP server on loopback answering its
callback and sign-out pages. A screenshot of every page shown goes to
test-artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pyotp
import pytest
from playwright.sync_api import expect

from .support import PASSWORD, Inbox, MakePool, MakeUser
from .support.browser import new_tab, submit_sign_in
from .support.hosted import HostedApp, Pkce, make_hosted_app, query_of
from .support.names import NEW_PASSWORD, TEMP_PASSWORD, new_email, unique
from .support.tokens import fetch_jwks, verify_jwt

MakeApp = Callable[..., HostedApp]


@pytest.fixture
def make_app(cognito: Any, base_url: str, make_pool: MakePool, app_url: str) -> MakeApp:
    """`make_app(**CreateUserPool kwargs) -> HostedApp` calling back to `app_url`."""

    def make(**pool: Any) -> HostedApp:
        return make_hosted_app(
            cognito,
            base_url,
            make_pool(**pool),
            callback=f"{app_url}/callback",
            logout=f"{app_url}/signed-out",
        )

    return make


@pytest.fixture
def hosted(make_app: MakeApp) -> HostedApp:
    return make_app()


def landed_code(page: Any, hosted: HostedApp, state: str | None = None) -> str:
    page.wait_for_url(f"{hosted.callback}?*")
    fields = query_of(page.url)
    if state is not None:
        assert fields["state"] == state
    return fields["code"]


def test_sign_in_with_code_and_pkce_ends_with_verified_tokens(
    page: Any, hosted: HostedApp, make_user: MakeUser, shot: Any
) -> None:
    user = make_user(hosted.pool_id)
    pkce = Pkce()
    page.goto(hosted.authorize_url(state="st-1", nonce="nonce-1", **pkce.params()))
    assert f"{hosted.url}/login?" in page.url
    assert page.locator("form[name=cognitoSignInForm]").count() == 1
    shot(page, "sign-in")
    submit_sign_in(page, user.username, "Not-The-Passw0rd!")
    expect(page.locator("#error")).to_have_text("Incorrect username or password.")
    shot(page, "sign-in-error")
    submit_sign_in(page, user.username, PASSWORD)
    code = landed_code(page, hosted, "st-1")

    answer = hosted.swap_code(code, pkce.verifier)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    jwks = fetch_jwks(hosted.base_url, hosted.pool_id)
    issuer = f"{hosted.base_url}/{hosted.pool_id}"
    _, identity = verify_jwt(tokens["id_token"], jwks, issuer)
    _, access = verify_jwt(tokens["access_token"], jwks, issuer)
    assert identity["cognito:username"] == user.username
    assert identity["nonce"] == "nonce-1"
    assert access["client_id"] == hosted.client_id
    assert "openid" in access["scope"].split()


def test_the_session_cookie_skips_the_form_until_sign_out(
    page: Any, hosted: HostedApp, make_user: MakeUser, shot: Any
) -> None:
    user = make_user(hosted.pool_id)
    page.goto(hosted.authorize_url())
    submit_sign_in(page, user.username, PASSWORD)
    landed_code(page, hosted)
    # signed in: the next authorization goes straight back to the app, no form
    page.goto(hosted.authorize_url(state="again"))
    landed_code(page, hosted, "again")

    query = urlencode({"client_id": hosted.client_id, "logout_uri": hosted.logout})
    page.goto(f"{hosted.url}/logout?{query}")
    assert page.url == hosted.logout
    page.goto(hosted.authorize_url())
    assert f"{hosted.url}/login?" in page.url
    shot(page, "signed-out")


def test_sign_up_and_confirm_with_the_mailed_code(
    page: Any, cognito: Any, make_app: MakeApp, inbox: Inbox, shot: Any
) -> None:
    hosted = make_app(AutoVerifiedAttributes=["email"])
    username, email = unique("new"), new_email()
    page.goto(hosted.authorize_url())
    page.click("text=Sign up")
    shot(page, "sign-up")
    page.fill("#signUpFormUsername", username)
    page.fill("#attribute-email", email)
    page.fill("#signUpFormPassword", PASSWORD)
    page.click("input[name=signUpButton]")
    expect(page.locator("h1")).to_have_text("Confirm your account")
    shot(page, "confirm")
    page.fill("#confirmCode", inbox.wait_code(email))
    page.click("input[name=confirmButton]")
    expect(page.locator("#notice")).to_contain_text("Your account is confirmed")
    assert page.input_value("#signInFormUsername") == username
    submit_sign_in(page, username, PASSWORD)
    landed_code(page, hosted)
    user = cognito.admin_get_user(UserPoolId=hosted.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"


def test_forgot_password_resets_it_with_the_mailed_code(
    page: Any, hosted: HostedApp, make_user: MakeUser, inbox: Inbox, shot: Any
) -> None:
    email = new_email()
    user = make_user(hosted.pool_id, email=email)
    page.goto(hosted.authorize_url())
    page.click("text=Forgot your password?")
    shot(page, "forgot-password")
    page.fill("#forgotUsername", user.username)
    page.click("input[name=resetMyPasswordButton]")
    expect(page.locator("h1")).to_have_text("Reset your password")
    shot(page, "confirm-forgot-password")
    page.fill("#forgotPasswordCode", inbox.wait_code(email))
    page.fill("#newPassword", NEW_PASSWORD)
    page.fill("#newPasswordAgain", NEW_PASSWORD)
    page.click("input[name=changePasswordButton]")
    expect(page.locator("#notice")).to_contain_text("Your password has been changed")
    submit_sign_in(page, user.username, NEW_PASSWORD)
    landed_code(page, hosted)


def test_a_force_change_password_user_sets_a_new_password(
    page: Any, cognito: Any, hosted: HostedApp, shot: Any
) -> None:
    username = unique("temp")
    cognito.admin_create_user(
        UserPoolId=hosted.pool_id,
        Username=username,
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
    )
    page.goto(hosted.authorize_url())
    submit_sign_in(page, username, TEMP_PASSWORD)
    expect(page.locator("h1")).to_have_text("Change password")
    shot(page, "new-password")
    page.fill("#newPassword", NEW_PASSWORD)
    page.fill("#newPasswordAgain", "Different-Passw0rd!")
    page.click("input[name=newPasswordButton]")
    expect(page.locator("#error")).to_have_text("The passwords do not match.")
    page.fill("#newPassword", NEW_PASSWORD)
    page.fill("#newPasswordAgain", NEW_PASSWORD)
    page.click("input[name=newPasswordButton]")
    landed_code(page, hosted)
    user = cognito.admin_get_user(UserPoolId=hosted.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"


def test_totp_mfa_is_set_up_then_asked_for(
    chromium: Any, page: Any, cognito: Any, hosted: HostedApp, make_user: MakeUser, shot: Any
) -> None:
    cognito.set_user_pool_mfa_config(
        UserPoolId=hosted.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    user = make_user(hosted.pool_id)
    page.goto(hosted.authorize_url())
    submit_sign_in(page, user.username, PASSWORD)
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    assert page.locator("figure.qr svg").count() == 1
    shot(page, "mfa-setup")
    secret = page.locator("#totpSecret").inner_text()
    assert page.locator("#totpUri").inner_text().startswith("otpauth://totp/")
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    page.fill("#mfaSetupCode", wrong)
    page.click("input[name=mfaSetupButton]")
    expect(page.locator("#error")).to_be_visible()
    page.fill("#mfaSetupCode", pyotp.TOTP(secret).now())
    page.click("input[name=mfaSetupButton]")
    landed_code(page, hosted)

    # a new browser (no session cookie): the password, then the authenticator's code
    later = new_tab(chromium)
    later.goto(hosted.authorize_url())
    submit_sign_in(later, user.username, PASSWORD)
    expect(later.locator("h1")).to_have_text("Verification code")
    shot(later, "mfa-code")
    # the next time step's code: the set-up already spent this one's
    later.fill("#mfaCode", pyotp.TOTP(secret).at(time.time() + 30))
    later.click("input[name=mfaSubmitButton]")
    landed_code(later, hosted)
    later.context.close()


def test_a_wrong_redirect_uri_lands_on_the_error_page(
    page: Any, hosted: HostedApp, shot: Any
) -> None:
    page.goto(hosted.authorize_url(redirect_uri="https://evil.example/callback"))
    assert f"{hosted.url}/error?error=redirect_mismatch" in page.url
    expect(page.locator("h1")).to_contain_text("An error was encountered")
    shot(page, "error")
