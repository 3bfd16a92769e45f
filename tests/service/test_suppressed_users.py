"""AdminCreateUser with MessageAction=SUPPRESS and no TemporaryPassword makes a password
nobody is told: it is not hashed (no argon2, no SRP work), and it signs nobody in."""

from __future__ import annotations

from typing import Any

import pytest

from recognito import errors
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


def _stored(service: Service, pool: dict[str, Any], username: str) -> tuple[Any, Any]:
    with service.services.store.read() as tx:
        user = tx.users.by_username(pool["pool_id"], username)
    assert user is not None
    return user.password_hash, user.srp_verifier


def _sign_in(service: Service, pool: dict[str, Any], username: str, password: str) -> Any:
    return service(
        "InitiateAuth",
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def test_an_untold_password_is_not_hashed_and_signs_nobody_in(
    service: Service, pool: dict[str, Any]
) -> None:
    service("AdminCreateUser", UserPoolId=pool["pool_id"], Username="ana", MessageAction="SUPPRESS")
    assert _stored(service, pool, "ana") == (None, None)
    with pytest.raises(errors.NotAuthorizedException) as caught:
        _sign_in(service, pool, "ana", "Anything-1!")
    assert caught.value.message == "Incorrect username or password."
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ana",
        Password=PASSWORD,
        Permanent=True,
    )
    assert "AccessToken" in _sign_in(service, pool, "ana", PASSWORD)["AuthenticationResult"]


def test_a_given_temporary_password_is_hashed(service: Service, pool: dict[str, Any]) -> None:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="bo",
        TemporaryPassword="Temp0rary!",
        MessageAction="SUPPRESS",
    )
    hashed, verifier = _stored(service, pool, "bo")
    assert hashed is not None and verifier is not None
    assert _sign_in(service, pool, "bo", "Temp0rary!")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
