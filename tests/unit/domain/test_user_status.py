"""Password sign-in outcome by user status (behaviour reference §5.3)."""

from __future__ import annotations

import pytest

from recognito.domain.records import User
from recognito.domain.user_status import SignIn, Status, password_sign_in
from recognito.errors import (
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
)
from tests.records import a_user

NOW = 1_700_000_000.0
DAY = 86400.0
INCORRECT = "Incorrect username or password."
DISABLED = "User is disabled."
NOT_CONFIRMED = "User is not confirmed."
RESET_REQUIRED = "Password reset required for the user"
TEMP_EXPIRED = "Temporary password has expired and must be reset by an administrator."


def make_user(
    status: str, *, enabled: bool = True, password_expires_at: float | None = None
) -> User:
    return a_user(
        status=status,
        enabled=enabled,
        password_hash="$argon2id$placeholder",
        password_expires_at=password_expires_at,
        attributes={"email": "alice@example.com", "email_verified": "true"},
    )


# --- CONFIRMED ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hide_existence", [False, True])
def test_confirmed_enabled_correct_password_gets_tokens(hide_existence: bool) -> None:
    user = make_user(Status.CONFIRMED)
    assert password_sign_in(user, True, NOW, hide_existence) is SignIn.TOKENS


@pytest.mark.parametrize("hide_existence", [False, True])
def test_confirmed_wrong_password_is_incorrect(hide_existence: bool) -> None:
    user = make_user(Status.CONFIRMED)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, False, NOW, hide_existence)
    assert exc.value.message == INCORRECT


def test_confirmed_user_ignores_a_stale_password_expiry() -> None:
    # the expiry only concerns temporary passwords
    user = make_user(Status.CONFIRMED, password_expires_at=NOW - DAY)
    assert password_sign_in(user, True, NOW, False) is SignIn.TOKENS


# --- disabled ----------------------------------------------------------------------------------


@pytest.mark.parametrize("hide_existence", [False, True])
def test_disabled_confirmed_user_with_correct_password_is_disabled(hide_existence: bool) -> None:
    user = make_user(Status.CONFIRMED, enabled=False)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, True, NOW, hide_existence)
    assert exc.value.message == DISABLED


def test_disabled_force_change_password_user_with_correct_password_is_disabled() -> None:
    user = make_user(Status.FORCE_CHANGE_PASSWORD, enabled=False, password_expires_at=NOW + DAY)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, True, NOW, False)
    assert exc.value.message == DISABLED


def test_disabled_user_with_wrong_password_is_not_authorized() -> None:
    # which message wins is unconfirmed (§16.8); it must never succeed
    user = make_user(Status.CONFIRMED, enabled=False)
    with pytest.raises(NotAuthorizedException):
        password_sign_in(user, False, NOW, False)


# --- UNCONFIRMED -------------------------------------------------------------------------------


@pytest.mark.parametrize("password_ok", [True, False])
def test_unconfirmed_is_not_confirmed_even_with_wrong_password(password_ok: bool) -> None:
    user = make_user(Status.UNCONFIRMED)
    with pytest.raises(UserNotConfirmedException) as exc:
        password_sign_in(user, password_ok, NOW, False)
    assert exc.value.message == NOT_CONFIRMED


def test_unconfirmed_with_hidden_existence_and_wrong_password_is_incorrect() -> None:
    user = make_user(Status.UNCONFIRMED)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, False, NOW, True)
    assert exc.value.message == INCORRECT


def test_unconfirmed_with_hidden_existence_and_correct_password_is_not_confirmed() -> None:
    user = make_user(Status.UNCONFIRMED)
    with pytest.raises(UserNotConfirmedException) as exc:
        password_sign_in(user, True, NOW, True)
    assert exc.value.message == NOT_CONFIRMED


# --- RESET_REQUIRED ----------------------------------------------------------------------------


@pytest.mark.parametrize("password_ok", [True, False])
def test_reset_required_needs_password_reset(password_ok: bool) -> None:
    user = make_user(Status.RESET_REQUIRED)
    with pytest.raises(PasswordResetRequiredException) as exc:
        password_sign_in(user, password_ok, NOW, False)
    assert exc.value.message == RESET_REQUIRED


@pytest.mark.parametrize("password_ok", [True, False])
def test_reset_required_with_hidden_existence_is_incorrect(password_ok: bool) -> None:
    user = make_user(Status.RESET_REQUIRED)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, password_ok, NOW, True)
    assert exc.value.message == INCORRECT


# --- FORCE_CHANGE_PASSWORD ---------------------------------------------------------------------


@pytest.mark.parametrize("hide_existence", [False, True])
def test_force_change_password_with_valid_temporary_password_needs_new_password(
    hide_existence: bool,
) -> None:
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=NOW + 7 * DAY)
    outcome = password_sign_in(user, True, NOW, hide_existence)
    assert outcome is SignIn.NEW_PASSWORD_REQUIRED


def test_force_change_password_without_expiry_needs_new_password() -> None:
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=None)
    assert password_sign_in(user, True, NOW, False) is SignIn.NEW_PASSWORD_REQUIRED


def test_force_change_password_wrong_password_is_incorrect() -> None:
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=NOW + 7 * DAY)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, False, NOW, False)
    assert exc.value.message == INCORRECT


def test_temporary_password_is_still_valid_at_its_expiry_instant() -> None:
    expires = NOW + 7 * DAY
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=expires)
    assert password_sign_in(user, True, expires, False) is SignIn.NEW_PASSWORD_REQUIRED


@pytest.mark.parametrize("hide_existence", [False, True])
def test_temporary_password_past_expiry_must_be_reset_by_administrator(
    hide_existence: bool,
) -> None:
    expires = NOW + 7 * DAY
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=expires)
    with pytest.raises(NotAuthorizedException) as exc:
        password_sign_in(user, True, expires + 1, hide_existence)
    assert exc.value.message == TEMP_EXPIRED


def test_expired_temporary_password_with_wrong_password_is_not_authorized() -> None:
    user = make_user(Status.FORCE_CHANGE_PASSWORD, password_expires_at=NOW - DAY)
    with pytest.raises(NotAuthorizedException):
        password_sign_in(user, False, NOW, False)
