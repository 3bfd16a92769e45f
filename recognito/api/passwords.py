"""Passwords: AdminResetUserPassword, ForgotPassword, ConfirmForgotPassword,
ChangePassword, AdminSetUserPassword.

New passwords are checked against the policy and hashed before the write
transaction opens, so hashing never holds the database lock.
"""

from __future__ import annotations

from recognito import errors
from recognito.api.access import authorize
from recognito.api.codes import accept_code, send_code, simulated_delivery
from recognito.api.context import Services
from recognito.api.lookups import pool_or_error, public_call, user_or_error
from recognito.api.registry import Request, Response, operation
from recognito.crypto.credentials import NONE, credentials
from recognito.crypto.passwords import verify_password
from recognito.domain import pools, recovery
from recognito.domain.codes import Purpose, mismatch
from recognito.domain.password_policy import PasswordContext, check_password
from recognito.domain.records import Pool, User
from recognito.domain.user_status import INCORRECT, RESETTABLE, Status
from recognito.store.repository import Repository

CANNOT_RESET = "User password cannot be reset in the current state."


def _new_credentials(pool: Pool, user: User, password: str) -> dict[str, str | None]:
    check_password(pools.password_policy(pool.config), password, PasswordContext.OTHER)
    return credentials(pool.id, user.username, password).columns()


def _send_reset_code(svc: Services, repo: Repository, pool: Pool, user: User) -> dict[str, str]:
    if user.status not in RESETTABLE:
        raise errors.NotAuthorizedException(CANNOT_RESET)
    attribute = recovery.recovery_attribute(pool.config, user)
    return send_code(svc, repo, pool, user, Purpose.PASSWORD_RESET, attribute)


@operation("AdminResetUserPassword")
def admin_reset_user_password(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        pool = pool_or_error(repo, req["UserPoolId"])
        user = user_or_error(repo, pool, req["Username"])
        if not user.enabled:
            raise errors.NotAuthorizedException("User is disabled.")
        _send_reset_code(svc, repo, pool, user)
        # the current password stops working at once
        repo.update_user(
            user.id, status=Status.RESET_REQUIRED, modified_at=svc.clock.now(), **NONE.columns()
        )
    return {}


@operation("ForgotPassword")
def forgot_password(svc: Services, req: Request) -> Response:
    with svc.store.write() as repo:
        call = public_call(repo, req)
        pool, user = call.pool, call.user
        if user is None or (
            call.hides_existence
            and (not user.enabled or recovery.find_recovery_attribute(pool.config, user) is None)
        ):
            # unknown, disabled and unreachable users look alike to a hiding client
            return {"CodeDeliveryDetails": simulated_delivery(req["Username"])}
        if recovery.admin_only(pool.config):
            raise errors.NotAuthorizedException("Contact administrator to reset password.")
        if not user.enabled:
            raise errors.NotAuthorizedException("User is disabled.")
        return {"CodeDeliveryDetails": _send_reset_code(svc, repo, pool, user)}


@operation("ConfirmForgotPassword")
def confirm_forgot_password(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        call = public_call(repo, req)
    pool, user = call.pool, call.user
    if user is None or (call.hides_existence and not user.enabled):
        raise mismatch()
    secrets = _new_credentials(pool, user, req["Password"])
    with svc.store.write() as repo:
        spent = accept_code(svc, repo, user, Purpose.PASSWORD_RESET, req["ConfirmationCode"])
        if spent is not None:
            repo.update_user(
                user.id,
                status=Status.CONFIRMED,
                password_expires_at=None,
                modified_at=svc.clock.now(),
                **secrets,
            )
    if spent is None:
        raise mismatch()
    return {}


@operation("ChangePassword")
def change_password(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        caller = authorize(svc, repo, req["AccessToken"])
    user = caller.user
    if user.password_hash and not verify_password(
        user.password_hash, req.get("PreviousPassword") or ""
    ):
        raise errors.NotAuthorizedException(INCORRECT)
    secrets = _new_credentials(caller.pool, user, req["ProposedPassword"])
    with svc.store.write() as repo:
        repo.update_user(user.id, modified_at=svc.clock.now(), **secrets)
    return {}


@operation("AdminSetUserPassword")
def admin_set_user_password(svc: Services, req: Request) -> Response:
    with svc.store.read() as repo:
        pool = pool_or_error(repo, req["UserPoolId"])
        user = user_or_error(repo, pool, req["Username"])
    secrets = _new_credentials(pool, user, req["Password"])
    now = svc.clock.now()
    if req.get("Permanent"):
        status, expires_at = Status.CONFIRMED, None
    else:
        status, expires_at = (
            Status.FORCE_CHANGE_PASSWORD,
            now + pools.temporary_password_seconds(pool.config),
        )
    with svc.store.write() as repo:
        repo.update_user(
            user.id,
            status=status,
            password_expires_at=expires_at,
            modified_at=now,
            **secrets,
        )
    return {}
