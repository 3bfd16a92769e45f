"""User sessions, refresh-token rotation and AdminDeleteSoftwareToken through boto3:
session configuration (defaults, limits, the tier), ListUserSessions and its admin twin
with their fields, revoking a session (and what it leaves alone), the MaxPerUser rule,
RevokeToken with RevokeAssociatedSessions, GetTokensFromRefreshToken rotating.
The grace period's passing is proven with a moved clock in tests/service/test_sessions.py."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pyotp
import pytest

from tests.api.support import (
    PASSWORD,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    User,
    cognito_error,
    password_auth,
    refresh,
    sign_in,
)
from tests.api.support.hosted import make_hosted_app, query_of
from tests.api.support.hosted import sign_in as hosted_sign_in

SESSION_ID = r"tkn[a-z0-9]{25}"
TRACKING_OFF = "Session tracking is not enabled for this user pool."
ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}


def _tracking(cognito: Any, pool_id: str, max_per_user: int = 20) -> None:
    cognito.set_user_pool_session_configuration(
        UserPoolId=pool_id,
        UserSessionTracking="ENABLED",
        TokenSession={"MaxPerUser": max_per_user},
    )


@pytest.fixture
def tracked(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> tuple[App, User]:
    pool_id = make_pool()
    _tracking(cognito, pool_id)
    return make_client(pool_id), make_user(pool_id)


def _sessions(cognito: Any, access_token: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = cognito.list_user_sessions(AccessToken=access_token)["Sessions"]
    return found


def test_session_configuration_defaults_and_round_trip(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    assert cognito.get_user_pool_session_configuration(UserPoolId=pool_id) | {
        "ResponseMetadata": None
    } == {
        "UserPoolId": pool_id,
        "UserSessionTracking": "DISABLED",
        "TokenSession": {"MaxPerUser": 20},
        "ResponseMetadata": None,
    }
    set_answer = cognito.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 3}
    )
    got = cognito.get_user_pool_session_configuration(UserPoolId=pool_id)
    for answer in (set_answer, got):
        assert answer["UserSessionTracking"] == "ENABLED"
        assert answer["TokenSession"] == {"MaxPerUser": 3}
    with cognito_error("InvalidParameterException"):
        cognito.set_user_pool_session_configuration(
            UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 101}
        )
    with cognito_error("ResourceNotFoundException"):
        cognito.get_user_pool_session_configuration(UserPoolId="us-east-1_nosuchpoo")


def test_session_tracking_is_refused_in_the_lite_plan(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool(UserPoolTier="LITE")
    with cognito_error(
        "FeatureUnavailableInTierException",
        "Session tracking is not available in the LITE feature plan.",
    ):
        _tracking(cognito, pool_id)
    assert (
        cognito.get_user_pool_session_configuration(UserPoolId=pool_id)["UserSessionTracking"]
        == "DISABLED"
    )


def test_client_session_configuration_needs_tracking_and_round_trips(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id)
    got = cognito.get_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=app.client_id
    )
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}
    with cognito_error("OperationNotEnabledException", TRACKING_OFF):
        cognito.set_user_pool_client_session_configuration(
            UserPoolId=pool_id, ClientId=app.client_id, SSOSession={"MaxValidityMinutes": 5}
        )
    _tracking(cognito, pool_id)
    cognito.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=app.client_id, SSOSession={"MaxValidityMinutes": 5}
    )
    got = cognito.get_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=app.client_id
    )
    assert (got["ClientId"], got["SSOSession"]) == (app.client_id, {"MaxValidityMinutes": 5})


def test_listing_sessions_is_refused_while_the_pool_does_not_track_them(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app, user = make_client(pool_id), make_user(pool_id)
    tokens = sign_in(cognito, app, user.username, PASSWORD)
    with cognito_error("OperationNotEnabledException", TRACKING_OFF):
        _sessions(cognito, tokens["AccessToken"])
    with cognito_error("OperationNotEnabledException", TRACKING_OFF):
        cognito.admin_list_user_sessions(UserPoolId=pool_id, Username=user.username)


def test_each_sign_in_is_a_session_listed_with_its_client_dates_device_and_address(
    cognito: Any, tracked: tuple[App, User]
) -> None:
    app, user = tracked
    first = sign_in(cognito, app, user.username, PASSWORD)
    second = sign_in(cognito, app, user.username, PASSWORD)
    listed = _sessions(cognito, second["AccessToken"])
    assert len(listed) == 2
    for session in listed:
        assert session["SessionId"].startswith("tkn") and len(session["SessionId"]) == 28
        assert session["SessionType"] == "TOKEN"
        assert session["ClientId"] == app.client_id
        assert session["LastActiveDate"] >= session["CreateDate"]
        assert "Boto3" in session["DeviceType"]
        assert session["LastIPAddress"] == "127.0.0.1"
    assert [s["IsCurrentSession"] for s in listed] == [True, False]  # newest first
    assert [s["IsCurrentSession"] for s in _sessions(cognito, first["AccessToken"])] == [
        False,
        True,
    ]
    admin = cognito.admin_list_user_sessions(UserPoolId=app.pool_id, Username=user.username)
    assert [s["SessionId"] for s in admin["Sessions"]] == [s["SessionId"] for s in listed]
    assert not any(s["IsCurrentSession"] for s in admin["Sessions"])


def test_revoking_a_session_ends_its_tokens_and_leaves_the_others(
    cognito: Any, tracked: tuple[App, User]
) -> None:
    app, user = tracked
    laptop = sign_in(cognito, app, user.username, PASSWORD)
    phone = sign_in(cognito, app, user.username, PASSWORD)
    (phone_session,) = [
        s for s in _sessions(cognito, laptop["AccessToken"]) if not s["IsCurrentSession"]
    ]
    cognito.revoke_user_session(
        AccessToken=laptop["AccessToken"], SessionId=phone_session["SessionId"]
    )
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=phone["AccessToken"])
    with cognito_error("NotAuthorizedException", "Refresh Token has been revoked"):
        refresh(cognito, app, user.username, phone["RefreshToken"])
    assert cognito.get_user(AccessToken=laptop["AccessToken"])["Username"] == user.username
    assert [s["IsCurrentSession"] for s in _sessions(cognito, laptop["AccessToken"])] == [True]
    with cognito_error("ResourceNotFoundException", "Session not found."):
        cognito.revoke_user_session(
            AccessToken=laptop["AccessToken"], SessionId=phone_session["SessionId"]
        )


def test_the_callers_own_session_cannot_be_revoked_with_its_token(
    cognito: Any, tracked: tuple[App, User]
) -> None:
    app, user = tracked
    tokens = sign_in(cognito, app, user.username, PASSWORD)
    (own,) = _sessions(cognito, tokens["AccessToken"])
    with cognito_error(
        "InvalidParameterException",
        "Cannot revoke the session of the access token used in the request.",
    ):
        cognito.revoke_user_session(AccessToken=tokens["AccessToken"], SessionId=own["SessionId"])
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == user.username


def test_an_admin_revokes_a_session_of_the_user_named_only(
    cognito: Any, tracked: tuple[App, User], make_user: MakeUser
) -> None:
    app, user = tracked
    other = make_user(app.pool_id)
    tokens = sign_in(cognito, app, user.username, PASSWORD)
    (session,) = cognito.admin_list_user_sessions(UserPoolId=app.pool_id, Username=user.username)[
        "Sessions"
    ]
    with cognito_error("ResourceNotFoundException", "Session not found."):
        cognito.admin_revoke_user_session(
            UserPoolId=app.pool_id, Username=other.username, SessionId=session["SessionId"]
        )
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == user.username
    cognito.admin_revoke_user_session(
        UserPoolId=app.pool_id,
        Username=user.username,
        SessionId=session["SessionId"],
        RevokeAssociatedSessions="LINKED",
    )
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=tokens["AccessToken"])
    with cognito_error("UserNotFoundException"):
        cognito.admin_list_user_sessions(UserPoolId=app.pool_id, Username="nobody-at-all")


def test_a_sign_in_beyond_max_per_user_ends_the_least_recently_used_session(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    _tracking(cognito, pool_id, max_per_user=2)
    app, user = make_client(pool_id), make_user(pool_id)
    oldest = sign_in(cognito, app, user.username, PASSWORD)
    sign_in(cognito, app, user.username, PASSWORD)
    newest = sign_in(cognito, app, user.username, PASSWORD)
    assert len(_sessions(cognito, newest["AccessToken"])) == 2
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=oldest["AccessToken"])


def test_revoke_token_ends_the_session_and_accepts_linked(
    cognito: Any, tracked: tuple[App, User]
) -> None:
    app, user = tracked
    kept = sign_in(cognito, app, user.username, PASSWORD)
    ended = sign_in(cognito, app, user.username, PASSWORD)
    cognito.revoke_token(
        Token=ended["RefreshToken"], ClientId=app.client_id, RevokeAssociatedSessions="LINKED"
    )
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        cognito.get_user(AccessToken=ended["AccessToken"])
    assert [s["IsCurrentSession"] for s in _sessions(cognito, kept["AccessToken"])] == [True]


def test_a_rotating_client_hands_out_a_new_refresh_token_and_refuses_the_old_one(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    _tracking(cognito, pool_id)
    app = make_client(pool_id, RefreshTokenRotation=ROTATION)
    user = make_user(pool_id)
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)
    assert described["UserPoolClient"]["RefreshTokenRotation"] == ROTATION
    tokens = sign_in(cognito, app, user.username, PASSWORD)
    rotated = cognito.get_tokens_from_refresh_token(
        ClientId=app.client_id, RefreshToken=tokens["RefreshToken"]
    )["AuthenticationResult"]
    assert rotated["RefreshToken"] != tokens["RefreshToken"]
    assert {"AccessToken", "IdToken"} <= rotated.keys()
    with cognito_error("RefreshTokenReuseException"):
        cognito.get_tokens_from_refresh_token(
            ClientId=app.client_id, RefreshToken=tokens["RefreshToken"]
        )
    with cognito_error(
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH is not supported for an app client with refresh token rotation",
    ):
        refresh(cognito, app, user.username, rotated["RefreshToken"])
    # the rotation continued the one session
    (session,) = _sessions(cognito, rotated["AccessToken"])
    assert session["IsCurrentSession"] and session["LastActiveDate"] >= session["CreateDate"]


def test_admin_delete_software_token_removes_the_authenticator(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    app, user = make_client(pool_id), make_user(pool_id)
    tokens = sign_in(cognito, app, user.username, PASSWORD)
    secret = cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    cognito.verify_software_token(
        AccessToken=tokens["AccessToken"], UserCode=pyotp.TOTP(secret).now()
    )
    cognito.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"],
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert password_auth(cognito, app, user.username, PASSWORD)["ChallengeName"] == (
        "SOFTWARE_TOKEN_MFA"
    )
    cognito.admin_delete_software_token(UserPoolId=pool_id, Username=user.username)
    me = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)
    assert "UserMFASettingList" not in me and "PreferredMfaSetting" not in me
    assert "AccessToken" in sign_in(cognito, app, user.username, PASSWORD)  # no challenge
    with cognito_error(
        "ResourceNotFoundException", "Software Token MFA does not exist for the user."
    ):
        cognito.admin_delete_software_token(UserPoolId=pool_id, Username=user.username)
    # a new authenticator can be associated afterwards
    assert cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    with cognito_error("UserNotFoundException"):
        cognito.admin_delete_software_token(UserPoolId=pool_id, Username="nobody-at-all")


def test_a_hosted_sign_in_is_an_sso_session_and_linked_revocation_signs_the_browser_out(
    cognito: Any, base_url: str, make_pool: MakePool, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    _tracking(cognito, pool_id)
    hosted = make_hosted_app(cognito, base_url, pool_id)
    user = make_user(pool_id)
    scope = "openid aws.cognito.signin.user.admin"
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        answer = hosted_sign_in(browser, hosted, user.username, scope=scope)
        tokens = hosted.swap_code(query_of(answer.headers["location"])["code"], None).json()
        listed = _sessions(cognito, tokens["access_token"])
        by_type = {s["SessionType"]: s for s in listed}
        assert set(by_type) == {"SSO", "TOKEN"}
        assert re.fullmatch(r"sso[a-z0-9]{25}", by_type["SSO"]["SessionId"])
        assert by_type["TOKEN"]["OriginSessionId"] == by_type["SSO"]["SessionId"]
        assert by_type["TOKEN"]["IsCurrentSession"] and not by_type["SSO"]["IsCurrentSession"]
        # the cookie still signs in without the form
        again = browser.get(hosted.authorize_url(scope=scope))
        assert again.headers["location"].startswith(f"{hosted.callback}?")
        cognito.revoke_token(
            Token=tokens["refresh_token"],
            ClientId=hosted.client_id,
            RevokeAssociatedSessions="LINKED",
        )
        # the SSO session ended with it: the browser must sign in again
        after = browser.get(hosted.authorize_url(scope=scope))
        assert after.headers["location"].startswith(f"{hosted.url}/login?")
