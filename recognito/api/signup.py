"""Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode (their rules in
`recognito.service.signup`), and AdminConfirmSignUp."""

from __future__ import annotations

from recognito.domain.user_status import Status, check_confirmable
from recognito.service import hooks, signup
from recognito.service.context import Services
from recognito.service.lookups import client_and_pool, pool_and_user
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
from recognito.signin.user_auth import sign_up_session


@operation("SignUp")
def sign_up(svc: Services, req: SignUpRequest) -> SignUpResponse:
    answer = signup.sign_up(svc, req)
    _with_session(svc, answer, req["ClientId"], answer["UserSub"])
    return answer


@operation("ConfirmSignUp")
def confirm_sign_up(svc: Services, req: ConfirmSignUpRequest) -> ConfirmSignUpResponse:
    # the request's Session (SignUp's) is not needed: the code proves the user
    answer = signup.confirm_sign_up(svc, req)
    _with_session(svc, answer, req["ClientId"], req["Username"])
    return answer


def _with_session(
    svc: Services, answer: SignUpResponse | ConfirmSignUpResponse, client_id: str, user: str
) -> None:
    """The Session a USER_AUTH sign-in of the new user may use instead of a factor."""
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, client_id)
    session = sign_up_session(svc, client, pool, user)
    if session is not None:
        answer["Session"] = session


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
