"""Who a new user is: the stored username, the sub, and the attributes that identify them.

In pools with UsernameAttributes the typed email/phone becomes an attribute
and the stored username is the sub, as Cognito does. In alias pools a username
may not look like an email/phone alias.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from recognito import errors
from recognito.crypto.credentials import Credentials
from recognito.domain import pools
from recognito.domain.attributes import EMAIL_FORMAT, PHONE_FORMAT
from recognito.domain.records import Pool, Status, User
from recognito.service.codes import claim_alias
from recognito.service.lookups import hold_name, holders, identifies
from recognito.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NewUser:
    pool: Pool
    username: str
    sub: str
    attributes: dict[str, str]

    def insert(
        self,
        tx: UnitOfWork,
        status: Status,
        credentials: Credentials,
        password_expires_at: float | None,
        now: float,
        *,
        exists: str,
        force_alias: bool = False,
    ) -> User:
        key = pools.username_key(self.pool.config, self.username)
        if tx.users.by_username(self.pool.id, key) is not None:
            raise errors.UsernameExistsException(exists)
        user = User(
            id=0,
            pool_id=self.pool.id,
            username=self.username,
            sub=self.sub,
            status=status,
            enabled=True,
            password_hash=credentials.password_hash,
            srp_salt=credentials.srp_salt,
            srp_verifier=credentials.srp_verifier,
            password_expires_at=password_expires_at,
            created_at=now,
            modified_at=now,
            attributes=self.attributes,
        )
        self._check_names(tx, user, force_alias)
        stored = tx.users.insert(user, key)
        if stored is None:  # a concurrent request created the same username
            raise errors.UsernameExistsException(exists)
        return stored

    def _check_names(self, tx: UnitOfWork, user: User, force_alias: bool) -> None:
        """The new user's other sign-in names must be nobody else's: an email/phone
        username attribute regardless of verification, an alias as claim_alias says."""
        for attribute in pools.username_attributes(self.pool.config):
            value = user.attributes.get(attribute)
            if value:
                hold_name(tx, self.pool, attribute, value)
            if value and holders(tx, self.pool, attribute, value):
                raise errors.UsernameExistsException(
                    f"An account with the given {attribute} already exists."
                )
        for attribute in pools.alias_attributes(self.pool.config):
            if identifies(self.pool, user, attribute):
                claim_alias(tx, self.pool, user, attribute, force=force_alias)


def new_user_identity(pool: Pool, typed: str, attributes: dict[str, str]) -> NewUser:
    sub = str(uuid.uuid4())
    attributes = {**attributes, "sub": sub}
    kinds = pools.username_attributes(pool.config)
    if kinds:
        kind = _kind(typed)
        if kind not in kinds:
            raise errors.InvalidParameterException(
                "Username should be an email."
                if kinds == ["email"]
                else "Username should be a phone number."
                if kinds == ["phone_number"]
                else "Username should be either an email or a phone number."
            )
        given = attributes.get(kind)
        if given and given != typed:
            raise errors.InvalidParameterException(
                f"User {kind} should be empty or same as username, "
                f"since username attribute is {kind}."
            )
        return NewUser(pool, sub, sub, {**attributes, kind: typed})
    aliases = pools.alias_attributes(pool.config)
    kind = _kind(typed)
    if kind in aliases:
        label = "email" if kind == "email" else "phone number"
        raise errors.InvalidParameterException(
            f"Username cannot be of {label} format, since user pool is configured for "
            f"{label} alias."
        )
    return NewUser(pool, typed, sub, attributes)


def _kind(value: str) -> str | None:
    if EMAIL_FORMAT.fullmatch(value):
        return "email"
    if PHONE_FORMAT.fullmatch(value):
        return "phone_number"
    return None
