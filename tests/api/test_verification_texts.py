"""DescribeUserPool keeps the legacy verification texts and VerificationMessageTemplate in
step, whichever of them CreateUserPool or UpdateUserPool was given (behaviour reference §3.3)."""

from __future__ import annotations

from typing import Any

from .support import MakePool

LEGACY = {
    "SmsVerificationMessage": "Your SMS code {####}",
    "EmailVerificationMessage": "Your email code {####}",
    "EmailVerificationSubject": "Your code",
}
TEMPLATE = {
    "SmsMessage": "Your SMS code {####}",
    "EmailMessage": "Your email code {####}",
    "EmailSubject": "Your code",
}


def _described(cognito: Any, pool_id: str) -> dict[str, Any]:
    pool: dict[str, Any] = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    return pool


def _assert_in_step(pool: dict[str, Any]) -> None:
    assert {key: pool.get(key) for key in LEGACY} == LEGACY
    assert TEMPLATE.items() <= pool["VerificationMessageTemplate"].items()


def test_create_user_pool_mirrors_legacy_fields_into_the_template(
    cognito: Any, make_pool: MakePool
) -> None:
    _assert_in_step(_described(cognito, make_pool(**LEGACY)))


def test_create_user_pool_mirrors_the_template_into_legacy_fields(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool(VerificationMessageTemplate=TEMPLATE)
    _assert_in_step(_described(cognito, pool_id))


def test_update_user_pool_mirrors_both_ways(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    cognito.update_user_pool(UserPoolId=pool_id, **LEGACY)
    _assert_in_step(_described(cognito, pool_id))
    cognito.update_user_pool(
        UserPoolId=pool_id,
        VerificationMessageTemplate={**TEMPLATE, "SmsMessage": "New SMS {####}"},
    )
    pool = _described(cognito, pool_id)
    assert pool["SmsVerificationMessage"] == "New SMS {####}"
    assert pool["VerificationMessageTemplate"]["SmsMessage"] == "New SMS {####}"
