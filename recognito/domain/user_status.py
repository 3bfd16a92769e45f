"""The user status machine and what each status means for a password sign-in.

    SignUp ─────────────> UNCONFIRMED ──ConfirmSignUp / AdminConfirmSignUp──> CONFIRMED
    AdminCreateUser ────> FORCE_CHANGE_PASSWORD ──NEW_PASSWORD_REQUIRED────> CONFIRMED
    AdminSetUserPassword(Permanent=false), any ────────> FORCE_CHANGE_PASSWORD
    AdminSetUserPassword(Permanent=true), any ─────────> CONFIRMED
    AdminResetUserPassword, CONFIRMED ─────────────────> RESET_REQUIRED
    ConfirmForgotPassword, CONFIRMED | RESET_REQUIRED ─> CONFIRMED

`Enabled` is independent of the status: disabling never changes it.
"""

from __future__ import annotations

from enum import StrEnum

from recognito import errors
from recognito.domain.records import Status as Status  # the statuses live with the record
from recognito.domain.records import User

INCORRECT = "Incorrect username or password."
DISABLED = "User is disabled."
RESET_REQUIRED = "Password reset required for the user"
NOT_CONFIRMED = "User is not confirmed."
# statuses whose password can be replaced through a reset code
RESETTABLE = {Status.CONFIRMED, Status.RESET_REQUIRED}


class SignIn(StrEnum):
    """What a password sign-in leads to, once the password was checked."""

    TOKENS = "TOKENS"
    NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"


def password_sign_in(user: User, password_ok: bool, now: float, hide_existence: bool) -> SignIn:
    """Cognito's outcome of a password sign-in by status (docs/behaviour.md §5.3).

    UNCONFIRMED and RESET_REQUIRED answer with their own error even for a wrong
    password, unless the client hides user existence.
    """
    if user.status == Status.UNCONFIRMED and not hide_existence:
        raise errors.UserNotConfirmedException(NOT_CONFIRMED)
    if user.status == Status.RESET_REQUIRED:
        if hide_existence:
            raise errors.NotAuthorizedException(INCORRECT)
        raise reset_required()
    if not password_ok:
        raise errors.NotAuthorizedException(INCORRECT)
    check_enabled(user)
    if user.status == Status.UNCONFIRMED:  # hiding clients learn it only with the password
        raise errors.UserNotConfirmedException(NOT_CONFIRMED)
    if user.status == Status.FORCE_CHANGE_PASSWORD:
        if user.password_expires_at is not None and now > user.password_expires_at:
            raise errors.NotAuthorizedException(
                "Temporary password has expired and must be reset by an administrator."
            )
        return SignIn.NEW_PASSWORD_REQUIRED
    return SignIn.TOKENS


def check_enabled(user: User) -> None:
    """A disabled user can do nothing that needs them enabled: sign in, reset, refresh."""
    if not user.enabled:
        raise errors.NotAuthorizedException(DISABLED)


def reset_required() -> errors.PasswordResetRequiredException:
    return errors.PasswordResetRequiredException(RESET_REQUIRED)


def check_confirmable(user: User) -> None:
    """Only an UNCONFIRMED user can be confirmed (ConfirmSignUp, AdminConfirmSignUp)."""
    if user.status != Status.UNCONFIRMED:
        raise errors.NotAuthorizedException(
            f"User cannot be confirmed. Current status is {user.status}"
        )
