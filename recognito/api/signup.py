"""Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode (their rules in
`recognito.service.signup`), and AdminConfirmSignUp."""

from __future__ import annotations

from recognito.domain.user_status import Status, check_confirmable
from recognito.service import hooks, signup
from recognito.service.context import Services
from recognito.service.lookups import pool_and_user
from recognito.service.registry import operation
from recognito.shapes import (
    AdminConfirmSignUpRequest,
    AdminConfirmSignUpResponse,
    ConfirmSignUpRequest,
    ConfirmSignUpResponse,
    ResendConfirmationCodeRequest,
    ResendConfirmationCodeResponse,
    SignUpRequest,
    SignUpResponse,
)


@operation("SignUp")
def sign_up(svc: Services, req: SignUpRequest) -> SignUpResponse:
    return signup.sign_up(svc, req)


@operation("ConfirmSignUp")
def confirm_sign_up(svc: Services, req: ConfirmSignUpRequest) -> ConfirmSignUpResponse:
    return signup.confirm_sign_up(svc, req)


@operation("ResendConfirmationCode")
def resend_confirmation_code(
    svc: Services, req: ResendConfirmationCodeRequest
) -> ResendConfirmationCodeResponse:
    return signup.resend_confirmation_code(svc, req)


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(
    svc: Services, req: AdminConfirmSignUpRequest
) -> AdminConfirmSignUpResponse:
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        check_confirmable(user)
        tx.users.update(user.id, status=Status.CONFIRMED, modified_at=svc.clock.now())
    hooks.post_confirmation(
        svc, pool, "PostConfirmation_ConfirmSignUp", user.id, None, req.get("ClientMetadata")
    )
    return {}
