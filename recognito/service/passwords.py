"""Setting a password, the one way every operation does it: the policy check, the history
check and the credentials computed outside any transaction, then one write that also ends
any reset still outstanding (its code must not overwrite the new password later) and
remembers the replaced password for PasswordHistorySize."""

from __future__ import annotations

from collections.abc import Sequence

from recognito import errors
from recognito.crypto.credentials import Credentials, credentials
from recognito.crypto.passwords import verify_password
from recognito.domain import pools
from recognito.domain.codes import Purpose
from recognito.domain.password_policy import USED_BEFORE, PasswordContext, check_password
from recognito.domain.records import Pool, User
from recognito.domain.user_status import Status
from recognito.service.context import Services
from recognito.service.lookups import unknown_user
from recognito.store.unit_of_work import UnitOfWork


def checked_credentials(
    pool: Pool,
    username: str,
    password: str,
    context: str = PasswordContext.OTHER,
    earlier: Sequence[str] = (),
) -> Credentials:
    """The policy, then the history (`earlier_passwords`), then the hashing."""
    check_password(pools.password_policy(pool.config), password, context)
    check_history(earlier, password)
    return credentials(pool.id, username, password)


def earlier_passwords(tx: UnitOfWork, pool: Pool, user: User) -> list[str]:
    """The hashes a new password of the user must not match: the current password's and
    the earlier ones PasswordHistorySize covers (none when it is 0)."""
    size = pools.password_history_size(pool.config)
    if size == 0:
        return []
    current = [user.password_hash] if user.password_hash else []
    return current + tx.password_history.recent(user.id, size - len(current))


def check_history(hashes: Sequence[str], password: str) -> None:
    """Refuse a password that matches one of `hashes` (argon2: call it outside any write
    transaction, up to PasswordHistorySize verifications)."""
    if any(verify_password(h, password) for h in hashes):
        raise errors.PasswordHistoryPolicyViolationException(USED_BEFORE)


class HistoryToCheck(Exception):
    """Raised in a write transaction (rolling it back) when the new password must first be
    checked against these hashes, which cannot be done while the transaction holds locks."""

    def __init__(self, hashes: list[str]) -> None:
        super().__init__()
        self.hashes = hashes


def store_password(
    svc: Services,
    tx: UnitOfWork,
    user: User,
    secrets: Credentials,
    status: Status,
    expires_at: float | None = None,
) -> None:
    current = still_there(tx, user)
    pool = tx.pools.get(current.pool_id)
    keep = pools.password_history_size(pool.config) - 1 if pool else 0
    if current.password_hash:  # the replaced password joins the history (or it is pruned)
        tx.password_history.remember(user.id, current.password_hash, svc.clock.now(), keep)
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
