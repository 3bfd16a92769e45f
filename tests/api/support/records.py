"""The app clients and users the factory fixtures make, and the SECRET_HASH an app sends."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class App:
    """An app client of a pool."""

    pool_id: str
    client_id: str
    secret: str | None = None

    def hash(self, username: str) -> str:
        assert self.secret is not None, "client has no secret"
        return secret_hash(self.secret, username, self.client_id)

    def auth_parameters(self, username: str, **params: str) -> dict[str, str]:
        """USERNAME (+ SECRET_HASH when the client has a secret) and any extra parameters."""
        out = {"USERNAME": username, **params}
        if self.secret is not None:
            out["SECRET_HASH"] = self.hash(username)
        return out

    def secret_kwargs(self, username: str) -> dict[str, str]:
        """`SecretHash=...` for the sign-up/forgot-password family, when needed."""
        return {"SecretHash": self.hash(username)} if self.secret is not None else {}


@dataclass(frozen=True)
class User:
    pool_id: str
    username: str
    password: str
    email: str | None = None
    phone: str | None = None


# Signatures of the factory fixtures in conftest.py.
MakePool = Callable[..., str]
MakeClient = Callable[..., App]
MakeUser = Callable[..., User]
