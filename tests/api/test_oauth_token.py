"""The token plane over HTTP against a real server (reference §6–§8, §11): Authlib's
OAuth 2.0 client redeems codes, refreshes, reads userInfo, revokes and gets
client_credentials tokens, every token checked against the pool's JWKS; and each error
of §6.5, userInfo's and revoke's, at least once.

Every code comes from the real /oauth2/authorize and the classic sign-in form, replayed
over HTTP (tests/api/support/hosted.py); what a browser cannot ask for (a code of a client
that later loses the code flow or its read rights) is reached as a deployment would, by
changing the client with UpdateUserPoolClient before the code is redeemed."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash

from tests.api.support.hosted import HostedApp, code_for
from tests.api.support.names import unique
from tests.api.support.records import App, MakeClient, MakePool, MakeUser, User
from tests.api.support.server import ServerProcess
from tests.api.support.tokens import fetch_jwks, verify_jwt

REDIRECT = "https://app.example.com/callback"
USER_SCOPES = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]
API = "https://api.example.com"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
USERINFO_REFUSED = (
    'error="invalid_token", error_description="Access token is expired, disabled, or '
    'deleted, or the user has globally signed out."'
)


@dataclass(frozen=True)
class Domain:
    server: ServerProcess
    pool_id: str
    prefix: str
    user: User
    web: App  # public, code flow
    confidential: App  # with a secret, code flow

    @property
    def base(self) -> str:
        """The domain's endpoints live under this URL."""
        return f"{self.server.base_url}/_domain/{self.prefix}"

    @property
    def token_url(self) -> str:
        return f"{self.base}/oauth2/token"

    @property
    def issuer(self) -> str:
        return f"{self.server.base_url}/{self.pool_id}"

    def code(
        self,
        app: App,
        *,
        scope: str = "openid email aws.cognito.signin.user.admin",
        challenge: str | None = None,
        **params: str,
    ) -> str:
        """A code from /oauth2/authorize after the user signs in on the form (with a
        fresh nonce unless `params` names one; PKCE when `challenge` is given)."""
        hosted = HostedApp(
            self.server.base_url, self.pool_id, app.client_id, app.secret, self.prefix, REDIRECT
        )
        extra = {"nonce": "nonce-" + secrets.token_urlsafe(8), **params}
        if challenge is not None:
            extra |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return code_for(hosted, self.user.username, self.user.password, scope=scope, **extra)


@pytest.fixture
def domain(
    server: ServerProcess,
    cognito: Any,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> Domain:
    pool_id = make_pool()
    prefix = unique("auth")
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    user_flows: dict[str, Any] = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": USER_SCOPES,
        "CallbackURLs": [REDIRECT],
        "SupportedIdentityProviders": ["COGNITO"],
    }
    return Domain(
        server=server,
        pool_id=pool_id,
        prefix=prefix,
        user=make_user(
            pool_id, email="ana@example.com", phone="+15550100", attributes={"name": "Ana"}
        ),
        web=make_client(pool_id, **user_flows),
        confidential=make_client(pool_id, secret=True, **user_flows),
    )


@pytest.fixture
def machine(domain: Domain, cognito: Any, make_client: MakeClient) -> App:
    """A client_credentials client with the two scopes of a resource server."""
    cognito.create_resource_server(
        UserPoolId=domain.pool_id,
        Identifier=API,
        Name="api",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "read"},
            {"ScopeName": "write", "ScopeDescription": "write"},
        ],
    )
    return make_client(
        domain.pool_id,
        secret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read", f"{API}/write"],
    )


def _until_the_clock_passes(second: int) -> None:
    """Waits (under a second) for the wall clock to leave `second`: the server's clock
    cannot be set from outside, and an auth_time kept from sign-in must differ from now."""
    deadline = time.monotonic() + 2
    while int(time.time()) <= second and time.monotonic() < deadline:
        time.sleep(0.05)
    assert int(time.time()) > second


def _post(url: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
    return httpx.post(url, data=data, timeout=10.0, **kwargs)


def _refused(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] == error, body
    return body


# ---- what a relying party sees ---------------------------------------------------------


def test_authlib_redeems_a_pkce_code_and_every_token_verifies(domain: Domain) -> None:
    verifier = secrets.token_urlsafe(64)
    nonce = "n-" + secrets.token_urlsafe(12)
    code = domain.code(domain.web, challenge=create_s256_code_challenge(verifier), nonce=nonce)
    session = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    token = session.fetch_token(domain.token_url, code=code, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert {"access_token", "id_token", "refresh_token"} <= set(token)

    jwks = fetch_jwks(domain.server.base_url, domain.pool_id)
    _, identity = verify_jwt(token["id_token"], jwks, domain.issuer)
    assert identity["aud"] == domain.web.client_id and identity["token_use"] == "id"
    assert identity["nonce"] == nonce
    assert identity["at_hash"] == create_half_hash(token["access_token"], "RS256").decode()
    assert identity["email"] == "ana@example.com"
    assert "phone_number" not in identity and "name" not in identity  # scope email only
    _, access = verify_jwt(token["access_token"], jwks, domain.issuer)
    assert access["scope"] == "openid email aws.cognito.signin.user.admin"
    assert access["version"] == 2 and access["username"] == domain.user.username
    assert access["client_id"] == domain.web.client_id and "aud" not in access


def test_a_relying_party_finds_every_endpoint_through_discovery(domain: Domain) -> None:
    """Authlib as an OIDC client configured by the issuer alone: the discovery document
    names the endpoints it then uses, and the keys that verify what they answer."""
    config = httpx.get(f"{domain.issuer}/.well-known/openid-configuration", timeout=10.0).json()
    assert config["issuer"] == domain.issuer
    jwks = httpx.get(config["jwks_uri"], timeout=10.0).json()
    verifier = secrets.token_urlsafe(64)
    session = OAuth2Session(
        domain.confidential.client_id,
        domain.confidential.secret,
        redirect_uri=REDIRECT,
        revocation_endpoint=config["revocation_endpoint"],
    )
    code = domain.code(domain.confidential, challenge=create_s256_code_challenge(verifier))
    token = session.fetch_token(config["token_endpoint"], code=code, code_verifier=verifier)
    _, identity = verify_jwt(token["id_token"], jwks, config["issuer"])
    assert identity["aud"] == domain.confidential.client_id
    info = session.get(config["userinfo_endpoint"]).json()
    assert info["sub"] == identity["sub"]
    refreshed = session.refresh_token(
        config["token_endpoint"], refresh_token=token["refresh_token"]
    )
    assert verify_jwt(refreshed["access_token"], jwks, config["issuer"])[1]["sub"] == info["sub"]
    assert session.revoke_token(config["revocation_endpoint"], token["refresh_token"]).ok
    assert session.get(config["userinfo_endpoint"]).status_code == 401


def test_the_token_endpoint_answers_at_cognitos_path_on_the_domain_host(domain: Domain) -> None:
    prefix = domain.prefix
    region = domain.pool_id.split("_")[0]
    host = f"{prefix}.auth.{region}.amazoncognito.com"
    response = _post(
        f"{domain.server.base_url}/oauth2/token",
        {
            "grant_type": "authorization_code",
            "client_id": domain.web.client_id,
            "code": domain.code(domain.web),
            "redirect_uri": REDIRECT,
        },
        headers={"Host": host},
    )
    assert response.status_code == 200, response.text
    assert {"access_token", "id_token", "refresh_token"} <= set(response.json())


def test_client_secret_basic_and_post_both_authenticate(domain: Domain) -> None:
    app = domain.confidential
    basic = OAuth2Session(app.client_id, app.secret, redirect_uri=REDIRECT)
    assert "access_token" in basic.fetch_token(domain.token_url, code=domain.code(app))
    post = OAuth2Session(
        app.client_id,
        app.secret,
        redirect_uri=REDIRECT,
        token_endpoint_auth_method="client_secret_post",
    )
    assert "access_token" in post.fetch_token(domain.token_url, code=domain.code(app))


def test_basic_credentials_form_url_encoded_first_are_accepted(domain: Domain) -> None:
    """RFC 6749 §2.3.1 form-url-encodes id and secret before base64 (most clients do not,
    and Cognito's ids and secrets read the same either way): a secret sent %-escaped
    authenticates as well as one sent as it is."""
    app = domain.confidential
    assert app.secret is not None
    encoded = "".join(f"%{ord(c):02X}" for c in app.secret)
    credentials = base64.b64encode(f"{app.client_id}:{encoded}".encode()).decode()
    response = _post(
        domain.token_url,
        {"grant_type": "authorization_code", "code": domain.code(app), "redirect_uri": REDIRECT},
        headers={"Authorization": f"Basic {credentials}"},
    )
    assert response.status_code == 200, response.text


def test_refresh_keeps_scopes_and_auth_time_and_works_across_the_api(
    domain: Domain, cognito: Any, make_client: MakeClient
) -> None:
    before = int(time.time())
    code = domain.code(domain.web, resource=API)
    signed_in_by = int(time.time())
    _until_the_clock_passes(signed_in_by)  # so a refresh that restamped auth_time shows
    session = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    first = session.fetch_token(domain.token_url, code=code)
    jwks = fetch_jwks(domain.server.base_url, domain.pool_id)
    auth_time = verify_jwt(first["id_token"], jwks, domain.issuer)[1]["auth_time"]
    assert before <= auth_time <= signed_in_by  # the form's sign-in, not the redemption
    refreshed = session.refresh_token(domain.token_url, refresh_token=first["refresh_token"])
    assert "refresh_token" not in refreshed or refreshed["refresh_token"] == first["refresh_token"]
    _, access = verify_jwt(refreshed["access_token"], jwks, domain.issuer)
    assert access["scope"] == "openid email aws.cognito.signin.user.admin"
    assert access["auth_time"] == auth_time and access["aud"] == API
    _, identity = verify_jwt(refreshed["id_token"], jwks, domain.issuer)
    assert identity["auth_time"] == auth_time and "nonce" not in identity

    # the OAuth refresh token works with REFRESH_TOKEN_AUTH ...
    api = cognito.initiate_auth(
        ClientId=domain.web.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["refresh_token"]},
    )["AuthenticationResult"]
    assert verify_jwt(api["AccessToken"], jwks, domain.issuer)[1]["aud"] == API
    # ... and an API sign-in's refresh token at /oauth2/token
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=domain.pool_id,
        ClientId=domain.web.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": domain.user.username, "PASSWORD": domain.user.password},
    )["AuthenticationResult"]
    again = session.refresh_token(domain.token_url, refresh_token=signed_in["RefreshToken"])
    assert verify_jwt(again["access_token"], jwks, domain.issuer)[1]["scope"] == (
        "aws.cognito.signin.user.admin"
    )


def test_userinfo_answers_the_claims_the_scopes_allow(domain: Domain) -> None:
    session = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    token = session.fetch_token(domain.token_url, code=domain.code(domain.web))
    claims = session.get(f"{domain.base}/oauth2/userInfo").json()
    assert claims["email"] == "ana@example.com" and claims["email_verified"] == "true"
    assert claims["username"] == domain.user.username
    assert "phone_number" not in claims and "name" not in claims
    assert (
        claims["sub"]
        == verify_jwt(
            token["access_token"], fetch_jwks(domain.server.base_url, domain.pool_id), domain.issuer
        )[1]["sub"]
    )
    # openid alone: every readable attribute; POST answers as GET does
    alone = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    alone.fetch_token(domain.token_url, code=domain.code(domain.web, scope="openid"))
    everything = alone.post(f"{domain.base}/oauth2/userInfo").json()
    assert everything["name"] == "Ana" and everything["phone_number_verified"] == "true"


def test_revoking_a_refresh_token_ends_everything_minted_from_it(domain: Domain) -> None:
    session = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    token = session.fetch_token(domain.token_url, code=domain.code(domain.web))
    revoked = session.revoke_token(
        f"{domain.base}/oauth2/revoke", token["refresh_token"], token_type_hint="refresh_token"
    )
    assert revoked.status_code == 200 and revoked.content == b""
    again = _post(
        domain.token_url,
        {
            "grant_type": "refresh_token",
            "client_id": domain.web.client_id,
            "refresh_token": token["refresh_token"],
        },
    )
    _refused(again, 400, "invalid_grant")
    userinfo = session.get(f"{domain.base}/oauth2/userInfo")
    assert userinfo.status_code == 401
    assert userinfo.headers["www-authenticate"] == USERINFO_REFUSED


def test_client_credentials_through_authlib(domain: Domain, machine: App) -> None:
    app = machine
    session = OAuth2Session(app.client_id, app.secret, scope=f"{API}/read")
    token = session.fetch_token(domain.token_url, grant_type="client_credentials")
    assert set(token) - {"expires_at"} == {"access_token", "expires_in", "token_type"}
    _, claims = verify_jwt(
        token["access_token"], fetch_jwks(domain.server.base_url, domain.pool_id), domain.issuer
    )
    assert claims["sub"] == claims["client_id"] == app.client_id
    assert claims["scope"] == f"{API}/read" and claims["version"] == 2
    assert claims["token_use"] == "access"
    assert "username" not in claims and "origin_jti" not in claims and "aud" not in claims
    # no scope: all the client's custom scopes; client_secret_post works too
    post = OAuth2Session(app.client_id, app.secret, token_endpoint_auth_method="client_secret_post")
    every = post.fetch_token(domain.token_url, grant_type="client_credentials")
    scopes = verify_jwt(
        every["access_token"], fetch_jwks(domain.server.base_url, domain.pool_id), domain.issuer
    )[1]["scope"]
    assert scopes.split() == [f"{API}/read", f"{API}/write"]


def test_a_deleted_resource_servers_scopes_are_dropped(
    domain: Domain, machine: App, cognito: Any
) -> None:
    cognito.update_resource_server(
        UserPoolId=domain.pool_id,
        Identifier=API,
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )
    app = machine
    session = OAuth2Session(app.client_id, app.secret)
    token = session.fetch_token(domain.token_url, grant_type="client_credentials")
    claims = verify_jwt(
        token["access_token"], fetch_jwks(domain.server.base_url, domain.pool_id), domain.issuer
    )[1]
    assert claims["scope"] == f"{API}/read"
    cognito.delete_resource_server(UserPoolId=domain.pool_id, Identifier=API)
    _refused(
        _post(
            domain.token_url,
            {"grant_type": "client_credentials"},
            auth=(app.client_id, app.secret or ""),
        ),
        400,
        "invalid_scope",
    )


# ---- /oauth2/token errors (§6.5) -------------------------------------------------------


def test_token_answers_headers_that_forbid_caching(domain: Domain, machine: App) -> None:
    app = machine
    ok = _post(
        domain.token_url,
        {"grant_type": "client_credentials"},
        auth=(app.client_id, app.secret or ""),
    )
    refused = _post(domain.token_url, {"grant_type": "client_credentials"})
    for response in (ok, refused):
        assert response.headers["content-type"] == "application/json;charset=UTF-8"
        assert "no-store" in response.headers["cache-control"]
        assert response.headers["access-control-allow-origin"] == "*"
    assert refused.json() == {"error": "invalid_request"}  # no client_id: no description


def test_token_refuses_what_is_not_a_form_post(domain: Domain) -> None:
    as_json = httpx.post(
        domain.token_url,
        json={"grant_type": "client_credentials", "client_id": domain.web.client_id},
        timeout=10.0,
    )
    assert _refused(as_json, 400, "invalid_request") == {"error": "invalid_request"}
    got = httpx.get(domain.token_url, timeout=10.0)
    assert got.status_code == 405 and got.content == b""


def test_token_refuses_missing_duplicated_and_unknown_parameters(domain: Domain) -> None:
    web = domain.web.client_id
    _refused(_post(domain.token_url, {"client_id": web}), 400, "invalid_request")
    duplicated = httpx.post(
        domain.token_url,
        content=f"grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id={web}",
        headers=FORM,
        timeout=10.0,
    )
    _refused(duplicated, 400, "invalid_request")
    _refused(
        _post(domain.token_url, {"grant_type": "password", "client_id": web}),
        400,
        "unsupported_grant_type",
    )
    _refused(
        _post(domain.token_url, {"grant_type": "refresh_token", "client_id": web}),
        400,
        "invalid_request",
    )


def test_token_refuses_clients_that_do_not_authenticate(
    domain: Domain, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = domain.confidential
    code = {"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT}
    cases: list[tuple[dict[str, str], tuple[str, str] | None]] = [
        ({**code, "client_id": "nosuchclient"}, None),  # unknown
        ({**code, "client_id": app.client_id}, None),  # a secret is required
        ({**code, "client_id": app.client_id, "client_secret": "wrong"}, None),
        (code, (app.client_id, "wrong")),  # wrong, by Basic
        ({**code, "client_id": domain.web.client_id, "client_secret": "any"}, None),  # public
    ]
    other_pool = make_pool()
    other = make_client(other_pool, AllowedOAuthFlowsUserPoolClient=False)
    cases.append(({**code, "client_id": other.client_id}, None))  # another pool's client
    for data, auth in cases:
        response = (
            _post(domain.token_url, data, auth=auth) if auth else _post(domain.token_url, data)
        )
        assert _refused(response, 400, "invalid_client") == {"error": "invalid_client"}, data


def test_code_grant_errors(domain: Domain, cognito: Any, make_client: MakeClient) -> None:
    web = domain.web.client_id
    verifier = secrets.token_urlsafe(48)

    def redeem(code: str, **extra: str) -> httpx.Response:
        data = {"grant_type": "authorization_code", "client_id": web, "code": code}
        return _post(domain.token_url, {"redirect_uri": REDIRECT, **data, **extra})

    _refused(redeem("9f3a4c55-0000-4000-8000-000000000000"), 400, "invalid_grant")
    used = domain.code(domain.web)
    assert redeem(used).status_code == 200
    _refused(redeem(used), 400, "invalid_grant")  # single use
    pkce = domain.code(domain.web, challenge=create_s256_code_challenge(verifier))
    _refused(redeem(pkce), 400, "invalid_grant")  # no verifier
    _refused(redeem(pkce, code_verifier=verifier[::-1]), 400, "invalid_grant")
    mismatch = _refused(redeem(pkce, redirect_uri=REDIRECT + "/"), 400, "unauthorized_client")
    assert mismatch["error_description"] == "invalid_redirect"
    assert redeem(pkce, code_verifier=verifier).status_code == 200  # refusals spent nothing

    # a code of a client that loses the code flow before redeeming it: the token endpoint
    # reads the client as it is at redemption
    oauth = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": ["openid"],
        "CallbackURLs": [REDIRECT],
        "SupportedIdentityProviders": ["COGNITO"],
    }
    implicit_only = make_client(domain.pool_id, AllowedOAuthFlows=["code", "implicit"], **oauth)
    foreign = domain.code(implicit_only, scope="openid")
    cognito.update_user_pool_client(
        UserPoolId=domain.pool_id,
        ClientId=implicit_only.client_id,
        AllowedOAuthFlows=["implicit"],
        **oauth,
    )
    refused = _post(
        domain.token_url,
        {
            "grant_type": "authorization_code",
            "client_id": implicit_only.client_id,
            "code": foreign,
            "redirect_uri": REDIRECT,
        },
    )
    _refused(refused, 400, "unauthorized_client")


def test_a_client_that_cannot_read_what_its_scopes_show_gets_invalid_grant(
    domain: Domain, make_client: MakeClient
) -> None:
    reads_email_only = make_client(
        domain.pool_id,
        ReadAttributes=["email"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[REDIRECT],
        SupportedIdentityProviders=["COGNITO"],
    )
    code = domain.code(reads_email_only, scope="openid email")
    data = {
        "grant_type": "authorization_code",
        "client_id": reads_email_only.client_id,
        "code": code,
        "redirect_uri": REDIRECT,
    }
    _refused(_post(domain.token_url, data), 400, "invalid_grant")


def test_browser_apps_get_their_cors_preflight_answered(domain: Domain) -> None:
    for path in ("token", "userInfo", "revoke"):
        preflight = httpx.options(
            f"{domain.base}/oauth2/{path}",
            headers={
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
            timeout=10.0,
        )
        assert preflight.status_code == 204, path
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "Authorization" in preflight.headers["access-control-allow-headers"]


def test_refresh_grant_errors(domain: Domain, make_client: MakeClient) -> None:
    web = domain.web.client_id
    data = {"grant_type": "refresh_token", "client_id": web}
    _refused(
        _post(domain.token_url, {**data, "refresh_token": "not-a-token"}), 400, "invalid_grant"
    )
    # another client's refresh token
    other = OAuth2Session(
        domain.confidential.client_id, domain.confidential.secret, redirect_uri=REDIRECT
    )
    theirs = other.fetch_token(domain.token_url, code=domain.code(domain.confidential))
    _refused(
        _post(domain.token_url, {**data, "refresh_token": theirs["refresh_token"]}),
        400,
        "invalid_grant",
    )
    no_refresh = make_client(domain.pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])
    _refused(
        _post(
            domain.token_url,
            {
                "grant_type": "refresh_token",
                "client_id": no_refresh.client_id,
                "refresh_token": "x",
            },
        ),
        400,
        "unauthorized_client",
    )


def test_client_credentials_errors(domain: Domain, machine: App) -> None:
    grant = {"grant_type": "client_credentials"}
    basic = (machine.client_id, machine.secret or "")
    _refused(
        _post(domain.token_url, {**grant, "scope": "openid"}, auth=basic), 400, "invalid_scope"
    )
    _refused(
        _post(domain.token_url, {**grant, "scope": f"{API}/admin"}, auth=basic),
        400,
        "invalid_scope",
    )
    confidential = (domain.confidential.client_id, domain.confidential.secret or "")
    _refused(_post(domain.token_url, grant, auth=confidential), 400, "unauthorized_client")
    _refused(
        _post(domain.token_url, {**grant, "client_id": domain.web.client_id}),
        400,
        "invalid_client",
    )
    _refused(
        _post(domain.token_url, {**grant, "aws_client_metadata": "{not json"}, auth=basic),
        400,
        "invalid_request",
    )


# ---- userInfo and revoke errors (§7, §8) -----------------------------------------------


@pytest.fixture
def signed_in(domain: Domain) -> Iterator[dict[str, Any]]:
    session = OAuth2Session(domain.web.client_id, redirect_uri=REDIRECT)
    yield session.fetch_token(domain.token_url, code=domain.code(domain.web))


def _userinfo(domain: Domain, access_token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
    return httpx.get(f"{domain.base}/oauth2/userInfo", headers=headers, timeout=10.0)


def test_userinfo_errors(domain: Domain, cognito: Any, signed_in: dict[str, Any]) -> None:
    missing = _userinfo(domain, None)
    assert missing.status_code == 400
    assert missing.headers["www-authenticate"] == (
        'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
    )
    garbage = _userinfo(domain, "garbage")
    assert garbage.status_code == 401 and garbage.headers["www-authenticate"] == USERINFO_REFUSED
    api = cognito.admin_initiate_auth(
        UserPoolId=domain.pool_id,
        ClientId=domain.web.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": domain.user.username, "PASSWORD": domain.user.password},
    )["AuthenticationResult"]["AccessToken"]
    no_openid = _userinfo(domain, api)
    assert no_openid.status_code == 401
    assert "Access token does not contain openid scope" in no_openid.headers["www-authenticate"]
    assert _userinfo(domain, signed_in["access_token"]).status_code == 200


@pytest.mark.parametrize("ending", ["disable", "global_sign_out", "delete"])
def test_userinfo_refuses_tokens_of_users_gone_or_signed_out(
    domain: Domain, cognito: Any, signed_in: dict[str, Any], ending: str
) -> None:
    username = {"UserPoolId": domain.pool_id, "Username": domain.user.username}
    {
        "disable": lambda: cognito.admin_disable_user(**username),
        "global_sign_out": lambda: cognito.global_sign_out(AccessToken=signed_in["access_token"]),
        "delete": lambda: cognito.admin_delete_user(**username),
    }[ending]()
    refused = _userinfo(domain, signed_in["access_token"])
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == USERINFO_REFUSED


def test_revoke_errors(
    domain: Domain, cognito: Any, make_client: MakeClient, signed_in: dict[str, Any]
) -> None:
    url = f"{domain.base}/oauth2/revoke"
    web = domain.web.client_id
    _refused(_post(url, {"client_id": web}), 400, "invalid_request")
    _refused(
        _post(url, {"client_id": web, "token": signed_in["access_token"]}),
        400,
        "unsupported_token_type",
    )
    secret = domain.confidential
    _refused(_post(url, {"token": "x"}, auth=(secret.client_id, "wrong")), 401, "invalid_client")
    unknown = _post(url, {"client_id": web, "token": "no-such-token"})
    assert unknown.status_code == 200 and unknown.content == b""
    closed = make_client(domain.pool_id, EnableTokenRevocation=False)
    _refused(_post(url, {"client_id": closed.client_id, "token": "x"}), 400, "invalid_request")
    assert _post(url, {"client_id": web, "token": signed_in["refresh_token"]}).status_code == 200
    assert _post(url, {"client_id": web, "token": signed_in["refresh_token"]}).status_code == 200
