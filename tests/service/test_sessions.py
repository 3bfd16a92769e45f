"""Refresh-token rotation and user sessions on both stores, with a clock the test moves:
the grace period of a rotated-out token, the session's fixed end, the MaxPerUser rule
(least recently used first), and one winner among concurrent rotations."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select
from starlette.requests import Request

from recognito import errors
from recognito.domain import sessions
from recognito.domain.records import User
from recognito.service import user_sessions
from recognito.service.lookups import find_user
from recognito.signin import oauth
from recognito.store.db import MIGRATIONS
from recognito.store.tables import grants
from recognito.web import browser
from recognito.web.authorize import Authorization, freshly_signed_in
from tests.service.conftest import Service, race

PASSWORD = "Perm4nent!pass"


def _client(service: Service, pool_id: str, **settings: Any) -> str:
    client_id: str = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="rotating",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **settings,
    )["UserPoolClient"]["ClientId"]
    return client_id


def _rotating(service: Service, pool_id: str, grace: int) -> str:
    rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": grace}
    return _client(service, pool_id, RefreshTokenRotation=rotation)


def _user(service: Service, pool_id: str, name: str = "ana") -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username=name,
        UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        MessageAction="SUPPRESS",
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username=name,
        Password=PASSWORD,
        Permanent=True,
    )


def _sign_in(service: Service, client_id: str, name: str = "ana") -> dict[str, Any]:
    result: dict[str, Any] = service(
        "InitiateAuth",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return result


def _refresh(service: Service, client_id: str, token: str) -> dict[str, Any]:
    result: dict[str, Any] = service(
        "GetTokensFromRefreshToken", ClientId=client_id, RefreshToken=token
    )["AuthenticationResult"]
    return result


def _tracking(service: Service, pool_id: str, max_per_user: int) -> None:
    service(
        "SetUserPoolSessionConfiguration",
        UserPoolId=pool_id,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": max_per_user},
    )


def test_a_rotated_out_token_works_for_the_grace_period_then_is_refused_as_reused(
    service: Service, pool: dict[str, Any]
) -> None:
    client_id = _rotating(service, pool["pool_id"], grace=10)
    _user(service, pool["pool_id"])
    first = _sign_in(service, client_id)["RefreshToken"]
    second = _refresh(service, client_id, first)["RefreshToken"]
    assert second != first
    service.clock.advance(9)
    retried = _refresh(service, client_id, first)  # a client's retry, inside the grace
    assert retried["RefreshToken"] not in (first, second)
    service.clock.advance(1)
    with pytest.raises(errors.RefreshTokenReuseException) as reused:
        _refresh(service, client_id, first)
    assert reused.value.message == sessions.TOKEN_REUSED
    # the retry rotated `second` out too, 1 s ago: still inside its own grace
    assert "AccessToken" in _refresh(service, client_id, second)
    third = _refresh(service, client_id, retried["RefreshToken"])["RefreshToken"]
    assert "AccessToken" in _refresh(service, client_id, third)


def test_without_a_grace_period_the_rotated_out_token_is_refused_at_once(
    service: Service, pool: dict[str, Any]
) -> None:
    client_id = _rotating(service, pool["pool_id"], grace=0)
    _user(service, pool["pool_id"])
    first = _sign_in(service, client_id)["RefreshToken"]
    _refresh(service, client_id, first)
    with pytest.raises(errors.RefreshTokenReuseException):
        _refresh(service, client_id, first)


def test_a_rotated_in_token_ends_when_the_session_it_continues_ends(
    service: Service, pool: dict[str, Any]
) -> None:
    client_id = _rotating(service, pool["pool_id"], grace=0)
    _user(service, pool["pool_id"])
    signed_in = _sign_in(service, client_id)
    service.clock.advance(29 * 86400)
    latest = _refresh(service, client_id, signed_in["RefreshToken"])["RefreshToken"]
    service.clock.advance(86400 + 1)  # past the 30 days of the first sign-in
    with pytest.raises(errors.NotAuthorizedException) as expired:
        _refresh(service, client_id, latest)
    assert expired.value.message == "Refresh Token has expired"


def test_without_rotation_a_refresh_hands_out_no_refresh_token_and_the_old_one_stays(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool["pool_id"])
    token = _sign_in(service, pool["client_id"])["RefreshToken"]
    assert "RefreshToken" not in _refresh(service, pool["client_id"], token)
    assert "AccessToken" in _refresh(service, pool["client_id"], token)


def test_refresh_token_auth_is_refused_for_a_rotating_client(
    service: Service, pool: dict[str, Any]
) -> None:
    client_id = _rotating(service, pool["pool_id"], grace=0)
    _user(service, pool["pool_id"])
    token = _sign_in(service, client_id)["RefreshToken"]
    with pytest.raises(errors.InvalidParameterException) as refused:
        service(
            "InitiateAuth",
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": token},
        )
    assert refused.value.message == sessions.ROTATION_ON


def test_only_one_of_concurrent_rotations_of_one_token_wins(
    service: Service, pool: dict[str, Any]
) -> None:
    client_id = _rotating(service, pool["pool_id"], grace=0)
    _user(service, pool["pool_id"])
    token = _sign_in(service, client_id)["RefreshToken"]
    outcomes = race(lambda: _refresh(service, client_id, token))
    assert outcomes["ok"] == 1, outcomes
    assert outcomes[f"RefreshTokenReuseException: {sessions.TOKEN_REUSED}"] == 99, outcomes


def _active(service: Service, pool_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = service(
        "AdminListUserSessions", UserPoolId=pool_id, Username="ana"
    )["Sessions"]
    return found


def test_a_sign_in_beyond_max_per_user_evicts_the_least_recently_used_session(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=2)
    _user(service, pool["pool_id"])
    client_id = pool["client_id"]
    first = _sign_in(service, client_id)
    service.clock.advance(60)
    second = _sign_in(service, client_id)
    service.clock.advance(60)
    _refresh(service, client_id, first["RefreshToken"])  # the first is used again
    service.clock.advance(60)
    third = _sign_in(service, client_id)
    with pytest.raises(errors.NotAuthorizedException) as revoked:
        _refresh(service, client_id, second["RefreshToken"])
    assert revoked.value.message == "Refresh Token has been revoked"
    with pytest.raises(errors.NotAuthorizedException) as access:
        service("GetUser", AccessToken=second["AccessToken"])
    assert access.value.message == "Access Token has been revoked"
    listed = _active(service, pool["pool_id"])
    assert len(listed) == 2
    assert [s["CreateDate"] for s in listed] == sorted(
        (s["CreateDate"] for s in listed), reverse=True
    )
    assert service("GetUser", AccessToken=third["AccessToken"])["Username"] == "ana"
    assert service("GetUser", AccessToken=first["AccessToken"])["Username"] == "ana"


def test_lowering_the_limit_evicts_nothing_until_the_next_sign_in(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=5)
    _user(service, pool["pool_id"])
    for _ in range(4):
        _sign_in(service, pool["client_id"])
        service.clock.advance(1)
    _tracking(service, pool["pool_id"], max_per_user=2)
    assert len(_active(service, pool["pool_id"])) == 4
    _sign_in(service, pool["client_id"])
    assert len(_active(service, pool["pool_id"])) == 2


def test_without_tracking_no_session_is_evicted_and_none_is_listed(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool["pool_id"])
    tokens = [_sign_in(service, pool["client_id"]) for _ in range(3)]
    service(
        "SetUserPoolSessionConfiguration",
        UserPoolId=pool["pool_id"],
        UserSessionTracking="DISABLED",
        TokenSession={"MaxPerUser": 1},
    )
    _sign_in(service, pool["client_id"])
    for signed_in in tokens:
        assert "AccessToken" in _refresh(service, pool["client_id"], signed_in["RefreshToken"])
    with pytest.raises(errors.OperationNotEnabledException) as off:
        _active(service, pool["pool_id"])
    assert off.value.message == sessions.TRACKING_OFF


def test_a_refresh_makes_the_session_last_active_then(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    began = service.clock.now()
    signed_in = _sign_in(service, pool["client_id"])
    service.clock.advance(300)
    _refresh(service, pool["client_id"], signed_in["RefreshToken"])
    (listed,) = _active(service, pool["pool_id"])
    assert listed["CreateDate"] == began
    assert listed["LastActiveDate"] == began + 300


# -- SSO sessions: the hosted pages' browser sessions ------------------------------
REDIRECT = "https://app.example.com/callback"


def _browser_request() -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": "/login",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "server": ("127.0.0.1", 9229),
    }
    return Request(scope)


def _hosted_sign_in(service: Service, pool: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A sign-in on the hosted pages (an SSO session) and the tokens of the code it gave."""
    svc = service.services
    with svc.store.read() as tx:
        found_pool, client = tx.pools.get(pool["pool_id"]), tx.clients.get(pool["client_id"])
        assert found_pool is not None and client is not None
        user = find_user(tx, found_pool, "ana")
    assert user is not None
    now = int(service.clock.now())
    opened = browser.open_session(svc, _browser_request(), found_pool.id, user, now, client.id)
    grant = oauth.CodeGrant(
        pool_id=found_pool.id,
        client_id=client.id,
        username="ana",
        redirect_uri=REDIRECT,
        scopes=("openid", "aws.cognito.signin.user.admin"),
        nonce=None,
        code_challenge=None,
        auth_time=now,
        sso_session_id=opened.session_id,
    )
    code = oauth.issue_code(svc, grant)
    return opened.session_id, oauth.redeem_code(svc, found_pool, client, code, REDIRECT, None)


def test_a_hosted_sign_in_is_an_sso_session_its_token_session_came_through(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    sso_id, _ = _hosted_sign_in(service, pool)
    by_type = {s["SessionType"]: s for s in _active(service, pool["pool_id"])}
    assert by_type["SSO"]["SessionId"] == sso_id and sso_id.startswith("sso")
    assert by_type["SSO"]["ClientId"] == pool["client_id"]
    assert by_type["TOKEN"]["OriginSessionId"] == sso_id


@pytest.mark.parametrize("linked", [True, False])
def test_revoking_a_token_session_linked_also_ends_its_sso_session(
    service: Service, pool: dict[str, Any], linked: bool
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    sso_id, tokens = _hosted_sign_in(service, pool)
    (token_session,) = [s for s in _active(service, pool["pool_id"]) if s["SessionType"] == "TOKEN"]
    service(
        "AdminRevokeUserSession",
        UserPoolId=pool["pool_id"],
        Username="ana",
        SessionId=token_session["SessionId"],
        RevokeAssociatedSessions="LINKED" if linked else "NONE",
    )
    left = [s["SessionId"] for s in _active(service, pool["pool_id"])]
    assert left == ([] if linked else [sso_id])
    with pytest.raises(errors.NotAuthorizedException):
        _refresh(service, pool["client_id"], str(tokens["refresh_token"]))


def test_revoking_an_sso_session_linked_revokes_the_token_sessions_that_came_through_it(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    sso_id, tokens = _hosted_sign_in(service, pool)
    api = _sign_in(service, pool["client_id"])  # an API sign-in: no SSO session behind it
    service(
        "AdminRevokeUserSession",
        UserPoolId=pool["pool_id"],
        Username="ana",
        SessionId=sso_id,
        RevokeAssociatedSessions="LINKED",
    )
    with pytest.raises(errors.NotAuthorizedException) as revoked:
        _refresh(service, pool["client_id"], str(tokens["refresh_token"]))
    assert revoked.value.message == "Refresh Token has been revoked"
    assert "AccessToken" in _refresh(service, pool["client_id"], api["RefreshToken"])
    assert [s["SessionType"] for s in _active(service, pool["pool_id"])] == ["TOKEN"]


def test_revoke_token_linked_ends_the_sso_session_and_none_leaves_it(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    for mode, left in (("NONE", ["SSO"]), ("LINKED", [])):
        _, tokens = _hosted_sign_in(service, pool)
        service(
            "RevokeToken",
            Token=str(tokens["refresh_token"]),
            ClientId=pool["client_id"],
            RevokeAssociatedSessions=mode,
        )
        assert [s["SessionType"] for s in _active(service, pool["pool_id"])] == left
        for session in _active(service, pool["pool_id"]):  # start the next round clean
            service(
                "AdminRevokeUserSession",
                UserPoolId=pool["pool_id"],
                Username="ana",
                SessionId=session["SessionId"],
            )


def test_a_clients_sso_max_validity_bounds_silent_reuse(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    signed_in_at = int(service.clock.now())

    def reusable(after: float) -> bool:
        with service.services.store.read() as tx:
            return user_sessions.sso_reusable(tx, pool_id, client_id, signed_in_at, after)

    assert reusable(signed_in_at + 3000)  # tracking off: the session's own hour rules
    _tracking(service, pool_id, max_per_user=20)
    assert reusable(signed_in_at + 59 * 60) and not reusable(signed_in_at + 60 * 60)
    service(
        "SetUserPoolClientSessionConfiguration",
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 5},
    )
    assert reusable(signed_in_at + 299) and not reusable(signed_in_at + 300)
    service(
        "SetUserPoolClientSessionConfiguration",
        UserPoolId=pool_id,
        ClientId=client_id,
        SSOSession={"MaxValidityMinutes": 0},
    )
    assert not reusable(signed_in_at)


def test_the_migration_makes_earlier_sign_ins_sessions(
    service: Service, pool: dict[str, Any]
) -> None:
    _user(service, pool["pool_id"])
    _sign_in(service, pool["client_id"])
    _sign_in(service, pool["client_id"])
    engine = service.services.store.engine
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def to(revision: str, step: Any) -> None:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            step(config, revision)

    to("0016", command.downgrade)  # as the grants were before sessions were kept
    to("head", command.upgrade)
    with engine.connect() as conn:  # (PostgreSQL: the worker's database has other pools)
        query = select(grants.c.session_id, grants.c.created_at)
        ids = conn.execute(query.where(grants.c.pool_id == pool["pool_id"])).all()
    assert len(ids) == 2 and len({i for i, _ in ids}) == 2
    assert all(re.fullmatch(r"tkn[a-z0-9]{25}", i) and at for i, at in ids)


def test_a_hosted_sign_in_that_gives_nothing_leaves_no_sso_session(
    service: Service, pool: dict[str, Any]
) -> None:
    _tracking(service, pool["pool_id"], max_per_user=20)
    _user(service, pool["pool_id"])
    svc = service.services
    with svc.store.read() as tx:
        found_pool, client = tx.pools.get(pool["pool_id"]), tx.clients.get(pool["client_id"])
        assert found_pool is not None and client is not None
        user = find_user(tx, found_pool, "ana")
    assert user is not None
    auth = Authorization(
        found_pool, client, REDIRECT, "code", ("openid",), None, None, None, frozenset(), None, None
    )

    def no_session_after(who: User) -> None:
        with pytest.raises(oauth.OAuthError):
            freshly_signed_in(svc, _browser_request(), auth, who, int(service.clock.now()))
        with svc.store.read() as tx:
            assert tx.browser_sessions.live_of(user.id, service.clock.now()) == []

    no_session_after(replace(user, username="renamed"))  # the code cannot be issued
    service("AdminDeleteUser", UserPoolId=pool["pool_id"], Username="ana")  # gone meanwhile
    no_session_after(user)


def test_the_token_endpoint_rotates_too_and_answers_reuse_with_invalid_grant(
    service: Service, pool: dict[str, Any]
) -> None:
    rotating = {**pool, "client_id": _rotating(service, pool["pool_id"], grace=0)}
    _user(service, pool["pool_id"])
    _, tokens = _hosted_sign_in(service, rotating)
    svc = service.services
    with svc.store.read() as tx:
        found_pool, client = tx.pools.get(pool["pool_id"]), tx.clients.get(rotating["client_id"])
    assert found_pool is not None and client is not None
    first = str(tokens["refresh_token"])
    answer = oauth.refresh(svc, found_pool, client, first)
    assert answer["refresh_token"] != first and "access_token" in answer
    with pytest.raises(oauth.OAuthError) as reused:
        oauth.refresh(svc, found_pool, client, first)
    assert reused.value.error == "invalid_grant"
    assert "access_token" in oauth.refresh(svc, found_pool, client, str(answer["refresh_token"]))
