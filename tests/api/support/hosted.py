"""A pool with a domain and an OAuth app client, as the hosted-page tests use them, and the
authorization-code helpers (PKCE, the /oauth2/authorize URL, the classic sign-in form
replayed as scripts do it, the code swap)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from .names import PASSWORD, unique

CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')
CALLBACK = "https://app.example/callback"
LOGOUT = "https://app.example/signed-out"


@dataclass(frozen=True)
class HostedApp:
    base_url: str  # the server's
    pool_id: str
    client_id: str
    client_secret: str | None
    domain: str
    callback: str = CALLBACK
    logout: str = LOGOUT

    @property
    def url(self) -> str:
        """The domain's endpoints, reached by path (no DNS)."""
        return f"{self.base_url}/_domain/{self.domain}"

    def authorize_url(self, **params: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.callback,
            "scope": "openid email profile",
            **params,
        }
        return f"{self.url}/oauth2/authorize?{urlencode(query)}"

    def swap_code(self, code: str, verifier: str | None) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.client_id,
            "redirect_uri": self.callback,
        }
        if verifier is not None:
            data["code_verifier"] = verifier
        auth = (self.client_id, self.client_secret) if self.client_secret else None
        return httpx.post(f"{self.url}/oauth2/token", data=data, auth=auth, timeout=10)


@dataclass(frozen=True)
class Pkce:
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(64))

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def params(self) -> dict[str, str]:
        return {"code_challenge": self.challenge, "code_challenge_method": "S256"}


def make_hosted_app(
    cognito: Any,
    base_url: str,
    pool_id: str,
    *,
    secret: bool = False,
    callback: str = CALLBACK,
    logout: str = LOGOUT,
    **client: Any,
) -> HostedApp:
    """An OAuth client (code and implicit, the standard scopes, `callback` and `logout`)
    of `pool_id`, and a new prefix domain for the pool."""
    settings: dict[str, Any] = {
        "ClientName": unique("web"),
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code", "implicit"],
        "AllowedOAuthScopes": ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
        "CallbackURLs": [callback],
        "LogoutURLs": [logout],
        "SupportedIdentityProviders": ["COGNITO"],
        **client,
    }
    if secret:
        settings["GenerateSecret"] = True
    made = cognito.create_user_pool_client(UserPoolId=pool_id, **settings)["UserPoolClient"]
    domain = unique("auth").lower().replace("_", "-")[:40]
    cognito.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    secret_value = made.get("ClientSecret")
    return HostedApp(base_url, pool_id, made["ClientId"], secret_value, domain, callback, logout)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def fragment_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}


def login_form(browser: httpx.Client, hosted: HostedApp, **params: str) -> tuple[str, str]:
    """/oauth2/authorize -> /login; the form's action and its _csrf value."""
    answer = browser.get(hosted.authorize_url(**params))
    assert answer.status_code == 302, answer.text
    login_url = answer.headers["location"]
    assert login_url.startswith(f"{hosted.url}/login?"), login_url
    page = browser.get(login_url)
    assert page.status_code == 200
    assert 'name="cognitoSignInForm"' in page.text
    csrf = CSRF_RE.search(page.text)
    assert csrf is not None
    assert browser.cookies.get("XSRF-TOKEN") == csrf.group(1)
    return login_url, csrf.group(1)


def sign_in(
    browser: httpx.Client, hosted: HostedApp, username: str, password: str = PASSWORD, **params: str
) -> httpx.Response:
    """The classic form posted with its _csrf and cookies, as a browser would."""
    action, csrf = login_form(browser, hosted, **params)
    form = {"_csrf": csrf, "username": username, "password": password, "cognitoAsfData": ""}
    return browser.post(action, data=form)


def code_for(hosted: HostedApp, username: str, password: str = PASSWORD, **params: str) -> str:
    """An authorization code as a user gets it: /oauth2/authorize with `params` (scope,
    nonce, code_challenge, resource, ...), the sign-in form, the redirect to the app."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        answer = sign_in(browser, hosted, username, password, **params)
    assert answer.status_code == 302, answer.text
    back = answer.headers["location"]
    assert back.startswith(f"{hosted.callback}?"), back
    return query_of(back)["code"]
