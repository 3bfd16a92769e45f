"""`recognito serve --password-hashing fast`: the test profile for apps' own test suites;
passwords still work as passwords, and the server says loudly that it is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .support import PASSWORD, StartServer, cognito_error, open_boto_client


def test_the_fast_profile_is_announced_and_passwords_still_count(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path, extra_args=["--password-hashing", "fast"])
    assert "password hashing is fast" in server.stdout()
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        cognito.sign_up(ClientId=client_id, Username="ana", Password=PASSWORD)
        cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="ana")

        def sign_in(password: str) -> dict[str, Any]:
            answer: dict[str, Any] = cognito.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "ana", "PASSWORD": password},
            )
            return answer

        with cognito_error("NotAuthorizedException", "Incorrect username or password."):
            sign_in("Wr0ng-Passw0rd!")
        assert "AuthenticationResult" in sign_in(PASSWORD)


def test_the_standard_profile_says_nothing_of_it(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path)
    assert "password hashing is fast" not in server.stdout()
