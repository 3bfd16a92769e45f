"""Passwords: AdminResetUserPassword, ForgotPassword, ConfirmForgotPassword,
ChangePassword, AdminSetUserPassword (the reset rules live in `recognito.service.resets`).

New passwords are checked against the policy and hashed before the write
transaction opens, so hashing never holds the database lock.
"""

from __future__ import annotations

from recognito import errors
from recognito.crypto.credentials import NONE
from recognito.crypto.passwords import verify_password
from recognito.domain import pools, risk
from recognito.domain.codes import Purpose
from recognito.domain.quotas import Quota
from recognito.domain.user_status import (
    INCORRECT,
    Status,
    check_enabled,
    reset_required,
)
from recognito.service import resets, threats
from recognito.service.access import authorize
from recognito.service.codes import send_code
from recognito.service.context import Services
from recognito.service.limits import take_alone
from recognito.service.lookups import pool_and_user
from recognito.service.passwords import (
    checked_credentials,
    earlier_passwords,
    still_there,
    store_password,
)
from recognito.service.registry import operation
from recognito.shapes import (
    AdminResetUserPasswordRequest,
    AdminResetUserPasswordResponse,
    AdminSetUserPasswordRequest,
    AdminSetUserPasswordResponse,
    ChangePasswordRequest,
    ChangePasswordResponse,
    ConfirmForgotPasswordRequest,
    ConfirmForgotPasswordResponse,
    ForgotPasswordRequest,
    ForgotPasswordResponse,
)
from recognito.triggers.senders import Origin


@operation("AdminResetUserPassword")
def admin_reset_user_password(
    svc: Services, req: AdminResetUserPasswordRequest
) -> AdminResetUserPasswordResponse:
    render = resets.reset_message(svc, req["UserPoolId"], req["Username"], None, req)
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        check_enabled(user)
        attribute = resets.reset_destination(pool, user)
        # the current password stops working at once; then the code goes out
        store_password(svc, tx, user, NONE, Status.RESET_REQUIRED)
        origin = Origin("ForgotPassword", None, req.get("ClientMetadata"))
        send_code(
            svc, tx, pool, user, Purpose.PASSWORD_RESET, attribute, origin=origin, text=render
        )
    return {}


@operation("ForgotPassword")
def forgot_password(svc: Services, req: ForgotPasswordRequest) -> ForgotPasswordResponse:
    return resets.forgot_password(svc, req)


@operation("ConfirmForgotPassword")
def confirm_forgot_password(
    svc: Services, req: ConfirmForgotPasswordRequest
) -> ConfirmForgotPasswordResponse:
    return resets.confirm_forgot_password(svc, req)


@operation("ChangePassword")
def change_password(svc: Services, req: ChangePasswordRequest) -> ChangePasswordResponse:
    with svc.store.read() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
    user = caller.user
    # every call counts: a stolen access token must not become a password oracle
    take_alone(svc, Quota.CHANGE_PASSWORD, user.sub)
    if user.status == Status.RESET_REQUIRED:
        raise reset_required()
    previous_ok = verify_password(user.password_hash, req.get("PreviousPassword") or "")
    if user.status != Status.CONFIRMED or not previous_ok:
        raise errors.NotAuthorizedException(INCORRECT)
    with svc.store.read() as tx:
        earlier = earlier_passwords(tx, caller.pool, user)
    secrets = checked_credentials(
        caller.pool, user.username, req["ProposedPassword"], earlier=earlier
    )
    compromised = threats.screen_password(
        svc, caller.pool, caller.client_id, req["ProposedPassword"], risk.PASSWORD_CHANGE
    )
    with svc.store.write() as tx:
        # the token must still be good, and the password the one just checked
        current = authorize(svc, tx, req["AccessToken"]).user
        if current.password_hash != user.password_hash:
            raise errors.NotAuthorizedException(INCORRECT)
        store_password(svc, tx, user, secrets, Status.CONFIRMED)
        where = threats.context(svc, None, req)
        event = threats.Event("PasswordChange", "Pass", where, compromised=compromised)
        threats.record(svc, tx, caller.pool, user, event)
    return {}


@operation("AdminSetUserPassword")
def admin_set_user_password(
    svc: Services, req: AdminSetUserPasswordRequest
) -> AdminSetUserPasswordResponse:
    with svc.store.read() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        earlier = earlier_passwords(tx, pool, user)
    secrets = checked_credentials(pool, user.username, req["Password"], earlier=earlier)
    with svc.store.write() as tx:
        user = still_there(tx, user)
        # an administrator's change is recorded too (the caller's address: the app server)
        where = threats.context(svc, None, req)
        threats.record(svc, tx, pool, user, threats.Event("PasswordChange", "Pass", where))
        if req.get("Permanent"):
            store_password(svc, tx, user, secrets, Status.CONFIRMED)
        else:
            expires_at = svc.clock.now() + pools.temporary_password_seconds(pool.config)
            store_password(svc, tx, user, secrets, Status.FORCE_CHANGE_PASSWORD, expires_at)
    return {}
