"""Reading a user back through boto3, and Cognito's attribute lists as dicts and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def awaiting_reset(cognito: Any, pool_id: str, username: str, password: str) -> None:
    """A confirmed user with a verified email whom an admin has reset: a code is out."""
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=True
    )
    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=username)


def admin_user(cognito: Any, pool_id: str, username: str) -> dict[str, Any]:
    response: dict[str, Any] = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    return response


def user_status(cognito: Any, pool_id: str, username: str) -> str:
    status: str = admin_user(cognito, pool_id, username)["UserStatus"]
    return status


def attributes(pairs: Sequence[dict[str, str]]) -> dict[str, str]:
    """`[{"Name": n, "Value": v}, ...]` -> `{n: v}`."""
    return {pair["Name"]: pair["Value"] for pair in pairs}


def admin_attributes(cognito: Any, pool_id: str, username: str) -> dict[str, str]:
    return attributes(admin_user(cognito, pool_id, username)["UserAttributes"])


def as_attributes(values: dict[str, str]) -> list[dict[str, str]]:
    """`{n: v}` -> `[{"Name": n, "Value": v}, ...]`."""
    return [{"Name": name, "Value": value} for name, value in values.items()]
