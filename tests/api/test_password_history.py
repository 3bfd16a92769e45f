"""PasswordHistorySize through boto3: a password among the user's latest N is refused with
PasswordHistoryPolicyViolationException, on the user's and the admin's paths."""

from __future__ import annotations

from typing import Any

from .support import MakeClient, MakePool, MakeUser, cognito_error, sign_in

USED = "The password was used previously."
FIRST, SECOND, THIRD = "Passw0rd!1", "Passw0rd!2", "Passw0rd!3"


def test_a_recent_password_is_refused_and_an_older_one_allowed(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool(Policies={"PasswordPolicy": {"PasswordHistorySize": 2}})
    policy = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Policies"]
    assert policy["PasswordPolicy"]["PasswordHistorySize"] == 2
    app = make_client(pool_id)
    user = make_user(pool_id, password=FIRST)

    token = sign_in(cognito, app, user.username, FIRST)["AccessToken"]
    with cognito_error("PasswordHistoryPolicyViolationException", USED):
        cognito.change_password(AccessToken=token, PreviousPassword=FIRST, ProposedPassword=FIRST)
    cognito.change_password(AccessToken=token, PreviousPassword=FIRST, ProposedPassword=SECOND)
    with cognito_error("PasswordHistoryPolicyViolationException", USED):
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=user.username, Password=FIRST, Permanent=True
        )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=user.username, Password=THIRD, Permanent=True
    )
    # FIRST is now 3 passwords back: allowed again
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=user.username, Password=FIRST, Permanent=True
    )
    assert sign_in(cognito, app, user.username, FIRST)["AccessToken"]


def test_a_pool_without_history_takes_the_same_password_again(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id)
    user = make_user(pool_id, password=FIRST)
    token = sign_in(cognito, app, user.username, FIRST)["AccessToken"]
    cognito.change_password(AccessToken=token, PreviousPassword=FIRST, ProposedPassword=FIRST)
