"""pycognito's high-level `Cognito` class, pointed at Recognito with an endpoint URL: it
signs in with SRP and verifies every token it receives against the pool's JWKS and
issuer, so these flows prove the tokens are what a Cognito client library accepts."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from tests.api.support import (
    NEW_PASSWORD,
    PASSWORD,
    Inbox,
    MakeClient,
    MakePool,
    new_email,
    unique,
)


@pytest.fixture
def app_ids(make_pool: MakePool, make_client: MakeClient) -> tuple[str, str]:
    pool_id = make_pool(AutoVerifiedAttributes=["email"])
    client = make_client(
        pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    return pool_id, client.client_id


def _cognito(base_url: str, app_ids: tuple[str, str], username: str | None = None) -> Cognito:
    pool_id, client_id = app_ids
    return Cognito(
        pool_id,
        client_id,
        username=username,
        boto3_client_kwargs={
            "endpoint_url": base_url,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
    )


def _registered(base_url: str, app_ids: tuple[str, str], inbox: Inbox) -> tuple[Cognito, str]:
    """A confirmed, signed-in user made the way an app makes one: register, confirm, sign in."""
    username, email = unique("py"), new_email("py")
    user = _cognito(base_url, app_ids, username)
    user.set_base_attributes(email=email)
    user.register(username, PASSWORD)
    user.confirm_sign_up(inbox.wait_code(email), username=username)
    user.authenticate(PASSWORD)
    return user, email


def test_register_confirm_and_sign_in_yield_verified_tokens(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox
) -> None:
    user, email = _registered(base_url, app_ids, inbox)
    assert user.id_claims["email"] == email
    assert user.id_claims["email_verified"] is True
    assert user.access_claims["username"] == user.username
    user.verify_tokens()  # raises unless signature, issuer, audience and use all check out


def test_profile_update_and_token_renewal(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox
) -> None:
    user, _ = _registered(base_url, app_ids, inbox)
    user.update_profile({"name": "Ada Lovelace"})
    assert user.get_user().name == "Ada Lovelace"
    previous = user.access_token
    user.renew_access_token()
    assert user.access_token != previous
    assert user.access_claims["origin_jti"] == user.id_claims["origin_jti"]


def test_logout_revokes_the_access_token(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox
) -> None:
    user, _ = _registered(base_url, app_ids, inbox)
    token = user.access_token
    user.logout()
    with pytest.raises(ClientError) as caught:
        _cognito(base_url, app_ids).client.get_user(AccessToken=token)
    assert caught.value.response["Error"]["Message"] == "Access Token has been revoked"


def test_forgotten_password_is_reset_with_the_emailed_code(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox
) -> None:
    user, email = _registered(base_url, app_ids, inbox)
    before = inbox.count(email)
    user.initiate_forgot_password()
    user.confirm_forgot_password(inbox.wait_code(email, after=before), NEW_PASSWORD)
    again = _cognito(base_url, app_ids, user.username)
    again.authenticate(NEW_PASSWORD)
    assert again.access_claims["username"] == user.username


def test_change_password_then_sign_in_with_the_new_one(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox
) -> None:
    user, _ = _registered(base_url, app_ids, inbox)
    user.change_password(PASSWORD, NEW_PASSWORD)
    stale = _cognito(base_url, app_ids, user.username)
    with pytest.raises(ClientError):
        stale.authenticate(PASSWORD)
    stale.authenticate(NEW_PASSWORD)


def test_group_membership_reaches_the_tokens(
    base_url: str, app_ids: tuple[str, str], inbox: Inbox, cognito: Any
) -> None:
    user, _ = _registered(base_url, app_ids, inbox)
    cognito.create_group(UserPoolId=app_ids[0], GroupName="editors")
    user.admin_add_user_to_group(user.username, "editors")
    assert user.admin_list_groups_for_user(user.username) == ["editors"]
    user.authenticate(PASSWORD)
    assert user.access_claims["cognito:groups"] == ["editors"]
