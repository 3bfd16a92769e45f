"""The hosted pages' sign-in and its state, with a clock the test moves: the same rules
as the API (lockout, no ExplicitAuthFlows), no tokens at the end, the `cognito` session
(one hour from the sign-in, not extended by reuse, ended by /logout on any node), and the
5-minute limit of a sign-in left between pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from recognito import errors
from recognito.crypto.secrets import digest
from recognito.domain.lockout import LOCKED_OUT
from recognito.service.lookups import find_user
from recognito.signin import hosted
from recognito.store.housekeeping import purge_expired
from recognito.store.tables import grants
from recognito.web import browser
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


@pytest.fixture
def parties(service: Service) -> tuple[Any, Any, Any]:
    """A pool, a client that allows no API sign-in flow at all, and a user."""
    pool_id = service("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    client_id = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    service("AdminCreateUser", UserPoolId=pool_id, Username="ana", MessageAction="SUPPRESS")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ana",
        Password=PASSWORD,
        Permanent=True,
    )
    with service.services.store.read() as tx:
        pool, client = tx.pools.get(pool_id), tx.clients.get(client_id)
        assert pool is not None
        user = find_user(tx, pool, "ana")
    return pool, client, user


def test_a_hosted_sign_in_ends_signed_in_without_tokens(
    service: Service, parties: tuple[Any, Any, Any]
) -> None:
    pool, client, user = parties
    step = hosted.sign_in(service.services, pool, client, "ana", PASSWORD)
    assert step.signed_in and step.username == "ana"
    with service.services.store.read() as tx:  # no refresh token was issued
        count = select(func.count()).select_from(grants).where(grants.c.user_id == user.id)
        assert tx.conn.execute(count).scalar_one() == 0


def test_a_hosted_sign_in_is_locked_out_as_the_api_is(
    service: Service, parties: tuple[Any, Any, Any]
) -> None:
    pool, client, _ = parties
    for _ in range(5):
        with pytest.raises(errors.NotAuthorizedException):
            hosted.sign_in(service.services, pool, client, "ana", "Wrong-pass1!")
    with pytest.raises(errors.NotAuthorizedException) as locked:
        hosted.sign_in(service.services, pool, client, "ana", PASSWORD)
    assert locked.value.message == LOCKED_OUT


def _request(cookie: str | None = None) -> Request:
    headers = [(b"cookie", f"{browser.SESSION_COOKIE}={cookie}".encode())] if cookie else []
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/login",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "server": ("127.0.0.1", 9229),
    }
    return Request(scope)


def _session_cookie(response: Response) -> str:
    for key, value in response.raw_headers:
        if key == b"set-cookie" and value.startswith(f"{browser.SESSION_COOKIE}=".encode()):
            return value.decode().split(";")[0].split("=", 1)[1]
    raise AssertionError("no session cookie")


def test_the_session_lasts_an_hour_from_the_sign_in_and_reuse_does_not_extend_it(
    service: Service, parties: tuple[Any, Any, Any]
) -> None:
    pool, client, user = parties
    svc, clock = service.services, service.clock
    response = Response()
    signed_in_at = int(clock.now())
    opened = browser.open_session(svc, _request(), pool.id, user, signed_in_at, client.id)
    browser.keep_session(svc, _request(), response, opened)
    token = _session_cookie(response)
    assert opened.session_id.startswith("sso") and len(opened.session_id) == 28
    clock.advance(3599)
    found = browser.current_session(svc, _request(token), pool.id)
    assert found == (user, signed_in_at, opened.session_id)
    assert browser.current_session(svc, _request(token), "us-east-1_other") is None
    clock.advance(1)
    assert browser.current_session(svc, _request(token), pool.id) is None
    clock.advance(1)  # past its end, housekeeping deletes it
    purge_expired(svc.store, clock.now())
    with svc.store.read() as tx:
        assert tx.browser_sessions.get(_digest(svc, token)) is None


def test_logout_ends_the_session_in_the_store(
    service: Service, parties: tuple[Any, Any, Any]
) -> None:
    pool, client, user = parties
    svc = service.services
    response = Response()
    now = int(service.clock.now())
    opened = browser.open_session(svc, _request(), pool.id, user, now, client.id)
    browser.keep_session(svc, _request(), response, opened)
    token = _session_cookie(response)
    browser.end_session(svc, _request(token))
    assert browser.current_session(svc, _request(token), pool.id) is None


def test_a_sign_in_left_between_pages_lasts_five_minutes(service: Service) -> None:
    key = service.services.secret_key
    started = service.clock.now()
    step = hosted.Step("ana", "SOFTWARE_TOKEN_MFA", "handle", {"USER_ID_FOR_SRP": "ana"})
    sealed = browser.seal_pending(key, browser.Pending(step, started))
    assert browser.open_pending(key, sealed, started + 300) == browser.Pending(step, started)
    assert browser.open_pending(key, sealed, started + 301) is None
    assert browser.open_pending(key, sealed[:-4] + "AAAA", started) is None
    assert browser.open_pending(b"another key" * 3, sealed, started) is None


def _digest(svc: Any, token: str) -> str:
    return digest(svc.secret_key, token)
