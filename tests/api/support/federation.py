"""Two real servers for the federation tests: the relying party (the pools under test) and
a second `recognito serve` acting as the upstream OIDC identity provider, with the
round trip between them replayed the way a browser makes it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from .hosted import CALLBACK, HostedApp, make_hosted_app, query_of
from .names import PASSWORD, new_email, unique

CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')
SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"]


@dataclass(frozen=True)
class Upstream:
    """The IdP side: its pool, its confidential client calling back to the RP."""

    app: HostedApp
    issuer: str


@dataclass(frozen=True)
class Federation:
    app: HostedApp  # the RP's app client and domain
    provider: str
    upstream: Upstream


@dataclass(frozen=True)
class UpstreamUser:
    username: str
    email: str
    sub: str


def new_federation(
    rp_api: Any,
    rp_url: str,
    idp_api: Any,
    idp_url: str,
    *,
    provider: str = "Upstream",
    mapping: dict[str, str] | None = None,
    identifiers: list[str] | None = None,
    supported: list[str] | None = None,
    wrong_secret: bool = False,
    pool: dict[str, Any] | None = None,
    callback: str = CALLBACK,
) -> Federation:
    """An RP pool with a domain, the IdP's pool and client, the OIDC IdP on the RP, and
    an RP app client supporting it."""
    rp_pool = rp_api.create_user_pool(PoolName=unique("rp"), **(pool or {}))["UserPool"]["Id"]
    domain = unique("rp").lower().replace("_", "-")[:40]
    rp_api.create_user_pool_domain(Domain=domain, UserPoolId=rp_pool)
    idp_pool = idp_api.create_user_pool(PoolName=unique("idp"))["UserPool"]["Id"]
    idp_app = make_hosted_app(
        idp_api,
        idp_url,
        idp_pool,
        secret=True,
        callback=f"{rp_url}/_domain/{domain}/oauth2/idpresponse",
        AllowedOAuthFlows=["code"],
    )
    issuer = f"{idp_url}/{idp_pool}"
    assert idp_app.client_secret is not None
    details = {
        "client_id": idp_app.client_id,
        "client_secret": "not-the-secret" if wrong_secret else idp_app.client_secret,
        "authorize_scopes": "openid email profile",
        "attributes_request_method": "GET",
        "oidc_issuer": issuer,
    }
    rp_api.create_identity_provider(
        UserPoolId=rp_pool,
        ProviderName=provider,
        ProviderType="OIDC",
        ProviderDetails=details,
        AttributeMapping=mapping if mapping is not None else {"email": "email"},
        IdpIdentifiers=identifiers or [],
    )
    client = rp_api.create_user_pool_client(
        UserPoolId=rp_pool,
        ClientName=unique("web"),
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code", "implicit"],
        AllowedOAuthScopes=SCOPES,
        CallbackURLs=[callback],
        SupportedIdentityProviders=supported or ["COGNITO", provider],
    )["UserPoolClient"]
    app = HostedApp(rp_url, rp_pool, client["ClientId"], None, domain, callback)
    return Federation(app, provider, Upstream(idp_app, issuer))


def upstream_user(idp_api: Any, federation: Federation, name: str | None = None) -> UpstreamUser:
    pool_id = federation.upstream.app.pool_id
    username, email = unique("idpuser"), new_email()
    attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    if name is not None:
        attributes.append({"Name": "name", "Value": name})
    idp_api.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    idp_api.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    found = idp_api.admin_get_user(UserPoolId=pool_id, Username=username)
    sub = next(a["Value"] for a in found["UserAttributes"] if a["Name"] == "sub")
    return UpstreamUser(username, email, sub)


def to_upstream(browser: httpx.Client, federation: Federation, **params: str) -> str:
    """/oauth2/authorize on the RP with identity_provider: the IdP's authorize URL."""
    params.setdefault("identity_provider", federation.provider)
    answer = browser.get(federation.app.authorize_url(**params))
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def upstream_sign_in(browser: httpx.Client, authorize_url: str, user: UpstreamUser) -> str:
    """The IdP's pages (authorize, its classic form): the RP's /oauth2/idpresponse URL."""
    answer = browser.get(authorize_url)
    assert answer.status_code == 302, answer.text
    page = browser.get(answer.headers["location"])
    assert page.status_code == 200, page.text
    csrf = CSRF_RE.search(page.text)
    assert csrf is not None
    form = {"_csrf": csrf.group(1), "username": user.username, "password": PASSWORD}
    posted = browser.post(str(page.url), data=form)
    assert posted.status_code == 302, posted.text
    return posted.headers["location"]


def federated_sign_in(
    browser: httpx.Client, federation: Federation, user: UpstreamUser, **params: str
) -> httpx.Response:
    """The whole round trip: the RP's answer to /oauth2/idpresponse (a 302 to the app)."""
    back = upstream_sign_in(browser, to_upstream(browser, federation, **params), user)
    assert back.startswith(f"{federation.app.url}/oauth2/idpresponse?"), back
    return browser.get(back)


def code_of(answer: httpx.Response, federation: Federation) -> str:
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{federation.app.callback}?"), location
    fields = query_of(location)
    assert "error" not in fields, fields
    return fields["code"]
