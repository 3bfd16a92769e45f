"""Setting a password, the one way every operation does it: the policy check and the
credentials computed outside any transaction, then one write that also ends any
reset still outstanding (its code must not overwrite the new password later)."""

from __future__ import annotations

from recognito.crypto.credentials import Credentials, credentials
from recognito.domain import pools
from recognito.domain.codes import Purpose
from recognito.domain.password_policy import PasswordContext, check_password
from recognito.domain.records import Pool, User
from recognito.domain.user_status import Status
from recognito.service.context import Services
from recognito.service.lookups import unknown_user
from recognito.store.unit_of_work import UnitOfWork


def checked_credentials(
    pool: Pool, username: str, password: str, context: str = PasswordContext.OTHER
) -> Credentials:
    check_password(pools.password_policy(pool.config), password, context)
    return credentials(pool.id, username, password)


def store_password(
    svc: Services,
    tx: UnitOfWork,
    user: User,
    secrets: Credentials,
    status: Status,
    expires_at: float | None = None,
) -> None:
    tx.users.update(
        user.id,
        status=status,
        password_expires_at=expires_at,
        modified_at=svc.clock.now(),
        password_hash=secrets.password_hash,
        srp_salt=secrets.srp_salt,
        srp_verifier=secrets.srp_verifier,
    )
    tx.codes.delete(user.sub, Purpose.PASSWORD_RESET)


def still_there(tx: UnitOfWork, user: User) -> User:
    """The user as the write transaction sees it (it may have changed since it was read)."""
    current = tx.users.by_id(user.id)
    if current is None:
        raise unknown_user()
    return current
