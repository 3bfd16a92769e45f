"""No request a client can send makes the server fail: every operation of the model,
sent empty, with only its required members, and with every member, answers either
success or a Cognito-shaped 4xx — never a 500."""

from __future__ import annotations

from typing import Any

import botocore.session
import httpx
import pytest
from botocore.model import Shape

from tests.api.support import App, MakeUser

MODEL = botocore.session.get_session().get_service_model("cognito-idp")
TARGET = MODEL.metadata["targetPrefix"]


def _value(shape: Shape, real: dict[str, str], name: str, full: bool) -> Any:
    """A value of the right type for `shape`, using real ids where a member names one."""
    if name in real:
        return real[name]
    kind = shape.type_name
    if kind == "structure":
        members = shape.members if full else {m: shape.members[m] for m in shape.required_members}
        return {m: _value(s, real, m, full) for m, s in members.items()}
    if kind == "list":
        return [_value(shape.member, real, name, full)]
    if kind == "map":
        return {"key": _value(shape.value, real, name, full)}
    if kind == "string":
        enum = shape.enum
        if enum:
            return enum[0]
        return "x" * max(int(shape.metadata.get("min", 1)), 1)
    if kind in ("integer", "long"):
        return int(shape.metadata.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000
    if kind == "blob":
        return "eA=="
    return "x"


@pytest.fixture
def real_ids(app: App, make_user: MakeUser, cognito: Any) -> dict[str, str]:
    user = make_user(app.pool_id, email="robust@example.com")
    tokens = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )["AuthenticationResult"]
    return {
        "UserPoolId": app.pool_id,
        "ClientId": app.client_id,
        "Username": user.username,
        "AccessToken": tokens["AccessToken"],
        "RefreshToken": tokens["RefreshToken"],
    }


@pytest.mark.parametrize("variant", ["empty", "required", "full"])
def test_no_operation_answers_500(base_url: str, real_ids: dict[str, str], variant: str) -> None:
    failures = []
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for name in MODEL.operation_names:
            shape = MODEL.operation_model(name).input_shape
            body = {} if variant == "empty" else _value(shape, real_ids, "", variant == "full")
            response = http.post(
                "/",
                json=body,
                headers={
                    "Content-Type": "application/x-amz-json-1.1",
                    "X-Amz-Target": f"{TARGET}.{name}",
                },
            )
            if response.status_code >= 500:
                failures.append(f"{name}: {response.status_code} {response.text[:200]}")
            elif response.status_code >= 400:
                error = response.json()
                assert set(error) >= {"__type", "message"}, (name, error)
    assert failures == []
