"""A small seeded world the valid-ish requests name: a pool, two clients (one with a
secret), a group, a few confirmed users and a signed-in user's tokens. The fuzz run
changes and deletes them at will, so the fuzzer seeds a fresh one every so often."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from typing import Any

from tests.api.support import open_boto_client

from .shapes import Real

PASSWORD = "Fuzz-Passw0rd!"
NEW_PASSWORD = "Fuzz-Passw0rd-2!"
USERS = 3
FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
]


class Seed:
    """The seeded resources as `Real` markers resolve them."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        self.values = values

    @classmethod
    def create(cls, base_url: str) -> Seed:
        tag = uuid.uuid4().hex[:8]
        with open_boto_client(base_url) as cognito:
            pool = cognito.create_user_pool(
                PoolName=f"fuzz-{tag}", AutoVerifiedAttributes=["email"]
            )["UserPool"]["Id"]
            client = _client(cognito, pool, f"fuzz-{tag}", secret=False)
            secret_client = _client(cognito, pool, f"fuzz-secret-{tag}", secret=True)
            group = f"group-{tag}"
            cognito.create_group(UserPoolId=pool, GroupName=group)
            users = [f"fuzz-{tag}-{n}" for n in range(USERS)]
            for n, username in enumerate(users):
                cognito.admin_create_user(
                    UserPoolId=pool,
                    Username=username,
                    UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
                    MessageAction="SUPPRESS",
                )
                cognito.admin_set_user_password(
                    UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=n > 0
                )
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=users[1], GroupName=group)
            signed_in = cognito.initiate_auth(
                ClientId=client["ClientId"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": users[1], "PASSWORD": PASSWORD},
            )["AuthenticationResult"]
            # users[0] has a temporary password: signing in gives a NEW_PASSWORD_REQUIRED session
            challenged = cognito.initiate_auth(
                ClientId=client["ClientId"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": users[0], "PASSWORD": PASSWORD},
            )
        secret = secret_client["ClientSecret"]
        return cls(
            {
                "pool": [pool],
                "client": [client["ClientId"], secret_client["ClientId"]],
                "secret": [secret],
                "user": users,
                "password": [PASSWORD],
                "new_password": [NEW_PASSWORD],
                "access": [signed_in["AccessToken"]],
                "refresh": [signed_in["RefreshToken"]],
                "group": [group],
                "session": [challenged["Session"]],
                "secret_hash": [_secret_hash(u, secret_client["ClientId"], secret) for u in users],
            }
        )

    def resolve(self, value: object) -> str:
        """json.dumps' `default`: a `Real` marker as the seeded value it stands for."""
        if not isinstance(value, Real):
            raise TypeError(f"not JSON: {value!r}")
        choices = self.values[value.kind]
        return choices[value.index % len(choices)]


def _client(cognito: Any, pool: str, name: str, *, secret: bool) -> dict[str, Any]:
    client: dict[str, Any] = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName=name, ExplicitAuthFlows=FLOWS, GenerateSecret=secret
    )["UserPoolClient"]
    return client


def _secret_hash(username: str, client_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
