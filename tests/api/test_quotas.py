"""Per-user hourly caps: calls that send codes or test a password are refused with
LimitExceededException once a user's quota for the hour is spent."""

from __future__ import annotations

from typing import Any

from .support import (
    NEW_PASSWORD,
    PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    new_email,
    sign_in,
)

LIMIT = "Attempt limit exceeded, please try after some time."


def test_change_password_is_no_password_oracle(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    token = sign_in(cognito, app, user.username, user.password)["AccessToken"]
    for n in range(5):
        with cognito_error("NotAuthorizedException", "Incorrect username or password."):
            cognito.change_password(
                AccessToken=token, PreviousPassword=f"Gu3ss-{n}!", ProposedPassword=NEW_PASSWORD
            )
    with cognito_error("LimitExceededException", LIMIT):  # even the right one, now
        cognito.change_password(
            AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
        )


def test_forgot_password_sends_at_most_ten_codes_an_hour(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    user = make_user(pool_id, email=new_email())
    for _ in range(10):
        cognito.forgot_password(ClientId=app.client_id, Username=user.username)
    with cognito_error("LimitExceededException", LIMIT):
        cognito.forgot_password(ClientId=app.client_id, Username=user.username)
    assert user.email is not None
    inbox.wait(user.email, after=9)
    assert inbox.count(user.email) == 10


def test_sign_up_codes_are_resent_at_most_five_times_an_hour(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool(AutoVerifiedAttributes=["email"]))
    cognito.sign_up(
        ClientId=app.client_id,
        Username="ana",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": new_email()}],
    )
    for _ in range(5):
        cognito.resend_confirmation_code(ClientId=app.client_id, Username="ana")
    with cognito_error("LimitExceededException", LIMIT):
        cognito.resend_confirmation_code(ClientId=app.client_id, Username="ana")
