"""SAML single logout end to end (reference §9, §12.4): a SAML sign-in through the test
IdP (tests/api/support/saml_idp.py) with IDPSignout, then /logout sends the browser to
the IdP's SLO URL with a signed LogoutRequest naming the sign-in, the IdP posts a signed
LogoutResponse to /saml2/logout, and the browser lands on the app's logout URL, its
Recognito session gone. Every LogoutResponse that is not the IdP's answer to that very
request lands on the domain's error page (never a 500)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import httpx
import pytest

from .support.hosted import LOGOUT, query_of
from .support.saml_idp import SamlIdp, SamlUser, authn_request_of, new_key_pair
from .test_federation_saml import SamlApp, code_of, new_saml_app, new_user, sign_in


@pytest.fixture(scope="module")
def idp() -> Iterator[SamlIdp]:
    server = SamlIdp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False, timeout=15) as client:
        yield client


def logout_url(sp: SamlApp) -> str:
    return f"{sp.app.url}/saml2/logout"


@pytest.fixture
def slo_sp(cognito: Any, base_url: str, idp: SamlIdp) -> SamlApp:
    sp = new_saml_app(cognito, base_url, idp, IDPSignout="true")
    certificate = cognito.get_signing_certificate(UserPoolId=sp.app.pool_id)["Certificate"]
    idp.trust_sp(sp.audience, certificate, logout_url(sp))
    return sp


def signed_in(browser: httpx.Client, sp: SamlApp, idp: SamlIdp) -> SamlUser:
    """A SAML sign-in whose session cookie the browser keeps."""
    user = new_user()
    code_of(sign_in(browser, sp, idp, user), sp)
    return user


def log_out(browser: httpx.Client, sp: SamlApp, **params: str) -> httpx.Response:
    query = {"client_id": sp.app.client_id, "logout_uri": LOGOUT, **params}
    return browser.get(f"{sp.app.url}/logout", params=query)


def silent(browser: httpx.Client, sp: SamlApp) -> bool:
    """Whether /oauth2/authorize signs the browser in without asking (its session)."""
    answer = browser.get(sp.app.authorize_url())
    assert answer.status_code == 302, answer.text
    return answer.headers["location"].startswith(f"{sp.app.callback}?")


def to_slo(browser: httpx.Client, sp: SamlApp, idp: SamlIdp) -> dict[str, str]:
    """/logout of a signed-in browser: the SLO query, its LogoutRequest's ID added."""
    answer = log_out(browser, sp)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{idp.url}/slo?"), location
    sent = query_of(location)
    return {**sent, "ID": authn_request_of(sent["SAMLRequest"]).get("ID")}


def post_logout(browser: httpx.Client, sp: SamlApp, value: str) -> httpx.Response:
    return browser.post(logout_url(sp), data={"SAMLResponse": value})


def error_of(answer: httpx.Response, sp: SamlApp) -> str:
    """The description of a refusal: 302 to the domain's error page."""
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{sp.app.url}/error?"), location
    return query_of(location).get("error_description", "")


def test_logout_signs_out_at_the_idp_then_returns_to_the_app(
    browser: httpx.Client, slo_sp: SamlApp, idp: SamlIdp
) -> None:
    sp = slo_sp
    user = signed_in(browser, sp, idp)
    assert silent(browser, sp)
    answer = log_out(browser, sp)
    assert answer.status_code == 302, answer.text
    slo = answer.headers["location"]
    assert slo.startswith(f"{idp.url}/slo?")
    page = browser.get(slo)  # the IdP checks the request and answers with its form
    assert page.status_code == 200, page.text
    request = idp.logouts[-1]
    assert request["valid"] == "yes"  # signed with the pool's certificate
    assert request["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert request["Issuer"] == sp.audience
    assert request["Destination"] == f"{idp.url}/slo"
    assert (request["NameID"], request["SessionIndex"]) == (user.name_id, user.session_index)
    action = unescape(re.search(r'action="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    value = re.search(r'name="SAMLResponse" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert action == logout_url(sp)
    back = browser.post(action, data={"SAMLResponse": value})
    assert back.status_code == 302, back.text
    assert back.headers["location"] == LOGOUT
    # the Recognito session ended: the next authorize asks again
    assert not silent(browser, sp)
    # the same LogoutResponse again answers nothing
    assert "InResponseTo" in error_of(post_logout(browser, sp, value), sp)


def test_logout_with_redirect_uri_goes_on_to_the_login_page_after_the_idp(
    browser: httpx.Client, slo_sp: SamlApp, idp: SamlIdp
) -> None:
    sp = slo_sp
    signed_in(browser, sp, idp)
    params = {"redirect_uri": sp.app.callback, "response_type": "code", "scope": "openid"}
    answer = browser.get(f"{sp.app.url}/logout", params={"client_id": sp.app.client_id, **params})
    sent = query_of(answer.headers["location"])
    request_id = authn_request_of(sent["SAMLRequest"]).get("ID")
    value = idp.logout_response(destination=logout_url(sp), in_response_to=request_id)
    back = post_logout(browser, sp, value)
    assert back.status_code == 302, back.text
    location = back.headers["location"]
    assert location.startswith(f"{sp.app.url}/login?"), location
    assert query_of(location)["redirect_uri"] == sp.app.callback


@pytest.mark.parametrize(
    ("flaw", "reason"),
    [
        ("unsigned", "not signed"),
        ("forged", "signature"),
        ("other_request", "InResponseTo"),
        ("no_answer_to", "InResponseTo"),
        ("failed", "status"),
        ("elsewhere", "Destination"),
        ("other_issuer", "Issuer"),
    ],
)
def test_a_logout_response_not_answering_the_request_is_refused(
    browser: httpx.Client, slo_sp: SamlApp, idp: SamlIdp, flaw: str, reason: str
) -> None:
    sp = slo_sp
    signed_in(browser, sp, idp)
    request_id = to_slo(browser, sp, idp)["ID"]
    kwargs: dict[str, Any] = {"destination": logout_url(sp), "in_response_to": request_id}
    if flaw == "unsigned":
        kwargs["sign"] = False
    elif flaw == "forged":
        kwargs["keys"] = new_key_pair("forger")
    elif flaw == "other_request":
        kwargs["in_response_to"] = "_not-a-request-of-this-pool"
    elif flaw == "no_answer_to":
        kwargs["in_response_to"] = None
    elif flaw == "failed":
        kwargs["status"] = "Responder"
    elif flaw == "elsewhere":
        kwargs["destination"] = "https://elsewhere.example/saml2/logout"
    elif flaw == "other_issuer":
        kwargs["issuer"] = "https://other-idp.example/entity"
    answer = post_logout(browser, sp, idp.logout_response(**kwargs))
    assert reason in error_of(answer, sp)
    assert not silent(browser, sp)  # the local session ended at /logout all the same
    # the refusal spent nothing: the IdP's real answer still goes on to the app
    real = idp.logout_response(destination=logout_url(sp), in_response_to=request_id)
    back = post_logout(browser, sp, real)
    assert back.status_code == 302, back.text
    assert back.headers["location"] == LOGOUT


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"SAMLResponse": "%%% not base64"},
        {"SAMLResponse": "PG5vdCB4bWw="},  # "<not xml"
        {"SAMLRequest": "PHNhbWxwOkxvZ291dFJlcXVlc3QvPg=="},  # IdP-initiated: not taken
    ],
)
def test_anything_but_a_logout_response_is_refused(
    browser: httpx.Client, slo_sp: SamlApp, form: dict[str, str]
) -> None:
    answer = browser.post(logout_url(slo_sp), data=form)
    error_of(answer, slo_sp)
    # a LogoutResponse arrives by POST only
    error_of(browser.get(logout_url(slo_sp), params={"SAMLResponse": "x"}), slo_sp)


def test_a_normal_sign_in_response_is_no_logout_response(
    browser: httpx.Client, slo_sp: SamlApp, idp: SamlIdp
) -> None:
    sp = slo_sp
    signed_in(browser, sp, idp)
    request_id = to_slo(browser, sp, idp)["ID"]
    value = idp.response(acs=logout_url(sp), audience=sp.audience, in_response_to=request_id)
    assert "LogoutResponse" in error_of(post_logout(browser, sp, value), sp)


def test_without_idp_signout_logout_stays_local(
    cognito: Any, base_url: str, browser: httpx.Client, idp: SamlIdp
) -> None:
    sp = new_saml_app(cognito, base_url, idp)
    signed_in(browser, sp, idp)
    before = len(idp.logouts)
    answer = log_out(browser, sp)
    assert answer.status_code == 302, answer.text
    assert answer.headers["location"] == LOGOUT
    assert len(idp.logouts) == before
    assert not silent(browser, sp)


def test_idp_signout_switched_off_after_the_sign_in_logs_out_locally(
    cognito: Any, browser: httpx.Client, slo_sp: SamlApp, idp: SamlIdp
) -> None:
    sp = slo_sp
    signed_in(browser, sp, idp)
    cognito.update_identity_provider(
        UserPoolId=sp.app.pool_id,
        ProviderName=sp.provider,
        ProviderDetails={"MetadataURL": f"{idp.url}/metadata", "IDPSignout": "false"},
    )
    answer = log_out(browser, sp)
    assert answer.status_code == 302, answer.text
    assert answer.headers["location"] == LOGOUT
    assert not silent(browser, sp)


def test_logout_without_a_saml_session_goes_straight_to_the_app(
    browser: httpx.Client, slo_sp: SamlApp
) -> None:
    """/logout of a browser with no SAML session, on a pool with IDPSignout: no IdP."""
    answer = log_out(browser, slo_sp)
    assert answer.status_code == 302, answer.text
    assert answer.headers["location"] == LOGOUT
