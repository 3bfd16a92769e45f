"""USER_SRP_AUTH driven by pycognito's real SRP client (AWSSRP), as Python apps sign in."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, ForceChangePasswordException

from tests.api.support import (
    NEW_PASSWORD,
    PASSWORD,
    TEMP_PASSWORD,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    cognito_error,
    new_email,
    unverified_claims,
    user_status,
)


def _srp(cognito: Any, app: App, username: str, password: str) -> AWSSRP:
    return AWSSRP(
        username=username,
        password=password,
        pool_id=app.pool_id,
        client_id=app.client_id,
        client_secret=app.secret,
        client=cognito,
    )


@pytest.fixture
def srp_app(make_pool: MakePool, make_client: MakeClient) -> App:
    """A client with a secret that allows SRP (the default flows)."""
    return make_client(make_pool(), secret=True, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])


def test_srp_sign_in_with_the_right_password_returns_tokens(
    cognito: Any, srp_app: App, make_user: MakeUser
) -> None:
    user = make_user(srp_app.pool_id)
    result = _srp(cognito, srp_app, user.username, PASSWORD).authenticate_user()
    claims = unverified_claims(result["AuthenticationResult"]["IdToken"])
    assert claims["cognito:username"] == user.username
    assert claims["token_use"] == "id"


def test_srp_sign_in_with_a_wrong_password_is_incorrect(
    cognito: Any, srp_app: App, make_user: MakeUser
) -> None:
    user = make_user(srp_app.pool_id)
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        _srp(cognito, srp_app, user.username, "Wr0ng-Password!").authenticate_user()


def test_srp_sign_in_by_email_alias_signs_in_the_real_user(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = make_client(make_pool(AliasAttributes=["email"]), ExplicitAuthFlows=[])
    user = make_user(app.pool_id, email="alias.srp@example.com")
    result = _srp(cognito, app, "alias.srp@example.com", PASSWORD).authenticate_user()
    claims = unverified_claims(result["AuthenticationResult"]["AccessToken"])
    assert claims["username"] == user.username


def test_srp_sign_in_by_email_in_any_case_in_a_case_insensitive_pool(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool(
        UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False}
    )
    app = make_client(pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])
    email = new_email("Alice")
    make_user(pool_id, email, email=email)
    result = _srp(cognito, app, email.upper(), PASSWORD).authenticate_user()
    claims = unverified_claims(result["AuthenticationResult"]["IdToken"])
    assert claims["email"] == email  # stored as given


def test_srp_sign_in_with_a_temporary_password_leads_to_new_password_required(
    cognito: Any, srp_app: App, make_user: MakeUser
) -> None:
    user = make_user(srp_app.pool_id)
    cognito.admin_set_user_password(
        UserPoolId=srp_app.pool_id, Username=user.username, Password=TEMP_PASSWORD, Permanent=False
    )
    srp = _srp(cognito, srp_app, user.username, TEMP_PASSWORD)
    with pytest.raises(ForceChangePasswordException):
        srp.authenticate_user()
    result = srp.set_new_password_challenge(NEW_PASSWORD)
    assert "AccessToken" in result["AuthenticationResult"]
    assert user_status(cognito, srp_app.pool_id, user.username) == "CONFIRMED"


def test_a_replayed_srp_answer_is_refused(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    app = make_client(make_pool(), ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])
    user = make_user(app.pool_id)
    srp = _srp(cognito, app, user.username, PASSWORD)
    params = srp.get_auth_params()
    challenge = cognito.initiate_auth(
        ClientId=app.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
    )
    answer = srp.process_challenge(challenge["ChallengeParameters"], params)
    respond = {
        "ClientId": app.client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": answer,
    }
    assert "AccessToken" in cognito.respond_to_auth_challenge(**respond)["AuthenticationResult"]
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        cognito.respond_to_auth_challenge(**respond)


def test_unknown_user_with_hidden_existence_fails_only_at_the_answer(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(
        make_pool(), ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"], PreventUserExistenceErrors="ENABLED"
    )
    srp = _srp(cognito, app, "nobody-here", PASSWORD)
    params = srp.get_auth_params()
    challenge = cognito.initiate_auth(
        ClientId=app.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
    )
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    with pytest.raises(ClientError) as caught:
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=srp.process_challenge(challenge["ChallengeParameters"], params),
        )
    assert caught.value.response["Error"]["Message"] == "Incorrect username or password."
